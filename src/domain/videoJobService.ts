import type { Clock } from '../clock.js';
import { ApiError } from './errors.js';
import { fileBlobKey, singlePutSlot } from './fileKinds.js';
import { newId } from './ids.js';
import type { BlobStore, JobFile, JobScope, JobStore, UrlSigner } from './ports.js';
import { scriptAudioKind, VIDEO_JOB_TRANSITIONS, VIDEO_RENDER_STAGE, videoJobAllows, type AudioFile, type AudioIntake, type RenderPlan, type VideoJob } from './videoJob.js';
import { planVideoJob } from './videoJobRequest.js';
import { optional, videoJobView, videoJobSummaryView } from './videoJobViews.js';
import type { Create2DDigitalHumanVideoReq, ListDigitalHumanVideoQuery, VideoJobState } from './videoJobWire.js';
import { VIDEO_JOB_STATES } from './videoJobWire.js';
import { parseTimeParameter } from './listQueryParameters.js';
import { USABLE_ASSET_STATES, type Asset } from './assets/asset.js';
import { reserveAudioAsset, reserveVideoAsset, settleVideoAsset } from './assets/producedAssets.js';

export interface VideoJobSettings {
  /** This server's public URL: audio-file URLs under it are read from the store, not fetched. */
  publicUrl: string;
  audioMaxSeconds: number;
  /** A job's limits: its TEXT scripts' characters and its AUDIO scripts' seconds, in all. */
  maxTextCharacters: number;
  maxAudioSeconds: number;
  /** A project's WAITING and PROCESSING jobs at most: Create refuses another. */
  maxUnfinishedJobs: number;
  uploadUrlTtlMs: number;
  downloadUrlTtlMs: number;
  /** Claims allowed before a render whose leases keep expiring fails for good. */
  renderMaxAttempts: number;
}

/** What List answers without create_since or create_until: the jobs of the last 30 days. */
const LIST_DEFAULT_WINDOW_MS = 30 * 24 * 3600 * 1000;

const AUDIO_FILE_PATH = /^\/v1\/([^/]+)\/2d-digital-human-videos\/audio-files\/([0-9a-f]{32})$/;

/** The address of an uploaded audio file, to put in audio_drive_file_external_url. */
export function audioFileUrl(publicUrl: string, projectId: string, fileId: string): string {
  return `${publicUrl}/v1/${projectId}/2d-digital-human-videos/audio-files/${fileId}`;
}

/**
 * The 2D digital-human video jobs: Create checks the request and the model, brings each AUDIO
 * script's audio into the store (an uploaded audio file, or a fetch from an allowed host), and
 * queues the render as pipeline work; Show, List and Cancel read and end jobs, within the caller's
 * project and app user.
 */
