import crypto from 'node:crypto';
import type { Clock } from '../../clock.js';
import { USABLE_ASSET_STATES, type Asset } from '../assets/asset.js';
import { ApiError } from '../errors.js';
import { newId } from '../ids.js';
import { parseTimeParameter } from '../listQueryParameters.js';
import type { JobScope, UrlSigner } from '../ports.js';
import { normaliseRoom, sessionOf } from './liveRooms.js';
import {
  DIALOG_PAGE_PATH,
  DIALOG_URL_TTL_MS,
  ONCE_CODE_TTL_MS,
  SMART_CHAT_JOB_TRANSITIONS,
  smartChatJobAllows,
  type LiveAccessGrant,
  type LiveRepository,
  type LiveSessionSettings,
  type LiveStore,
  type SmartChatJob,
  type SmartChatRoom,
} from './liveSession.js';
import { jobStartView, jobSummaryView, jobView, roomSummaryView, roomView } from './liveViews.js';
import {
  SMART_CHAT_JOB_STATES,
  type CreateDialogUrlReq,
  type CreateSmartChatRoomReq,
  type ListSmartChatJobQuery,
  type ListSmartChatRoomsQuery,
  type SmartChatJobsReq,
  type SmartChatJobState,
} from './liveWire.js';

/** What a room needs to know of the asset library: the model asset and the training job that made it. */
export interface ModelLookup {
  findAsset(scope: JobScope, assetId: string): Promise<Asset | undefined>;
  findJobByAssetId(scope: JobScope, assetId: string): Promise<{ jobId: string; state: string } | undefined>;
}

/** Services a live-session model may be used for (the asset's supported_service). */
const LIVE_SERVICES = ['CHAT_2D', 'LIVE_2D'];

/** Expired grants are kept a day, so that using one is refused as expired rather than unknown. */
const EXPIRED_GRANTS_KEPT_MS = 24 * 3600 * 1000;

const sha256 = (text: string) => crypto.createHash('sha256').update(text).digest('hex');

/** The query a dialog URL carries, in the order it is signed. */
const DIALOG_PARAMS = ['project_id', 'room_id', 'robot_id', 'session'] as const;

/** A room's columns that come from its body (Create's, and Update's, which replaces it whole). */
function roomSettings(settings: ReturnType<typeof normaliseRoom>) {
  return {
    roomName: settings.room_name,
    modelAssetId: settings.model_asset_id,
    concurrency: settings.concurrency ?? 0,
    billingMode: settings.billing_mode ?? 'CONCURRENCY',
    clientNums: settings.client_nums ?? 0,
    settings,
  } satisfies Partial<SmartChatRoom>;
}

/**
 * Live sessions (intelligent interaction): rooms, the jobs started in them, and the ways in for an
 * end user (a signed dialog URL, a one-time code), within the caller's project and app user. No
 * media yet: a job is WAITING from Start until Stop, or until the session length cap runs out.
 */
