/**
 * The benchmark tenant's asset library: 100,000 assets, shaped as the asset store writes them
 * (src/store/assets/assetStore.ts `toRow` and `toFileRow`), the same on every call for the same
 * anchor time, so the SQLite and PostgreSQL seeds hold identical rows.
 *
 * The tenant's own images, audio and videos (origin TENANT) each have a MAIN file; an uploaded one
 * (`CREATED`) also has its bytes' job-file row, so List signs a download URL for it, and an
 * `ACTIVED` or `UNACTIVED` video has a COVER too. Models (HUMAN_MODEL_2D, origin TRAINING_JOB)
 * name a training job that has no files here, so they list without files.
 *
 * No asset is in the recycle bin (`DELETING`): its 7 days are counted from the stored deletion
 * time, so between two runs a week apart the first List would purge them and change the data. A
 * share is `DELETED` (deleted for good: rows kept, left out of List).
 */
import type { AssetFilesTable, AssetsTable, JobFilesTable } from '../src/store/schema.js';
import { randomSource } from './randomSource.js';

export const ASSET_LAYOUT = {
  tenantAssets: 100_000,
} as const;

/** The types with their share among the seeded assets: the four kinds the console's asset library shows. */
const TYPE_WEIGHTS: Array<[string, number]> = [
  ['VIDEO', 35],
  ['IMAGE', 30],
  ['AUDIO', 25],
  ['HUMAN_MODEL_2D', 10],
];

const STATE_WEIGHTS: Array<[string, number]> = [
  ['ACTIVED', 88],
  ['UNACTIVED', 5],
  ['CREATING', 3],
  ['FAILED', 2],
  ['DELETED', 2],
];

/** The MAIN file's extension and size range (bytes) per type of a tenant's asset. */
const MAIN_FILES: Record<string, { type: string; minBytes: number; maxBytes: number }> = {
  VIDEO: { type: 'mp4', minBytes: 2_000_000, maxBytes: 400_000_000 },
  IMAGE: { type: 'png', minBytes: 50_000, maxBytes: 8_000_000 },
  AUDIO: { type: 'wav', minBytes: 200_000, maxBytes: 60_000_000 },
};

const DAY_MS = 86_400_000;
const YEAR_MS = 365 * DAY_MS;
const APP_USERS = 500;

/** One seeded asset: its row, its asset_files rows, and the job-file rows of the files' bytes. */
export interface SeededAsset {
  row: AssetsTable;
  files: AssetFilesTable[];
  jobFiles: JobFilesTable[];
}

