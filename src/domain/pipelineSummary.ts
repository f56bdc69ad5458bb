/**
 * The pipeline at a glance, for reviewers and operators (the console's dashboard): how many jobs
 * wait in each state, how each stage's work stands and how long it takes, and what failed lately.
 * Our own design, like the rest of the admin API.
 */
import { Type, type Static } from '@sinclair/typebox';
import type { Clock } from '../clock.js';
import { STAGE_WORK_STATUSES } from './adminSchemas.js';
import { JOB_STATES, type JobState } from './enums.js';
import { STAGE_NAMES, type StageName } from './pipelineStages.js';
import { rfc3339 } from './trainingJobWire.js';
import { enumOf, JobStateSchema } from './wireSchemas.js';

/** Failed work items listed in the summary, newest first. */
export const RECENT_FAILURES_LIMIT = 10;

const seconds = (description: string) => Type.Number({ description, minimum: 0 });

export const PipelineSummary = Type.Object(
  {
    generated_at: Type.String({ description: 'When the summary was read, RFC 3339.', format: 'date-time' }),
    jobs_total: Type.Integer({ description: 'Jobs of every project.' }),
    jobs_by_state: Type.Array(
      Type.Object({ state: JobStateSchema, count: Type.Integer({ description: 'Jobs in this state.' }) }),
      { description: 'Jobs per state, every project; states without jobs are left out. In the order of the JobState enum.' },
    ),
    review_queue: Type.Object(
      {
        count: Type.Integer({ description: 'Jobs waiting for a reviewer (MANUAL_VERIFYING).' }),
        oldest_since: Type.Optional(
          Type.String({ description: 'last_update_time of the job that has waited longest, RFC 3339.', format: 'date-time' }),
        ),
      },
      { description: 'The review queue.' },
    ),
    stages: Type.Array(
      Type.Object({
        stage: enumOf(STAGE_NAMES, { description: 'Pipeline stage.' }),
        work: Type.Object(
          Object.fromEntries(STAGE_WORK_STATUSES.map((status) => [status, Type.Integer({ description: `Work items ${status}.` })])) as Record<
            (typeof STAGE_WORK_STATUSES)[number],
            ReturnType<typeof Type.Integer>
          >,
          { description: "The stage's work items by status." },
        ),
        done_seconds: Type.Optional(
          Type.Object(
            {
              average: seconds('Average time from queued to done.'),
              maximum: seconds('Longest time from queued to done.'),
            },
            { description: 'Time from queued to done of the work done, retries and queue wait included; absent when none is done.' },
          ),
        ),
      }),
      { description: 'Every stage, in pipeline order.' },
    ),
    recent_failures: Type.Array(
      Type.Object({
        job_id: Type.String({ description: 'Job ID.' }),
        project_id: Type.String({ description: "The job's project." }),
        name: Type.String({ description: "The job's name." }),
        stage: enumOf(STAGE_NAMES, { description: 'The stage that failed.' }),
        attempts: Type.Integer({ description: 'Claims made before it failed.' }),
        error: Type.Optional(Type.String({ description: 'Why it failed (the last error).' })),
        failed_at: Type.String({ description: 'When it failed, RFC 3339.', format: 'date-time' }),
      }),
      { description: `Stage work that failed for good, newest first (at most ${RECENT_FAILURES_LIMIT}).` },
    ),
  },
  { description: 'The pipeline at a glance.' },
);
export type PipelineSummary = Static<typeof PipelineSummary>;

/** What the summary reads from the store. Times are epoch milliseconds. */
export interface PipelineStatistics {
  jobsByState(): Promise<Array<{ state: string; count: number }>>;
  oldestLastUpdateIn(state: JobState): Promise<number | undefined>;
  stageWorkByStatus(): Promise<Array<{ stage: string; status: string; count: number }>>;
  doneDurations(): Promise<Array<{ stage: string; averageMs: number; maximumMs: number }>>;
  /** Per stage with queued work, when its oldest queued item was made (epoch ms). */
  oldestQueuedByStage(): Promise<Array<{ stage: string; oldest: number }>>;
  recentFailures(limit: number): Promise<
    Array<{ jobId: string; projectId: string; name: string; stage: string; attempts: number; lastError: string | null; failedAt: number }>
  >;
}

export function createPipelineSummaryService({ statistics, clock }: { statistics: PipelineStatistics; clock: Clock }) {
  return {
    async summary(): Promise<PipelineSummary> {
      const [byState, oldestWaiting, work, durations, failures] = await Promise.all([
        statistics.jobsByState(),
        statistics.oldestLastUpdateIn('MANUAL_VERIFYING'),
        statistics.stageWorkByStatus(),
        statistics.doneDurations(),
        statistics.recentFailures(RECENT_FAILURES_LIMIT),
      ]);
      const countOf = new Map(byState.map((row) => [row.state, row.count]));
      const jobsByState = JOB_STATES.filter((state) => (countOf.get(state) ?? 0) > 0).map((state) => ({ state, count: countOf.get(state)! }));
      const stages = STAGE_NAMES.map((stage) => {
        const statuses = Object.fromEntries(
          STAGE_WORK_STATUSES.map((status) => [status, work.find((row) => row.stage === stage && row.status === status)?.count ?? 0]),
        ) as PipelineSummary['stages'][number]['work'];
        const done = durations.find((row) => row.stage === stage);
        return {
          stage,
          work: statuses,
          ...(done && { done_seconds: { average: roundSeconds(done.averageMs), maximum: roundSeconds(done.maximumMs) } }),
        };
      });
      return {
        generated_at: rfc3339(clock.now().getTime()),
        jobs_total: byState.reduce((total, row) => total + row.count, 0),
        jobs_by_state: jobsByState,
        review_queue: {
          count: countOf.get('MANUAL_VERIFYING') ?? 0,
          ...(oldestWaiting !== undefined && { oldest_since: rfc3339(oldestWaiting) }),
        },
        stages,
        recent_failures: failures
          .filter((failure) => (STAGE_NAMES as readonly string[]).includes(failure.stage))
          .map((failure) => ({
            job_id: failure.jobId,
            project_id: failure.projectId,
            name: failure.name,
            stage: failure.stage as StageName,
            attempts: failure.attempts,
            ...(failure.lastError !== null && { error: failure.lastError }),
            failed_at: rfc3339(failure.failedAt),
          })),
      };
    },
  };
}

export type PipelineSummaryService = ReturnType<typeof createPipelineSummaryService>;

const roundSeconds = (milliseconds: number): number => Math.round(milliseconds / 100) / 10;
