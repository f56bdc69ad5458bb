import type { Clock } from '../clock.js';
import {
  FLEXUS_RETRY_COUNT_RANGE,
  REVIEW_QUEUE_STATES,
  type AdminActionResult,
  type AdminJobDetail,
  type AdminJobList,
  type AdminListJobsQuery,
  type StageWorkInfo,
} from './adminSchemas.js';
import { addComment } from './comments.js';
import { deliveredModelOf, type ShowTrainingJobModelResponse } from './deliveredModel.js';
import { ApiError } from './errors.js';
import { createJobViews } from './jobViews.js';
import { parseStates } from './listQueryParameters.js';
import type { BlobStore, JobRepository, JobStore, StageWork, UrlSigner } from './ports.js';
import { adminActionEventIn, adminActionStates, adminResetEvent, type AdminResetTarget, type AdminStageAction } from './stateMachine.js';
import { applyTransition } from './transitions.js';
import type { TrainingJob } from './trainingJob.js';
import { rfc3339 } from './trainingJobWire.js';
import type { CommentData } from './wireSchemas.js';

export interface AdminSettings {
  uploadUrlTtlMs: number;
  downloadUrlTtlMs: number;
}

export interface AdminServiceDeps {
  jobs: JobStore;
  blobs: BlobStore;
  urls: UrlSigner;
  clock: Clock;
  settings: AdminSettings;
}

export interface ReviewDecision {
  decision: 'approve' | 'reject';
  /** The opinion the tenant reads in the log entry's log_description; a rejection needs one. */
  opinion?: string;
  /** A remark for the tenant (an ADMIN_COMMENT comment log), with attachments to upload. */
  comment?: CommentData;
}

/**
 * What reviewers and operators do to jobs of any project: read the review queue and any job, approve
 * or reject a reviewed job, stop, redo, skip or reset its pipeline's stages, set a Flexus job's
 * retrains, confirm a compiled model. Every state change goes through the transition table as actor ADMIN.
 */
