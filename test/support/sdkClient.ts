import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { TEST_ACCESS_KEY, TEST_PROJECT_ID, TEST_SECRET_KEY } from './testServer.js';

// The SDK writes ~/.huaweicloud/application_id on first use: keep it out of the real home.
process.env.HOME = fs.mkdtempSync(path.join(os.tmpdir(), 'avatarforge-sdk-home-'));

const { ClientBuilder } = await import('@huaweicloud/huaweicloud-sdk-core/ClientBuilder.js');
const { BasicCredentials } = await import('@huaweicloud/huaweicloud-sdk-core/auth/BasicCredentials.js');
const { Logger4jInstance } = await import('@huaweicloud/huaweicloud-sdk-core/logger/log4jLogger.js');
// The core prints every non-2xx answer with its request headers; the tests assert on them instead.
Logger4jInstance.level = 'off';

const JOBS = '/v1/{project_id}/digital-human-training-manage/user/jobs';
const JOB = `${JOBS}/{job_id}`;
const VIDEOS = '/v1/{project_id}/2d-digital-human-videos';
const ASSETS = '/v1/{project_id}/digital-assets';
const ROOMS = '/v1/{project_id}/smart-chat-rooms';
const CHAT_JOBS = '/v1/{project_id}/digital-human-chat/smart-chat-rooms/{room_id}/smart-chat-jobs';

/** A 32-character lowercase hex id: project ids, job ids, request ids. */
export const HEX32 = /^[0-9a-f]{32}$/;
/** A whole-second UTC RFC 3339 time, as the API answers times. */
export const RFC3339_SECONDS = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/;

/** A response body (or part of one), typed loosely for reading fields in assertions. */
export type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

export interface SdkError {
  httpStatusCode: number;
  errorCode?: string;
  errorMsg?: string;
  requestId?: string;
}

export interface CallOptions {
  appUserId?: string;
  /** Pins the signing time (X-Sdk-Date), e.g. to test the skew window. */
  sdkDate?: string;
}

/** What the SDK core resolves with: the response body plus httpStatusCode (and X-Request-Id when asked for). */
export type SdkResult = Json & { httpStatusCode: number };

/**
 * The six MetaStudio operations, sent the way the official Node.js SDK's generated client sends them:
 * through the npm core's HcClient, signed by its AK/SK signer.
 */