export function createLiveSessionService(deps: { live: LiveStore; models: ModelLookup; urls: UrlSigner; clock: Clock; settings: LiveSessionSettings }) {
  const { live, models, urls, clock, settings } = deps;
  const now = () => clock.now().getTime();

  /**
   * Writes the end of the room's jobs whose session length cap ran out before `at` (the timeOut
   * transition), before anything of the room's jobs is read or counted: no timer ends them, the
   * first request of the room that comes after does. One UPDATE, so it never overwrites a Stop,
   * and the end time it writes (start_time + cap) does not depend on when it runs.
   */
  async function endTimedOutJobs(repository: LiveRepository, roomId: string, at: number): Promise<void> {
    const { from, to, finishReason } = SMART_CHAT_JOB_TRANSITIONS.timeOut;
    await repository.endJobsStartedBefore(roomId, at - settings.maxSessionMs, { from, to, finishReason, afterMs: settings.maxSessionMs });
  }

  async function findRoomOrFail(scope: JobScope, roomId: string): Promise<SmartChatRoom> {
    const room = await live.findRoom(scope, roomId);
    if (!room) throw new ApiError('LIVE_ROOM_NOT_FOUND', roomId);
    return room;
  }

  /** The model a room shows must be a finished 2D model of the caller's, usable, and meant for live use. */
  async function checkModel(scope: JobScope, modelAssetId: string): Promise<void> {
    const refuse = (why: string): never => {
      throw new ApiError('INVALID_PARAMETER', `model_asset_id: ${why}`);
    };
    const asset = await models.findAsset(scope, modelAssetId);
    if (!asset || asset.assetState === 'DELETED') refuse(`no model asset ${modelAssetId} in this project`);
    if (asset!.assetType !== 'HUMAN_MODEL_2D' || asset!.origin !== 'TRAINING_JOB') refuse(`asset ${modelAssetId} is a ${asset!.assetType}, not a 2D model`);
    if (asset!.assetState === 'DELETING') refuse(`model asset ${modelAssetId} is in the recycle bin (RestoreAsset brings it back)`);
    if (!USABLE_ASSET_STATES.includes(asset!.assetState)) refuse(`model asset ${modelAssetId} is ${asset!.assetState}`);
    const training = await models.findJobByAssetId(scope, modelAssetId);
    if (!training || training.state !== 'JOB_SUCCESS') refuse(`model asset ${modelAssetId} is not a finished model (its training job is ${training?.state ?? 'gone'})`);
    if (!asset!.supportedService?.some((service) => LIVE_SERVICES.includes(service))) {
      refuse(`model asset ${modelAssetId} does not support live sessions: its supported_service (${(asset!.supportedService ?? []).join(', ') || 'none'}) has neither CHAT_2D nor LIVE_2D; UpdateDigitalAsset can add CHAT_2D`);
    }
  }

  function parseExtendParam(extendParam: string | undefined): string | null {
    if (extendParam === undefined || extendParam === '') return null;
    let parsed: unknown;
    try {
      parsed = JSON.parse(extendParam);
    } catch {
      throw new ApiError('INVALID_PARAMETER', 'extend_param: not JSON text (an object with city, client_id, extra_json_param)');
    }
    if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) throw new ApiError('INVALID_PARAMETER', 'extend_param: must be a JSON object');
    const clientId = (parsed as { client_id?: unknown }).client_id;
    if (clientId === undefined) return null;
    if (typeof clientId !== 'string' || clientId.length > 64) throw new ApiError('INVALID_PARAMETER', 'extend_param.client_id: a string of at most 64 characters');
    return clientId;
  }

  /** A new secret, recorded (hashed) as a grant of `kind` to the caller until `expiresAt`; grants long expired are dropped. */
  async function issueGrant(scope: JobScope, kind: LiveAccessGrant['kind'], target: Pick<LiveAccessGrant, 'roomId' | 'robotId'>, at: number, expiresAt: number): Promise<string> {
    const secret = crypto.randomBytes(24).toString('base64url');
    await live.insertGrant({ secretHash: sha256(secret), kind, projectId: scope.projectId, appUserId: scope.appUserId ?? null, ...target, createdAt: at, expiresAt, usedAt: null });
    await live.deleteExpiredGrants(at - EXPIRED_GRANTS_KEPT_MS);
    return secret;
  }

  /** A grant by its secret, used once: unknown, expired and used ones are refused, each by name. */
  async function redeem(kind: LiveAccessGrant['kind'], secret: string, madeFor: (grant: LiveAccessGrant) => boolean): Promise<LiveAccessGrant> {
    const secretHash = sha256(secret);
    return live.transaction(async (repository) => {
      const grant = await repository.findGrant(secretHash);
      if (!grant || grant.kind !== kind || !madeFor(grant)) throw new ApiError('LIVE_ACCESS_INVALID');
      if (grant.expiresAt <= now()) throw new ApiError('LIVE_ACCESS_EXPIRED');
      if (grant.usedAt !== null || !(await repository.markGrantUsed(secretHash, now()))) throw new ApiError('LIVE_ACCESS_USED');
      return { ...grant, usedAt: now() };
    });
  }

  return {
    async createRoom(scope: JobScope, body: CreateSmartChatRoomReq): Promise<{ room_id: string }> {
      const settings = normaliseRoom(body);
      await checkModel(scope, settings.model_asset_id);
      const at = now();
      const room: SmartChatRoom = {
        roomId: newId(),
        projectId: scope.projectId,
        appUserId: scope.appUserId ?? null,
        ...roomSettings(settings),
        lastJobStartTime: null,
        createTime: at,
        updateTime: at,
        version: 1,
      };
      await live.insertRoom(room);
      return { room_id: room.roomId };
    },

    async showRoom(scope: JobScope, roomId: string) {
      return roomView(await findRoomOrFail(scope, roomId));
    },

    async listRooms(scope: JobScope, query: ListSmartChatRoomsQuery) {
      const since = parseTimeParameter('start_time', query.start_time);
      const until = parseTimeParameter('end_time', query.end_time, 'upper');
      const result = await live.listRooms({
        scope,
        ...(query.room_name !== undefined && query.room_name !== '' && { roomName: query.room_name }),
        ...(query.model_name !== undefined && query.model_name !== '' && { modelName: query.model_name }),
        ...(since !== undefined && { lastJobSince: since }),
        ...(until !== undefined && { lastJobUntil: until }),
        offset: query.offset ?? 0,
        limit: query.limit ?? 10,
      });
      return {
        count: result.count,
        count_concurrency: result.concurrency,
        count_client_nums: result.clientNums,
        count_client_nums_token: result.clientNumsToken,
        smart_chat_rooms: result.rooms.map(({ room, modelName }) => roomSummaryView(room, modelName)),
      };
    },

    /** Replaces the room's settings whole (Update takes Create's type); running jobs keep what they started with. */
    async updateRoom(scope: JobScope, roomId: string, body: CreateSmartChatRoomReq) {
      const room = await findRoomOrFail(scope, roomId);
      const settings = normaliseRoom(body);
      if (settings.model_asset_id !== room.modelAssetId) await checkModel(scope, settings.model_asset_id);
      const updated: SmartChatRoom = {
        ...room,
        ...roomSettings(settings),
        updateTime: now(),
        version: room.version + 1,
      };
      if (!(await live.updateRoom(updated, room.version))) throw new ApiError('STATE_CHANGED_CONCURRENTLY', `room ${roomId}`);
      return roomView(updated);
    },

    /** Deletes the room with its ended jobs; a room with a job that has not ended is refused (stop the job first). */
    async deleteRoom(scope: JobScope, roomId: string): Promise<void> {
      await live.transaction(async (repository) => {
        const room = await repository.findRoom(scope, roomId);
        if (!room) throw new ApiError('LIVE_ROOM_NOT_FOUND', roomId);
        await endTimedOutJobs(repository, roomId, now());
        const unfinished = await repository.countUnfinishedJobs(roomId);
        if (unfinished > 0) throw new ApiError('LIVE_ROOM_BUSY', `${unfinished} job${unfinished === 1 ? '' : 's'} of the room ha${unfinished === 1 ? 's' : 've'} not ended; StopSmartChatJob first`);
        await repository.deleteRoom(roomId);
      });
    },

    /** A new job, WAITING, within the room's concurrency; it starts with the room's settings of now. */
    async startJob(scope: JobScope, roomId: string, robotId: string, body: SmartChatJobsReq) {
      const clientId = parseExtendParam(body.extend_param);
      const room = await findRoomOrFail(scope, roomId);
      if (room.concurrency === 0) throw new ApiError('LIVE_CONCURRENCY_EXHAUSTED', 'the room has no concurrency (UpdateSmartChatRoom with concurrency 1 or more)');
      await checkModel(scope, room.modelAssetId);
      const at = now();
      const job: SmartChatJob = {
        jobId: newId(),
        roomId,
        projectId: scope.projectId,
        appUserId: scope.appUserId ?? null,
        robotId,
        state: 'WAITING',
        finishReason: null,
        clientId,
        extendParam: body.extend_param ?? null,
        session: sessionOf({ ...room.settings, model_asset_id: room.modelAssetId }),
        createTime: at,
        startTime: at,
        endTime: null,
        lastUpdateTime: at,
        errorCode: null,
        errorMsg: null,
        version: 1,
      };
      await live.transaction(async (repository) => {
        // Jobs' rows before the room's, the order Delete takes them in, so the two never deadlock.
        await endTimedOutJobs(repository, roomId, at);
        await repository.recordJobStart(roomId, at);
        // Read again under the room's lock: Update may have lowered the concurrency, Delete removed the room.
        const current = await repository.findRoom(scope, roomId);
        if (!current) throw new ApiError('LIVE_ROOM_NOT_FOUND', roomId);
        const running = await repository.countUnfinishedJobs(roomId);
        if (running >= current.concurrency) {
          throw new ApiError('LIVE_CONCURRENCY_EXHAUSTED', `the room's ${current.concurrency} concurrent job${current.concurrency === 1 ? ' is' : 's are'} in use; stop one, or raise the room's concurrency`);
        }
        await repository.insertJob(job);
      });
      return jobStartView(job);
    },

    async showJob(scope: JobScope, roomId: string, jobId: string) {
      await findRoomOrFail(scope, roomId);
      const at = now();
      await endTimedOutJobs(live, roomId, at);
      const job = await live.findJob(scope, roomId, jobId);
      if (!job) throw new ApiError('LIVE_JOB_NOT_FOUND', jobId);
      return jobView(job, at);
    },

    async listJobs(scope: JobScope, roomId: string, query: ListSmartChatJobQuery) {
      await findRoomOrFail(scope, roomId);
      const states = query.state?.split(',').map((state) => state.trim()).filter((state) => state !== '') ?? [];
      const unknown = states.filter((state) => !(SMART_CHAT_JOB_STATES as readonly string[]).includes(state));
      if (unknown.length > 0) throw new ApiError('INVALID_PARAMETER', `state must be job states separated by commas (${SMART_CHAT_JOB_STATES.join(', ')}); unknown: ${unknown.join(', ')}`);
      const at = now();
      await endTimedOutJobs(live, roomId, at);
      const result = await live.listJobs({
        roomId,
        scope,
        ...(states.length > 0 && { states: states as SmartChatJobState[] }),
        offset: query.offset ?? 0,
        limit: query.limit ?? 10,
      });
      return { count: result.count, smart_chat_jobs: result.jobs.map((job) => jobSummaryView(job, at)) };
    },

    /**
     * Ends a job that has not ended (SUCCEED, NORMAL); stopping an ended job (stopped, or past the
     * session length cap) changes nothing and succeeds.
     */
    async stopJob(scope: JobScope, roomId: string, jobId: string): Promise<void> {
      await findRoomOrFail(scope, roomId);
      await live.transaction(async (repository) => {
        const at = now();
        await endTimedOutJobs(repository, roomId, at);
        const job = await repository.findJob(scope, roomId, jobId);
        if (!job) throw new ApiError('LIVE_JOB_NOT_FOUND', jobId);
        if (!smartChatJobAllows('stop', job.state)) return;
        const { to, finishReason } = SMART_CHAT_JOB_TRANSITIONS.stop;
        const stopped: SmartChatJob = { ...job, state: to, finishReason, endTime: at, lastUpdateTime: at, version: job.version + 1 };
        if (await repository.updateJob(stopped, job.version)) return;
        // Moved on meanwhile: ended by another Stop or by a request that saw its cap run out, it answers as an ended job.
        const current = await repository.findJob(scope, roomId, jobId);
        if (current && !smartChatJobAllows('stop', current.state)) return;
        throw new ApiError('STATE_CHANGED_CONCURRENTLY', `job ${jobId}`);
      });
    },

    /**
     * The console's dialog page for one session in the room: a signed URL (the signing key of the
     * server's signed URLs) that expires, whose session id is recorded so that it opens one session.
     */
    async createDialogUrl(scope: JobScope, body: CreateDialogUrlReq): Promise<{ url: string }> {
      const room = await live.findRoom(scope, body.room_id);
      if (!room) throw new ApiError('INVALID_PARAMETER', `room_id: no room ${body.room_id} in this project`);
      const at = now();
      const expiresAt = at + DIALOG_URL_TTL_MS;
      const session = await issueGrant(scope, 'DIALOG_SESSION', { roomId: room.roomId, robotId: body.robot_id }, at, expiresAt);
      const values = { project_id: scope.projectId, room_id: room.roomId, robot_id: body.robot_id, session };
      return { url: urls.signedPageUrl(DIALOG_PAGE_PATH, DIALOG_PARAMS.map((name) => [name, values[name]]), expiresAt) };
    },

    /** A one-time code for the command channel (5 minutes, single use), bound to the caller's project and app user. */
    async createOnceCode(scope: JobScope): Promise<{ once_code: string }> {
      const at = now();
      const code = await issueGrant(scope, 'ONCE_CODE', { roomId: null, robotId: null }, at, at + ONCE_CODE_TTL_MS);
      return { once_code: code };
    },

    /**
     * Opens a dialog URL's session (for the console page, a later slice): the signature is checked
     * in constant time, then the expiry, then that the session was not opened before.
     */
    async openDialog(query: Record<string, string | undefined>): Promise<{ projectId: string; appUserId: string | null; roomId: string; robotId: string }> {
      const values = DIALOG_PARAMS.map((name) => query[name]);
      if (values.some((value) => value === undefined)) throw new ApiError('LIVE_ACCESS_INVALID');
      const signed = new URLSearchParams(DIALOG_PARAMS.map((name, index) => [name, values[index]!])).toString();
      const checked = urls.verify('GET', `${DIALOG_PAGE_PATH}?${signed}`, { ...(query.expires !== undefined && { expires: query.expires }), ...(query.signature !== undefined && { signature: query.signature }) }, now());
      if (checked === 'invalid') throw new ApiError('LIVE_ACCESS_INVALID');
      if (checked === 'expired') throw new ApiError('LIVE_ACCESS_EXPIRED');
      const grant = await redeem('DIALOG_SESSION', query.session!, (made) => made.projectId === query.project_id && made.roomId === query.room_id && made.robotId === query.robot_id);
      return { projectId: grant.projectId, appUserId: grant.appUserId, roomId: grant.roomId!, robotId: grant.robotId! };
    },

    /** Uses a one-time code (for the command channel, a later slice): the project and app user it was made for. */
    async redeemOnceCode(projectId: string, code: string): Promise<{ projectId: string; appUserId: string | null }> {
      const grant = await redeem('ONCE_CODE', code, (made) => made.projectId === projectId);
      return { projectId: grant.projectId, appUserId: grant.appUserId };
    },
  };
}

export type LiveSessionService = ReturnType<typeof createLiveSessionService>;
