import type { AdjustableClock } from '../clock.js';
import { JOB_STATES } from './enums.js';
import {
  DEFAULT_EMULATOR_SETTINGS,
  isStepDue,
  resolveEmulatorSettings,
  type EmulatorSettings,
  type EmulatorSettingsInput,
  type ForcedOutcome,
  type StageFamily,
} from './emulatorSettings.js';
import { ApiError } from './errors.js';
import type { LiveStore } from './live/liveSession.js';
import type { BlobStore, JobStore, StageWork } from './ports.js';
import type { TrainingJob } from './trainingJob.js';
import { applyTransition } from './transitions.js';

/** The clock the emulator moves: a virtual time that everything expiring reads. */
export type EmulatorClock = Pick<AdjustableClock, 'now' | 'advance' | 'offset' | 'resetOffset'>;

export interface EmulatorClockView {
  /** The virtual time, RFC 3339 with milliseconds. */
  now: string;
  /** How far the virtual clock is ahead of the system time. */
  offset_seconds: number;
}

export interface ReleaseResult {
  job_id: string;
  state: string;
  /** Steps of the job let through (its queued stage work, or its pending automatic review). */
  released_steps: number;
}

/**
 * Developer control of the pipeline (docs/emulator.md). The settings, the releases and the count of
 * Show calls live in memory: an emulator run starts from a scenario file or from defaults. Every
 * state change still goes through applyTransition; this service only decides *when* a step may
 * happen (stage work: at claim time, through `isWorkReady`) and *how* it ends (`forcedOutcome`).
 */
