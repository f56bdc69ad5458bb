import type { Db } from './database.js';
import type { PipelineStatistics } from '../domain/pipelineSummary.js';

/**
 * The dashboard's aggregates over the jobs and their stage work. Plain grouped counts that SQLite and
 * PostgreSQL answer alike; every number comes back through Number() (PostgreSQL answers bigint
 * aggregates as text).
 */
export function createPipelineStatisticsStore(db: Db): PipelineStatistics {
  return {
    async jobsByState() {
      const rows = await db
        .selectFrom('training_jobs')
        .select((eb) => ['state', eb.fn.countAll().as('count')])
        .groupBy('state')
        .execute();
      return rows.map((row) => ({ state: row.state, count: Number(row.count) }));
    },

    async oldestLastUpdateIn(state) {
      const row = await db
        .selectFrom('training_jobs')
        .select((eb) => eb.fn.min('last_update_time').as('oldest'))
        .where('state', '=', state)
        .executeTakeFirst();
      return row?.oldest === null || row?.oldest === undefined ? undefined : Number(row.oldest);
    },

    async stageWorkByStatus() {
      const rows = await db
        .selectFrom('stage_work')
        .select((eb) => ['stage', 'status', eb.fn.countAll().as('count')])
        .groupBy(['stage', 'status'])
        .execute();
      return rows.map((row) => ({ stage: row.stage, status: row.status, count: Number(row.count) }));
    },

    async doneDurations() {
      const rows = await db
        .selectFrom('stage_work')
        .select((eb) => [
          'stage',
          eb.fn.avg(eb('updated_at', '-', eb.ref('created_at'))).as('average_ms'),
          eb.fn.max(eb('updated_at', '-', eb.ref('created_at'))).as('maximum_ms'),
        ])
        .where('status', '=', 'done')
        .groupBy('stage')
        .execute();
      return rows.map((row) => ({ stage: row.stage, averageMs: Number(row.average_ms), maximumMs: Number(row.maximum_ms) }));
    },

    async oldestQueuedByStage() {
      const rows = await db
        .selectFrom('stage_work')
        .select((eb) => ['stage', eb.fn.min('created_at').as('oldest')])
        .where('status', '=', 'queued')
        .groupBy('stage')
        .execute();
      return rows.map((row) => ({ stage: row.stage, oldest: Number(row.oldest) }));
    },

    async recentFailures(limit) {
      const rows = await db
        .selectFrom('stage_work')
        .innerJoin('training_jobs', 'training_jobs.job_id', 'stage_work.job_id')
        .select([
          'stage_work.job_id',
          'training_jobs.project_id',
          'training_jobs.name',
          'stage_work.stage',
          'stage_work.attempts',
          'stage_work.last_error',
          'stage_work.updated_at',
        ])
        .where('stage_work.status', '=', 'failed')
        .orderBy('stage_work.updated_at', 'desc')
        .orderBy('stage_work.work_id', 'desc')
        .limit(limit)
        .execute();
      return rows.map((row) => ({
        jobId: row.job_id,
        projectId: row.project_id,
        name: row.name,
        stage: row.stage,
        attempts: Number(row.attempts),
        lastError: row.last_error,
        failedAt: Number(row.updated_at),
      }));
    },
  };
}
