/**
 * Schemas of the admin (reviewer) API, our own design: the cloud publishes no admin API. The job
 * bodies reuse the tenant API's wire schemas, so a reviewer sees a job as its owner does.
 */
import { Type, type Static } from '@sinclair/typebox';
import { STAGE_NAMES } from './pipelineStages.js';
import { ADMIN_RESET_TARGETS } from './stateMachine.js';
import { CommentData, enumOf, INT32_MAX, JobStateSchema, Show2dModelTrainingJobResponse, TrainingJobBasicInfo } from './wireSchemas.js';

export const STAGE_WORK_STATUSES = ['queued', 'leased', 'done', 'failed', 'cancelled'] as const;

/** Default of the list's `state`: the review queue. */
export const REVIEW_QUEUE_STATES = ['MANUAL_VERIFYING'] as const;

export const AdminListJobsQuery = Type.Object({
  state: Type.Optional(
    Type.String({ description: 'Job states separated by commas (e.g. WAIT_ADMIN_CONFIRM,COMPILE_FAILED). Default MANUAL_VERIFYING: the review queue.' }),
  ),
  project_id: Type.Optional(Type.String({ description: "Only this project's jobs. Default: every project's." })),
  offset: Type.Optional(Type.Integer({ description: 'Jobs to skip. Default 0.', minimum: 0, maximum: INT32_MAX })),
  limit: Type.Optional(Type.Integer({ description: 'Jobs per page, 1-100. Default 10.', minimum: 1, maximum: 100 })),
});
export type AdminListJobsQuery = Static<typeof AdminListJobsQuery>;

export const AdminJobList = Type.Object(
  {
    count: Type.Integer({ description: 'Number of jobs matching the filter (all pages).' }),
    jobs: Type.Array(TrainingJobBasicInfo, { description: 'The jobs of this page, the longest unchanged (oldest last_update_time) first.' }),
  },
  { description: 'One page of jobs across projects.' },
);
export type AdminJobList = Static<typeof AdminJobList>;

export const StageWorkInfo = Type.Object(
  {
    stage: enumOf(STAGE_NAMES, { description: 'Pipeline stage.' }),
    status: enumOf(STAGE_WORK_STATUSES, {
      description: 'queued (claimable), leased (a worker holds it), done, failed (for good), cancelled (the job left the stage).',
    }),
    attempts: Type.Integer({ description: 'Claims so far; a lease that runs out counts as an attempt.' }),
    max_attempts: Type.Integer({ description: 'Claims allowed before the stage fails for good.' }),
    last_error: Type.Optional(Type.String({ description: 'Why the last attempt failed or ended.' })),
    updated_at: Type.String({ description: 'Last change of the item, RFC 3339.', format: 'date-time' }),
  },
  { description: 'A work item of the pipeline for this job, oldest first.' },
);
export type StageWorkInfo = Static<typeof StageWorkInfo>;

export const AdminJobDetail = Type.Object(
  {
    ...Show2dModelTrainingJobResponse.properties,
    stage_work: Type.Array(StageWorkInfo, { description: "The job's pipeline work items, oldest first." }),
  },
  { description: "The tenant's Show body (project_id included) plus the job's pipeline work items." },
);
export type AdminJobDetail = Static<typeof AdminJobDetail>;

const reason = (what: string) => Type.String({ description: `${what} Logged as the entry's log_description.`, maxLength: 1024 });

export const ReviewRequest = Type.Object({
  decision: enumOf(['approve', 'reject'] as const, {
    description: 'approve: MANUAL_VERIFYING → MANUAL_VERIFY_SUCCESS, then queued for preprocessing; reject: → MANUAL_VERIFY_FAILED.',
  }),
  opinion: Type.Optional(reason('The review opinion the tenant reads; required to reject.')),
  comment: Type.Optional({
    ...CommentData,
    description: 'A remark for the tenant, logged as an ADMIN_COMMENT comment; one upload URL is answered per attachment name.',
  }),
});
export type ReviewRequest = Static<typeof ReviewRequest>;

export const StopRequest = Type.Object({ reason: Type.Optional(reason('Why the job is stopped.')) });
export type StopRequest = Static<typeof StopRequest>;

export const RedoRequest = Type.Object({ reason: Type.Optional(reason('Why the stage runs again.')) });
export type RedoRequest = Static<typeof RedoRequest>;

export const SkipRequest = Type.Object({ reason: Type.Optional(reason('Why the stage is skipped.')) });
export type SkipRequest = Static<typeof SkipRequest>;

export const ResetRequest = Type.Object({
  to_state: enumOf(ADMIN_RESET_TARGETS, { description: 'The state to send the job back to; the pipeline resumes from there.' }),
  reason: Type.Optional(reason('Why the job is reset.')),
});
export type ResetRequest = Static<typeof ResetRequest>;

export const FLEXUS_RETRY_COUNT_RANGE = { minimum: 0, maximum: 10 } as const;

export const FlexusRetryCountRequest = Type.Object({
  flexus_retry_count: Type.Integer({ description: 'Retrains left for the Flexus job, 0-10.', ...FLEXUS_RETRY_COUNT_RANGE }),
});
export type FlexusRetryCountRequest = Static<typeof FlexusRetryCountRequest>;

export const AdminActionResult = Type.Object(
  {
    job_id: Type.String({ description: 'Job ID.' }),
    state: JobStateSchema,
    flexus_retry_count: Type.Optional(Type.Integer({ description: 'Retrains left (Flexus jobs).' })),
    attachment_upload_url: Type.Optional(
      Type.Array(Type.String(), { description: "Single-use upload URLs of the comment's attachments, in the order named." }),
    ),
  },
  { description: 'The job after the action: its state (after any automatic follow-up move).' },
);
export type AdminActionResult = Static<typeof AdminActionResult>;
