import type { Kysely } from 'kysely';

/**
 * Indexes for List pages and the asset read cache, measured on the bench's tenant (200,000 jobs,
 * 100,000 assets: bench/run.ts):
 *
 * - The training jobs' (project, create_time) and (project, last_update_time) indexes had no job id
 *   to finish the order with (`ORDER BY create_time, job_id`): every job a page skipped went
 *   through a sorter and was read from the table, 230 ms for a page at offset 50,000. With the id
 *   in the index, the page is read in index order and the rows OFFSET skips are not read.
 * - ListAssets and ShowAsset ask for the earliest deletion time in the project's recycle bin (to
 *   empty it of what is due, and to keep a cached answer no longer than that): one probe of
 *   (project, state, deleted_at), however full the bin.
 */
const REPLACED = [
  { old: 'training_jobs_by_project_create', name: 'training_jobs_by_project_create_id', columns: ['project_id', 'create_time', 'job_id'] },
  { old: 'training_jobs_by_project_update', name: 'training_jobs_by_project_update_id', columns: ['project_id', 'last_update_time', 'job_id'] },
];

export async function up(db: Kysely<unknown>): Promise<void> {
  for (const index of REPLACED) {
    await db.schema.createIndex(index.name).on('training_jobs').columns(index.columns).execute();
    await db.schema.dropIndex(index.old).execute();
  }
  await db.schema.createIndex('assets_by_project_state_deleted').on('assets').columns(['project_id', 'asset_state', 'deleted_at']).execute();
}
