import type { Clock } from '../clock.js';
import { ApiError } from './errors.js';
import { FILE_KINDS, singlePutSlot, type FileKind } from './fileKinds.js';
import { stageByName, type StageName } from './pipelineStages.js';
import type { JobStore, UrlSigner } from './ports.js';
import type { StageWorkService } from './stageWorkService.js';
import { VIDEO_OUTPUT_KINDS, VIDEO_RENDER_STAGE } from './videoJob.js';

/** What an external worker gets when it claims work: the job, and where to read and write its files. */
export interface ExternalClaim {
  work_id: string;
  lease_token: string;
  stage: StageName;
  attempt: number;
  job: { job_id: string; project_id: string; name: string; state: string; attributes: Record<string, unknown> };
  /** Signed download URLs of the stage's inputs that the job has, by file kind. */
  inputs: Record<string, string>;
  /** Single-use upload URLs for the stage's outputs, by file kind. */
  outputs: Record<string, string>;
  /** Renew the lease (heartbeat) well within this many seconds. */
  heartbeat_timeout_seconds: number;
  lease_expires_at: string;
}

/**
 * The pipeline as external workers see it (a GPU trainer on another machine): claim work of some
 * stages, fetch inputs and upload outputs through signed URLs, renew the lease, complete or fail.
 * The same leases and transitions as the in-process runner.
 */
export function createExternalWorkService(deps: {
  jobs: JobStore;
  stageWork: StageWorkService;
  urls: UrlSigner;
  clock: Clock;
  heartbeatTimeoutMs: number;
  downloadUrlTtlMs: number;
}) {
  const { jobs, stageWork, urls, clock } = deps;

  return {
    async claim(workerId: string, stages: readonly string[]): Promise<ExternalClaim | undefined> {
      const claimed = await stageWork.claim(workerId, stages);
      if (!claimed) return undefined;
      const { work, job, video, leaseToken } = claimed;
      const now = clock.now().getTime();
      const files = (await Promise.all(claimed.inputs.map((input) => jobs.findFile(input.jobId, input.kind)))).filter((file) => file !== undefined);
      const inputs = Object.fromEntries(
        files.map((file) => [file.fileKind, urls.downloadUrl(file, now, now + deps.downloadUrlTtlMs)]),
      );
      const expiresAt = work.leaseExpiresAt ?? now + deps.downloadUrlTtlMs;
      const slots = claimed.outputs.map((fileKind) =>
        singlePutSlot(work.jobId, fileKind, expiresAt, (FILE_KINDS as Record<string, FileKind>)[fileKind]?.contentType),
      );
      await jobs.insertUploadSlots(slots);
      return {
        work_id: work.workId,
        lease_token: leaseToken,
        stage: work.stage as StageName,
        attempt: work.attempts,
        job: video
          ? { job_id: video.jobId, project_id: video.projectId, name: video.assetName ?? `video ${video.jobId}`, state: video.state, attributes: { render_plan: video.request.render_plan } }
          : { job_id: job.jobId, project_id: job.projectId, name: job.name, state: job.state, attributes: { ...job.attributes } },
        inputs,
        outputs: Object.fromEntries(slots.map((slot) => [slot.fileKind, urls.uploadUrl(slot.slotId, expiresAt)])),
        heartbeat_timeout_seconds: Math.floor(deps.heartbeatTimeoutMs / 1000),
        lease_expires_at: new Date(expiresAt).toISOString(),
      };
    },

    async heartbeat(workId: string, leaseToken: string): Promise<void> {
      if (await stageWork.heartbeat(workId, leaseToken)) return;
      // As complete and fail answer: no such work is 404, work no longer leased with this token 409.
      if (!(await jobs.findStageWork(workId))) throw new ApiError('WORK_NOT_FOUND', workId);
      throw new ApiError('LEASE_LOST', workId);
    },

    /** Completes the work once every output of the stage was uploaded. */
    async complete(workId: string, leaseToken: string, logDescription?: string): Promise<void> {
      const work = await jobs.findStageWork(workId);
      if (!work) throw new ApiError('WORK_NOT_FOUND', workId);
      if (work.status !== 'leased' || work.leaseToken !== leaseToken) throw new ApiError('LEASE_LOST', workId);
      const outputs = work.stage === VIDEO_RENDER_STAGE ? VIDEO_OUTPUT_KINDS : stageByName(work.stage)!.outputs;
      const present = new Set((await jobs.listFiles([work.jobId], [...outputs])).map((file) => file.fileKind));
      const missing = outputs.filter((kind) => !present.has(kind));
      if (missing.length > 0) throw new ApiError('REQUIRED_FILE_MISSING', `upload the outputs first: ${missing.join(', ')}`);
      await stageWork.complete(workId, leaseToken, { outcome: 'succeeded', ...(logDescription && { logDescription }) });
    },

    async fail(workId: string, leaseToken: string, reason: string, errorCode?: string): Promise<void> {
      if (!(await jobs.findStageWork(workId))) throw new ApiError('WORK_NOT_FOUND', workId);
      await stageWork.complete(workId, leaseToken, { outcome: 'failed', reason, ...(errorCode && { errorCode }) });
    },
  };
}

export type ExternalWorkService = ReturnType<typeof createExternalWorkService>;
