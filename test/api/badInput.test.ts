/**
 * Bad input to the six operations: each gets a 4xx answer with the right code (spec §2.5, §8;
 * src/domain/errors.ts), in the error body shape the SDKs read, and nothing is stored.
 *
 * Calls go through the npm SDK core (what SDK users see: httpStatusCode, errorCode, errorMsg,
 * requestId). Where the SDK cannot express the request (invalid JSON, a non-JSON content type, a
 * JSON string body) or does not expose what is checked (the raw error body and its headers), the
 * request is signed with the SDK's own AKSKSigner and sent with fetch.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import crypto from 'node:crypto';
import { startTestServer, TEST_ACCESS_KEY, TEST_PROJECT_ID, TEST_SECRET_KEY, type TestServer } from '../support/testServer.js';
import { assertSdkError, createSdkClient, HEX32, sdkError, type Json, type SdkClient, type SdkError } from '../support/sdkClient.js';

// After sdkClient.js, which points HOME at a temporary directory before the SDK core loads.
const { AKSKSigner } = await import('@huaweicloud/huaweicloud-sdk-core/auth/AKSKSigner.js');
const { BasicCredentials } = await import('@huaweicloud/huaweicloud-sdk-core/auth/BasicCredentials.js');

const JOBS_PATH = `/v1/${TEST_PROJECT_ID}/digital-human-training-manage/user/jobs`;
const UNKNOWN_JOB = '0123456789abcdef0123456789abcdef';

let server: TestServer;
let sdk: SdkClient;
/** A job in WAIT_FILE_UPLOAD, for the Update and Command cases. */
let jobId: string;

before(async () => {
  server = await startTestServer();
  sdk = createSdkClient(server.url);
  jobId = (await sdk.create({ name: 'bad_input_target', batch_name: 'target' })).job_id;
});

after(async () => {
  await server?.destroy();
});

// ---------------------------------------------------------------------------------------------------------
// Helpers
// ---------------------------------------------------------------------------------------------------------

interface RawResponse {
  status: number;
  headers: Headers;
  text: string;
}

/**
 * A request signed with the SDK core's AKSKSigner and sent with fetch, for bodies the SDK cannot
 * send. The body hash is declared in X-Sdk-Content-Sha256 (the signer's own way to sign a body it
 * did not serialise).
 */
async function signedFetch(
  method: string,
  path: string,
  options: { body?: string; contentType?: string; query?: Record<string, string> } = {},
): Promise<RawResponse> {
  const body = options.body ?? '';
  const query = options.query ?? {};
  const search = new URLSearchParams(query).toString();
  const headers: Record<string, string> = {
    'X-Project-Id': TEST_PROJECT_ID,
    'X-Sdk-Content-Sha256': crypto.createHash('sha256').update(body).digest('hex'),
  };
  if (options.contentType !== undefined) headers['Content-Type'] = options.contentType;
  const credential = new BasicCredentials().withAk(TEST_ACCESS_KEY).withSk(TEST_SECRET_KEY).withProjectId(TEST_PROJECT_ID);
  const signed = AKSKSigner.sign({ endpoint: `${server.url}${path}`, method, headers, queryParams: query }, credential) as Record<string, string>;
  delete signed.host; // fetch sends the same Host itself
  const response = await fetch(`${server.url}${path}${search ? `?${search}` : ''}`, { method, headers: signed, ...(body !== '' && { body }) });
  return { status: response.status, headers: response.headers, text: await response.text() };
}

/** What every error answer looks like on the wire (spec §2.5; gateway codes add request_id). */
function assertErrorResponse(response: RawResponse, status: number, code: string): Json {
  assert.equal(response.status, status, `status; body ${response.text}`);
  assert.match(response.headers.get('content-type') ?? '', /^application\/json\b/);
  const requestId = response.headers.get('x-request-id') ?? '';
  assert.match(requestId, HEX32, 'X-Request-Id header');
  const body = JSON.parse(response.text) as Json;
  const expectedKeys = code.startsWith('APIG.') ? ['error_code', 'error_msg', 'request_id'] : ['error_code', 'error_msg'];
  assert.deepEqual(Object.keys(body).sort(), expectedKeys, `keys of ${response.text}`);
  assert.equal(body.error_code, code);
  assert.equal(typeof body.error_msg, 'string');
  assert.ok(body.error_msg.length > 0);
  if (code.startsWith('APIG.')) assert.equal(body.request_id, requestId, 'request_id is the X-Request-Id');
  return body;
}

