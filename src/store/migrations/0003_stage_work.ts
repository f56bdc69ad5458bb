import type { Kysely } from 'kysely';

/** Claimable pipeline work: one row per stage a job waits for, leased by one worker at a time. */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('stage_work')
    .addColumn('work_id', 'text', (column) => column.primaryKey())
    .addColumn('job_id', 'text', (column) => column.notNull().references('training_jobs.job_id').onDelete('cascade'))
    .addColumn('stage', 'text', (column) => column.notNull())
    // queued: claimable from available_at on; leased: a worker holds it; done / failed / cancelled: finished.
    .addColumn('status', 'text', (column) => column.notNull())
    .addColumn('attempts', 'integer', (column) => column.notNull())
    .addColumn('max_attempts', 'integer', (column) => column.notNull())
    .addColumn('available_at', 'bigint', (column) => column.notNull())
    .addColumn('worker_id', 'text')
    .addColumn('lease_token', 'text')
    .addColumn('heartbeat_deadline', 'bigint')
    .addColumn('lease_expires_at', 'bigint')
    .addColumn('last_error', 'text')
    .addColumn('created_at', 'bigint', (column) => column.notNull())
    .addColumn('updated_at', 'bigint', (column) => column.notNull())
    .execute();
  await db.schema.createIndex('stage_work_claimable').on('stage_work').columns(['status', 'stage', 'available_at']).execute();
  await db.schema.createIndex('stage_work_by_job').on('stage_work').columns(['job_id', 'status']).execute();
}
