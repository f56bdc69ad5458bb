import type { JobScope } from '../ports.js';
import type { BillingMode, ChatVoiceConfig, CreateSmartChatRoomReq, JobFinishReason, SmartChatJobState } from './liveWire.js';

/*
 * Live sessions (智能交互): a room is the configuration (model, voices, video size, subtitle box,
 * concurrency); a job is one conversation in a room. Times are epoch milliseconds.
 */

/** A room as the domain holds it: the request as normalised by liveRooms.ts, and the columns List filters on. */
export interface SmartChatRoom {
  roomId: string;
  projectId: string;
  appUserId: string | null;
  roomName: string;
  modelAssetId: string;
  concurrency: number;
  billingMode: BillingMode;
  clientNums: number;
  /** Every field of the Create/Update body, defaults filled in (what Show answers). */
  settings: CreateSmartChatRoomReq;
  /** When the room's latest job started (List's start_time/end_time filter on it). */
  lastJobStartTime: number | null;
  createTime: number;
  updateTime: number;
  version: number;
}

/** What a job was started with: the room's settings of that moment (a later Update does not change a running job). */
export interface JobSession {
  width: number;
  height: number;
  defaultLanguage: 'CN' | 'EN';
  voices: Array<Required<Pick<ChatVoiceConfig, 'voice_asset_id' | 'speed' | 'pitch' | 'volume'>> & { language: 'CN' | 'EN' }>;
  subtitle?: { dx?: number; dy?: number; width?: number; height?: number };
  chatVideoType?: 'COMPUTER' | 'MOBILE' | 'HUB';
  modelAssetId: string;
}

export interface SmartChatJob {
  jobId: string;
  roomId: string;
  projectId: string;
  appUserId: string | null;
  robotId: string;
  state: SmartChatJobState;
  finishReason: JobFinishReason | null;
  clientId: string | null;
  /** The Start's extend_param, as sent. */
  extendParam: string | null;
  session: JobSession;
  createTime: number;
  startTime: number;
  endTime: number | null;
  lastUpdateTime: number;
  errorCode: string | null;
  errorMsg: string | null;
  version: number;
}

/** States of a job that holds one of its room's concurrency: it has not ended. */
export const UNFINISHED_JOB_STATES: readonly SmartChatJobState[] = ['WAITING', 'PROCESSING', 'HEARTBEAT', 'IDLE'];

/**
 * The job lifecycle as data: each event, the states it may happen in, where it leads and what ends
 * the job with. Start creates a job in WAITING (the state of a job being prepared, spec §3.5); the
 * media slice adds WAITING → PROCESSING (the renderer joined), the silence timeout and failures.
 *
 * `timeOut` is the session length cap (AVATARFORGE_LIVE_MAX_SESSION_SECONDS): a job that has not
 * ended by start_time + cap ended then, like a session the cloud closes for silence (spec §3.5:
 * SUCCEED with MUTE_TIMEOUT, the one timeout reason of §3.4). No timer moves it: it is evaluated
 * from start_time and the request's time, and written when a request of its room first sees it.
 */
export const SMART_CHAT_JOB_TRANSITIONS = {
  stop: { from: ['WAITING', 'PROCESSING'], to: 'SUCCEED', finishReason: 'NORMAL' },
  timeOut: { from: UNFINISHED_JOB_STATES, to: 'SUCCEED', finishReason: 'MUTE_TIMEOUT' },
} as const satisfies Record<string, { from: readonly SmartChatJobState[]; to: SmartChatJobState; finishReason: JobFinishReason | null }>;

/** The longest a session may last unless the media slice ends it sooner (AVATARFORGE_LIVE_MAX_SESSION_SECONDS, 3600 by default). */
export interface LiveSessionSettings {
  maxSessionMs: number;
}

export function smartChatJobAllows(event: keyof typeof SMART_CHAT_JOB_TRANSITIONS, state: SmartChatJobState): boolean {
  return (SMART_CHAT_JOB_TRANSITIONS[event].from as readonly SmartChatJobState[]).includes(state);
}

