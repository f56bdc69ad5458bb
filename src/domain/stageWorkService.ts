import crypto from 'node:crypto';
import type { Readable } from 'node:stream';
import type { Clock } from '../clock.js';
import type { LogType } from './enums.js';
import { ApiError } from './errors.js';
import { fileBlobKey } from './fileKinds.js';
import { stageByName, successEventOf, type ConfirmationGates } from './pipelineStages.js';
import type { BlobStore, JobFile, JobRepository, JobStore, StageWork } from './ports.js';
import type { JobAttributes, TrainingJob } from './trainingJob.js';
import { applyTransition } from './transitions.js';
import { newId } from './ids.js';
import { VIDEO_RENDER_STAGE, type VideoJob } from './videoJob.js';
import { failVideoWork, renderedDuration, startVideoWork, succeedVideoWork } from './videoWork.js';

/** What a stage's work produced. Files (opened as streams) become the job's files on success. */
export type StageOutcome =
  | {
      outcome: 'succeeded';
      logDescription?: string;
      /** Log entries of the stage's own steps (e.g. SYSTEM_MARKABLE_VIDEO_SUCCESS), before the stage's success entry. */
      stepLogs?: Array<{ logType: LogType; logDescription?: string }>;
      attributes?: Partial<JobAttributes>;
      files?: Array<{ fileKind: string; open: () => Readable }>;
    }
  | { outcome: 'failed'; reason: string; errorCode?: string; stepLogs?: Array<{ logType: LogType; logDescription?: string }> };

export interface ClaimedWork {
  work: StageWork;
  /** The job the stage works on; for a video job's render, the training job whose model renders it. */
  job: TrainingJob;
  /** Present for a video job's render (stage video_render). */
  video?: VideoJob;
  /** The files the stage reads (those that exist are fetched) and writes. */
  inputs: Array<{ jobId: string; kind: string }>;
  outputs: readonly string[];
}

export interface StageWorkSettings {
  /** A lease not renewed within this time is lost (the worker is presumed dead). */
  heartbeatTimeoutMs: number;
  /** A lease ends after this time whatever the heartbeats (a stuck stage). */
  leaseMaxMs: number;
  /** Which confirmation gates the pipeline stops at. */
  gates: ConfirmationGates;
}

/**
 * Claims, renews, completes and fails the pipeline's work. Each step is one transaction over the
 * work item and the job, so a job's state and its work never disagree.
 */
