import { sql, type Kysely } from 'kysely';

/**
 * The asset library (资产库): one row per asset, whoever made it. A tenant's own asset keeps its
 * files as job files under its own id; a model asset is the files of its training job, a video
 * asset those of its video job (`source_job_id`). List is served by the (project, sort column)
 * indexes and a total reused while the project's `assets_version` is unchanged, as for training jobs.
 *
 * Existing finished models and rendered videos become assets here, so that the library starts
 * complete.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('projects').addColumn('assets_version', 'bigint', (column) => column.notNull().defaultTo(0)).execute();
  await db.schema
    .createTable('assets')
    .addColumn('asset_id', 'text', (column) => column.primaryKey())
    .addColumn('project_id', 'text', (column) => column.notNull())
    .addColumn('app_user_id', 'text')
    .addColumn('asset_name', 'text', (column) => column.notNull())
    .addColumn('asset_description', 'text')
    .addColumn('asset_type', 'text', (column) => column.notNull())
    .addColumn('asset_state', 'text', (column) => column.notNull())
    // Where a DELETING asset returns on restore, and since when it is in the recycle bin.
    .addColumn('state_before_delete', 'text')
    .addColumn('deleted_at', 'bigint')
    .addColumn('reason', 'text')
    // TENANT (CreateDigitalAsset), TRAINING_JOB (a finished model) or VIDEO_JOB (a rendered video).
    .addColumn('origin', 'text', (column) => column.notNull())
    .addColumn('source_job_id', 'text')
    .addColumn('asset_order', 'integer', (column) => column.notNull())
    // JSON: tags (array of strings), supported_service (array or null), system_properties, extra_meta.
    .addColumn('tags', 'text', (column) => column.notNull())
    .addColumn('supported_service', 'text')
    .addColumn('system_properties', 'text')
    .addColumn('extra_meta', 'text')
    .addColumn('create_time', 'bigint', (column) => column.notNull())
    .addColumn('update_time', 'bigint', (column) => column.notNull())
    .addColumn('version', 'integer', (column) => column.notNull())
    .execute();
  await db.schema.createIndex('assets_by_project_create').on('assets').columns(['project_id', 'create_time', 'asset_id']).execute();
  await db.schema.createIndex('assets_by_project_update').on('assets').columns(['project_id', 'update_time', 'asset_id']).execute();
  await db.schema.createIndex('assets_by_project_order').on('assets').columns(['project_id', 'asset_order', 'create_time']).execute();
  await db.schema.createIndex('assets_by_project_app_user').on('assets').columns(['project_id', 'app_user_id', 'create_time']).execute();
  await db.schema.createIndex('assets_by_project_type').on('assets').columns(['project_id', 'asset_type', 'create_time']).execute();
  await db.schema.createIndex('assets_by_project_state').on('assets').columns(['project_id', 'asset_state', 'create_time']).execute();
  await db.schema.createIndex('assets_by_project_name').on('assets').columns(['project_id', 'asset_name']).execute();
  await db.schema.createIndex('assets_by_source_job').on('assets').columns(['source_job_id']).execute();
  // The recycle bin's sweep: DELETING assets by the time they were deleted.
  await db.schema.createIndex('assets_by_state_deleted').on('assets').columns(['asset_state', 'deleted_at']).execute();

  // The files of the tenant's own assets, as CreateFile registered them; their bytes are job files of
  // the asset (kind asset_file_<file_id>), uploaded through single-use URLs like every other file.
  await db.schema
    .createTable('asset_files')
    .addColumn('file_id', 'text', (column) => column.primaryKey())
    .addColumn('asset_id', 'text', (column) => column.notNull())
    .addColumn('file_name', 'text', (column) => column.notNull())
    .addColumn('file_md5', 'text', (column) => column.notNull())
    .addColumn('file_size', 'bigint', (column) => column.notNull())
    .addColumn('file_type', 'text', (column) => column.notNull())
    .addColumn('category', 'text', (column) => column.notNull())
    .addColumn('state', 'text', (column) => column.notNull())
    .addColumn('reason', 'text')
    .addColumn('created_at', 'bigint', (column) => column.notNull())
    .execute();
  await db.schema.createIndex('asset_files_by_asset').on('asset_files').columns(['asset_id']).execute();

  // Deleting a model for good first asks whether video jobs still render with it.
  await db.schema.createIndex('video_jobs_by_model_job_state').on('video_jobs').columns(['model_job_id', 'state']).execute();

  const modelMeta = (resolution: unknown, flexus: unknown, liveCopy: unknown) =>
    JSON.stringify({
      human_model_2d_meta: {
        is_action_editable: false,
        is_real_background: false,
        support_live: false,
        ...(typeof resolution === 'string' && { model_resolution: resolution }),
        is_flexus: flexus === 1,
        is_live_copy: liveCopy === 1,
        is_with_action_library: false,
      },
    });
  const models = await sql<{ job_id: string; project_id: string; app_user_id: string | null; name: string; asset_id: string; model_resolution: string | null; is_flexus: number | null; is_live_copy: number | null; last_update_time: number }>`
    select job_id, project_id, app_user_id, name, asset_id, model_resolution, is_flexus, is_live_copy, last_update_time
    from training_jobs where state = 'JOB_SUCCESS' and asset_id is not null`.execute(db);
  for (const job of models.rows) {
    const at = Number(job.last_update_time);
    await sql`insert into assets (asset_id, project_id, app_user_id, asset_name, asset_type, asset_state, origin, source_job_id, asset_order, tags, supported_service, extra_meta, create_time, update_time, version)
      values (${job.asset_id}, ${job.project_id}, ${job.app_user_id}, ${job.name}, 'HUMAN_MODEL_2D', 'ACTIVED', 'TRAINING_JOB', ${job.job_id}, 0, '[]', '["VIDEO_2D"]',
        ${modelMeta(job.model_resolution, job.is_flexus, job.is_live_copy)}, ${at}, ${at}, 1)`.execute(db);
  }
  const audioFiles = await sql<{ file_id: string; project_id: string; app_user_id: string | null; file_name: string | null; created_at: number; uploaded: number }>`
    select file_id, project_id, app_user_id, file_name, created_at,
      (select count(*) from job_files where job_files.job_id = audio_files.file_id and job_files.file_kind = 'uploaded_audio') as uploaded
    from audio_files`.execute(db);
  for (const audio of audioFiles.rows) {
    const at = Number(audio.created_at);
    await sql`insert into assets (asset_id, project_id, app_user_id, asset_name, asset_type, asset_state, origin, source_job_id, asset_order, tags, create_time, update_time, version)
      values (${audio.file_id}, ${audio.project_id}, ${audio.app_user_id}, ${audio.file_name || audio.file_id}, 'AUDIO', ${Number(audio.uploaded) > 0 ? 'ACTIVED' : 'CREATING'}, 'AUDIO_FILE', ${audio.file_id}, 0, '[]', ${at}, ${at}, 1)`.execute(db);
  }
  const videos = await sql<{ job_id: string; project_id: string; app_user_id: string | null; asset_name: string | null; output_asset_id: string; end_time: number | null; create_time: number }>`
    select job_id, project_id, app_user_id, asset_name, output_asset_id, end_time, create_time
    from video_jobs where state = 'SUCCEED' and output_asset_id is not null`.execute(db);
  for (const job of videos.rows) {
    const at = Number(job.end_time ?? job.create_time);
    await sql`insert into assets (asset_id, project_id, app_user_id, asset_name, asset_type, asset_state, origin, source_job_id, asset_order, tags, supported_service, system_properties, create_time, update_time, version)
      values (${job.output_asset_id}, ${job.project_id}, ${job.app_user_id}, ${job.asset_name || job.job_id}, 'VIDEO', 'ACTIVED', 'VIDEO_JOB', ${job.job_id}, 0, '[]', null,
        '[{"key":"CREATED_BY_PLATFORM","value":"Yes"},{"key":"DIGITAL_HUMAN_2D_VIDEO","value":"Yes"}]', ${at}, ${at}, 1)`.execute(db);
  }
}
