import type { JobScope } from './ports.js';
import type { ShootScriptItem, VideoConfig, VideoJobState, VideoJobType, VoiceConfig } from './videoJobWire.js';

/** The pipeline stage that renders a video job; its work sits in the same queue as the training stages. */
export const VIDEO_RENDER_STAGE = 'video_render';

/**
 * A video job's state machine, as data: each event, the states it may happen in, and where it
 * leads. `start` happens again after a worker lost its lease (the job stays PROCESSING).
 */
export const VIDEO_JOB_TRANSITIONS = {
  start: { from: ['WAITING', 'PROCESSING'], to: 'PROCESSING' },
  succeed: { from: ['PROCESSING'], to: 'SUCCEED' },
  fail: { from: ['WAITING', 'PROCESSING'], to: 'FAILED' },
  cancel: { from: ['WAITING', 'PROCESSING'], to: 'CANCELED' },
} as const satisfies Record<string, { from: readonly VideoJobState[]; to: VideoJobState }>;
export type VideoJobEvent = keyof typeof VIDEO_JOB_TRANSITIONS;

/** Whether `event` may happen to a job in `state`. */
export function videoJobAllows(event: VideoJobEvent, state: VideoJobState): boolean {
  return (VIDEO_JOB_TRANSITIONS[event].from as readonly VideoJobState[]).includes(state);
}

/** What the render reads: the model's compiled archive (a file of the training job) and each AUDIO script's audio. */
export const VIDEO_MODEL_KIND = 'compiled_model';
/** What the render writes: the video, its cover and the renderer's report (duration, real-time factor). */
export const VIDEO_OUTPUT_KINDS = ['video_output', 'video_cover', 'video_report'] as const;

/** The file kind under which a video job keeps the audio of its AUDIO script `sequenceNo`. */
export function scriptAudioKind(sequenceNo: number): string {
  return `script_audio_${sequenceNo}`;
}

/** What the renderer does for a job, in `job.json` (docs/pipeline.md, "Video jobs"). */
export interface RenderPlan {
  /** In the order they are spoken: a text (with its language) or an audio file of the input dir. */
  scripts: Array<{ sequence_no: number; text: string; language: 'en' | 'zh' } | { sequence_no: number; audio: string }>;
  width: number;
  height: number;
  bitrate_kbps?: number;
  /** The API's voice speed (100: normal), pitch (100: the voice's own) and volume (140: as spoken). */
  speed: number;
  volume: number;
  pitch?: number;
  /** The voice that says the TEXT scripts (docs/voices.md); absent: the model's own voice for each text's language. */
  voice?: string;
}

/** The request's settings as Show answers them, plus the render plan made from them (never answered). */
export interface VideoJobRequest {
  voice_config?: VoiceConfig;
  video_config: VideoConfig;
  shoot_scripts: ShootScriptItem[];
  render_plan: RenderPlan;
}

/** A video job as the domain holds it. Times are epoch milliseconds. */
export interface VideoJob {
  jobId: string;
  projectId: string;
  appUserId: string | null;
  state: VideoJobState;
  jobType: VideoJobType;
  modelAssetId: string;
  /** The training job whose model renders the video. */
  modelJobId: string;
  scriptId: string | null;
  assetName: string | null;
  createTime: number;
  lastUpdateTime: number;
  startTime: number | null;
  endTime: number | null;
  /** Seconds of video, once rendered. */
  duration: number | null;
  errorCode: string | null;
  errorMsg: string | null;
  outputAssetId: string | null;
  request: VideoJobRequest;
  version: number;
}

/** An audio file uploaded for AUDIO scripts; its bytes are its `uploaded_audio` file. */
export interface AudioFile {
  fileId: string;
  projectId: string;
  appUserId: string | null;
  fileName: string | null;
  createdAt: number;
}

export interface ListVideoJobsFilter {
  scope: JobScope;
  states?: VideoJobState[];
  createSince?: number;
  createUntil?: number;
  scriptId?: string;
  assetName?: { value: string; fuzzy: boolean };
  jobType?: string;
  jobIds?: string[];
  /** A part of the job id (fuzzy_query_field=job_id with job_id). */
  jobIdContains?: string;
  sortKey: 'create_time' | 'update_time' | 'asset_order';
  sortDir: 'asc' | 'desc';
  offset: number;
  limit: number;
}

/** The video-job tables; part of the job repository so that video jobs, their files and their work share transactions. */
export interface VideoJobRepository {
  insertVideoJob(job: VideoJob): Promise<void>;
  findVideoJob(scope: JobScope, jobId: string): Promise<VideoJob | undefined>;
  findVideoJobById(jobId: string): Promise<VideoJob | undefined>;
  /** Writes `job` only if the stored version is still `expectedVersion`; false when it moved on. */
  updateVideoJob(job: VideoJob, expectedVersion: number): Promise<boolean>;
  listVideoJobs(filter: ListVideoJobsFilter): Promise<{ count: number; jobs: VideoJob[] }>;
  /** The training job (visible in `scope`) whose model has this asset id. */
  findJobByAssetId(scope: JobScope, assetId: string): Promise<{ jobId: string; state: string } | undefined>;
  insertAudioFile(file: AudioFile): Promise<void>;
  /** Deletes every video job and audio file with their files' rows, upload URLs and work; returns their ids (their blobs are to delete). */
  deleteAllVideoJobsAndAudioFiles(): Promise<string[]>;
  findAudioFile(scope: JobScope, fileId: string): Promise<AudioFile | undefined>;
  /** The bytes stored for the uploaded audio files of the project of audio file `fileId`, that file's own left out. */
  storedAudioBytesBeside(fileId: string): Promise<number>;
}

/**
 * Brings an AUDIO script's audio into the store (pipeline/audioIntake.ts): the domain names the
 * source, the intake reads or fetches it, checks that it is audio, and stores it under `targetKey`.
 * Both throw the API's errors (AUDIO_URL_REFUSED, AUDIO_FETCH_FAILED, AUDIO_INVALID) with `where`.
 */
export interface AudioIntake {
  /** Refuses, without any I/O, a URL that may not be fetched. */
  checkUrl(url: string, where: string): void;
  /** durationSeconds: the decoded sound's length (just past the limit when it is longer); claimedSeconds: its header's. */
  store(source: { blobKey: string } | { url: string }, targetKey: string, where: string): Promise<{ size: number; md5: string; durationSeconds: number; claimedSeconds?: number }>;
}
