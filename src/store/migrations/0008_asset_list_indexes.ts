import type { Kysely } from 'kysely';

/**
 * ListAssets' indexes, measured on a project of 100,000 assets (bench/run.ts, list-assets-*):
 *
 * - A state filter (the recycle bin is `asset_state=DELETING`) walked the (project, create_time)
 *   index and read every asset of the project to check its state: the (project, state) index had
 *   no id to finish the order with, so the planner did not take it. Now it ends in
 *   (create_time, asset_id): an empty bin costs one index probe instead of 100,000 row reads.
 * - The default listing (every state but DELETED) and a type's page check the state in the index
 *   itself, so rows skipped by OFFSET (a deep page) or by the filter are not read from the table.
 */
const REPLACED = [
  { old: 'assets_by_project_create', name: 'assets_by_project_create_state', columns: ['project_id', 'create_time', 'asset_id', 'asset_state'] },
  { old: 'assets_by_project_update', name: 'assets_by_project_update_state', columns: ['project_id', 'update_time', 'asset_id', 'asset_state'] },
  { old: 'assets_by_project_type', name: 'assets_by_project_type_create', columns: ['project_id', 'asset_type', 'create_time', 'asset_id', 'asset_state'] },
  { old: 'assets_by_project_state', name: 'assets_by_project_state_create', columns: ['project_id', 'asset_state', 'create_time', 'asset_id'] },
];

export async function up(db: Kysely<unknown>): Promise<void> {
  for (const index of REPLACED) {
    await db.schema.createIndex(index.name).on('assets').columns(index.columns).execute();
    await db.schema.dropIndex(index.old).execute();
  }
}
