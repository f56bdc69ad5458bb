import { sql, type Kysely } from 'kysely';
import { isPostgres } from '../dialect.js';

/**
 * Video jobs (the 2D digital-human video family) and the audio files uploaded for them.
 *
 * A video job keeps its files, upload URLs and pipeline work in the same tables as training jobs
 * (`job_files`, `upload_slots`, `stage_work`), keyed by its own id: those tables lose their foreign
 * key to `training_jobs`, and deleting a training job deletes its rows there explicitly. Training
 * jobs get an indexed `asset_id` column: a video job names its model by the job's asset id.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  for (const table of ['job_files', 'upload_slots', 'stage_work']) await dropJobForeignKey(db, table);

  await db.schema.alterTable('training_jobs').addColumn('asset_id', 'text').execute();
  const withAsset = await sql<{ job_id: string; attributes: string }>`select job_id, attributes from training_jobs where attributes like ${'%"asset_id"%'}`.execute(db);
  for (const row of withAsset.rows) {
    const assetId = (JSON.parse(row.attributes) as { asset_id?: string }).asset_id;
    if (assetId !== undefined) await sql`update training_jobs set asset_id = ${assetId} where job_id = ${row.job_id}`.execute(db);
  }
  await db.schema.createIndex('training_jobs_by_project_asset').on('training_jobs').columns(['project_id', 'asset_id']).execute();

  await db.schema
    .createTable('video_jobs')
    .addColumn('job_id', 'text', (column) => column.primaryKey())
    .addColumn('project_id', 'text', (column) => column.notNull())
    .addColumn('app_user_id', 'text')
    .addColumn('state', 'text', (column) => column.notNull())
    .addColumn('job_type', 'text', (column) => column.notNull())
    .addColumn('model_asset_id', 'text', (column) => column.notNull())
    // The training job whose model renders the video (resolved from model_asset_id at create).
    .addColumn('model_job_id', 'text', (column) => column.notNull())
    .addColumn('script_id', 'text')
    .addColumn('asset_name', 'text')
    .addColumn('create_time', 'bigint', (column) => column.notNull())
    .addColumn('last_update_time', 'bigint', (column) => column.notNull())
    .addColumn('start_time', 'bigint')
    .addColumn('end_time', 'bigint')
    .addColumn('duration', 'double precision')
    .addColumn('error_code', 'text')
    .addColumn('error_msg', 'text')
    .addColumn('output_asset_id', 'text')
    // The request's settings as the API echoes them (voice_config, video_config, shoot_scripts, ...), JSON.
    .addColumn('request', 'text', (column) => column.notNull())
    .addColumn('version', 'integer', (column) => column.notNull())
    .execute();
  await db.schema.createIndex('video_jobs_by_project_create').on('video_jobs').columns(['project_id', 'create_time']).execute();
  await db.schema.createIndex('video_jobs_by_project_app_user').on('video_jobs').columns(['project_id', 'app_user_id', 'create_time']).execute();
  await db.schema.createIndex('video_jobs_by_project_state').on('video_jobs').columns(['project_id', 'state', 'create_time']).execute();

  await db.schema
    .createTable('audio_files')
    .addColumn('file_id', 'text', (column) => column.primaryKey())
    .addColumn('project_id', 'text', (column) => column.notNull())
    .addColumn('app_user_id', 'text')
    .addColumn('file_name', 'text')
    .addColumn('created_at', 'bigint', (column) => column.notNull())
    .execute();
}

/** Drops the table's foreign key from job_id to training_jobs (SQLite: by rebuilding the table). */
async function dropJobForeignKey(db: Kysely<unknown>, table: string): Promise<void> {
  if (isPostgres(db)) {
    await sql`alter table ${sql.table(table)} drop constraint if exists ${sql.id(`${table}_job_id_fkey`)}`.execute(db);
    return;
  }
  const definition = await sql<{ sql: string }>`select sql from sqlite_master where type = 'table' and name = ${table}`.execute(db);
  const indexes = await sql<{ sql: string }>`select sql from sqlite_master where type = 'index' and tbl_name = ${table} and sql is not null`.execute(db);
  const createSql = definition.rows[0]!.sql;
  const withoutKey = createSql.replace(/\s+references\s+"training_jobs"\s*\("job_id"\)(\s+on delete cascade)?/i, '');
  if (withoutKey === createSql) throw new Error(`migration 0006: no foreign key to training_jobs found on ${table}`);
  const rebuilt = withoutKey.replace(/^create table\s+"?[a-z_]+"?/i, `create table "${table}_rebuilt"`);
  await sql.raw(rebuilt).execute(db);
  await sql.raw(`insert into "${table}_rebuilt" select * from "${table}"`).execute(db);
  await sql.raw(`drop table "${table}"`).execute(db);
  await sql.raw(`alter table "${table}_rebuilt" rename to "${table}"`).execute(db);
  for (const index of indexes.rows) await sql.raw(index.sql).execute(db);
}