export function createSdkClient(endpoint: string, credentials = { ak: TEST_ACCESS_KEY, sk: TEST_SECRET_KEY, projectId: TEST_PROJECT_ID }) {
  const auth = new BasicCredentials().withAk(credentials.ak).withSk(credentials.sk).withProjectId(credentials.projectId);
  const client = new ClientBuilder((hcClient: unknown) => hcClient).withCredential(auth).withEndpoint(endpoint).build() as {
    sendRequest(options: Record<string, unknown>): Promise<SdkResult>;
  };

  function send(method: string, url: string, options: CallOptions, extra: { pathParams?: object; queryParams?: object; data?: unknown }) {
    const headers: Record<string, string> = {};
    if (options.appUserId !== undefined) headers['X-App-UserId'] = options.appUserId;
    if (options.sdkDate !== undefined) headers['X-Sdk-Date'] = options.sdkDate;
    return client.sendRequest({
      method,
      url,
      contentType: 'application/json',
      queryParams: {},
      pathParams: {},
      headers,
      responseHeaders: ['X-Request-Id'],
      ...extra,
    });
  }

  // Bodies are `unknown`: the bad-input tests send what a typed client would refuse.
  return {
    create: (body: unknown, options: CallOptions = {}) => send('POST', JOBS, options, { data: body }),
    list: (query: object = {}, options: CallOptions = {}) => send('GET', JOBS, options, { queryParams: query }),
    show: (jobId: string, options: CallOptions = {}) => send('GET', JOB, options, { pathParams: { job_id: jobId } }),
    update: (jobId: string, body: unknown, options: CallOptions = {}) => send('PUT', JOB, options, { pathParams: { job_id: jobId }, data: body }),
    delete: (jobId: string, options: CallOptions = {}) => send('DELETE', JOB, options, { pathParams: { job_id: jobId } }),
    command: (jobId: string, body: unknown, options: CallOptions = {}) =>
      send('POST', `${JOB}/command`, options, { pathParams: { job_id: jobId }, data: body }),
    /** The delivered model (avatarforge extension), scoped like Show. */
    model: (jobId: string, options: CallOptions = {}) => send('GET', `${JOB}/model`, options, { pathParams: { job_id: jobId } }),
    /** The 2D digital-human video jobs, as the official SDKs send them. */
    createVideo: (body: unknown, options: CallOptions = {}) => send('POST', VIDEOS, options, { data: body }),
    showVideo: (jobId: string, query: object = {}, options: CallOptions = {}) => send('GET', `${VIDEOS}/{job_id}`, options, { pathParams: { job_id: jobId }, queryParams: query }),
    cancelVideo: (jobId: string, options: CallOptions = {}) => send('POST', `${VIDEOS}/{job_id}/cancel`, options, { pathParams: { job_id: jobId } }),
    listVideos: (query: object = {}, options: CallOptions = {}) => send('GET', '/v1/{project_id}/digital-human-videos', options, { queryParams: query }),
    createAudioFile: (body: object = {}, options: CallOptions = {}) => send('POST', `${VIDEOS}/audio-files`, options, { data: body }),
    /** The asset library, as the official SDKs send it. */
    listAssets: (query: object = {}, options: CallOptions = {}) => send('GET', ASSETS, options, { queryParams: query }),
    showAsset: (assetId: string, options: CallOptions = {}) => send('GET', `${ASSETS}/{asset_id}`, options, { pathParams: { asset_id: assetId } }),
    createAsset: (body: unknown, options: CallOptions = {}) => send('POST', ASSETS, options, { data: body }),
    updateAsset: (assetId: string, body: unknown, options: CallOptions = {}) => send('PUT', `${ASSETS}/{asset_id}`, options, { pathParams: { asset_id: assetId }, data: body }),
    deleteAsset: (assetId: string, query: object = {}, options: CallOptions = {}) => send('DELETE', `${ASSETS}/{asset_id}`, options, { pathParams: { asset_id: assetId }, queryParams: query }),
    restoreAsset: (assetId: string, options: CallOptions = {}) => send('POST', `${ASSETS}/{asset_id}/restore`, options, { pathParams: { asset_id: assetId } }),
    assetSummaries: (body: unknown, options: CallOptions = {}) => send('POST', `${ASSETS}/summarys`, options, { data: body }),
    createFile: (body: unknown, options: CallOptions = {}) => send('POST', '/v1/{project_id}/files', options, { data: body }),
    createLargeFile: (body: unknown, options: CallOptions = {}) => send('POST', '/v1/{project_id}/large-files', options, { data: body }),
    confirmFileUpload: (fileId: string, body: unknown, options: CallOptions = {}) =>
      send('POST', '/v1/{project_id}/files/{file_id}/complete', options, { pathParams: { file_id: fileId }, data: body }),
    deleteFile: (fileId: string, options: CallOptions = {}) => send('DELETE', '/v1/{project_id}/files/{file_id}', options, { pathParams: { file_id: fileId } }),
    /** Intelligent interaction (live sessions), as the official SDKs send it. */
    createRoom: (body: unknown, options: CallOptions = {}) => send('POST', ROOMS, options, { data: body }),
    showRoom: (roomId: string, options: CallOptions = {}) => send('GET', `${ROOMS}/{room_id}`, options, { pathParams: { room_id: roomId } }),
    listRooms: (query: object = {}, options: CallOptions = {}) => send('GET', ROOMS, options, { queryParams: query }),
    updateRoom: (roomId: string, body: unknown, options: CallOptions = {}) => send('PUT', `${ROOMS}/{room_id}`, options, { pathParams: { room_id: roomId }, data: body }),
    deleteRoom: (roomId: string, options: CallOptions = {}) => send('DELETE', `${ROOMS}/{room_id}`, options, { pathParams: { room_id: roomId } }),
    startChatJob: (roomId: string, query: object, body?: unknown, options: CallOptions = {}) =>
      send('POST', CHAT_JOBS, options, { pathParams: { room_id: roomId }, queryParams: query, ...(body !== undefined && { data: body }) }),
    showChatJob: (roomId: string, jobId: string, options: CallOptions = {}) =>
      send('GET', `${CHAT_JOBS}/{job_id}/state`, options, { pathParams: { room_id: roomId, job_id: jobId } }),
    listChatJobs: (roomId: string, query: object = {}, options: CallOptions = {}) => send('GET', CHAT_JOBS, options, { pathParams: { room_id: roomId }, queryParams: query }),
    stopChatJob: (roomId: string, jobId: string, options: CallOptions = {}) =>
      send('POST', `${CHAT_JOBS}/{job_id}/stop`, options, { pathParams: { room_id: roomId, job_id: jobId } }),
    createDialogUrl: (body: unknown, options: CallOptions = {}) => send('POST', '/v1/{project_id}/digital-human-chat/create-dialog-url', options, { data: body }),
    createOnceCode: (options: CallOptions = {}) => send('POST', '/v1/{project_id}/digital-human-chat/once-code', options, {}),
    /** Any other call (e.g. the admin API), signed the same way; `query` values are sent as given. */
    request: (method: string, path: string, body?: unknown, query: object = {}) => send(method, path, {}, { data: body, queryParams: query }),
  };
}

export type SdkClient = ReturnType<typeof createSdkClient>;

/** Awaits a call that must fail and returns the SDK's exception fields. */
export async function sdkError(call: Promise<unknown>): Promise<SdkError> {
  try {
    await call;
  } catch (error) {
    return error as SdkError;
  }
  throw new Error('expected the call to fail, but it succeeded');
}

/** What an SDK user sees of an error answer: status, code, a message, and the request id from X-Request-Id. */
export function assertSdkError(error: SdkError, status: number, code: string): void {
  assert.equal(error.httpStatusCode, status, `status of ${JSON.stringify(error)}`);
  assert.equal(error.errorCode, code, `code of ${JSON.stringify(error)}`);
  assert.equal(typeof error.errorMsg, 'string');
  assert.ok(error.errorMsg!.length > 0, 'error_msg is not empty');
  assert.match(error.requestId ?? '', HEX32, 'the SDK reads the request id from X-Request-Id');
}

/** X-Sdk-Date format for a given time. */
export function sdkDate(time: Date): string {
  return time.toISOString().replace(/[-:]/g, '').replace(/\.\d{3}Z$/, 'Z');
}

/**
 * Show's fields for comparing two answers about one job: each signed URL (signed afresh on every
 * read, by whichever node answered) stands as its type, so a URL present on one side only still
 * differs; the SDK's own additions are left out.
 */
export function withSignedUrlsAsTypes(job: Json): Json {
  return Object.fromEntries(
    Object.entries(job)
      .filter(([name]) => name !== 'httpStatusCode' && name !== 'X-Request-Id')
      .map(([name, value]) => [name, name.endsWith('_url') ? typeof value : value]),
  );
}
