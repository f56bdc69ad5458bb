import { ApiError } from './errors.js';
import { newId } from './ids.js';
import type { BlobStore, JobFile, JobRepository, StageWork } from './ports.js';
import type { TrainingJob } from './trainingJob.js';
import { scriptAudioKind, VIDEO_JOB_TRANSITIONS, VIDEO_MODEL_KIND, VIDEO_OUTPUT_KINDS, videoJobAllows, type VideoJob } from './videoJob.js';
import { settleVideoAsset } from './assets/producedAssets.js';

/**
 * A video job's render as pipeline work, in the stage-work service's transactions: a claim moves
 * the job WAITING → PROCESSING, success SUCCEED (with the video's duration from the renderer's
 * report), failure FAILED with error_info. A job cancelled meanwhile keeps CANCELED: its work was
 * cancelled with it, so the worker's lease is lost and its result dropped.
 */

/** Error code of error_info when the render fails (the cloud's codes for this are not published). */
export const VIDEO_RENDER_FAILED_CODE = 'MSS.20040009';

/** What a worker needs for a claimed render: the job, the training job whose model renders it, the files to read and write. */
export interface ClaimedVideo {
  video: VideoJob;
  model: TrainingJob;
  inputs: Array<{ jobId: string; kind: string }>;
  outputs: readonly string[];
}

/** Starts a claimed render: the job goes (or stays) PROCESSING. A reason instead when it cannot run (the job ended, its model is gone). */
export async function startVideoWork(repository: JobRepository, work: StageWork, at: number): Promise<ClaimedVideo | { reason: string }> {
  let video = await repository.findVideoJobById(work.jobId);
  if (!video || !videoJobAllows('start', video.state)) return { reason: `video job is ${video?.state ?? 'gone'}` };
  const model = await repository.findJobById(video.modelJobId);
  if (!model) {
    await endVideoJob(repository, video, at, { event: 'fail', errorMsg: `the model's training job ${video.modelJobId} was deleted` });
    return { reason: 'the model was deleted' };
  }
  const started: VideoJob = { ...video, state: VIDEO_JOB_TRANSITIONS.start.to, startTime: video.startTime ?? at, lastUpdateTime: at, version: video.version + 1 };
  if (!(await repository.updateVideoJob(started, video.version))) return { reason: 'the video job changed meanwhile' };
  video = started;
  const audioInputs = video.request.render_plan.scripts.flatMap((script) => ('audio' in script ? [{ jobId: video!.jobId, kind: scriptAudioKind(script.sequence_no) }] : []));
  return { video, model, inputs: [{ jobId: model.jobId, kind: VIDEO_MODEL_KIND }, ...audioInputs], outputs: VIDEO_OUTPUT_KINDS };
}

/** Ends a render that produced its outputs: SUCCEED with the duration the renderer reported (read beforehand, outside the transaction: `renderedDuration`). */
export async function succeedVideoWork(repository: JobRepository, jobId: string, at: number, duration: number | undefined): Promise<void> {
  const video = await repository.findVideoJobById(jobId);
  if (!video || !videoJobAllows('succeed', video.state)) throw new ApiError('LEASE_LOST', `video job ${jobId} is ${video?.state ?? 'gone'}`);
  if (duration === undefined) {
    await endVideoJob(repository, video, at, { event: 'fail', errorMsg: 'the renderer reported no video duration (video_report)' });
    return;
  }
  await endVideoJob(repository, video, at, { event: 'succeed', duration });
}

/** The seconds of video the renderer reported: its `video_report`, just stored (`stored`) or uploaded earlier by an external worker. */
export async function renderedDuration(jobs: JobRepository, blobs: BlobStore, jobId: string, stored: readonly JobFile[]): Promise<number | undefined> {
  const report = stored.find((file) => file.fileKind === 'video_report') ?? (await jobs.findFile(jobId, 'video_report'));
  return report ? reportedDuration(blobs, report.blobKey) : undefined;
}

/** Ends a render that failed for good: FAILED with the reason in error_info. A job no longer running stays as it is. */
export async function failVideoWork(repository: JobRepository, jobId: string, at: number, reason: string, errorCode?: string): Promise<void> {
  const video = await repository.findVideoJobById(jobId);
  if (!video || !videoJobAllows('fail', video.state)) return;
  await endVideoJob(repository, video, at, { event: 'fail', errorMsg: reason, ...(errorCode !== undefined && { errorCode }) });
}

async function endVideoJob(
  repository: JobRepository,
  video: VideoJob,
  at: number,
  end: { event: 'succeed'; duration: number } | { event: 'fail'; errorMsg: string; errorCode?: string },
): Promise<void> {
  const ended: VideoJob = {
    ...video,
    state: VIDEO_JOB_TRANSITIONS[end.event].to,
    endTime: at,
    lastUpdateTime: at,
    version: video.version + 1,
    ...(end.event === 'succeed'
      ? { duration: end.duration, outputAssetId: video.outputAssetId ?? newId() }
      : { errorCode: end.errorCode ?? VIDEO_RENDER_FAILED_CODE, errorMsg: end.errorMsg }),
  };
  if (!(await repository.updateVideoJob(ended, video.version))) throw new ApiError('STATE_CHANGED_CONCURRENTLY');
  await settleVideoAsset(repository, ended, at);
}

async function reportedDuration(blobs: BlobStore, blobKey: string): Promise<number | undefined> {
  const opened = await blobs.read(blobKey);
  if (!opened) return undefined;
  const chunks: Buffer[] = [];
  for await (const chunk of opened.stream) chunks.push(chunk as Buffer);
  try {
    const seconds = (JSON.parse(Buffer.concat(chunks).toString('utf8')) as { seconds?: unknown }).seconds;
    return typeof seconds === 'number' && seconds > 0 ? seconds : undefined;
  } catch {
    return undefined;
  }
}