async function jobCount(): Promise<number> {
  const listed = await sdk.list({ limit: 1 });
  return listed.count as number;
}

/**
 * A Create that must fail: through the SDK, then the same bytes raw to see the body; the job count
 * is unchanged afterwards. Returns the SDK error for message checks.
 */
async function badCreate(body: unknown, status: number, code: string): Promise<SdkError> {
  const countBefore = await jobCount();
  const error = await sdkError(sdk.create(body));
  assertSdkError(error, status, code);
  assertErrorResponse(await signedFetch('POST', JOBS_PATH, { body: JSON.stringify(body), contentType: 'application/json' }), status, code);
  assert.equal(await jobCount(), countBefore, 'nothing was stored');
  return error;
}

/** A raw Create that must fail (for bodies the SDK cannot send); the job count is unchanged. */
async function badRawCreate(options: { body?: string; contentType?: string }, status: number, code: string): Promise<Json> {
  const countBefore = await jobCount();
  const body = assertErrorResponse(await signedFetch('POST', JOBS_PATH, options), status, code);
  assert.equal(await jobCount(), countBefore, 'nothing was stored');
  return body;
}

async function assertTargetUnchanged(): Promise<void> {
  const shown = await sdk.show(jobId);
  assert.equal(shown.name, 'bad_input_target');
  assert.equal(shown.batch_name, 'target');
  assert.equal(shown.state, 'WAIT_FILE_UPLOAD');
  assert.equal(shown.operation_logs.length, 1);
}

// ---------------------------------------------------------------------------------------------------------
// Create: body validation
// ---------------------------------------------------------------------------------------------------------

