import type { ColumnDefinitionBuilder, Kysely } from 'kysely';
import { isPostgres } from '../dialect.js';

export async function up(db: Kysely<unknown>): Promise<void> {
  // An increasing row id: SQLite's INTEGER PRIMARY KEY AUTOINCREMENT, PostgreSQL's identity column.
  const rowId = (column: ColumnDefinitionBuilder) =>
    isPostgres(db) ? column.primaryKey().generatedByDefaultAsIdentity() : column.primaryKey().autoIncrement();

  await db.schema
    .createTable('projects')
    .addColumn('project_id', 'text', (column) => column.primaryKey())
    .addColumn('name', 'text', (column) => column.notNull())
    .addColumn('created_at', 'bigint', (column) => column.notNull())
    .execute();

  await db.schema
    .createTable('access_keys')
    .addColumn('access_key', 'text', (column) => column.primaryKey())
    .addColumn('project_id', 'text', (column) => column.notNull().references('projects.project_id'))
    .addColumn('role', 'text', (column) => column.notNull())
    .addColumn('secret_ciphertext', 'text', (column) => column.notNull())
    .addColumn('description', 'text')
    .addColumn('created_at', 'bigint', (column) => column.notNull())
    .addColumn('revoked_at', 'bigint')
    .execute();

  await db.schema
    .createTable('auth_tokens')
    .addColumn('token_hash', 'text', (column) => column.primaryKey())
    .addColumn('access_key', 'text', (column) => column.notNull().references('access_keys.access_key'))
    .addColumn('project_id', 'text', (column) => column.notNull())
    .addColumn('methods', 'text', (column) => column.notNull())
    .addColumn('issued_at', 'bigint', (column) => column.notNull())
    .addColumn('expires_at', 'bigint', (column) => column.notNull())
    .execute();
  await db.schema.createIndex('auth_tokens_by_expiry').on('auth_tokens').column('expires_at').execute();

  await db.schema
    .createTable('training_jobs')
    .addColumn('job_id', 'text', (column) => column.primaryKey())
    .addColumn('project_id', 'text', (column) => column.notNull())
    .addColumn('app_user_id', 'text')
    .addColumn('name', 'text', (column) => column.notNull())
    .addColumn('state', 'text', (column) => column.notNull())
    .addColumn('batch_name', 'text')
    .addColumn('model_resolution', 'text')
    .addColumn('train_location', 'text')
    .addColumn('is_flexus', 'integer')
    .addColumn('is_live_copy', 'integer')
    .addColumn('is_ondemand_resource', 'integer')
    .addColumn('create_time', 'bigint', (column) => column.notNull())
    .addColumn('last_update_time', 'bigint', (column) => column.notNull())
    .addColumn('version', 'integer', (column) => column.notNull())
    .addColumn('attributes', 'text', (column) => column.notNull())
    .execute();
  // List always filters by project (and often app user), then sorts by a time.
  await db.schema.createIndex('training_jobs_by_project_create').on('training_jobs').columns(['project_id', 'create_time']).execute();
  await db.schema.createIndex('training_jobs_by_project_update').on('training_jobs').columns(['project_id', 'last_update_time']).execute();
  await db.schema.createIndex('training_jobs_by_project_state').on('training_jobs').columns(['project_id', 'state', 'create_time']).execute();
  await db.schema.createIndex('training_jobs_by_project_app_user').on('training_jobs').columns(['project_id', 'app_user_id', 'create_time']).execute();
  await db.schema.createIndex('training_jobs_by_project_batch').on('training_jobs').columns(['project_id', 'batch_name', 'create_time']).execute();
  await db.schema.createIndex('training_jobs_by_project_name').on('training_jobs').columns(['project_id', 'name']).execute();

  await db.schema
    .createTable('training_job_tags')
    .addColumn('job_id', 'text', (column) => column.notNull().references('training_jobs.job_id').onDelete('cascade'))
    .addColumn('tag', 'text', (column) => column.notNull())
    .addPrimaryKeyConstraint('training_job_tags_pk', ['job_id', 'tag'])
    .execute();
  await db.schema.createIndex('training_job_tags_by_tag').on('training_job_tags').columns(['tag', 'job_id']).execute();

  await db.schema
    .createTable('operation_logs')
    .addColumn('id', 'integer', rowId)
    .addColumn('job_id', 'text', (column) => column.notNull().references('training_jobs.job_id').onDelete('cascade'))
    .addColumn('operate_time', 'bigint', (column) => column.notNull())
    .addColumn('log_type', 'text', (column) => column.notNull())
    .addColumn('operate_user', 'text', (column) => column.notNull())
    .addColumn('log_description', 'text')
    .addColumn('error_code', 'text')
    .addColumn('redo_reasons', 'text')
    .execute();
  await db.schema.createIndex('operation_logs_by_job').on('operation_logs').columns(['job_id', 'id']).execute();

  await db.schema
    .createTable('comment_logs')
    .addColumn('id', 'integer', rowId)
    .addColumn('job_id', 'text', (column) => column.notNull().references('training_jobs.job_id').onDelete('cascade'))
    .addColumn('operate_time', 'bigint', (column) => column.notNull())
    .addColumn('comment_type', 'text', (column) => column.notNull())
    .addColumn('comment_title', 'text')
    .addColumn('comment_message', 'text')
    .addColumn('attachment_kinds', 'text', (column) => column.notNull())
    .execute();
  await db.schema.createIndex('comment_logs_by_job').on('comment_logs').columns(['job_id', 'id']).execute();

  await db.schema
    .createTable('job_files')
    .addColumn('job_id', 'text', (column) => column.notNull().references('training_jobs.job_id').onDelete('cascade'))
    .addColumn('file_kind', 'text', (column) => column.notNull())
    .addColumn('file_version', 'text', (column) => column.notNull())
    .addColumn('blob_key', 'text', (column) => column.notNull())
    .addColumn('size', 'bigint', (column) => column.notNull())
    .addColumn('etag', 'text', (column) => column.notNull())
    .addColumn('created_at', 'bigint', (column) => column.notNull())
    .addPrimaryKeyConstraint('job_files_pk', ['job_id', 'file_kind'])
    .execute();

  await db.schema
    .createTable('multipart_uploads')
    .addColumn('upload_id', 'text', (column) => column.primaryKey())
    .addColumn('job_id', 'text', (column) => column.notNull().references('training_jobs.job_id').onDelete('cascade'))
    .addColumn('file_kind', 'text', (column) => column.notNull())
    .addColumn('part_count', 'integer', (column) => column.notNull())
    .addColumn('created_at', 'bigint', (column) => column.notNull())
    .execute();
  await db.schema.createIndex('multipart_uploads_by_job').on('multipart_uploads').columns(['job_id', 'file_kind']).execute();

  await db.schema
    .createTable('multipart_parts')
    .addColumn('upload_id', 'text', (column) => column.notNull().references('multipart_uploads.upload_id').onDelete('cascade'))
    .addColumn('part_number', 'integer', (column) => column.notNull())
    .addColumn('blob_key', 'text', (column) => column.notNull())
    .addColumn('size', 'bigint', (column) => column.notNull())
    .addColumn('etag', 'text', (column) => column.notNull())
    .addColumn('uploaded_at', 'bigint', (column) => column.notNull())
    .addPrimaryKeyConstraint('multipart_parts_pk', ['upload_id', 'part_number'])
    .execute();

  await db.schema
    .createTable('upload_slots')
    .addColumn('slot_id', 'text', (column) => column.primaryKey())
    .addColumn('job_id', 'text', (column) => column.notNull().references('training_jobs.job_id').onDelete('cascade'))
    .addColumn('file_kind', 'text', (column) => column.notNull())
    .addColumn('upload_id', 'text')
    .addColumn('part_number', 'integer')
    .addColumn('content_type', 'text', (column) => column.notNull())
    .addColumn('expires_at', 'bigint', (column) => column.notNull())
    .addColumn('used_at', 'bigint')
    .execute();
  await db.schema.createIndex('upload_slots_by_job').on('upload_slots').columns(['job_id', 'file_kind']).execute();
}