export function createEmulatorService(deps: {
  jobs: JobStore;
  /** Live-session rooms, jobs and access grants: a reset clears them too. */
  live: Pick<LiveStore, 'transaction'>;
  blobs: BlobStore;
  clock: EmulatorClock;
  settings?: EmulatorSettings;
  /** Keeps the virtual clock's offset across restarts: work queued in virtual time stays due. */
  saveClockOffset: (offsetMs: number) => Promise<void>;
}) {
  const { jobs, live, blobs, clock } = deps;
  let settings: EmulatorSettings = deps.settings ?? DEFAULT_EMULATOR_SETTINGS;
  /** Ids of steps let through by a release: stage work ids, and `review:<job>:<version>` for a review. */
  const released = new Set<string>();
  /** Times (virtual clock, epoch ms) of the tenant Show calls of each job. */
  const reads = new Map<string, number[]>();
  const now = () => clock.now().getTime();

  const readsSince = (jobId: string, since: number) => (reads.get(jobId) ?? []).filter((at) => at >= since).length;
  const clockView = (): EmulatorClockView => ({ now: clock.now().toISOString(), offset_seconds: clock.offset() / 1000 });
  const reviewStepId = (job: TrainingJob) => `review:${job.jobId}:${job.version}`;

  /** When the job entered its current state: the time of its latest operation-log entry. */
  async function enteredCurrentStateAt(job: TrainingJob): Promise<number> {
    const logs = await jobs.listOperationLogs(job.jobId);
    return logs.at(-1)?.operateTime ?? job.lastUpdateTime;
  }

  async function allJobs(states: readonly string[]): Promise<TrainingJob[]> {
    const found: TrainingJob[] = [];
    for (let offset = 0; ; offset += 100) {
      const page = await jobs.listJobsAcrossProjects({ states: states as TrainingJob['state'][], offset, limit: 100 });
      found.push(...page.jobs);
      if (page.jobs.length < 100) return found;
    }
  }

  return {
    settings(): EmulatorSettings {
      return settings;
    },

    replaceSettings(input: EmulatorSettingsInput): EmulatorSettings {
      const resolved = resolveEmulatorSettings(input);
      if ('problem' in resolved) throw new ApiError('PARAMETER_VALIDATION', resolved.problem);
      settings = resolved.settings;
      return settings;
    },

    forcedOutcome(family: StageFamily): ForcedOutcome {
      return settings.stages[family].outcome;
    },

    recordRead(jobId: string): void {
      const times = reads.get(jobId) ?? [];
      times.push(now());
      reads.set(jobId, times);
    },

    /** Whether queued stage work may be claimed now (its family's progress condition holds). */
    isWorkReady(work: StageWork): boolean {
      const family = work.stage as StageFamily;
      const progress = settings.stages[family]?.progress ?? { mode: 'immediate' };
      return isStepDue(progress, {
        enteredAt: work.createdAt,
        now: now(),
        readsSinceEntered: readsSince(work.jobId, work.createdAt),
        released: released.has(work.workId),
      });
    },

    /** Lets the job's pending step through whatever its progress mode. */
    async release(jobId: string): Promise<ReleaseResult> {
      const job = await jobs.findJobById(jobId);
      const video = job ? undefined : await jobs.findVideoJobById(jobId);
      if (!job && !video) throw new ApiError('JOB_NOT_FOUND', jobId);
      let count = 0;
      for (const work of await jobs.listStageWork(jobId)) {
        if (work.status !== 'queued') continue;
        released.add(work.workId);
        count += 1;
      }
      if (!job) return { job_id: jobId, state: video!.state, released_steps: count };
      if (job.state === 'MANUAL_VERIFYING' && settings.stages.manual_review.outcome.outcome !== 'real') {
        released.add(reviewStepId(job));
        count += 1;
      }
      return { job_id: job.jobId, state: job.state, released_steps: count };
    },

    /**
     * The automatic reviewer: approves or rejects (actor EMULATOR) the jobs in MANUAL_VERIFYING whose
     * review is due, when manual_review's outcome is forced. Returns how many it decided.
     */
    async settleReviews(): Promise<number> {
      const review = settings.stages.manual_review;
      if (review.outcome.outcome === 'real') return 0;
      let decided = 0;
      for (const waiting of await allJobs(['MANUAL_VERIFYING'])) {
        const enteredAt = await enteredCurrentStateAt(waiting);
        const due = isStepDue(review.progress, {
          enteredAt,
          now: now(),
          readsSinceEntered: readsSince(waiting.jobId, enteredAt),
          released: released.has(reviewStepId(waiting)),
        });
        if (!due) continue;
        const event = review.outcome.outcome === 'succeed' ? 'ADMIN_APPROVE' : 'ADMIN_REJECT';
        const opinion = review.outcome.message ?? (event === 'ADMIN_REJECT' ? 'rejected by the emulator' : undefined);
        try {
          await jobs.transaction(async (repository) => {
            const job = await repository.findJobById(waiting.jobId);
            // Someone else (a reviewer, a reset) moved it meanwhile: nothing to decide.
            if (!job || job.version !== waiting.version) return;
            await applyTransition(repository, job, event, 'EMULATOR', now(), opinion === undefined ? {} : { logDescription: opinion });
            decided += 1;
          });
        } catch (error) {
          if (!(error instanceof ApiError && error.errorName === 'STATE_CHANGED_CONCURRENTLY')) throw error;
        }
      }
      return decided;
    },

    clock: clockView,

    async advanceClock(seconds: number): Promise<EmulatorClockView> {
      clock.advance(seconds * 1000);
      await deps.saveClockOffset(clock.offset());
      return clockView();
    },

    /**
     * Deletes every job (training and video) with its files and work, every asset, and every
     * live-session room, job and access grant; default settings, clock back to the system time.
     * Credentials stay.
     */
    async reset(): Promise<{ deleted_jobs: number }> {
      const all = await allJobs(JOB_STATES);
      for (const job of all) {
        await jobs.transaction((repository) => repository.deleteJob(job.jobId));
        await blobs.deletePrefix(`jobs/${job.jobId}/`);
      }
      const videoIds = await jobs.transaction((repository) => repository.deleteAllVideoJobsAndAudioFiles());
      for (const id of videoIds) await blobs.deletePrefix(`jobs/${id}/`);
      const ownAssetIds = await jobs.transaction((repository) => repository.deleteAllAssets());
      for (const id of ownAssetIds) await blobs.deletePrefix(`jobs/${id}/`);
      await live.transaction((repository) => repository.deleteEverything());
      settings = DEFAULT_EMULATOR_SETTINGS;
      released.clear();
      reads.clear();
      clock.resetOffset();
      await deps.saveClockOffset(0);
      return { deleted_jobs: all.length };
    },
  };
}

export type EmulatorService = ReturnType<typeof createEmulatorService>;