describe('Create body validation', () => {
  test('wrong JSON types answer 400 MSS.10000003 naming the field', async () => {
    const cases: Array<[object, string]> = [
      [{ name: 123 }, 'name'],
      [{ name: 'typed', video_multipart_count: '3' }, 'video_multipart_count'],
      [{ name: 'typed', action_video_multipart_count: 2.5 }, 'action_video_multipart_count'],
      [{ name: 'typed', is_flexus: 'false' }, 'is_flexus'],
      [{ name: 'typed', is_background_replacement: 1 }, 'is_background_replacement'],
      [{ name: 'typed', tags: 'a' }, 'tags'],
      [{ name: 'typed', tags: [1] }, 'tags'],
      [{ name: 'typed', supported_service: ['VIDEO_3D'] }, 'supported_service'],
      [{ name: 'typed', supported_service: 'VIDEO_2D' }, 'supported_service'],
      [{ name: 'typed', voice_properties: 'NEWS' }, 'voice_properties'],
      [{ name: 'typed', contact: 13800000000 }, 'contact'],
    ];
    for (const [body, field] of cases) {
      const error = await badCreate(body, 400, 'MSS.10000003');
      assert.ok(error.errorMsg!.includes(field), `"${error.errorMsg}" names ${field}`);
    }
  });

  test('multipart counts outside 1-1000 answer 400 MSS.10000003', async () => {
    await badCreate({ name: 'range', video_multipart_count: 0 }, 400, 'MSS.10000003');
    await badCreate({ name: 'range', video_multipart_count: 1001 }, 400, 'MSS.10000003');
    await badCreate({ name: 'range', video_multipart_count: -1 }, 400, 'MSS.10000003');
    await badCreate({ name: 'range', action_video_multipart_count: 1001 }, 400, 'MSS.10000003');
    await badCreate({ name: 'range', action_video_multipart_count: 0 }, 400, 'MSS.10000003');
  });

  test('unknown enum values answer 400 MSS.10000003', async () => {
    await badCreate({ name: 'enums', model_version: 'V9' }, 400, 'MSS.10000003');
    await badCreate({ name: 'enums', command_message: 'X' }, 400, 'MSS.10000003');
    await badCreate({ name: 'enums', audio_source_type: 'MIC' }, 400, 'MSS.10000003');
    await badCreate({ name: 'enums', voice_properties: { job_tag: 'NEWS', sex: 'X', language: 'CN' } }, 400, 'MSS.10000003');
    await badCreate({ name: 'enums', voice_properties: { job_tag: 'SPORTS', sex: 'MALE', language: 'CN' } }, 400, 'MSS.10000003');
    await badCreate({ name: 'enums', voice_properties: { job_tag: 'NEWS', sex: 'MALE', language: 'FR' } }, 400, 'MSS.10000003');
    await badCreate({ name: 'enums', voice_properties: { job_tag: 'NEWS', sex: 'MALE' } }, 400, 'MSS.10000003');
  });

  test('a Flexus job may only support VIDEO_2D', async () => {
    await badCreate({ name: 'flexus', is_flexus: true, supported_service: ['VIDEO_2D', 'LIVE_2D'] }, 400, 'MSS.10000003');
  });

  test('a missing, empty or over-long name answers 400 MSS.10000003', async () => {
    const missing = await badCreate({ contact: '13800000000' }, 400, 'MSS.10000003');
    assert.ok(missing.errorMsg!.includes('name'), missing.errorMsg);
    await badCreate({}, 400, 'MSS.10000003');
    await badCreate({ name: '' }, 400, 'MSS.10000003');
    await badCreate({ name: 'n'.repeat(65) }, 400, 'MSS.10000003');
    // 64 characters is still a name.
    const countBefore = await jobCount();
    await sdk.create({ name: 'n'.repeat(64) });
    assert.equal(await jobCount(), countBefore + 1);
  });

  test('invalid JSON answers 400 MSS.10000002', async () => {
    await badRawCreate({ body: '{"name":', contentType: 'application/json' }, 400, 'MSS.10000002');
    await badRawCreate({ body: "{'name': 'single quotes'}", contentType: 'application/json' }, 400, 'MSS.10000002');
    await badRawCreate({ body: '{"name": "x"} trailing', contentType: 'application/json' }, 400, 'MSS.10000002');
  });

  test('JSON that is not an object answers 400', async () => {
    await badCreate([], 400, 'MSS.10000003');
    await badRawCreate({ body: '"x"', contentType: 'application/json' }, 400, 'MSS.10000003');
    await badRawCreate({ body: '42', contentType: 'application/json' }, 400, 'MSS.10000003');
    await badRawCreate({ body: 'null', contentType: 'application/json' }, 400, 'MSS.00000002');
  });

  test('an empty body answers 400 MSS.00000002', async () => {
    const countBefore = await jobCount();
    assertSdkError(await sdkError(sdk.create(undefined)), 400, 'MSS.00000002');
    assert.equal(await jobCount(), countBefore);
    await badRawCreate({ contentType: 'application/json' }, 400, 'MSS.00000002');
    await badRawCreate({}, 400, 'MSS.00000002');
  });

  test('a body that is not declared as JSON answers 400 MSS.10000002', async () => {
    await badRawCreate({ body: '{"name":"plain"}', contentType: 'text/plain' }, 400, 'MSS.10000002');
    await badRawCreate({ body: 'name=form', contentType: 'application/x-www-form-urlencoded' }, 400, 'MSS.10000002');
    await badRawCreate({ body: '{"name":"untyped"}' }, 400, 'MSS.10000002');
  });

  test('a JSON body over 1 MiB answers 413 APIG.0201', async () => {
    const big = { name: 'too_big', contact: 'x'.repeat(1024 * 1024 + 16) };
    const countBefore = await jobCount();
    assertSdkError(await sdkError(sdk.create(big)), 413, 'APIG.0201');
    assertErrorResponse(await signedFetch('POST', JOBS_PATH, { body: JSON.stringify(big), contentType: 'application/json' }), 413, 'APIG.0201');
    assert.equal(await jobCount(), countBefore, 'nothing was stored');
    // Update and Command have the same limit.
    assertSdkError(await sdkError(sdk.update(jobId, { contact: big.contact })), 413, 'APIG.0201');
    assertSdkError(await sdkError(sdk.command(jobId, { command: 'SUBMITVERIFYING', operation_reason: big.contact })), 413, 'APIG.0201');
    await assertTargetUnchanged();
  });
});

