import type { JobScope } from '../ports.js';
import type { AssetExtraMeta, AssetState, AssetType, SupportedService, SystemProperty } from './assetWire.js';

/** Who made an asset: the tenant (CreateDigitalAsset), a finished training job (its model), a video job (its video) or an audio file uploaded for video jobs. */
export type AssetOrigin = 'TENANT' | 'TRAINING_JOB' | 'VIDEO_JOB' | 'AUDIO_FILE';

/** An asset as the domain holds it. Times are epoch milliseconds. */
export interface Asset {
  assetId: string;
  projectId: string;
  appUserId: string | null;
  assetName: string;
  assetDescription: string | null;
  assetType: AssetType;
  assetState: AssetState;
  /** While DELETING: the state Restore returns it to, and when it went to the recycle bin. */
  stateBeforeDelete: AssetState | null;
  deletedAt: number | null;
  reason: string | null;
  origin: AssetOrigin;
  /** The job whose files are the asset's (a model's training job, a video's video job); null for the tenant's own. */
  sourceJobId: string | null;
  assetOrder: number;
  tags: string[];
  supportedService: SupportedService[] | null;
  systemProperties: Array<{ key: string; value: string }> | null;
  extraMeta: AssetExtraMeta | null;
  createTime: number;
  updateTime: number;
  version: number;
}

/** How long a deleted asset stays in the recycle bin (restorable) before it is deleted for good, as the cloud's console documents. */
export const RECYCLE_BIN_RETENTION_MS = 7 * 24 * 3600 * 1000;

/**
 * The asset lifecycle as data: each tenant command, the states it may happen in, and where it
 * leads. Restore leads back to the state the asset had before Delete. Moves made by the product
 * (CREATING → ACTIVED when a video is rendered, → FAILED when it is not; DELETING → DELETED when the
 * recycle bin's time is up) are in producedAssets.ts and assetService.ts's sweep.
 */
export const ASSET_COMMANDS = {
  activate: { from: ['UNACTIVED', 'ACTIVED'], to: 'ACTIVED' },
  deactivate: { from: ['UNACTIVED', 'ACTIVED'], to: 'UNACTIVED' },
  update: { from: ['CREATING', 'FAILED', 'UNACTIVED', 'ACTIVED', 'WAITING_DELETE'], to: null },
  delete: { from: ['CREATING', 'FAILED', 'UNACTIVED', 'ACTIVED', 'WAITING_DELETE', 'BLOCK', 'DELETING'], to: 'DELETING' },
  forceDelete: { from: ['CREATING', 'FAILED', 'UNACTIVED', 'ACTIVED', 'WAITING_DELETE', 'BLOCK', 'DELETING'], to: 'DELETED' },
  restore: { from: ['DELETING'], to: 'restored' },
} as const satisfies Record<string, { from: readonly AssetState[]; to: AssetState | 'restored' | null }>;
export type AssetCommand = keyof typeof ASSET_COMMANDS;

export function assetAllows(command: AssetCommand, state: AssetState): boolean {
  return (ASSET_COMMANDS[command].from as readonly AssetState[]).includes(state);
}

/** States in which other services (video jobs) may use an asset, as the API documents them. */
export const USABLE_ASSET_STATES: readonly AssetState[] = ['ACTIVED', 'WAITING_DELETE'];

/** What tenants may create: media of their own. Models and voices come from the training families. */
export const TENANT_ASSET_TYPES: readonly AssetType[] = ['VIDEO', 'IMAGE', 'AUDIO', 'MUSIC', 'PPT', 'COMMON_FILE'];

/** System properties tenants may set (the API's instructions for background, overlay and business-card media). */
export const TENANT_SYSTEM_PROPERTY_KEYS: readonly string[] = ['BACKGROUND_IMG', 'BACKGROUND_SCENE', 'MATERIAL_IMG', 'MATERIAL_VIDEO', 'BUSINESS_CARD_VIDEO', 'BUSSINESS_CARD_VIDEO'];

