import type { Readable } from 'node:stream';
import type { JobState, LogType, OperateUser, CommentType } from './enums.js';
import type { TrainingJob } from './trainingJob.js';
import type { VideoJobRepository } from './videoJob.js';
import type { AssetRepository } from './assets/asset.js';

/**
 * What the domain needs from the layers below it, as interfaces; store/ and blobs/ implement them.
 * The domain itself touches no SQL, no file system and no HTTP.
 */

export interface OperationLogEntry {
  operateTime: number;
  logType: LogType;
  operateUser: OperateUser;
  logDescription?: string;
  errorCode?: string;
  redoReasons?: string[];
}

export interface CommentLogEntry {
  operateTime: number;
  commentType: CommentType;
  commentTitle?: string;
  commentMessage?: string;
  /** File kinds (in job files) of the attachments, in the order they were named. */
  attachmentKinds: string[];
}

export interface JobFile {
  jobId: string;
  fileKind: string;
  fileVersion: string;
  blobKey: string;
  size: number;
  etag: string;
  createdAt: number;
}

export interface UploadSlot {
  slotId: string;
  jobId: string;
  fileKind: string;
  uploadId: string | null;
  partNumber: number | null;
  contentType: string;
  expiresAt: number;
  usedAt: number | null;
  /** With an object store: the key its presigned URL puts the bytes at (null: this server takes them). */
  directKey: string | null;
}

export interface MultipartUpload {
  uploadId: string;
  jobId: string;
  fileKind: string;
  partCount: number;
  createdAt: number;
  /** With an object store: the store's own multipart upload and the key it completes to (else null). */
  storeUploadId: string | null;
  blobKey: string | null;
}

export interface MultipartPart {
  uploadId: string;
  partNumber: number;
  blobKey: string;
  size: number;
  etag: string;
  uploadedAt: number;
}

/** A unit of pipeline work: one stage of one job, leased by at most one worker at a time. */
export interface StageWork {
  workId: string;
  jobId: string;
  stage: string;
  status: 'queued' | 'leased' | 'done' | 'failed' | 'cancelled';
  attempts: number;
  maxAttempts: number;
  availableAt: number;
  workerId: string | null;
  leaseToken: string | null;
  heartbeatDeadline: number | null;
  leaseExpiresAt: number | null;
  lastError: string | null;
  createdAt: number;
  updatedAt: number;
}

export interface StageLease {
  workerId: string;
  leaseToken: string;
  now: number;
  heartbeatDeadline: number;
  leaseExpiresAt: number;
}

/** Whose jobs a request may see: a project, narrowed to one app user when X-App-UserId is given. */
export interface JobScope {
  projectId: string;
  appUserId?: string;
}

export interface ListJobsFilter {
  scope: JobScope;
  states?: JobState[];
  createSince?: number;
  createUntil?: number;
  updateSince?: number;
  updateUntil?: number;
  batchName?: string;
  tag?: string;
  jobId?: string;
  name?: string;
  modelResolution?: string;
  trainLocation?: string;
  isFlexus?: boolean;
  isLiveCopy?: boolean;
  isOndemandResource?: boolean;
  sortKey: 'create_time' | 'update_time' | 'asset_order';
  sortDir: 'asc' | 'desc';
  offset: number;
  limit: number;
}

/** The admin's view of the jobs: every project's (or one project's), in the given states. */
export interface JobsAcrossProjectsFilter {
  states: JobState[];
  projectId?: string;
  offset: number;
  limit: number;
}

/** A job with everything Show answers. */
export interface TrainingJobDetails {
  job: TrainingJob;
  operationLogs: OperationLogEntry[];
  commentLogs: CommentLogEntry[];
  files: JobFile[];
}

export interface JobRepository extends StageWorkRepository, VideoJobRepository, AssetRepository {
  findJob(scope: JobScope, jobId: string): Promise<TrainingJob | undefined>;
  /** Any job by id, whatever its project (for the pipeline and admins, never for tenants). */
  findJobById(jobId: string): Promise<TrainingJob | undefined>;
  /** The job with its logs and files, read together (Show's hot path: one round trip). */
  findJobDetails(scope: JobScope, jobId: string): Promise<TrainingJobDetails | undefined>;
  insertJob(job: TrainingJob): Promise<void>;
  /** Writes `job` only if the stored version is still `expectedVersion`; false when it moved on. */
  updateJob(job: TrainingJob, expectedVersion: number): Promise<boolean>;
  deleteJob(jobId: string): Promise<void>;
  listJobs(filter: ListJobsFilter): Promise<{ count: number; jobs: TrainingJob[] }>;
  /** Jobs of every project (for admins, never for tenants), the longest unchanged (oldest last_update_time) first. */
  listJobsAcrossProjects(filter: JobsAcrossProjectsFilter): Promise<{ count: number; jobs: TrainingJob[] }>;