export function createStageWorkService(deps: {
  jobs: JobStore;
  blobs: BlobStore;
  clock: Clock;
  settings: StageWorkSettings;
  /** When given (emulator mode), queued work is claimable only once this holds for it. */
  isWorkReady?: (work: StageWork) => boolean;
}) {
  const { jobs, blobs, clock, settings, isWorkReady } = deps;
  const now = () => clock.now().getTime();

  async function appendStepLogs(repository: JobRepository, jobId: string, at: number, logs: Array<{ logType: LogType; logDescription?: string }> = []) {
    for (const log of logs) await repository.appendOperationLog(jobId, { operateTime: at, operateUser: 'SYSTEM', ...log });
  }

  async function failWork(repository: JobRepository, work: StageWork, at: number, reason: string, errorCode?: string) {
    if (work.stage === VIDEO_RENDER_STAGE) return failVideoWork(repository, work.jobId, at, reason, errorCode);
    const job = await repository.findJobById(work.jobId);
    const definition = stageByName(work.stage)!;
    if (job && definition.failureEvent) {
      await applyTransition(repository, job, definition.failureEvent, 'WORKER', at, { logDescription: reason, ...(errorCode && { errorCode }) });
    }
  }

  return {
    /** Leases the oldest claimable work of these stages and starts it (waiting → running state). */
    async claim(workerId: string, stages: readonly string[]): Promise<(ClaimedWork & { leaseToken: string }) | undefined> {
      const at = now();
      const leaseToken = crypto.randomUUID();
      return jobs.transaction(async (repository) => {
        for (;;) {
          // In emulator mode the emulator decides when queued work is due: all of it is a candidate,
          // even work queued at a virtual time the clock no longer shows (after a restart).
          const ready = isWorkReady && (await repository.listClaimableStageWork(stages, Number.MAX_SAFE_INTEGER)).filter(isWorkReady).map((candidate) => candidate.workId);
          const work = await repository.claimStageWork(stages, {
            workerId,
            leaseToken,
            now: at,
            heartbeatDeadline: at + settings.heartbeatTimeoutMs,
            leaseExpiresAt: at + settings.leaseMaxMs,
          }, ready);
          if (!work) return undefined;
          if (work.stage === VIDEO_RENDER_STAGE) {
            const started = await startVideoWork(repository, work, at);
            if ('video' in started) return { work, job: started.model, video: started.video, inputs: started.inputs, outputs: started.outputs, leaseToken };
            await repository.finishStageWork(work.workId, leaseToken, 'failed', at, started.reason);
            continue;
          }
          const definition = stageByName(work.stage)!;
          let job = await repository.findJobById(work.jobId);
          if (job && job.state === definition.waitingState && definition.startEvent) {
            job = await applyTransition(repository, job, definition.startEvent, 'WORKER', at);
          }
          if (job && job.state === definition.runningState) {
            const inputs = definition.inputs.map((kind) => ({ jobId: work.jobId, kind }));
            return { work, job, inputs, outputs: definition.outputs, leaseToken };
          }
          // The job moved on without cancelling this work (should not happen): drop it and look further.
          await repository.finishStageWork(work.workId, leaseToken, 'failed', at, `job is in ${job?.state ?? 'no state'}`);
        }
      });
    },

    /** Renews a lease; false when it is lost (the job was stopped, reset or deleted, or the lease ran out). */
    async heartbeat(workId: string, leaseToken: string): Promise<boolean> {
      const at = now();
      return jobs.renewStageLease(workId, leaseToken, at, at + settings.heartbeatTimeoutMs);
    },

    /**
     * Logs how far a running stage is (an entry of its `progressLogType`, `message` as its
     * description), while the lease is held and the job is in the stage's running state; false
     * when nothing was logged (a stage without progress entries, a lost lease, a job moved on).
     */
    async reportProgress(workId: string, leaseToken: string, message: string): Promise<boolean> {
      return jobs.transaction(async (repository) => {
        const work = await repository.findStageWork(workId);
        const definition = work && stageByName(work.stage);
        if (!work || work.status !== 'leased' || work.leaseToken !== leaseToken || !definition?.progressLogType) return false;
        const job = await repository.findJobById(work.jobId);
        if (job?.state !== definition.runningState) return false;
        await repository.appendOperationLog(job.jobId, { operateTime: now(), logType: definition.progressLogType, operateUser: 'SYSTEM', logDescription: message });
        return true;
      });
    },

    /** Ends the work with its outcome: files stored, logs written, the job moved on, in one transaction. */
    async complete(workId: string, leaseToken: string, outcome: StageOutcome): Promise<void> {
      const work = await jobs.findStageWork(workId);
      if (!work) throw new ApiError('WORK_NOT_FOUND', workId);
      if (outcome.outcome === 'failed') {
        await jobs.transaction(async (repository) => {
          const at = now();
          if (!(await repository.finishStageWork(workId, leaseToken, 'failed', at, outcome.reason))) throw new ApiError('LEASE_LOST', workId);
          // A video job has no operation log: its failure's reason goes into error_info.
          if (work.stage !== VIDEO_RENDER_STAGE) await appendStepLogs(repository, work.jobId, at, outcome.stepLogs);
          await failWork(repository, work, at, outcome.reason, outcome.errorCode);
        });
        return;
      }
      const stored: JobFile[] = [];
      for (const file of outcome.files ?? []) {
        const fileVersion = newId();
        const blobKey = fileBlobKey(work.jobId, file.fileKind, fileVersion);
        const blob = await blobs.put(blobKey, file.open(), Number.MAX_SAFE_INTEGER);
        stored.push({ jobId: work.jobId, fileKind: file.fileKind, fileVersion, blobKey, size: blob.size, etag: blob.md5, createdAt: now() });
      }
      let replaced: JobFile[] = [];
      try {
        const isVideo = work.stage === VIDEO_RENDER_STAGE;
        // A render's duration comes from its report, a blob: read before the transaction, not inside it.
        const duration = isVideo ? await renderedDuration(jobs, blobs, work.jobId, stored) : undefined;
        replaced = await jobs.transaction(async (repository) => {
          const at = now();
          if (!(await repository.finishStageWork(workId, leaseToken, 'done', at))) throw new ApiError('LEASE_LOST', workId);
          const job = isVideo ? undefined : await repository.findJobById(work.jobId);
          if (!isVideo && !job) throw new ApiError('LEASE_LOST', workId);
          const previous: JobFile[] = [];
          for (const file of stored) {
            const old = await repository.putFile(file);
            if (old) previous.push(old);
          }
          if (!job) {
            await succeedVideoWork(repository, work.jobId, at, duration);
            return previous;
          }
          await appendStepLogs(repository, work.jobId, at, outcome.stepLogs);
          await applyTransition(
            repository,
            job,
            successEventOf(stageByName(work.stage)!, settings.gates),
            'WORKER',
            at,
            outcome.logDescription ? { logDescription: outcome.logDescription } : {},
            outcome.attributes ? { attributes: { ...job.attributes, ...outcome.attributes } } : {},
          );
          return previous;
        });
      } catch (error) {
        await Promise.all(stored.map((file) => blobs.delete(file.blobKey)));
        throw error;
      }
      await Promise.all(replaced.map((file) => blobs.delete(file.blobKey).catch(() => undefined)));
    },

    /**
     * Returns work whose lease ran out to the queue (logged TIME_OUT_RETRY), or fails its stage once
     * it has used all its attempts. Returns how many leases it ended.
     */
    async reapExpiredLeases(): Promise<number> {
      const at = now();
      const expired = await jobs.listExpiredLeases(at);
      for (const work of expired) {
        await jobs.transaction(async (repository) => {
          const reason = `lease of worker ${work.workerId} expired (attempt ${work.attempts} of ${work.maxAttempts})`;
          if (work.attempts >= work.maxAttempts) {
            if (!(await repository.finishStageWork(work.workId, work.leaseToken!, 'failed', at, reason))) return;
            await failWork(repository, work, at, `${work.stage} failed: ${reason}; no attempts left`);
            return;
          }
          if (!(await repository.requeueStageWork(work.workId, work.leaseToken!, at, reason))) return;
          const job = await repository.findJobById(work.jobId);
          if (job) await repository.appendOperationLog(job.jobId, { operateTime: at, logType: 'TIME_OUT_RETRY', operateUser: 'SYSTEM', logDescription: reason });
        });
      }
      return expired.length;
    },
  };
}

export type StageWorkService = ReturnType<typeof createStageWorkService>;
