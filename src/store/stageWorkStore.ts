import type { Kysely, Selectable } from 'kysely';
import { isPostgres, numberOrNull } from './dialect.js';
import type { DatabaseSchema, StageWorkTable } from './schema.js';
import type { StageWork, StageWorkRepository } from '../domain/ports.js';

/**
 * The pipeline's work queue in SQL. On SQLite every write runs in the database's single writer, so
 * the claim's select-then-update cannot interleave with another claim: each item is leased once.
 * On PostgreSQL the claim locks its candidate row (FOR UPDATE SKIP LOCKED): concurrent claims pass
 * over each other's rows instead of waiting for them, and the conditional update still guards.
 */
export function createStageWorkRepository(db: Kysely<DatabaseSchema>): StageWorkRepository {
  return {
    async enqueueStageWork(work) {
      await db
        .insertInto('stage_work')
        .values({
          work_id: work.workId,
          job_id: work.jobId,
          stage: work.stage,
          status: 'queued',
          attempts: 0,
          max_attempts: work.maxAttempts,
          available_at: work.availableAt,
          worker_id: null,
          lease_token: null,
          heartbeat_deadline: null,
          lease_expires_at: null,
          last_error: null,
          created_at: work.now,
          updated_at: work.now,
        })
        .execute();
    },

    async cancelStageWork(jobId, now, keepStage) {
      let query = db
        .updateTable('stage_work')
        .set({ status: 'cancelled', lease_token: null, updated_at: now })
        .where('job_id', '=', jobId)
        .where('status', 'in', ['queued', 'leased']);
      if (keepStage !== undefined) query = query.where('stage', '!=', keepStage);
      await query.execute();
    },

    // Called inside the caller's transaction: the select and the conditional update cannot be split
    // by another claim, and the job's start event lands in the same transaction.
    async claimStageWork(stages, lease, onlyWorkIds) {
      if (stages.length === 0 || onlyWorkIds?.length === 0) return undefined;
      for (;;) {
        let candidates = db
          .selectFrom('stage_work')
          .select('work_id')
          .where('status', '=', 'queued')
          .where('stage', 'in', stages);
        // The emulator's choice stands whatever available_at says (it was written in virtual time).
        candidates = onlyWorkIds ? candidates.where('work_id', 'in', onlyWorkIds) : candidates.where('available_at', '<=', lease.now);
        candidates = candidates.orderBy('available_at').orderBy('created_at').limit(1);
        if (isPostgres(db)) candidates = candidates.forUpdate().skipLocked();
        const candidate = await candidates.executeTakeFirst();
        if (!candidate) return undefined;
        const claimed = await db
          .updateTable('stage_work')
          .set((eb) => ({
            status: 'leased',
            attempts: eb('attempts', '+', 1),
            worker_id: lease.workerId,
            lease_token: lease.leaseToken,
            heartbeat_deadline: lease.heartbeatDeadline,
            lease_expires_at: lease.leaseExpiresAt,
            updated_at: lease.now,
          }))
          .where('work_id', '=', candidate.work_id)
          .where('status', '=', 'queued')
          .returningAll()
          .executeTakeFirst();
        if (claimed) return toStageWork(claimed);
      }
    },

    async listClaimableStageWork(stages, now) {
      if (stages.length === 0) return [];
      const rows = await db
        .selectFrom('stage_work')
        .selectAll()
        .where('status', '=', 'queued')
        .where('stage', 'in', stages)
        .where('available_at', '<=', now)
        .orderBy('available_at')
        .orderBy('created_at')
        .execute();
      return rows.map(toStageWork);
    },

    async renewStageLease(workId, leaseToken, now, heartbeatDeadline) {
      const result = await db
        .updateTable('stage_work')
        .set({ heartbeat_deadline: heartbeatDeadline, updated_at: now })
        .where('work_id', '=', workId)
        .where('lease_token', '=', leaseToken)
        .where('status', '=', 'leased')
        .where('lease_expires_at', '>', now)
        .executeTakeFirst();
      return Number(result.numUpdatedRows) === 1;
    },

    async finishStageWork(workId, leaseToken, status, now, lastError) {
      const result = await db
        .updateTable('stage_work')
        .set({ status, lease_token: null, updated_at: now, last_error: lastError ?? null })
        .where('work_id', '=', workId)
        .where('lease_token', '=', leaseToken)
        .where('status', '=', 'leased')
        .executeTakeFirst();
      return Number(result.numUpdatedRows) === 1;
    },

    async requeueStageWork(workId, leaseToken, now, lastError) {
      const result = await db
        .updateTable('stage_work')
        .set({ status: 'queued', lease_token: null, worker_id: null, heartbeat_deadline: null, lease_expires_at: null, available_at: now, last_error: lastError, updated_at: now })
        .where('work_id', '=', workId)
        .where('lease_token', '=', leaseToken)
        .where('status', '=', 'leased')
        .executeTakeFirst();
      return Number(result.numUpdatedRows) === 1;
    },

    async listExpiredLeases(now) {
      const rows = await db
        .selectFrom('stage_work')
        .selectAll()
        .where('status', '=', 'leased')
        .where((eb) => eb.or([eb('heartbeat_deadline', '<', now), eb('lease_expires_at', '<', now)]))
        .execute();
      return rows.map(toStageWork);
    },

    async findStageWork(workId) {
      const row = await db.selectFrom('stage_work').selectAll().where('work_id', '=', workId).executeTakeFirst();
      return row && toStageWork(row);
    },

    async listStageWork(jobId) {
      const rows = await db.selectFrom('stage_work').selectAll().where('job_id', '=', jobId).orderBy('created_at').execute();
      return rows.map(toStageWork);
    },
  };
}

function toStageWork(row: Selectable<StageWorkTable>): StageWork {
  return {
    workId: row.work_id,
    jobId: row.job_id,
    stage: row.stage,
    status: row.status as StageWork['status'],
    attempts: row.attempts,
    maxAttempts: row.max_attempts,
    availableAt: Number(row.available_at),
    workerId: row.worker_id,
    leaseToken: row.lease_token,
    heartbeatDeadline: numberOrNull(row.heartbeat_deadline),
    leaseExpiresAt: numberOrNull(row.lease_expires_at),
    lastError: row.last_error,
    createdAt: Number(row.created_at),
    updatedAt: Number(row.updated_at),
  };
}
