import type { Kysely, Selectable } from 'kysely';
import type { JobScope } from '../../domain/ports.js';
import type { LiveAccessGrant, LiveRepository, LiveStore, SmartChatJob, SmartChatRoom } from '../../domain/live/liveSession.js';
import type { BillingMode, JobFinishReason, SmartChatJobState } from '../../domain/live/liveWire.js';
import { UNFINISHED_JOB_STATES } from '../../domain/live/liveSession.js';
import { contains } from '../contains.js';
import type { Db } from '../database.js';
import { inTransaction, numberOrNull } from '../dialect.js';
import type { DatabaseSchema, LiveAccessGrantsTable, SmartChatJobsTable, SmartChatRoomsTable } from '../schema.js';

/** Live-session rooms, jobs and access grants in SQL; scoped reads filter by project, and app user when given. */
export function createLiveStore(db: Db): LiveStore {
  return {
    ...createLiveRepository(db),
    transaction: (work) => inTransaction(db, (trx) => work(createLiveRepository(trx))),
  };
}

function scopedRooms(db: Kysely<DatabaseSchema>, scope: JobScope) {
  let query = db.selectFrom('smart_chat_rooms').where('smart_chat_rooms.project_id', '=', scope.projectId);
  if (scope.appUserId !== undefined) query = query.where('smart_chat_rooms.app_user_id', '=', scope.appUserId);
  return query;
}

