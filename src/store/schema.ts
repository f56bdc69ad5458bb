import type { Generated } from 'kysely';

/**
 * The tables, as Kysely sees them. Times are epoch milliseconds; booleans are 0/1 integers so that
 * the same migrations serve SQLite and PostgreSQL.
 */
export interface DatabaseSchema {
  projects: ProjectsTable;
  access_keys: AccessKeysTable;
  auth_tokens: AuthTokensTable;
  training_jobs: TrainingJobsTable;
  training_job_tags: TrainingJobTagsTable;
  operation_logs: OperationLogsTable;
  comment_logs: CommentLogsTable;
  job_files: JobFilesTable;
  upload_slots: UploadSlotsTable;
  multipart_uploads: MultipartUploadsTable;
  multipart_parts: MultipartPartsTable;
  stage_work: StageWorkTable;
  installation_settings: InstallationSettingsTable;
  video_jobs: VideoJobsTable;
  audio_files: AudioFilesTable;
  assets: AssetsTable;
  asset_files: AssetFilesTable;
  smart_chat_rooms: SmartChatRoomsTable;
  smart_chat_jobs: SmartChatJobsTable;
  live_access_grants: LiveAccessGrantsTable;
}

/** Live-session rooms; `settings` is the room's body as JSON (domain/live/liveSession.ts). */
export interface SmartChatRoomsTable {
  room_id: string;
  project_id: string;
  app_user_id: string | null;
  room_name: string;
  model_asset_id: string;
  concurrency: number;
  billing_mode: string;
  client_nums: number;
  settings: string;
  last_job_start_time: number | null;
  create_time: number;
  update_time: number;
  version: number;
}

/** Jobs (sessions) of live-session rooms; `session` is what the job started with, as JSON. */
export interface SmartChatJobsTable {
  job_id: string;
  room_id: string;
  project_id: string;
  app_user_id: string | null;
  robot_id: string;
  state: string;
  finish_reason: string | null;
  client_id: string | null;
  extend_param: string | null;
  session: string;
  create_time: number;
  start_time: number;
  end_time: number | null;
  last_update_time: number;
  error_code: string | null;
  error_msg: string | null;
  version: number;
}

/** One-time codes and dialog-URL sessions, by the SHA-256 of their secret. */
export interface LiveAccessGrantsTable {
  secret_hash: string;
  kind: string;
  project_id: string;
  app_user_id: string | null;
  room_id: string | null;
  robot_id: string | null;
  created_at: number;
  expires_at: number;
  used_at: number | null;
}

/** Files of the tenant's own assets; the bytes are the job file `asset_file_<file_id>` of the asset. */
export interface AssetFilesTable {
  file_id: string;
  asset_id: string;
  file_name: string;
  /** Null for a large file (CreateLargeFile) until it is confirmed. */
  file_md5: string | null;
  /** Null for a large file created without file_size, until it is confirmed. */
  file_size: number | null;
  file_type: string;
  category: string;
  state: string;
  reason: string | null;
  created_at: number;
  /** How many parts a large file is uploaded in; null for a file of CreateFile (one PUT). */
  part_count: number | null;
}

/** The asset library; the JSON columns hold the wire values (domain/assets/asset.ts). */
export interface AssetsTable {
  asset_id: string;
  project_id: string;
  app_user_id: string | null;
  asset_name: string;
  asset_description: string | null;
  asset_type: string;
  asset_state: string;
  state_before_delete: string | null;
  deleted_at: number | null;
  reason: string | null;
  origin: string;
  source_job_id: string | null;
  asset_order: number;
  tags: string;
  supported_service: string | null;
  system_properties: string | null;
  extra_meta: string | null;
  create_time: number;
  update_time: number;
  version: number;
}

/** 2D digital-human video jobs; `request` is the job's settings as JSON (domain/videoJob.ts). */
export interface VideoJobsTable {
  job_id: string;
  project_id: string;
  app_user_id: string | null;
  state: string;
  job_type: string;
  model_asset_id: string;
  model_job_id: string;
  script_id: string | null;
  asset_name: string | null;
  create_time: number;
  last_update_time: number;
  start_time: number | null;
  end_time: number | null;
  duration: number | null;
  error_code: string | null;
  error_msg: string | null;
  output_asset_id: string | null;
  request: string;
  version: number;
}