// ---------------------------------------------------------------------------------------------------------
// Unknown jobs
// ---------------------------------------------------------------------------------------------------------

describe('unknown job ids', () => {
  test('Show, Update, Delete and Command of a job that does not exist answer 404 MSS.20010001', async () => {
    assertSdkError(await sdkError(sdk.show(UNKNOWN_JOB)), 404, 'MSS.20010001');
    assertSdkError(await sdkError(sdk.update(UNKNOWN_JOB, { name: 'ghost' })), 404, 'MSS.20010001');
    assertSdkError(await sdkError(sdk.delete(UNKNOWN_JOB)), 404, 'MSS.20010001');
    for (const command of ['GET_MULTIPART_UPLOADED', 'CONFIRM_MULTIPART_UPLOADED', 'SUBMITVERIFYING', 'CONFIRM_ACCEPT', 'DELETE_JOB_VIDEO']) {
      assertSdkError(await sdkError(sdk.command(UNKNOWN_JOB, { command })), 404, 'MSS.20010001');
    }
    // Not a hex id at all.
    assertSdkError(await sdkError(sdk.show('no-such-job')), 404, 'MSS.20010001');
    const path = `${JOBS_PATH}/${UNKNOWN_JOB}`;
    assertErrorResponse(await signedFetch('GET', path, { contentType: 'application/json' }), 404, 'MSS.20010001');
    assertErrorResponse(await signedFetch('PUT', path, { body: '{"name":"ghost"}', contentType: 'application/json' }), 404, 'MSS.20010001');
    assertErrorResponse(await signedFetch('DELETE', path, { contentType: 'application/json' }), 404, 'MSS.20010001');
    assertErrorResponse(
      await signedFetch('POST', `${path}/command`, { body: '{"command":"SUBMITVERIFYING"}', contentType: 'application/json' }),
      404,
      'MSS.20010001',
    );
  });
});

// ---------------------------------------------------------------------------------------------------------
// List query
// ---------------------------------------------------------------------------------------------------------

describe('List query validation', () => {
  test('query values of the wrong type or out of range answer 400 MSS.00000003', async () => {
    for (const query of [
      { limit: 'abc' },
      { limit: 0 },
      { limit: 101 },
      { limit: 1.5 },
      { offset: 'first' },
      { offset: -1 },
      { is_flexus: 'maybe' },
      { is_live_copy: 'yes please' },
      { sort_key: 'name' },
      { sort_dir: 'sideways' },
      { state: 'NOT_A_STATE' },
      { create_since: 'last week' },
    ]) {
      assertSdkError(await sdkError(sdk.list(query)), 400, 'MSS.00000003');
    }
    const raw = await signedFetch('GET', JOBS_PATH, { query: { limit: 'abc' }, contentType: 'application/json' });
    assertErrorResponse(raw, 400, 'MSS.00000003');
  });
});

// ---------------------------------------------------------------------------------------------------------
// Update and Command bodies
// ---------------------------------------------------------------------------------------------------------