function createLiveRepository(db: Kysely<DatabaseSchema>): LiveRepository {
  return {
    async insertRoom(room) {
      await db.insertInto('smart_chat_rooms').values(toRoomRow(room)).execute();
    },

    async findRoom(scope, roomId) {
      const row = await scopedRooms(db, scope).selectAll().where('room_id', '=', roomId).executeTakeFirst();
      return row && toRoom(row);
    },

    async updateRoom(room, expectedVersion) {
      const { room_id: _roomId, project_id: _projectId, app_user_id: _appUserId, create_time: _createTime, ...changes } = toRoomRow(room);
      const result = await db.updateTable('smart_chat_rooms').set(changes).where('room_id', '=', room.roomId).where('version', '=', expectedVersion).executeTakeFirst();
      return Number(result.numUpdatedRows) === 1;
    },

    async deleteRoom(roomId) {
      await db.deleteFrom('smart_chat_jobs').where('room_id', '=', roomId).execute();
      await db.deleteFrom('smart_chat_rooms').where('room_id', '=', roomId).execute();
    },

    async listRooms(filter) {
      let query = scopedRooms(db, filter.scope);
      if (filter.roomName !== undefined) query = query.where(contains('smart_chat_rooms.room_name', filter.roomName));
      if (filter.modelName !== undefined) {
        const modelName = filter.modelName;
        query = query.where('smart_chat_rooms.model_asset_id', 'in', (eb) =>
          eb.selectFrom('assets').select('assets.asset_id').where('assets.project_id', '=', filter.scope.projectId).where(contains('assets.asset_name', modelName)),
        );
      }
      if (filter.lastJobSince !== undefined) query = query.where('smart_chat_rooms.last_job_start_time', '>=', filter.lastJobSince);
      if (filter.lastJobUntil !== undefined) query = query.where('smart_chat_rooms.last_job_start_time', '<=', filter.lastJobUntil);
      const totals = await query
        .select((eb) => [
          eb.fn.countAll<number | string>().as('count'),
          eb.fn.sum<number | string | null>('smart_chat_rooms.concurrency').as('concurrency'),
          eb.fn.sum<number | string | null>(eb.case().when('smart_chat_rooms.billing_mode', '=', 'CLIENT').then(eb.ref('smart_chat_rooms.client_nums')).else(0).end()).as('client_nums'),
          eb.fn.sum<number | string | null>(eb.case().when('smart_chat_rooms.billing_mode', '=', 'CLIENT_TOKENS').then(eb.ref('smart_chat_rooms.client_nums')).else(0).end()).as('client_nums_token'),
        ])
        .executeTakeFirstOrThrow();
      const rows = await query
        .selectAll('smart_chat_rooms')
        .select((eb) => eb.selectFrom('assets').select('assets.asset_name').whereRef('assets.asset_id', '=', 'smart_chat_rooms.model_asset_id').limit(1).as('model_name'))
        .orderBy('smart_chat_rooms.create_time', 'desc')
        .orderBy('smart_chat_rooms.room_id', 'desc')
        .offset(filter.offset)
        .limit(filter.limit)
        .execute();
      return {
        count: Number(totals.count),
        concurrency: Number(totals.concurrency ?? 0),
        clientNums: Number(totals.client_nums ?? 0),
        clientNumsToken: Number(totals.client_nums_token ?? 0),
        rooms: rows.map(({ model_name: modelName, ...row }) => ({ room: toRoom(row), modelName: modelName ?? undefined })),
      };
    },

    async recordJobStart(roomId, at) {
      await db.updateTable('smart_chat_rooms').set({ last_job_start_time: at }).where('room_id', '=', roomId).execute();
    },

    async countUnfinishedJobs(roomId) {
      const row = await db
        .selectFrom('smart_chat_jobs')
        .select((eb) => eb.fn.countAll<number | string>().as('count'))
        .where('room_id', '=', roomId)
        .where('state', 'in', UNFINISHED_JOB_STATES)
        .executeTakeFirstOrThrow();
      return Number(row.count);
    },

    async endJobsStartedBefore(roomId, startedBefore, end) {
      const result = await db
        .updateTable('smart_chat_jobs')
        .set((eb) => ({
          state: end.to,
          finish_reason: end.finishReason,
          end_time: eb('start_time', '+', end.afterMs),
          last_update_time: eb('start_time', '+', end.afterMs),
          version: eb('version', '+', 1),
        }))
        .where('room_id', '=', roomId)
        .where('state', 'in', end.from)
        .where('start_time', '<', startedBefore)
        .executeTakeFirst();
      return Number(result.numUpdatedRows);
    },

    async insertJob(job) {
      await db.insertInto('smart_chat_jobs').values(toJobRow(job)).execute();
    },

    async findJob(scope, roomId, jobId) {
      let query = db.selectFrom('smart_chat_jobs').selectAll().where('job_id', '=', jobId).where('room_id', '=', roomId).where('project_id', '=', scope.projectId);
      if (scope.appUserId !== undefined) query = query.where('app_user_id', '=', scope.appUserId);
      const row = await query.executeTakeFirst();
      return row && toJob(row);
    },

    async updateJob(job, expectedVersion) {
      const { job_id: _jobId, room_id: _roomId, project_id: _projectId, app_user_id: _appUserId, create_time: _createTime, ...changes } = toJobRow(job);
      const result = await db.updateTable('smart_chat_jobs').set(changes).where('job_id', '=', job.jobId).where('version', '=', expectedVersion).executeTakeFirst();
      return Number(result.numUpdatedRows) === 1;
    },

    async listJobs(filter) {
      let query = db.selectFrom('smart_chat_jobs').where('room_id', '=', filter.roomId).where('project_id', '=', filter.scope.projectId);
      if (filter.scope.appUserId !== undefined) query = query.where('app_user_id', '=', filter.scope.appUserId);
      if (filter.states) query = query.where('state', 'in', filter.states);
      const counted = await query.select((eb) => eb.fn.countAll<number | string>().as('count')).executeTakeFirstOrThrow();
      const rows = await query.selectAll().orderBy('create_time', 'desc').orderBy('job_id', 'desc').offset(filter.offset).limit(filter.limit).execute();
      return { count: Number(counted.count), jobs: rows.map(toJob) };
    },

    async insertGrant(grant) {
      await db.insertInto('live_access_grants').values(toGrantRow(grant)).execute();
    },

    async findGrant(secretHash) {
      const row = await db.selectFrom('live_access_grants').selectAll().where('secret_hash', '=', secretHash).executeTakeFirst();
      return row && toGrant(row);
    },

    async markGrantUsed(secretHash, at) {
      const result = await db.updateTable('live_access_grants').set({ used_at: at }).where('secret_hash', '=', secretHash).where('used_at', 'is', null).executeTakeFirst();
      return Number(result.numUpdatedRows) === 1;
    },

    async deleteExpiredGrants(before) {
      await db.deleteFrom('live_access_grants').where('expires_at', '<', before).execute();
    },

    async deleteEverything() {
      await db.deleteFrom('live_access_grants').execute();
      await db.deleteFrom('smart_chat_jobs').execute();
      await db.deleteFrom('smart_chat_rooms').execute();
    },
  };
}

