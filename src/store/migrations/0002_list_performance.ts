import { sql, type Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  // Bumped by every job write of the project: List reuses a counted total while it is unchanged.
  await db.schema.alterTable('projects').addColumn('jobs_version', 'bigint', (column) => column.notNull().defaultTo(0)).execute();
  // batch_name filter sorted by update time.
  await db.schema.createIndex('training_jobs_by_project_batch_update').on('training_jobs').columns(['project_id', 'batch_name', 'last_update_time']).execute();
  // The tag filter is driven from the tag rows, which carry the project and the sort times of their job.
  await db.schema.alterTable('training_job_tags').addColumn('project_id', 'text').execute();
  await db.schema.alterTable('training_job_tags').addColumn('create_time', 'bigint').execute();
  await db.schema.alterTable('training_job_tags').addColumn('last_update_time', 'bigint').execute();
  await sql`UPDATE training_job_tags SET (project_id, create_time, last_update_time) =
    (SELECT project_id, create_time, last_update_time FROM training_jobs WHERE training_jobs.job_id = training_job_tags.job_id)`.execute(db);
  await db.schema.createIndex('training_job_tags_by_project_tag_create').on('training_job_tags').columns(['project_id', 'tag', 'create_time', 'job_id']).execute();
  await db.schema.createIndex('training_job_tags_by_project_tag_update').on('training_job_tags').columns(['project_id', 'tag', 'last_update_time', 'job_id']).execute();
}