/** How long a dialog URL and a one-time code are good for. */
export const DIALOG_URL_TTL_MS = 15 * 60 * 1000;
/** As the API documents: 5 minutes, single use. */
export const ONCE_CODE_TTL_MS = 5 * 60 * 1000;
/** The console page a dialog URL opens (the page itself is a later slice). */
export const DIALOG_PAGE_PATH = '/console/talk';

/**
 * A one-time code or a dialog URL's session, stored by the SHA-256 of its secret part so that each
 * is used once; the secret itself is never stored.
 */
export interface LiveAccessGrant {
  secretHash: string;
  kind: 'ONCE_CODE' | 'DIALOG_SESSION';
  projectId: string;
  appUserId: string | null;
  roomId: string | null;
  robotId: string | null;
  createdAt: number;
  expiresAt: number;
  usedAt: number | null;
}

export interface ListRoomsFilter {
  scope: JobScope;
  roomName?: string;
  modelName?: string;
  lastJobSince?: number;
  lastJobUntil?: number;
  offset: number;
  limit: number;
}

export interface ListSmartChatJobsFilter {
  roomId: string;
  scope: JobScope;
  states?: SmartChatJobState[];
  offset: number;
  limit: number;
}

export interface LiveRepository {
  insertRoom(room: SmartChatRoom): Promise<void>;
  findRoom(scope: JobScope, roomId: string): Promise<SmartChatRoom | undefined>;
  /** Writes `room` only if the stored version is still `expectedVersion`; false when it moved on. */
  updateRoom(room: SmartChatRoom, expectedVersion: number): Promise<boolean>;
  /** Deletes the room and its jobs. */
  deleteRoom(roomId: string): Promise<void>;
  /** A page of rooms with the model asset's name of each, the total and the quota sums over every match. */
  listRooms(filter: ListRoomsFilter): Promise<{
    count: number;
    concurrency: number;
    clientNums: number;
    clientNumsToken: number;
    rooms: Array<{ room: SmartChatRoom; modelName: string | undefined }>;
  }>;
  /**
   * Records a job start on the room. Run before the count in Start's transaction: on PostgreSQL the
   * row lock it takes makes concurrent Starts of one room wait, so their concurrency counts do not race.
   */
  recordJobStart(roomId: string, at: number): Promise<void>;
  countUnfinishedJobs(roomId: string): Promise<number>;
  /**
   * Ends the room's jobs in `from` that started before `startedBefore`, as `to` with `finishReason`,
   * at start_time + `afterMs` (end_time and lastupdate_time): one statement, so a job a Stop ended
   * meanwhile is left alone. Returns how many it ended.
   */
  endJobsStartedBefore(
    roomId: string,
    startedBefore: number,
    end: { from: readonly SmartChatJobState[]; to: SmartChatJobState; finishReason: JobFinishReason; afterMs: number },
  ): Promise<number>;
  insertJob(job: SmartChatJob): Promise<void>;
  findJob(scope: JobScope, roomId: string, jobId: string): Promise<SmartChatJob | undefined>;
  /** Writes `job` only if the stored version is still `expectedVersion`; false when it moved on. */
  updateJob(job: SmartChatJob, expectedVersion: number): Promise<boolean>;
  listJobs(filter: ListSmartChatJobsFilter): Promise<{ count: number; jobs: SmartChatJob[] }>;
  insertGrant(grant: LiveAccessGrant): Promise<void>;
  findGrant(secretHash: string): Promise<LiveAccessGrant | undefined>;
  /** Marks an unused grant used; false when it was used already. */
  markGrantUsed(secretHash: string, at: number): Promise<boolean>;
  /** Deletes grants that expired before `before` (they can never be used). */
  deleteExpiredGrants(before: number): Promise<void>;
  /** Deletes every room, job and access grant of every project (the emulator's reset). */
  deleteEverything(): Promise<void>;
}

export interface LiveStore extends LiveRepository {
  /** Runs `work` in one transaction: everything it writes lands together or not at all. */
  transaction<T>(work: (repository: LiveRepository) => Promise<T>): Promise<T>;
}