/** The files of an asset's kind: which job file is which asset file. */
export interface AssetFileKind {
  category: 'MAIN' | 'COVER';
  fileKind: string;
  fileName: string;
  fileType: string;
}

export const ASSET_FILE_KINDS: Record<AssetOrigin, readonly AssetFileKind[]> = {
  TRAINING_JOB: [
    { category: 'MAIN', fileKind: 'compiled_model', fileName: 'model.tar.gz', fileType: 'gz' },
    { category: 'COVER', fileKind: 'cover', fileName: 'cover.jpg', fileType: 'jpg' },
  ],
  VIDEO_JOB: [
    { category: 'MAIN', fileKind: 'video_output', fileName: 'video.mp4', fileType: 'mp4' },
    { category: 'COVER', fileKind: 'video_cover', fileName: 'cover.jpg', fileType: 'jpg' },
  ],
  // The name and type of an audio file are those it was created with (assetViews.ts).
  AUDIO_FILE: [{ category: 'MAIN', fileKind: 'uploaded_audio', fileName: 'audio', fileType: 'audio' }],
  TENANT: [],
};

/**
 * What deleting an asset for good frees: the job files that are the asset. A model's training job
 * keeps its record, cover and test video (the job's own); a video job keeps its record; a tenant's
 * asset goes whole (everything under its id).
 */
export const PURGED_FILE_KINDS: Record<AssetOrigin, readonly string[] | 'all'> = {
  TRAINING_JOB: ['compiled_model', 'model_package'],
  VIDEO_JOB: ['video_output', 'video_cover'],
  AUDIO_FILE: ['uploaded_audio'],
  TENANT: 'all',
};

/** A file of a tenant's own asset, as CreateFile or CreateLargeFile registered it. */
export interface AssetFileRecord {
  fileId: string;
  assetId: string;
  fileName: string;
  /**
   * Base64 MD5 (24 characters): the one CreateFile declared; for a large file, none until it is
   * confirmed, then that of the bytes that arrived.
   */
  fileMd5: string | null;
  /** Bytes: as declared (CreateFile, or CreateLargeFile with file_size), else none until confirmed, then as arrived. */
  fileSize: number | null;
  fileType: string;
  category: string;
  state: 'CREATING' | 'CREATED' | 'FAILED' | 'CANCELLED';
  reason: string | null;
  createdAt: number;
  /** A large file's number of parts (CreateLargeFile); null for a file of CreateFile, uploaded with one PUT. */
  partCount: number | null;
}

/** The job-file kind that holds a tenant asset file's bytes (a job file of the asset). */
export function assetFileKind(fileId: string): string {
  return `asset_file_${fileId}`;
}

/** The job-file kind that holds part `partNumber` (from 1) of a large file until ConfirmFileUpload joins the parts. */
export function assetFilePartKind(fileId: string, partNumber: number): string {
  return `asset_file_${fileId}_part_${partNumber}`;
}

/** Every job-file kind (and upload URL kind) that may hold bytes of the file: the file, and a large file's parts. */
export function assetFileByteKinds(file: Pick<AssetFileRecord, 'fileId' | 'partCount'>): string[] {
  return [assetFileKind(file.fileId), ...Array.from({ length: file.partCount ?? 0 }, (_, index) => assetFilePartKind(file.fileId, index + 1))];
}

/** The categories a tenant's file may have (spec/assets.md §7.6); one MAIN per asset. */
export const TENANT_FILE_CATEGORIES: readonly string[] = ['MAIN', 'COVER', 'PAGE', 'OTHER'];

/** The categories of a large file (CreateLargeFile, spec/assets.md §4.12). */
export const LARGE_FILE_CATEGORIES: readonly string[] = ['MAIN', 'OTHER', 'PACKAGE'];

/** The largest large file, as CreateLargeFile's file_size documents it (500 GiB). */
export const LARGE_FILE_MAX_BYTES = 536_870_912_000;

/** At most this many parts per large file (as a training video's upload has). */
export const LARGE_FILE_MAX_PARTS = 1000;