export function createVideoJobService(deps: {
  jobs: JobStore;
  blobs: BlobStore;
  urls: UrlSigner;
  clock: Clock;
  settings: VideoJobSettings;
  audio: AudioIntake;
  /** Told of every tenant Show (the emulator's progress modes count them). */
  onJobShown?: (jobId: string) => void;
}) {
  const { jobs, blobs, urls, clock, settings } = deps;
  const now = () => clock.now().getTime();
  const publicHost = new URL(settings.publicUrl).host.toLowerCase();

  async function findOrFail(scope: JobScope, jobId: string): Promise<VideoJob> {
    const job = await jobs.findVideoJob(scope, jobId);
    if (!job) throw new ApiError('VIDEO_JOB_NOT_FOUND', jobId);
    return job;
  }

  /** This server's own audio file behind a URL (by its path, on this server's host or the request's), if it is one. */
  function ownAudioFileId(url: string, requestHost: string | undefined): { projectId: string; fileId: string } | undefined {
    let parsed: URL;
    try {
      parsed = new URL(url);
    } catch {
      return undefined;
    }
    const match = AUDIO_FILE_PATH.exec(parsed.pathname);
    const host = parsed.host.toLowerCase();
    if (!match || (host !== publicHost && host !== requestHost?.toLowerCase())) return undefined;
    return { projectId: match[1]!, fileId: match[2]! };
  }

  /** Where an AUDIO script's audio comes from: an uploaded file of the caller's (its blob), or a URL to fetch. */
  async function audioSource(scope: JobScope, url: string, requestHost: string | undefined, where: string): Promise<{ blobKey: string } | { url: string }> {
    const own = ownAudioFileId(url, requestHost);
    if (!own) return { url };
    const audio = own.projectId === scope.projectId ? await jobs.findAudioFile(scope, own.fileId) : undefined;
    if (!audio) throw new ApiError('AUDIO_FILE_NOT_FOUND', `${where}: no audio file ${own.fileId} in this project`);
    const asset = await jobs.findAssetById(audio.fileId);
    if (asset && !USABLE_ASSET_STATES.includes(asset.assetState) && asset.assetState !== 'CREATING') {
      throw new ApiError('AUDIO_INVALID', `${where}: audio file ${own.fileId} is ${asset.assetState === 'DELETING' ? 'in the recycle bin (RestoreAsset brings it back)' : asset.assetState === 'DELETED' ? 'deleted' : `${asset.assetState} as an asset`}`);
    }
    const file = await jobs.findFile(audio.fileId, 'uploaded_audio');
    if (!file) throw new ApiError('AUDIO_INVALID', `${where}: audio file ${own.fileId} has not been uploaded yet (PUT it to its upload_url)`);
    return { blobKey: file.blobKey };
  }

  return {
    async create(scope: JobScope, request: Create2DDigitalHumanVideoReq, requestHost: string | undefined): Promise<{ job_id: string }> {
      const planned = planVideoJob(request);
      // Refuse URLs that may not be fetched before anything is fetched or stored.
      for (const script of planned.plan.scripts) {
        if ('audioUrl' in script && !ownAudioFileId(script.audioUrl, requestHost)) deps.audio.checkUrl(script.audioUrl, `shoot_scripts[sequence_no=${script.sequence_no}]`);
      }
      const characters = planned.plan.scripts.reduce((sum, script) => sum + ('text' in script ? [...script.text].length : 0), 0);
      if (characters > settings.maxTextCharacters) {
        throw new ApiError('VIDEO_JOB_TOO_LARGE', `the TEXT scripts hold ${characters} characters in all; at most ${settings.maxTextCharacters} per job: split the text into several jobs`);
      }
      const unfinished = await jobs.listVideoJobs({
        scope: { projectId: scope.projectId },
        states: ['WAITING', 'PROCESSING'],
        sortKey: 'create_time',
        sortDir: 'desc',
        offset: 0,
        limit: 1,
      });
      if (unfinished.count >= settings.maxUnfinishedJobs) {
        throw new ApiError('VIDEO_JOBS_LIMIT', `the project has ${unfinished.count} video jobs waiting or rendering; at most ${settings.maxUnfinishedJobs}: create more when some have finished, or cancel some`);
      }
      const model = await jobs.findJobByAssetId(scope, request.model_asset_id);
      if (!model) throw new ApiError('VIDEO_MODEL_NOT_FOUND', `no model asset ${request.model_asset_id} in this project`);
      if (model.state !== 'JOB_SUCCESS') {
        throw new ApiError('VIDEO_MODEL_NOT_READY', `model asset ${request.model_asset_id} belongs to training job ${model.jobId}, which is in ${model.state}, not JOB_SUCCESS`);
      }
      const modelAsset = await jobs.findAssetById(request.model_asset_id);
      if (modelAsset && !USABLE_ASSET_STATES.includes(modelAsset.assetState)) throw new ApiError('VIDEO_MODEL_UNAVAILABLE', modelUnavailableReason(modelAsset));

      const jobId = newId();
      const stored: JobFile[] = [];
      const durations = new Map<number, number>();
      const scripts: RenderPlan['scripts'] = [];
      try {
        for (const script of planned.plan.scripts) {
          if (!('audioUrl' in script)) {
            scripts.push(script);
            continue;
          }
          const where = `shoot_scripts[sequence_no=${script.sequence_no}]`;
          const source = await audioSource(scope, script.audioUrl, requestHost, where);
          const fileKind = scriptAudioKind(script.sequence_no);
          const fileVersion = newId();
          const blobKey = fileBlobKey(jobId, fileKind, fileVersion);
          const audio = await deps.audio.store(source, blobKey, where);
          stored.push({ jobId, fileKind, fileVersion, blobKey, size: audio.size, etag: audio.md5, createdAt: now() });
          if (audio.durationSeconds > settings.audioMaxSeconds) {
            const claimed = audio.claimedSeconds !== undefined && audio.claimedSeconds <= settings.audioMaxSeconds ? ` (its header claims ${audio.claimedSeconds.toFixed(1)} s)` : '';
            throw new ApiError('AUDIO_INVALID', `${where}: the audio lasts more than ${settings.audioMaxSeconds} s${claimed}; at most ${settings.audioMaxSeconds} s`);
          }
          if (audio.durationSeconds < 0.1) throw new ApiError('AUDIO_INVALID', `${where}: the audio lasts ${audio.durationSeconds.toFixed(2)} s; nothing to say`);
          durations.set(script.sequence_no, audio.durationSeconds);
          const audioSeconds = [...durations.values()].reduce((sum, seconds) => sum + seconds, 0);
          if (audioSeconds > settings.maxAudioSeconds) {
            throw new ApiError('VIDEO_JOB_TOO_LARGE', `${where}: the AUDIO scripts last ${audioSeconds.toFixed(1)} s so far; at most ${settings.maxAudioSeconds} s per job`);
          }
          scripts.push({ sequence_no: script.sequence_no, audio: fileKind });
        }
        const at = now();
        const job: VideoJob = {
          jobId,
          projectId: scope.projectId,
          appUserId: scope.appUserId ?? null,
          state: 'WAITING',
          jobType: '2D_DIGITAL_HUMAN_VIDEO',
          modelAssetId: request.model_asset_id,
          modelJobId: model.jobId,
          scriptId: request.script_id ?? null,
          assetName: request.output_asset_config?.asset_name ?? null,
          createTime: at,
          lastUpdateTime: at,
          startTime: null,
          endTime: null,
          duration: null,
          errorCode: null,
          errorMsg: null,
          // Allocated now and always answered: the Go SDK reads a missing asset_id as "".
          outputAssetId: newId(),
          request: {
            ...(request.voice_config && { voice_config: request.voice_config }),
            video_config: request.video_config,
            shoot_scripts: planned.shootScripts.map((item) =>
              durations.has(item.sequence_no!) ? { ...item, shoot_script: { ...item.shoot_script, audio_duration: durations.get(item.sequence_no!)! } } : item,
            ),
            render_plan: { ...planned.plan, scripts },
          },
          version: 1,
        };
        await jobs.transaction(async (repository) => {
          await repository.insertVideoJob(job);
          await reserveVideoAsset(repository, job);
          for (const file of stored) await repository.putFile(file);
          await repository.enqueueStageWork({ workId: newId(), jobId, stage: VIDEO_RENDER_STAGE, maxAttempts: settings.renderMaxAttempts, availableAt: at, now: at });
        });
        return { job_id: jobId };
      } catch (error) {
        await Promise.all(stored.map((file) => blobs.delete(file.blobKey).catch(() => undefined)));
        throw error;
      }
    },

    /** The job; with `showScript`, also the script fields as created. */
    async show(scope: JobScope, jobId: string, showScript: boolean) {
      const job = await findOrFail(scope, jobId);
      deps.onJobShown?.(job.jobId);
      const files = job.state === 'SUCCEED' ? await jobs.listFiles([job.jobId], ['video_output', 'video_cover']) : [];
      const issue = { urls, issuedAt: now(), ttlMs: settings.downloadUrlTtlMs };
      return showScript ? videoJobView(job, files, issue) : videoJobSummaryView(job, files, issue);
    },

    async list(scope: JobScope, query: ListDigitalHumanVideoQuery) {
      const states = query.state?.split(',').map((state) => state.trim()).filter((state) => state !== '');
      const unknown = states?.filter((state) => !(VIDEO_JOB_STATES as readonly string[]).includes(state)) ?? [];
      if (unknown.length > 0) throw new ApiError('INVALID_PARAMETER', `state must be video job states separated by commas (${VIDEO_JOB_STATES.join(', ')}); unknown: ${unknown.join(', ')}`);
      const fuzzyFields = listParameter(query.fuzzy_query_field);
      const jobIds = listParameter(query.job_ids);
      const fuzzyJobId = query.job_id !== undefined && fuzzyFields.includes('job_id');
      if (query.job_id !== undefined && !fuzzyJobId) jobIds.push(query.job_id);
      // Without time filters, List answers the last month (as documented for the cloud).
      const createSince = parseTimeParameter('create_since', query.create_since);
      const createUntil = parseTimeParameter('create_until', query.create_until, 'upper');
      const defaultSince = createSince === undefined && createUntil === undefined ? now() - LIST_DEFAULT_WINDOW_MS : undefined;
      const result = await jobs.listVideoJobs({
        scope,
        ...(states && states.length > 0 && { states: states as VideoJobState[] }),
        ...optional('createSince', createSince ?? defaultSince),
        ...optional('createUntil', createUntil),
        ...optional('scriptId', query.script_id),
        ...optional('jobType', query.job_type === 'PHOTO_DIGITAL_HUMAN_VIDEO' ? 'DIGITAL_HUMAN_PHOTO_VIDEO' : query.job_type),
        ...(query.asset_name !== undefined && { assetName: { value: query.asset_name, fuzzy: fuzzyFields.includes('asset_name') } }),
        ...(jobIds.length > 0 && { jobIds }),
        ...(fuzzyJobId && { jobIdContains: query.job_id! }),
        sortKey: query.sort_key ?? 'create_time',
        sortDir: query.sort_dir ?? 'asc',
        offset: query.offset ?? 0,
        limit: query.limit ?? 10,
      });
      const issuedAt = now();
      const files = await jobs.listFiles(result.jobs.filter((job) => job.state === 'SUCCEED').map((job) => job.jobId), ['video_output', 'video_cover']);
      return {
        count: result.count,
        jobs: result.jobs.map((job) => videoJobSummaryView(job, files.filter((file) => file.jobId === job.jobId), { urls, issuedAt, ttlMs: settings.downloadUrlTtlMs })),
      };
    },

    /** Ends a waiting or rendering job as CANCELED; its queued or leased work is cancelled with it. */
    async cancel(scope: JobScope, jobId: string): Promise<void> {
      await jobs.transaction(async (repository) => {
        const job = await repository.findVideoJob(scope, jobId);
        if (!job) throw new ApiError('VIDEO_JOB_NOT_FOUND', jobId);
        if (!videoJobAllows('cancel', job.state)) {
          throw new ApiError('STATE_NOT_ALLOWED', `the video job is ${job.state}; only ${VIDEO_JOB_TRANSITIONS.cancel.from.join(' and ')} jobs can be cancelled`);
        }
        const at = now();
        const canceled: VideoJob = { ...job, state: VIDEO_JOB_TRANSITIONS.cancel.to, endTime: at, lastUpdateTime: at, version: job.version + 1 };
        if (!(await repository.updateVideoJob(canceled, job.version))) throw new ApiError('STATE_CHANGED_CONCURRENTLY');
        await settleVideoAsset(repository, canceled, at);
        await repository.cancelStageWork(jobId, at);
      });
    },

    /** An upload URL for an audio file, and the address that names it in audio_drive_file_external_url. */
    async createAudioFile(scope: JobScope, fileName: string | undefined) {
      const at = now();
      const audio: AudioFile = { fileId: newId(), projectId: scope.projectId, appUserId: scope.appUserId ?? null, fileName: fileName ?? null, createdAt: at };
      const expiresAt = at + settings.uploadUrlTtlMs;
      const slot = singlePutSlot(audio.fileId, 'uploaded_audio', expiresAt);
      await jobs.transaction(async (repository) => {
        await repository.insertAudioFile(audio);
        await reserveAudioAsset(repository, audio);
        await repository.insertUploadSlots([slot]);
      });
      return {
        file_id: audio.fileId,
        audio_url: audioFileUrl(settings.publicUrl, scope.projectId, audio.fileId),
        upload_url: urls.uploadUrl(slot.slotId, expiresAt),
        upload_url_expires_at: new Date(expiresAt).toISOString(),
      };
    },

    async showAudioFile(scope: JobScope, fileId: string) {
      const audio = await jobs.findAudioFile(scope, fileId);
      if (!audio) throw new ApiError('AUDIO_FILE_NOT_FOUND', fileId);
      const file = await jobs.findFile(fileId, 'uploaded_audio');
      return {
        file_id: audio.fileId,
        ...(audio.fileName !== null && { file_name: audio.fileName }),
        state: file ? ('UPLOADED' as const) : ('WAITING_UPLOAD' as const),
        ...(file && { size: file.size }),
        audio_url: audioFileUrl(settings.publicUrl, scope.projectId, audio.fileId),
        create_time: new Date(audio.createdAt).toISOString().replace(/\.\d{3}Z$/, 'Z'),
      };
    },
  };
}

export type VideoJobService = ReturnType<typeof createVideoJobService>;

/** Why a model asset cannot make new videos, and what brings it back. */
function modelUnavailableReason(asset: Asset): string {
  const id = `model asset ${asset.assetId}`;
  switch (asset.assetState) {
    case 'DELETING':
      return `${id} is in the recycle bin (deleted ${new Date(asset.deletedAt ?? asset.updateTime).toISOString().replace(/\.\d{3}Z$/, 'Z')}); RestoreAsset brings it back`;
    case 'DELETED':
      return `${id} was deleted for good`;
    case 'UNACTIVED':
      return `${id} is deactivated; UpdateDigitalAsset with asset_state ACTIVED activates it`;
    default:
      return `${id} is ${asset.assetState}`;
  }
}

/** A list query parameter sent as repeated keys (an array) or comma-separated. */
function listParameter(value: string | string[] | undefined): string[] {
  if (value === undefined) return [];
  return (Array.isArray(value) ? value : [value]).flatMap((item) => item.split(',')).map((item) => item.trim()).filter((item) => item !== '');
}
