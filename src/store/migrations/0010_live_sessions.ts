import type { Kysely } from 'kysely';

/**
 * Live sessions (intelligent interaction): rooms, the jobs started in them, and the one-time codes
 * and dialog-URL sessions that let an end user in (by the SHA-256 of their secret; used once).
 * The same statements on SQLite and PostgreSQL; times are epoch milliseconds, JSON is text.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('smart_chat_rooms')
    .addColumn('room_id', 'text', (column) => column.primaryKey())
    .addColumn('project_id', 'text', (column) => column.notNull())
    .addColumn('app_user_id', 'text')
    .addColumn('room_name', 'text', (column) => column.notNull())
    .addColumn('model_asset_id', 'text', (column) => column.notNull())
    .addColumn('concurrency', 'integer', (column) => column.notNull())
    .addColumn('billing_mode', 'text', (column) => column.notNull())
    .addColumn('client_nums', 'integer', (column) => column.notNull())
    // The Create/Update body with its defaults filled in, as Show answers it (domain/live/liveRooms.ts).
    .addColumn('settings', 'text', (column) => column.notNull())
    .addColumn('last_job_start_time', 'bigint')
    .addColumn('create_time', 'bigint', (column) => column.notNull())
    .addColumn('update_time', 'bigint', (column) => column.notNull())
    .addColumn('version', 'integer', (column) => column.notNull())
    .execute();
  await db.schema.createIndex('smart_chat_rooms_by_project_create').on('smart_chat_rooms').columns(['project_id', 'create_time', 'room_id']).execute();
  await db.schema.createIndex('smart_chat_rooms_by_project_app_user').on('smart_chat_rooms').columns(['project_id', 'app_user_id', 'create_time']).execute();

  await db.schema
    .createTable('smart_chat_jobs')
    .addColumn('job_id', 'text', (column) => column.primaryKey())
    .addColumn('room_id', 'text', (column) => column.notNull())
    .addColumn('project_id', 'text', (column) => column.notNull())
    .addColumn('app_user_id', 'text')
    .addColumn('robot_id', 'text', (column) => column.notNull())
    .addColumn('state', 'text', (column) => column.notNull())
    .addColumn('finish_reason', 'text')
    .addColumn('client_id', 'text')
    .addColumn('extend_param', 'text')
    // What the job started with: the room's video size, voices, subtitle box (JSON).
    .addColumn('session', 'text', (column) => column.notNull())
    .addColumn('create_time', 'bigint', (column) => column.notNull())
    .addColumn('start_time', 'bigint', (column) => column.notNull())
    .addColumn('end_time', 'bigint')
    .addColumn('last_update_time', 'bigint', (column) => column.notNull())
    .addColumn('error_code', 'text')
    .addColumn('error_msg', 'text')
    .addColumn('version', 'integer', (column) => column.notNull())
    .execute();
  await db.schema.createIndex('smart_chat_jobs_by_room_create').on('smart_chat_jobs').columns(['room_id', 'create_time', 'job_id']).execute();
  await db.schema.createIndex('smart_chat_jobs_by_room_state').on('smart_chat_jobs').columns(['room_id', 'state']).execute();

  await db.schema
    .createTable('live_access_grants')
    .addColumn('secret_hash', 'text', (column) => column.primaryKey())
    .addColumn('kind', 'text', (column) => column.notNull())
    .addColumn('project_id', 'text', (column) => column.notNull())
    .addColumn('app_user_id', 'text')
    .addColumn('room_id', 'text')
    .addColumn('robot_id', 'text')
    .addColumn('created_at', 'bigint', (column) => column.notNull())
    .addColumn('expires_at', 'bigint', (column) => column.notNull())
    .addColumn('used_at', 'bigint')
    .execute();
  await db.schema.createIndex('live_access_grants_by_expiry').on('live_access_grants').column('expires_at').execute();
}
