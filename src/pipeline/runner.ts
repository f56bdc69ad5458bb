import fs from 'node:fs';
import fsp from 'node:fs/promises';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import type { FastifyBaseLogger } from 'fastify';
import { ApiError } from '../domain/errors.js';
import type { BlobStore, JobStore } from '../domain/ports.js';
import type { ClaimedWork, StageOutcome, StageWorkService } from '../domain/stageWorkService.js';
import type { MediaTools } from './mediaTools.js';
import { TrainerFailure, type TrainerFailureKind } from './trainerCommand.js';
import type { PipelineSettings, StageHandler } from './stageHandler.js';
import { makeWorkDir, sweepDeadRuns } from './workDirs.js';
import { progressMilestones } from './stageProgress.js';
import type { Metrics } from '../metrics/metrics.js';

export interface PipelineRunnerOptions {
  stageWork: StageWorkService;
  jobs: JobStore;
  blobs: BlobStore;
  handlers: Record<string, StageHandler>;
  tools: MediaTools;
  settings: PipelineSettings;
  logger: FastifyBaseLogger;
  workerId: string;
  concurrency: number;
  pollIntervalMs: number;
  heartbeatIntervalMs: number;
  /** Stage durations, outcomes and render speed, for GET /metrics (absent: not counted). */
  metrics?: Metrics | undefined;
}

/** The reference renderer's summary ends with its real-time factor. */
const REAL_TIME_FACTOR = /real-time factor ([\d.]+)/;



/**
 * The in-process worker: claims work of the stages it has handlers for, runs up to `concurrency`
 * items at once, renews each lease while its handler runs, and reports the outcome. Expired leases
 * of any worker are returned to the queue on every round.
 */