export function createAdminService({ jobs, blobs, urls, clock, settings }: AdminServiceDeps) {
  const now = (): number => clock.now().getTime();
  const views = createJobViews({ urls, downloadUrlTtlMs: settings.downloadUrlTtlMs });
  const uploads = { urls, uploadUrlTtlMs: settings.uploadUrlTtlMs };

  async function findJobOrFail(repository: JobRepository, jobId: string): Promise<TrainingJob> {
    const job = await repository.findJobById(jobId);
    if (!job) throw new ApiError('JOB_NOT_FOUND', jobId);
    return job;
  }

  /** Makes the admin's move that `chooseMove` picks for the job's current state, inside the caller's transaction. */
  async function moveJob(
    repository: JobRepository,
    jobId: string,
    at: number,
    chooseMove: (job: TrainingJob) => { event: string; logDescription?: string },
  ): Promise<TrainingJob> {
    const job = await findJobOrFail(repository, jobId);
    const { event, logDescription } = chooseMove(job);
    return applyTransition(repository, job, event, 'ADMIN', at, { logDescription });
  }

  /** The admin's move that `action` and the job's state pick from the table, with the reason logged. */
  function stageAction(action: AdminStageAction) {
    return async (jobId: string, reason?: string): Promise<AdminActionResult> => {
      const at = now();
      const moved = await jobs.transaction((repository) =>
        moveJob(repository, jobId, at, (job) => {
          const event = adminActionEventIn(action, job.state);
          if (!event) throw new ApiError('STATE_NOT_ALLOWED', `state is ${job.state}; ${ACTION_ALLOWED[action]} ${adminActionStates(action).join(', ')}`);
          return { event, logDescription: reason };
        }),
      );
      return actionResult(moved);
    };
  }

  return {
    /** Jobs of every project (or one) in the given states, the longest unchanged first; by default the review queue. */
    async listJobs(query: AdminListJobsQuery): Promise<AdminJobList> {
      const offset = query.offset ?? 0;
      const limit = query.limit ?? 10;
      // The HTTP schema checks these too; the CLI passes what it was given.
      if (!Number.isInteger(offset) || offset < 0) throw new ApiError('INVALID_PARAMETER', 'offset must be an integer of at least 0');
      if (!Number.isInteger(limit) || limit < 1 || limit > 100) throw new ApiError('INVALID_PARAMETER', 'limit must be an integer from 1 to 100');
      const { count, jobs: page } = await jobs.listJobsAcrossProjects({
        states: query.state === undefined ? [...REVIEW_QUEUE_STATES] : parseStates(query.state),
        projectId: query.project_id,
        offset,
        limit,
      });
      return { count, jobs: await views.listItems(jobs, page, now()) };
    },

    /** The tenant's Show body of a job of any project, plus its pipeline work items. */
    async showJob(jobId: string): Promise<AdminJobDetail> {
      const job = await findJobOrFail(jobs, jobId);
      const details = await jobs.findJobDetails({ projectId: job.projectId }, jobId);
      if (!details) throw new ApiError('JOB_NOT_FOUND', jobId); // deleted in between
      const stageWork = await jobs.listStageWork(jobId);
      return { ...views.showResponse(details, now()), stage_work: stageWork.map(toStageWorkInfo) };
    },

    /** The job's delivered model as its owner gets it (GET …/jobs/{job_id}/model): to judge a model at the admin gate. */
    async showModel(jobId: string): Promise<ShowTrainingJobModelResponse> {
      return deliveredModelOf({ jobs, blobs, downloadUrl: views.downloadUrl }, await findJobOrFail(jobs, jobId), now());
    },

    /** Ends manual review: approve (the job is queued for preprocessing at once) or reject, with an optional comment. */
    async review(jobId: string, { decision, opinion, comment }: ReviewDecision): Promise<AdminActionResult> {
      if (decision === 'reject' && !opinion?.trim()) {
        throw new ApiError('PARAMETER_VALIDATION', 'opinion is required to reject: the tenant reads it in the operation log');
      }
      const at = now();
      return jobs.transaction(async (repository) => {
        const event = decision === 'approve' ? 'ADMIN_APPROVE' : 'ADMIN_REJECT';
        const moved = await moveJob(repository, jobId, at, () => ({ event, logDescription: opinion }));
        if (comment === undefined) return actionResult(moved);
        const attachmentUrls = await addComment(repository, uploads, { jobId, commentType: 'ADMIN_COMMENT', comment, at });
        return { ...actionResult(moved), attachment_upload_url: attachmentUrls };
      });
    },

    /** Stops the stage the job is in or waits for (the STOP_* move the table has for its state). */
    stop: stageAction('stop'),
    /** Runs the failed or stopped stage again (the REDO_* move for its state). */
    redo: stageAction('redo'),
    /** Skips the optional stage the job waits for or failed in (the SKIP_* move for its state). */
    skip: stageAction('skip'),

    /** Sends the job back to `toState`: work of the stages it leaves is cancelled, the stage it now waits for is queued. */
    async reset(jobId: string, toState: AdminResetTarget, reason?: string): Promise<AdminActionResult> {
      const at = now();
      const moved = await jobs.transaction((repository) =>
        moveJob(repository, jobId, at, (job) => ({
          event: adminResetEvent(toState),
          // The log has no field for states: the description keeps where the job was, for the audit trail.
          logDescription: `reset from ${job.state} to ${toState}${reason ? `: ${reason}` : ''}`,
        })),
      );
      return actionResult(moved);
    },

    /** Sets the retrains left of a Flexus job (no state change; logged as ADMIN_SET_FLEXUS_RETRY_COUNT). */
    async setFlexusRetryCount(jobId: string, count: number): Promise<AdminActionResult> {
      if (!Number.isInteger(count) || count < FLEXUS_RETRY_COUNT_RANGE.minimum || count > FLEXUS_RETRY_COUNT_RANGE.maximum) {
        throw new ApiError('PARAMETER_VALIDATION', `flexus_retry_count must be an integer from ${FLEXUS_RETRY_COUNT_RANGE.minimum} to ${FLEXUS_RETRY_COUNT_RANGE.maximum}`);
      }
      const at = now();
      return jobs.transaction(async (repository) => {
        const job = await findJobOrFail(repository, jobId);
        if (!job.attributes.is_flexus) throw new ApiError('PARAMETER_VALIDATION', 'flexus_retry_count applies to Flexus jobs only (is_flexus is not true)');
        const previous = job.attributes.flexus_retry_count;
        const updated: TrainingJob = { ...job, attributes: { ...job.attributes, flexus_retry_count: count }, version: job.version + 1 };
        if (!(await repository.updateJob(updated, job.version))) throw new ApiError('STATE_CHANGED_CONCURRENTLY');
        await repository.appendOperationLog(jobId, {
          operateTime: at,
          logType: 'ADMIN_SET_FLEXUS_RETRY_COUNT',
          operateUser: 'ADMIN',
          logDescription: `flexus_retry_count set from ${previous ?? 'unset'} to ${count}`,
        });
        return { job_id: jobId, state: job.state, flexus_retry_count: count };
      });
    },

    /** Confirms a compiled model (WAIT_ADMIN_CONFIRM → WAIT_ASSET_SYNC). */
    async accept(jobId: string): Promise<AdminActionResult> {
      const at = now();
      return actionResult(await jobs.transaction((repository) => moveJob(repository, jobId, at, () => ({ event: 'ADMIN_ACCEPT' }))));
    },
  };
}

export type AdminService = ReturnType<typeof createAdminService>;

/** How a refusal names the states an action is allowed in. */
const ACTION_ALLOWED: Record<AdminStageAction, string> = {
  stop: 'a job can be stopped in',
  redo: 'a stage can be run again from',
  skip: 'a stage can be skipped from',
};

function actionResult(job: TrainingJob): AdminActionResult {
  return { job_id: job.jobId, state: job.state };
}

function toStageWorkInfo(work: StageWork): StageWorkInfo {
  return {
    stage: work.stage as StageWorkInfo['stage'],
    status: work.status,
    attempts: work.attempts,
    max_attempts: work.maxAttempts,
    ...(work.lastError !== null && { last_error: work.lastError }),
    updated_at: rfc3339(work.updatedAt),
  };
}