/** Audio uploaded for video jobs' AUDIO scripts; the bytes are the `uploaded_audio` job file of `file_id`. */
export interface AudioFilesTable {
  file_id: string;
  project_id: string;
  app_user_id: string | null;
  file_name: string | null;
  created_at: number;
}

/** Facts every node of an installation must agree on (e.g. which master key seals the secrets). */
export interface InstallationSettingsTable {
  name: string;
  value: string;
}

export interface ProjectsTable {
  project_id: string;
  name: string;
  created_at: number;
  /** Bumped by every write to one of the project's jobs: List reuses a total counted at the same version. */
  jobs_version: Generated<number>;
  /** Bumped by every write to one of the project's assets: ListAssets reuses a total counted at the same version. */
  assets_version: Generated<number>;
}

export interface AccessKeysTable {
  access_key: string;
  project_id: string;
  role: string;
  /** AES-256-GCM ciphertext of the secret key (HMAC verification needs the secret itself). */
  secret_ciphertext: string;
  description: string | null;
  created_at: number;
  revoked_at: number | null;
}

export interface AuthTokensTable {
  /** SHA-256 of the token: the token itself is never stored. */
  token_hash: string;
  access_key: string;
  project_id: string;
  methods: string;
  issued_at: number;
  expires_at: number;
}

export interface TrainingJobsTable {
  job_id: string;
  project_id: string;
  app_user_id: string | null;
  name: string;
  state: string;
  batch_name: string | null;
  model_resolution: string | null;
  train_location: string | null;
  is_flexus: number | null;
  is_live_copy: number | null;
  is_ondemand_resource: number | null;
  create_time: number;
  last_update_time: number;
  /** Bumped on every write: updates name the version they read (optimistic concurrency). */
  version: number;
  /** The job's wire fields that have no column of their own, as JSON. */
  attributes: string;
  /** Copy of attributes.asset_id (set by asset sync): video jobs find their model by it. */
  asset_id: string | null;
}

export interface TrainingJobTagsTable {
  job_id: string;
  tag: string;
  /** Copies of the job's project and sort times, so that a tag filter is served by one index. */
  project_id: string | null;
  create_time: number | null;
  last_update_time: number | null;
}

export interface OperationLogsTable {
  id: Generated<number>;
  job_id: string;
  operate_time: number;
  log_type: string;
  operate_user: string;
  log_description: string | null;
  error_code: string | null;
  redo_reasons: string | null;
}

export interface CommentLogsTable {
  id: Generated<number>;
  job_id: string;
  operate_time: number;
  comment_type: string;
  comment_title: string | null;
  comment_message: string | null;
  /** JSON array of file kinds (job_files) holding the attachments. */
  attachment_kinds: string;
}

export interface JobFilesTable {
  job_id: string;
  /** What the file is: training_video, id_card_image1, cover, attachment_<n>, ... */
  file_kind: string;
  /** Identifies this version of the file; part of download URLs so a replaced file's old URLs stop working. */
  file_version: string;
  blob_key: string;
  size: number;
  etag: string;
  created_at: number;
}

export interface UploadSlotsTable {
  slot_id: string;
  job_id: string;
  file_kind: string;
  /** Set for a part of a multipart upload. */
  upload_id: string | null;
  part_number: number | null;
  content_type: string;
  expires_at: number;
  used_at: number | null;
  /** With an object store: where the presigned URL puts the bytes (null: this server takes them). */
  direct_key: string | null;
}

export interface MultipartUploadsTable {
  upload_id: string;
  job_id: string;
  file_kind: string;
  part_count: number;
  created_at: number;
  /** With an object store: its own multipart upload id and the key it completes to. */
  store_upload_id: string | null;
  blob_key: string | null;
}

export interface MultipartPartsTable {
  upload_id: string;
  part_number: number;
  blob_key: string;
  size: number;
  etag: string;
  uploaded_at: number;
}

export interface StageWorkTable {
  work_id: string;
  job_id: string;
  stage: string;
  status: string;
  attempts: number;
  max_attempts: number;
  available_at: number;
  worker_id: string | null;
  lease_token: string | null;
  heartbeat_deadline: number | null;
  lease_expires_at: number | null;
  last_error: string | null;
  created_at: number;
  updated_at: number;
}