/** The tenant's assets in creation order, spread over the year before the anchor time like the jobs. */
export function* generateAssets(projectId: string, anchorTime: number, tags: readonly string[]): Generator<SeededAsset, void, undefined> {
  // Its own seed: the assets do not shift when the jobs change.
  const random = randomSource(20250101);
  const firstCreateTime = anchorTime - YEAR_MS;
  const ordinals = new Map<string, number>();

  for (let index = 0; index < ASSET_LAYOUT.tenantAssets; index++) {
    const assetId = random.hexId();
    const assetType = random.pick(TYPE_WEIGHTS);
    const ordinal = (ordinals.get(assetType) ?? 0) + 1;
    ordinals.set(assetType, ordinal);
    const createTime = Math.floor(firstCreateTime + (index / ASSET_LAYOUT.tenantAssets) * YEAR_MS + random.integer(60_000));
    const model = assetType === 'HUMAN_MODEL_2D';
    // A model is made ACTIVED with its job's success; the other states are the tenant's doing.
    const assetState = model ? (random.next() < 0.95 ? 'ACTIVED' : 'UNACTIVED') : random.pick(STATE_WEIGHTS);
    const touched = assetState !== 'CREATING';
    const updateTime = touched ? Math.min(anchorTime, createTime + random.integer(14 * DAY_MS)) : createTime;
    const tagCount = random.integer(3);
    const assetTags = [...new Set(Array.from({ length: tagCount }, () => tags[random.integer(tags.length)]!))];
    const appUserId = random.next() < 0.2 ? `app-user-${String(random.integer(APP_USERS)).padStart(4, '0')}` : null;

    const row: AssetsTable = {
      asset_id: assetId,
      project_id: projectId,
      app_user_id: appUserId,
      asset_name: `${assetType.toLowerCase().replace(/_/g, '-')}-${String(ordinal).padStart(6, '0')}`,
      asset_description: random.next() < 0.3 ? `Seeded ${assetType.toLowerCase()} number ${ordinal}` : null,
      asset_type: assetType,
      asset_state: assetState,
      state_before_delete: null,
      deleted_at: assetState === 'DELETED' ? updateTime : null,
      reason: assetState === 'FAILED' ? 'the MAIN file upload failed' : null,
      origin: model ? 'TRAINING_JOB' : 'TENANT',
      source_job_id: model ? random.hexId() : null,
      asset_order: random.next() < 0.8 ? 0 : random.integer(100),
      tags: JSON.stringify(assetTags),
      supported_service: model ? '["VIDEO_2D"]' : null,
      system_properties: null,
      extra_meta: model
        ? JSON.stringify({
            human_model_2d_meta: {
              is_action_editable: false,
              is_real_background: false,
              support_live: false,
              model_resolution: '1080P',
              is_flexus: random.next() < 0.1,
              is_live_copy: false,
              is_with_action_library: false,
            },
          })
        : null,
      create_time: createTime,
      update_time: updateTime,
      version: touched ? 2 + random.integer(3) : 1,
    };

    const files: AssetFilesTable[] = [];
    const jobFiles: JobFilesTable[] = [];
    const main = MAIN_FILES[assetType];
    if (main && assetState !== 'DELETED') {
      const addFile = (category: 'MAIN' | 'COVER', fileType: string, size: number, state: string) => {
        const fileId = random.hexId();
        const md5Hex = random.hexId();
        files.push({
          file_id: fileId,
          asset_id: assetId,
          file_name: `${row.asset_name}${category === 'COVER' ? '-cover' : ''}.${fileType}`,
          file_md5: Buffer.from(md5Hex, 'hex').toString('base64'),
          file_size: size,
          file_type: fileType,
          category,
          state,
          reason: state === 'FAILED' ? 'the upload was not confirmed' : null,
          created_at: createTime,
          part_count: null,
        });
        if (state === 'CREATED') {
          const fileKind = `asset_file_${fileId}`;
          const fileVersion = random.hexId();
          jobFiles.push({
            job_id: assetId,
            file_kind: fileKind,
            file_version: fileVersion,
            blob_key: `jobs/${assetId}/files/${fileKind}/${fileVersion}`,
            size,
            etag: md5Hex,
            created_at: createTime + 1000,
          });
        }
      };
      const mainState = assetState === 'CREATING' ? 'CREATING' : assetState === 'FAILED' ? 'FAILED' : 'CREATED';
      addFile('MAIN', main.type, main.minBytes + random.integer(main.maxBytes - main.minBytes), mainState);
      if (assetType === 'VIDEO' && mainState === 'CREATED') addFile('COVER', 'jpg', 40_000 + random.integer(400_000), 'CREATED');
    }
    yield { row, files, jobFiles };
  }
}

/** The columns of each table in the order the seeds write them. */
export const ASSET_COLUMNS = [
  'asset_id', 'project_id', 'app_user_id', 'asset_name', 'asset_description', 'asset_type', 'asset_state', 'state_before_delete', 'deleted_at', 'reason',
  'origin', 'source_job_id', 'asset_order', 'tags', 'supported_service', 'system_properties', 'extra_meta', 'create_time', 'update_time', 'version',
] as const satisfies ReadonlyArray<keyof AssetsTable>;
export const ASSET_FILE_COLUMNS = [
  'file_id', 'asset_id', 'file_name', 'file_md5', 'file_size', 'file_type', 'category', 'state', 'reason', 'created_at',
] as const satisfies ReadonlyArray<keyof AssetFilesTable>;
export const JOB_FILE_COLUMNS = ['job_id', 'file_kind', 'file_version', 'blob_key', 'size', 'etag', 'created_at'] as const satisfies ReadonlyArray<keyof JobFilesTable>;
