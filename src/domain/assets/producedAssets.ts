/**
 * The assets the product makes itself, written in the transactions that make them: a finished
 * training job's model (its asset_id, when it reaches JOB_SUCCESS) and a video job's video (its id
 * allocated when the job is created, CREATING while it renders, ACTIVED or FAILED when it ends).
 */
import type { JobRepository } from '../ports.js';
import type { TrainingJob } from '../trainingJob.js';
import type { AudioFile, VideoJob } from '../videoJob.js';
import type { Asset } from './asset.js';
import type { AssetExtraMeta } from './assetWire.js';

/** What a video job's asset is called when its request named none. */
export function videoAssetName(video: Pick<VideoJob, 'assetName' | 'jobId'>): string {
  return video.assetName || video.jobId;
}

const VIDEO_SYSTEM_PROPERTIES = [
  { key: 'CREATED_BY_PLATFORM', value: 'Yes' },
  { key: 'DIGITAL_HUMAN_2D_VIDEO', value: 'Yes' },
];

function modelMeta(job: TrainingJob): AssetExtraMeta {
  const { model_resolution: resolution, is_flexus: flexus, is_live_copy: liveCopy } = job.attributes;
  return {
    human_model_2d_meta: {
      is_action_editable: false,
      is_real_background: false,
      support_live: false,
      ...(resolution !== undefined && { model_resolution: resolution }),
      is_flexus: flexus === true,
      is_live_copy: liveCopy === true,
      is_with_action_library: false,
    },
  };
}

/** A training job reached JOB_SUCCESS: its model is an ACTIVED HUMAN_MODEL_2D asset under its asset_id (an existing one is brought up to date). */
export async function recordModelAsset(repository: JobRepository, job: TrainingJob, at: number): Promise<void> {
  const assetId = job.attributes.asset_id;
  if (assetId === undefined) return;
  const existing = await repository.findAssetById(assetId);
  if (existing) {
    if (existing.assetState === 'DELETED') return;
    const refreshed: Asset = { ...existing, extraMeta: modelMeta(job), updateTime: at, version: existing.version + 1 };
    await repository.updateAsset(refreshed, existing.version);
    return;
  }
  await repository.insertAsset({
    assetId,
    projectId: job.projectId,
    appUserId: job.appUserId,
    assetName: job.name,
    assetDescription: null,
    assetType: 'HUMAN_MODEL_2D',
    assetState: 'ACTIVED',
    stateBeforeDelete: null,
    deletedAt: null,
    reason: null,
    origin: 'TRAINING_JOB',
    sourceJobId: job.jobId,
    assetOrder: 0,
    tags: [],
    // What the job was trained for (its supported_service; a Flexus job's is VIDEO_2D only).
    supportedService: [...(job.attributes.supported_service ?? ['VIDEO_2D'])],
    systemProperties: null,
    extraMeta: modelMeta(job),
    createTime: at,
    updateTime: at,
    version: 1,
  });
}

/** A video job was created: its output asset exists from now on, CREATING until the video is rendered. */
export async function reserveVideoAsset(repository: JobRepository, video: VideoJob): Promise<void> {
  if (video.outputAssetId === null) return;
  await repository.insertAsset(newVideoAsset(video, video.outputAssetId, 'CREATING', video.createTime));
}

function newVideoAsset(video: VideoJob, assetId: string, state: 'CREATING' | 'ACTIVED', at: number): Asset {
  return {
    assetId,
    projectId: video.projectId,
    appUserId: video.appUserId,
    assetName: videoAssetName(video),
    assetDescription: null,
    assetType: 'VIDEO',
    assetState: state,
    stateBeforeDelete: null,
    deletedAt: null,
    reason: null,
    origin: 'VIDEO_JOB',
    sourceJobId: video.jobId,
    assetOrder: 0,
    tags: [],
    supportedService: null,
    systemProperties: VIDEO_SYSTEM_PROPERTIES,
    extraMeta: null,
    createTime: at,
    updateTime: at,
    version: 1,
  };
}

function videoMeta(video: VideoJob): AssetExtraMeta {
  const { width, height } = video.request.render_plan;
  return {
    video_meta: {
      video_codec: 'H264',
      width,
      height,
      frame_rate: '25',
      ...(video.duration !== null && { duration: Math.round(video.duration) }),
      mode: width >= height ? 'Horizontal' : 'Vertical',
    },
  };
}

/** A video job ended: its asset becomes ACTIVED with the video's metadata (SUCCEED), or FAILED with the reason. */
export async function settleVideoAsset(repository: JobRepository, video: VideoJob, at: number): Promise<void> {
  if (video.outputAssetId === null) return;
  const asset = await repository.findAssetById(video.outputAssetId);
  if (!asset) {
    // A job created before the asset library: its asset appears when the video is there.
    if (video.state === 'SUCCEED') await repository.insertAsset({ ...newVideoAsset(video, video.outputAssetId, 'ACTIVED', at), extraMeta: videoMeta(video) });
    return;
  }
  if (asset.assetState !== 'CREATING') return;
  const settled: Asset =
    video.state === 'SUCCEED'
      ? { ...asset, assetState: 'ACTIVED', extraMeta: videoMeta(video), updateTime: at, version: asset.version + 1 }
      : { ...asset, assetState: 'FAILED', reason: video.state === 'CANCELED' ? 'the video job was cancelled' : (video.errorMsg ?? 'the video job failed'), updateTime: at, version: asset.version + 1 };
  await repository.updateAsset(settled, asset.version);
}

/** An audio file was created for video jobs: its AUDIO asset (same id) is CREATING until the bytes arrive. */
export async function reserveAudioAsset(repository: JobRepository, audio: AudioFile): Promise<void> {
  await repository.insertAsset({
    assetId: audio.fileId,
    projectId: audio.projectId,
    appUserId: audio.appUserId,
    assetName: audio.fileName || audio.fileId,
    assetDescription: null,
    assetType: 'AUDIO',
    assetState: 'CREATING',
    stateBeforeDelete: null,
    deletedAt: null,
    reason: null,
    origin: 'AUDIO_FILE',
    sourceJobId: audio.fileId,
    assetOrder: 0,
    tags: [],
    supportedService: null,
    systemProperties: null,
    extraMeta: null,
    createTime: audio.createdAt,
    updateTime: audio.createdAt,
    version: 1,
  });
}

/** An audio file's bytes arrived: its asset is ACTIVED (a later upload changes nothing). */
export async function activateAudioAsset(repository: JobRepository, fileId: string, at: number): Promise<void> {
  const asset = await repository.findAssetById(fileId);
  if (!asset || asset.origin !== 'AUDIO_FILE' || asset.assetState !== 'CREATING') return;
  await repository.updateAsset({ ...asset, assetState: 'ACTIVED', updateTime: at, version: asset.version + 1 }, asset.version);
}

/** A job is deleted with its files: the assets made of them are deleted for good. */
export async function retireJobAssets(repository: JobRepository, jobId: string, at: number): Promise<void> {
  for (const asset of await repository.findAssetsBySourceJob(jobId)) {
    if (asset.assetState === 'DELETED') continue;
    await repository.updateAsset({ ...asset, assetState: 'DELETED', stateBeforeDelete: null, deletedAt: null, updateTime: at, version: asset.version + 1 }, asset.version);
  }
}
