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

type SdkResult = Record<string, unknown> & { httpStatusCode: number; 'X-Request-Id'?: string };

/**
 * The six MetaStudio operations, sent the way the official Node.js SDK's generated client sends them:
 * through the npm core's HcClient, signed by its AK/SK signer.
 */
export function createSdkClient(endpoint: string, credentials = { ak: TEST_ACCESS_KEY, sk: TEST_SECRET_KEY, projectId: TEST_PROJECT_ID }) {
  const auth = new BasicCredentials().withAk(credentials.ak).withSk(credentials.sk).withProjectId(credentials.projectId);
  const client = new ClientBuilder((hcClient: unknown) => hcClient).withCredential(auth).withEndpoint(endpoint).build() as {
    sendRequest(options: Record<string, unknown>): Promise<SdkResult>;
  };

  function send(method: string, url: string, options: CallOptions, extra: { pathParams?: object; queryParams?: object; data?: object }) {
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

  return {
    create: (body: object, options: CallOptions = {}) => send('POST', JOBS, options, { data: body }),
    list: (query: object = {}, options: CallOptions = {}) => send('GET', JOBS, options, { queryParams: query }),
    show: (jobId: string, options: CallOptions = {}) => send('GET', JOB, options, { pathParams: { job_id: jobId } }),
    update: (jobId: string, body: object, options: CallOptions = {}) => send('PUT', JOB, options, { pathParams: { job_id: jobId }, data: body }),
    delete: (jobId: string, options: CallOptions = {}) => send('DELETE', JOB, options, { pathParams: { job_id: jobId } }),
    command: (jobId: string, body: object, options: CallOptions = {}) =>
      send('POST', `${JOB}/command`, options, { pathParams: { job_id: jobId }, data: body }),
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

/** X-Sdk-Date format for a given time. */
export function sdkDate(time: Date): string {
  return time.toISOString().replace(/[-:]/g, '').replace(/\.\d{3}Z$/, 'Z');
}
