import type { Kysely } from 'kysely';

/** The admins' queue lists jobs of every project by state, the longest unchanged first. */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema.createIndex('training_jobs_by_state_update').on('training_jobs').columns(['state', 'last_update_time', 'job_id']).execute();
}