function toRoomRow(room: SmartChatRoom): SmartChatRoomsTable {
  return {
    room_id: room.roomId,
    project_id: room.projectId,
    app_user_id: room.appUserId,
    room_name: room.roomName,
    model_asset_id: room.modelAssetId,
    concurrency: room.concurrency,
    billing_mode: room.billingMode,
    client_nums: room.clientNums,
    settings: JSON.stringify(room.settings),
    last_job_start_time: room.lastJobStartTime,
    create_time: room.createTime,
    update_time: room.updateTime,
    version: room.version,
  };
}

function toRoom(row: Selectable<SmartChatRoomsTable>): SmartChatRoom {
  return {
    roomId: row.room_id,
    projectId: row.project_id,
    appUserId: row.app_user_id,
    roomName: row.room_name,
    modelAssetId: row.model_asset_id,
    concurrency: Number(row.concurrency),
    billingMode: row.billing_mode as BillingMode,
    clientNums: Number(row.client_nums),
    settings: JSON.parse(row.settings) as SmartChatRoom['settings'],
    lastJobStartTime: numberOrNull(row.last_job_start_time),
    createTime: Number(row.create_time),
    updateTime: Number(row.update_time),
    version: Number(row.version),
  };
}

function toJobRow(job: SmartChatJob): SmartChatJobsTable {
  return {
    job_id: job.jobId,
    room_id: job.roomId,
    project_id: job.projectId,
    app_user_id: job.appUserId,
    robot_id: job.robotId,
    state: job.state,
    finish_reason: job.finishReason,
    client_id: job.clientId,
    extend_param: job.extendParam,
    session: JSON.stringify(job.session),
    create_time: job.createTime,
    start_time: job.startTime,
    end_time: job.endTime,
    last_update_time: job.lastUpdateTime,
    error_code: job.errorCode,
    error_msg: job.errorMsg,
    version: job.version,
  };
}

function toJob(row: Selectable<SmartChatJobsTable>): SmartChatJob {
  return {
    jobId: row.job_id,
    roomId: row.room_id,
    projectId: row.project_id,
    appUserId: row.app_user_id,
    robotId: row.robot_id,
    state: row.state as SmartChatJobState,
    finishReason: row.finish_reason as JobFinishReason | null,
    clientId: row.client_id,
    extendParam: row.extend_param,
    session: JSON.parse(row.session) as SmartChatJob['session'],
    createTime: Number(row.create_time),
    startTime: Number(row.start_time),
    endTime: numberOrNull(row.end_time),
    lastUpdateTime: Number(row.last_update_time),
    errorCode: row.error_code,
    errorMsg: row.error_msg,
    version: Number(row.version),
  };
}

function toGrantRow(grant: LiveAccessGrant): LiveAccessGrantsTable {
  return {
    secret_hash: grant.secretHash,
    kind: grant.kind,
    project_id: grant.projectId,
    app_user_id: grant.appUserId,
    room_id: grant.roomId,
    robot_id: grant.robotId,
    created_at: grant.createdAt,
    expires_at: grant.expiresAt,
    used_at: grant.usedAt,
  };
}

function toGrant(row: Selectable<LiveAccessGrantsTable>): LiveAccessGrant {
  return {
    secretHash: row.secret_hash,
    kind: row.kind as LiveAccessGrant['kind'],
    projectId: row.project_id,
    appUserId: row.app_user_id,
    roomId: row.room_id,
    robotId: row.robot_id,
    createdAt: Number(row.created_at),
    expiresAt: Number(row.expires_at),
    usedAt: numberOrNull(row.used_at),
  };
}