/** What a MAIN file of each tenant asset type may be: its formats (file_type, case-insensitive) and its largest size, as documented. */
export const MAIN_FILE_RULES: Partial<Record<string, { formats: readonly string[]; maxBytes: number }>> = {
  VIDEO: { formats: ['mp4', 'm4v', 'mkv', 'mov', 'flv', '3gp', 'wmv', 'avi', 'webm'], maxBytes: 5 * 1024 ** 3 },
  IMAGE: { formats: ['jpeg', 'jpg', 'png', 'bmp', 'gif'], maxBytes: 50 * 1024 ** 2 },
  MUSIC: { formats: ['wav', 'mp3', 'm4a'], maxBytes: 100 * 1024 ** 2 },
  AUDIO: { formats: ['wav', 'mp3', 'm4a'], maxBytes: 100 * 1024 ** 2 },
  PPT: { formats: ['ppt', 'pptx', 'pdf'], maxBytes: 100 * 1024 ** 2 },
};

export interface ListAssetsFilter {
  scope: JobScope;
  /** Default: every state but DELETED. */
  states?: AssetState[];
  types?: string[];
  assetIds?: string[];
  name?: { value: string; exact: boolean };
  tags?: { values: string[]; exact: boolean; all: boolean };
  createSince?: number;
  createUntil?: number;
  supportedService?: string;
  appUserId?: string;
  systemProperties?: Array<{ key: string; value: string }>;
  sortKey: 'create_time' | 'update_time' | 'asset_order';
  sortDir: 'asc' | 'desc';
  offset: number;
  limit: number;
}

/** The asset table; part of the job repository so that assets change in the same transactions as the jobs that make them. */
export interface AssetRepository {
  insertAsset(asset: Asset): Promise<void>;
  /** An asset visible in `scope` (DELETED ones included: the caller decides). */
  findAsset(scope: JobScope, assetId: string): Promise<Asset | undefined>;
  /**
   * findAsset, and in the same query the earliest deletion time of the project's assets in the
   * recycle bin (undefined: the bin is empty, or the asset was not found).
   */
  findAssetAndRecycleBin(scope: JobScope, assetId: string): Promise<{ asset: Asset | undefined; recycleBinOldest: number | undefined }>;
  findAssetById(assetId: string): Promise<Asset | undefined>;
  /** The assets made from this job's files. */
  findAssetsBySourceJob(jobId: string): Promise<Asset[]>;
  /** Writes `asset` only if the stored version is still `expectedVersion`; false when it moved on. */
  updateAsset(asset: Asset, expectedVersion: number): Promise<boolean>;
  /** A page and the total, with the earliest deletion time of the project's assets in the recycle bin (undefined: it is empty). */
  listAssets(filter: ListAssetsFilter): Promise<{ count: number; assets: Asset[]; recycleBinOldest: number | undefined }>;
  /** Whether an asset of this project and app user (other than `exceptAssetId`), not deleted for good, has this name. */
  assetNameTaken(projectId: string, appUserId: string | null, name: string, exceptAssetId?: string): Promise<boolean>;
  /** DELETING assets that went to the recycle bin before `deletedBefore` (of one project, or all), oldest first. */
  listExpiredAssets(deletedBefore: number, projectId?: string, limit?: number): Promise<Asset[]>;
  /** Video jobs WAITING or PROCESSING with the model of this training job. */
  countUnfinishedVideoJobsOfModel(modelJobId: string): Promise<number>;
  insertAssetFile(file: AssetFileRecord): Promise<void>;
  findAssetFile(fileId: string): Promise<AssetFileRecord | undefined>;
  /** The files of these assets, oldest first. */
  listAssetFiles(assetIds: string[]): Promise<AssetFileRecord[]>;
  updateAssetFile(file: AssetFileRecord): Promise<void>;
  deleteAssetFile(fileId: string): Promise<void>;
  /** Deletes every asset row (the emulator's reset); returns the ids of the tenant's own (their blobs are to delete). */
  deleteAllAssets(): Promise<string[]>;
}