  appendOperationLog(jobId: string, entry: OperationLogEntry): Promise<void>;
  listOperationLogs(jobId: string): Promise<OperationLogEntry[]>;
  appendCommentLog(jobId: string, entry: CommentLogEntry): Promise<void>;
  listCommentLogs(jobId: string): Promise<CommentLogEntry[]>;

  listFiles(jobIds: string[], fileKinds?: string[]): Promise<JobFile[]>;
  findFile(jobId: string, fileKind: string): Promise<JobFile | undefined>;
  /** Records the file, replacing any earlier version; returns the replaced one (its blob is to delete). */
  putFile(file: JobFile): Promise<JobFile | undefined>;
  deleteFiles(jobId: string, fileKinds: string[]): Promise<JobFile[]>;

  insertUploadSlots(slots: UploadSlot[]): Promise<void>;
  /** Drops the not-yet-used upload URLs of these kinds (they are re-issued). */
  deleteUnusedUploadSlots(jobId: string, fileKinds: string[]): Promise<void>;
  findUploadSlot(slotId: string): Promise<UploadSlot | undefined>;
  /** The job's unused, unexpired upload URLs that point straight at the object store. */
  listPendingDirectUploads(jobId: string, now: number): Promise<UploadSlot[]>;
  /** Marks a slot used; false when it was used already (single-use URLs). */
  markUploadSlotUsed(slotId: string, now: number): Promise<boolean>;

  /** Opens a multipart upload, replacing an open one of the same kind; returns the replaced one and its parts. */
  openMultipartUpload(upload: MultipartUpload): Promise<{ replaced: MultipartUpload | undefined; replacedParts: MultipartPart[] }>;
  findMultipartUpload(jobId: string, fileKind: string): Promise<MultipartUpload | undefined>;
  listMultipartParts(uploadId: string): Promise<MultipartPart[]>;
  /** Records a part, replacing an earlier upload of the same number; returns the replaced one. */
  putMultipartPart(part: MultipartPart): Promise<MultipartPart | undefined>;
  deleteMultipartUpload(uploadId: string): Promise<void>;
}

/** The pipeline's work queue; part of the job repository so that it shares its transactions. */
export interface StageWorkRepository {
  /** Queues a stage's work for a job, claimable from `availableAt` on. */
  enqueueStageWork(work: { workId: string; jobId: string; stage: string; maxAttempts: number; availableAt: number; now: number }): Promise<void>;
  /** Cancels the job's queued and leased work, except that of `keepStage` (the job left those stages). */
  cancelStageWork(jobId: string, now: number, keepStage?: string): Promise<void>;
  /**
   * Leases the oldest claimable work of these stages, atomically: two workers never get the same item
   * (SQLite: inside the single-writer transaction; PostgreSQL: FOR UPDATE SKIP LOCKED). With
   * `onlyWorkIds`, only those items are candidates, whatever their `availableAt` (the emulator's
   * progress conditions chose them; its virtual clock may have been reset since they were queued).
   */
  claimStageWork(stages: readonly string[], lease: StageLease, onlyWorkIds?: readonly string[]): Promise<StageWork | undefined>;
  /** Queued work of these stages that is available at `now`, oldest first (what a claim would choose from). */
  listClaimableStageWork(stages: readonly string[], now: number): Promise<StageWork[]>;
  /** Extends a lease's heartbeat deadline; false when the lease is no longer held (cancelled, expired, finished). */
  renewStageLease(workId: string, leaseToken: string, now: number, heartbeatDeadline: number): Promise<boolean>;
  /** Ends leased work as done or failed; false when the lease is no longer held. */
  finishStageWork(workId: string, leaseToken: string, status: 'done' | 'failed', now: number, lastError?: string): Promise<boolean>;
  /** Puts leased work back in the queue (its lease ran out); false when it was no longer leased with that token. */
  requeueStageWork(workId: string, leaseToken: string, now: number, lastError: string): Promise<boolean>;
  /** Leased work whose heartbeat deadline or overall lease expiry has passed. */
  listExpiredLeases(now: number): Promise<StageWork[]>;
  findStageWork(workId: string): Promise<StageWork | undefined>;
  listStageWork(jobId: string): Promise<StageWork[]>;
}