export function createPipelineRunner(options: PipelineRunnerOptions) {
  const { stageWork, handlers, logger } = options;
  const stages = Object.keys(handlers);
  /** The stages being worked on, by work id: each one's completion. */
  const running = new Map<string, Promise<void>>();
  let timer: NodeJS.Timeout | undefined;
  let stopped = true;
  let round: Promise<void> = Promise.resolve();
  /** The start's sweep of what dead processes left in the scratch space (workDirs.ts). */
  let sweeping: Promise<void> = Promise.resolve();

  async function fetchFile(jobId: string, fileKind: string, workDir: string): Promise<string | undefined> {
    const file = await options.jobs.findFile(jobId, fileKind);
    const opened = file && (await options.blobs.read(file.blobKey));
    if (!opened) return undefined;
    const target = path.join(workDir, `input-${jobId}-${fileKind}`);
    await pipeline(opened.stream, fs.createWriteStream(target));
    return target;
  }

  async function run(claimed: ClaimedWork & { leaseToken: string }): Promise<void> {
    const { work, job, leaseToken } = claimed;
    const controller = new AbortController();
    const heartbeat = setInterval(() => {
      stageWork
        .heartbeat(work.workId, leaseToken)
        .then((held) => {
          if (!held) controller.abort(new Error('lease lost'));
        })
        .catch((error: unknown) => logger.warn({ err: error, workId: work.workId }, 'heartbeat failed'));
    }, options.heartbeatIntervalMs);
    const workDir = await makeWorkDir(work.stage);
    const isMilestone = progressMilestones();
    // Progress entries are written one after another, in the order the messages came.
    let progressLogged: Promise<unknown> = Promise.resolve();
    const progress = (message: string) => {
      logger.info({ jobId: work.jobId, stage: work.stage }, message);
      if (!isMilestone(message)) return;
      progressLogged = progressLogged
        .then(() => stageWork.reportProgress(work.workId, leaseToken, message))
        .catch((error: unknown) => logger.warn({ err: error, jobId: work.jobId, stage: work.stage }, 'could not log progress'));
    };
    const started = performance.now();
    let outcome: StageOutcome;
    let failure: TrainerFailureKind | undefined;
    try {
      logger.info({ jobId: work.jobId, stage: work.stage, attempt: work.attempts }, 'stage started');
      outcome = await handlers[work.stage]!({
        job,
        ...(claimed.video && { video: claimed.video }),
        work,
        workDir,
        fetchFile: (fileKind, ownerJobId = job.jobId) => fetchFile(ownerJobId, fileKind, workDir),
        progress,
        tools: options.tools,
        settings: options.settings,
        signal: controller.signal,
      });
    } catch (error) {
      outcome = { outcome: 'failed', reason: error instanceof Error ? error.message : String(error) };
      failure = error instanceof TrainerFailure ? error.kind : 'reason';
      const output = error instanceof TrainerFailure ? error.output : undefined;
      logger.warn({ jobId: work.jobId, stage: work.stage, reason: outcome.reason, ...(output && { trainerOutput: output }) }, 'stage failed');
    } finally {
      clearInterval(heartbeat);
      await progressLogged;
    }
    options.metrics?.stageFinished(work.stage, controller.signal.aborted ? 'abandoned' : outcome.outcome, (performance.now() - started) / 1000, failure);
    const realTime = outcome.outcome === 'succeeded' && REAL_TIME_FACTOR.exec(outcome.logDescription ?? '');
    if (realTime) options.metrics?.videoRendered(Number(realTime[1]));
    try {
      if (controller.signal.aborted) {
        logger.info({ jobId: work.jobId, stage: work.stage }, 'stage abandoned: its lease was lost');
      } else {
        await stageWork.complete(work.workId, leaseToken, outcome);
        logger.info({ jobId: work.jobId, stage: work.stage, outcome: outcome.outcome }, 'stage finished');
      }
    } catch (error) {
      if (error instanceof ApiError && error.errorName === 'LEASE_LOST') logger.info({ jobId: work.jobId, stage: work.stage }, 'stage result dropped: lease lost');
      else logger.error({ err: error, jobId: work.jobId, stage: work.stage }, 'could not record a stage result');
    } finally {
      await fsp.rm(workDir, { recursive: true, force: true });
    }
  }

  async function claimAndStart(): Promise<boolean> {
    await stageWork.reapExpiredLeases();
    let claimedAny = false;
    while (!stopped && running.size < options.concurrency) {
      const claimed = await stageWork.claim(options.workerId, stages);
      if (!claimed) break;
      claimedAny = true;
      const done = run(claimed).finally(() => {
        running.delete(claimed.work.workId);
        schedule(0);
      });
      running.set(claimed.work.workId, done);
    }
    return claimedAny;
  }

  function schedule(delayMs: number): void {
    if (stopped) return;
    clearTimeout(timer);
    timer = setTimeout(() => {
      round = round
        .then(claimAndStart)
        .then((claimedAny) => schedule(claimedAny ? 0 : options.pollIntervalMs))
        .catch((error: unknown) => {
          logger.error({ err: error }, 'pipeline round failed');
          schedule(options.pollIntervalMs);
        });
    }, delayMs);
    timer.unref();
  }

  return {
    start(): void {
      if (!stopped) return;
      stopped = false;
      sweeping = sweepDeadRuns().then(
        (removed) => {
          if (removed.length > 0) logger.info({ removed }, 'removed the scratch space that stopped processes left behind');
        },
        (error: unknown) => logger.warn({ err: error }, 'could not sweep the scratch space of stopped processes'),
      );
      schedule(0);
    },
    /** Looks for work now instead of at the next poll (e.g. right after a job was submitted). */
    wake(): void {
      schedule(0);
    },
    /** Stops claiming and waits for running stages to finish. */
    async stop(): Promise<void> {
      stopped = true;
      clearTimeout(timer);
      await sweeping;
      await round;
      await Promise.all(running.values());
    },
  };
}

export type PipelineRunner = ReturnType<typeof createPipelineRunner>;