describe('Update and Command body validation', () => {
  test('a bad Update body answers 400 MSS.10000003 and the job is unchanged', async () => {
    for (const body of [
      { video_multipart_count: 0 },
      { video_multipart_count: '2' },
      { name: '' },
      { name: 'n'.repeat(65) },
      { tags: 'a' },
      { supported_service: ['VIDEO_3D'] },
      { audio_source_type: 'MIC' },
      { command_message: 'X' },
      { voice_properties: { job_tag: 'NEWS', sex: 'X', language: 'CN' } },
    ]) {
      assertSdkError(await sdkError(sdk.update(jobId, body)), 400, 'MSS.10000003');
    }
    assertErrorResponse(await signedFetch('PUT', `${JOBS_PATH}/${jobId}`, { body: '{"name":', contentType: 'application/json' }), 400, 'MSS.10000002');
    assertErrorResponse(await signedFetch('PUT', `${JOBS_PATH}/${jobId}`, { contentType: 'application/json' }), 400, 'MSS.00000002');
    await assertTargetUnchanged();
  });

  test('a command body without a valid command answers 400 MSS.10000003', async () => {
    for (const body of [{}, { command_message: 'UPLOAD_VIDEO' }, { command: 'LAUNCH' }, { command: 5 }, { command: ['SUBMITVERIFYING'] }]) {
      assertSdkError(await sdkError(sdk.command(jobId, body)), 400, 'MSS.10000003');
    }
    const missing = await sdkError(sdk.command(jobId, {}));
    assert.ok(missing.errorMsg!.includes('command'), missing.errorMsg);
    assertSdkError(
      await sdkError(sdk.command(jobId, { command: 'CONFIRM_REJECT', comment_data: { attachment_name: 'frame.png' } })),
      400,
      'MSS.10000003',
    );
    const commandPath = `${JOBS_PATH}/${jobId}/command`;
    assertErrorResponse(await signedFetch('POST', commandPath, { body: '{}', contentType: 'application/json' }), 400, 'MSS.10000003');
    assertErrorResponse(await signedFetch('POST', commandPath, { body: '{"command":', contentType: 'application/json' }), 400, 'MSS.10000002');
    assertErrorResponse(await signedFetch('POST', commandPath, { contentType: 'application/json' }), 400, 'MSS.00000002');
    assertErrorResponse(await signedFetch('POST', commandPath, { body: 'SUBMITVERIFYING', contentType: 'text/plain' }), 400, 'MSS.10000002');
    await assertTargetUnchanged();
  });
});

// ---------------------------------------------------------------------------------------------------------
// Error answers in general
// ---------------------------------------------------------------------------------------------------------

describe('error answers', () => {
  test('state and file errors also come as exactly {error_code, error_msg} with X-Request-Id', async () => {
    const commandPath = `${JOBS_PATH}/${jobId}/command`;
    assertErrorResponse(await signedFetch('POST', commandPath, { body: '{"command":"SUBMITVERIFYING"}', contentType: 'application/json' }), 400, 'MSS.20010003');
    assertErrorResponse(
      await signedFetch('POST', commandPath, { body: '{"command":"CONFIRM_MULTIPART_UPLOADED"}', contentType: 'application/json' }),
      400,
      'MSS.20010004',
    );
    assertErrorResponse(await signedFetch('POST', commandPath, { body: '{"command":"CONFIRM_ACCEPT"}', contentType: 'application/json' }), 400, 'MSS.20010002');
    assertErrorResponse(await signedFetch('PUT', `${JOBS_PATH}/${jobId}`, { body: '{"name":"x"}', contentType: 'application/json' }), 400, 'MSS.20010002');
    await assertTargetUnchanged();
  });

  test('a method or path the API does not have answers 404 APIG.0101 whatever the body', async () => {
    assertErrorResponse(await signedFetch('PATCH', `${JOBS_PATH}/${jobId}`, { body: '{"name":"x"}', contentType: 'application/json' }), 404, 'APIG.0101');
    // The SDKs send Content-Type: application/json on DELETE without a body (sdk-behaviour.md); the
    // gateway answers "no such API" before it looks at any body.
    assertErrorResponse(await signedFetch('DELETE', JOBS_PATH, { contentType: 'application/json' }), 404, 'APIG.0101');
    assertErrorResponse(await signedFetch('POST', `${JOBS_PATH}/${jobId}/unknown`, { body: '{"name":', contentType: 'application/json' }), 404, 'APIG.0101');
    await assertTargetUnchanged();
  });

  test('an unsigned call answers 401 with the gateway body, request_id included', async () => {
    const response = await fetch(`${server.url}${JOBS_PATH}`, { headers: { 'Content-Type': 'application/json' } });
    assertErrorResponse({ status: response.status, headers: response.headers, text: await response.text() }, 401, 'APIG.0301');
  });
});