export interface JobStore extends JobRepository {
  /** Runs `work` in one transaction: everything it writes lands together or not at all. */
  transaction<T>(work: (repository: JobRepository) => Promise<T>): Promise<T>;
}

export interface StoredBlob {
  size: number;
  /** Hex MD5 of the bytes, used as the (quoted) ETag like object stores do. */
  md5: string;
}

/**
 * Byte storage (local disk now; S3-compatible stores later). A blob becomes visible under its key
 * only when it is complete.
 */
export interface BlobStore {
  /** Streams `body` to `key`; rejects past `maxBytes` or on an interrupted body, leaving nothing behind. */
  put(key: string, body: Readable, maxBytes: number): Promise<StoredBlob>;
  /** Writes the concatenation of `sourceKeys`, in order, to `key`. */
  concat(sourceKeys: string[], key: string): Promise<StoredBlob>;
  /** The blob's bytes (optionally an inclusive byte range), or undefined when it does not exist. */
  read(key: string, range?: { start: number; end: number }): Promise<{ stream: Readable; size: number } | undefined>;
  size(key: string): Promise<number | undefined>;
  delete(key: string): Promise<void>;
  /** Deletes every blob under a folder prefix (ending in "/"). */
  deletePrefix(prefix: string): Promise<void>;
  /** Present when clients send bytes straight to the store (S3-compatible stores); absent on local disk. */
  direct?: DirectUploads;
  /** Present on local disk: the file that holds the blob, for tools that read it in place (ffprobe). */
  localFile?(key: string): string;
}

/** The object store refused to join a multipart upload whose parts (all but the last) are under its minimum size. */
export class BlobPartsTooSmallError extends Error {}

/** A part of a multipart upload, as the store holds it. */
export interface StoredPart {
  partNumber: number;
  size: number;
  /** The store's ETag, unquoted. */
  etag: string;
}

/**
 * Uploads and downloads that go to the object store itself, through its presigned URLs. The server
 * signs them and later looks at the store to learn what arrived.
 */
export interface DirectUploads {
  presignPut(key: string, issuedAtMs: number, expiresAtMs: number): string;
  presignGet(key: string, issuedAtMs: number, expiresAtMs: number): string;
  /** Opens a multipart upload in the store; returns the store's upload id. */
  openMultipart(key: string, contentType: string): Promise<string>;
  presignPart(key: string, storeUploadId: string, partNumber: number, issuedAtMs: number, expiresAtMs: number): string;
  /** The parts received so far, by number; none when the upload is no longer open. */
  listParts(key: string, storeUploadId: string): Promise<StoredPart[]>;
  /** Joins the parts into the object at `key`; returns what the store then holds there. */
  completeMultipart(key: string, storeUploadId: string, parts: StoredPart[]): Promise<{ size: number; etag: string }>;
  abortMultipart(key: string, storeUploadId: string): Promise<void>;
  /** The object's size and ETag, or undefined when nothing is stored under `key`. */
  stat(key: string): Promise<{ size: number; etag: string } | undefined>;
}

/** Signed, expiring URLs for a job's bytes, and for pages of this server that take a signed query. */
export interface UrlSigner {
  /**
   * `publicUrl + routePath + ?params&expires=…&signature=…`, signed over GET, the path with `params`
   * (in their order) and the expiry. `verify('GET', routePath + '?' + the same params, …)` checks it.
   */
  signedPageUrl(routePath: string, params: Array<[string, string]>, expiresAtMs: number): string;
  uploadUrl(slotId: string, expiresAtMs: number): string;
  downloadUrl(file: JobFile, issuedAtMs: number, expiresAtMs: number): string;
  verify(method: 'PUT' | 'GET', routePath: string, query: { expires?: string; signature?: string }, nowMs: number): 'ok' | 'invalid' | 'expired';
}
