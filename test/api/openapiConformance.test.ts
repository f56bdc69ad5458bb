/**
 * Real answers of the running server against the contract, spec/training-jobs.openapi.yaml: every
 * endpoint is driven for real (through the npm SDK core) and each 200 body is validated against its
 * operation's 200 schema, each real 400/401 error body against ErrorResponse, with X-Request-Id on
 * every answer. Also: the served OpenAPI document and docs page, and the Show API reference page
 * (every documented field a job has is answered, with the documented JSON type).
 *
 * Run from the repository root: the contract is read from process.cwd().
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import crypto from 'node:crypto';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { parse as parseYaml } from 'yaml';
import { Ajv2020 } from 'ajv/dist/2020.js';
import addFormatsModule from 'ajv-formats';
import { forceJobState } from '../support/forceJobState.js';
import { startTestServer, TEST_ACCESS_KEY, TEST_PROJECT_ID, TEST_SECRET_KEY, type TestServer } from '../support/testServer.js';
import { createSdkClient, HEX32, RFC3339_SECONDS, sdkError, type Json, type SdkClient } from '../support/sdkClient.js';

// After sdkClient.js, which points HOME at a temporary directory before the SDK core loads.
const { AKSKSigner } = await import('@huaweicloud/huaweicloud-sdk-core/auth/AKSKSigner.js');
const { BasicCredentials } = await import('@huaweicloud/huaweicloud-sdk-core/auth/BasicCredentials.js');

const JOBS_PATH = `/v1/${TEST_PROJECT_ID}/digital-human-training-manage/user/jobs`;
const SIX_OPERATIONS = [
  'Create2dModelTrainingJob',
  'List2dModelTrainingJob',
  'Show2dModelTrainingJob',
  'Update2dModelTrainingJob',
  'Delete2dModelTrainingJob',
  'Execute2dModelTrainingCommandByUser',
] as const;
type OperationId = (typeof SIX_OPERATIONS)[number];

// ---------------------------------------------------------------------------------------------------------
// The contract, compiled
// ---------------------------------------------------------------------------------------------------------

const contract: Json = parseYaml(readFileSync(path.resolve(process.cwd(), 'spec/training-jobs.openapi.yaml'), 'utf8'));
const ajv = new Ajv2020({ strict: false, allErrors: true });
addFormatsModule.default(ajv);
// OpenAPI's numeric formats (not JSON Schema formats).
ajv.addFormat('int32', { type: 'number', validate: (value: number) => Number.isInteger(value) && value >= -(2 ** 31) && value < 2 ** 31 });
ajv.addFormat('int64', { type: 'number', validate: (value: number) => Number.isInteger(value) });
ajv.addSchema(contract, 'spec');

/** JSON pointer segment, URI-fragment encoded. */
const pointerSegment = (segment: string): string => encodeURIComponent(segment.replaceAll('~', '~0').replaceAll('/', '~1'));

function findOperation(operationId: string): { pathKey: string; method: string; operation: Json } {
  for (const [pathKey, item] of Object.entries<Json>(contract.paths)) {
    for (const [method, operation] of Object.entries<Json>(item)) {
      if (operation && typeof operation === 'object' && operation.operationId === operationId) return { pathKey, method, operation };
    }
  }
  throw new Error(`operation ${operationId} is not in the contract`);
}

/** `spec#/...` pointer to the JSON schema of an operation's response, following a response $ref. */
function responseSchemaPointer(operationId: OperationId, status: string): string | undefined {
  const { pathKey, method, operation } = findOperation(operationId);
  const response: Json | undefined = operation.responses?.[status];
  assert.ok(response, `${operationId} documents a ${status} response`);
  let base: string;
  let resolved: Json = response;
  if (typeof response.$ref === 'string') {
    base = response.$ref; // '#/components/responses/BadRequest'
    resolved = base
      .slice(2)
      .split('/')
      .reduce<Json>((node, key) => node[key], contract);
  } else {
    base = `#/paths/${pointerSegment(pathKey)}/${method}/responses/${status}`;
  }
  if (!resolved.content?.['application/json']?.schema) return undefined;
  return `spec${base}/content/${pointerSegment('application/json')}/schema`;
}

const validators = new Map<string, ReturnType<typeof ajv.compile>>();

function assertMatchesContract(operationId: OperationId, status: string, body: unknown): void {
  const pointer = responseSchemaPointer(operationId, status);
  assert.ok(pointer, `${operationId} ${status} has a JSON schema`);
  let validate = validators.get(pointer);
  if (!validate) {
    validate = ajv.compile({ $ref: pointer });
    validators.set(pointer, validate);
  }
  const valid = validate(body);
  assert.ok(valid, `${operationId} ${status} body does not match the contract: ${ajv.errorsText(validate.errors)}\n${JSON.stringify(body, null, 1)}`);
}

/** Property names a component schema declares (following allOf and $ref). */
function declaredProperties(schemaName: string): Set<string> {
  const names = new Set<string>();
  const visit = (node: Json): void => {
    if (typeof node.$ref === 'string') return visit(contract.components.schemas[node.$ref.replace('#/components/schemas/', '')]);
    for (const part of node.allOf ?? []) visit(part);
    for (const name of Object.keys(node.properties ?? {})) names.add(name);
  };
  visit(contract.components.schemas[schemaName]);
  return names;
}

// ---------------------------------------------------------------------------------------------------------
// Server and helpers
// ---------------------------------------------------------------------------------------------------------

let server: TestServer;
let sdk: SdkClient;

before(async () => {
  server = await startTestServer();
  sdk = createSdkClient(server.url);
});

after(async () => {
  await server?.destroy();
});

/** The body of an SDK result, and a check that the SDK read X-Request-Id from the answer. */
function sdkBody(result: Json): Json {
  const { httpStatusCode, 'X-Request-Id': requestId, ...body } = result;
  assert.equal(httpStatusCode, 200);
  assert.match(String(requestId), HEX32, 'X-Request-Id header on the 200 answer');
  return body;
}

async function upload(url: string, body: string, contentType = 'application/octet-stream'): Promise<void> {
  const response = await fetch(url, { method: 'PUT', headers: { 'Content-Type': contentType }, body });
  assert.equal(response.status, 200, `upload answered ${response.status}: ${await response.text()}`);
}


interface RawResponse {
  status: number;
  headers: Headers;
  body: Json;
}

/** A request signed with the SDK's AKSKSigner and sent with fetch: the SDK does not expose error bodies. */
async function signedFetch(
  method: string,
  requestPath: string,
  options: { body?: string; query?: Record<string, string>; projectId?: string } = {},
): Promise<RawResponse> {
  const body = options.body ?? '';
  const query = options.query ?? {};
  const search = new URLSearchParams(query).toString();
  const headers: Record<string, string> = {
    'Content-Type': 'application/json',
    'X-Project-Id': options.projectId ?? TEST_PROJECT_ID,
    'X-Sdk-Content-Sha256': crypto.createHash('sha256').update(body).digest('hex'),
  };
  const credential = new BasicCredentials().withAk(TEST_ACCESS_KEY).withSk(TEST_SECRET_KEY).withProjectId(TEST_PROJECT_ID);
  const signed = AKSKSigner.sign({ endpoint: `${server.url}${requestPath}`, method, headers, queryParams: query }, credential) as Record<string, string>;
  delete signed.host;
  const response = await fetch(`${server.url}${requestPath}${search ? `?${search}` : ''}`, { method, headers: signed, ...(body !== '' && { body }) });
  return { status: response.status, headers: response.headers, body: (await response.json()) as Json };
}

async function unsignedFetch(method: string, requestPath: string, body?: string): Promise<RawResponse> {
  const response = await fetch(`${server.url}${requestPath}`, { method, headers: { 'Content-Type': 'application/json' }, ...(body && { body }) });
  return { status: response.status, headers: response.headers, body: (await response.json()) as Json };
}

function assertContractError(operationId: OperationId, response: RawResponse, status: 400 | 401, code: string): void {
  assert.equal(response.status, status, JSON.stringify(response.body));
  assert.match(response.headers.get('content-type') ?? '', /^application\/json\b/);
  assert.match(response.headers.get('x-request-id') ?? '', HEX32, 'X-Request-Id header on the error answer');
  assert.equal(response.body.error_code, code);
  assertMatchesContract(operationId, String(status), response.body);
}

// ---------------------------------------------------------------------------------------------------------
// A reference job with every kind of user file uploaded
// ---------------------------------------------------------------------------------------------------------

const APP_USER = { appUserId: 'shop-001' };
const FILES = {
  part1: 'training-video-part-1|',
  part2: 'training-video-part-2',
  action: 'action-video',
  idFront: 'id-card-front',
  idBack: 'id-card-back',
  grant: 'authorization-letter',
  cover: 'cover-image',
  audio: 'PK-audio-zip',
  preBeauty: 'pre-beauty-image',
  postBeauty: 'post-beauty-image',
};

test('the compiled contract is not vacuous: it rejects wrong bodies', () => {
  const rejects = (operationId: OperationId, status: string, body: unknown): void => {
    assert.throws(() => assertMatchesContract(operationId, status, body), /does not match the contract/, JSON.stringify(body));
  };
  rejects('Show2dModelTrainingJob', '200', { job_id: 'x', name: 'y', state: 'NOT_A_STATE' });
  rejects('Show2dModelTrainingJob', '200', { name: 'y', state: 'WAIT_FILE_UPLOAD' });
  rejects('Show2dModelTrainingJob', '200', { job_id: 'x', name: 'y', state: 'WAIT_FILE_UPLOAD', operation_logs: [{ log_type: 'NOPE' }] });
  rejects('Create2dModelTrainingJob', '200', { job_id: 'x', training_video_upload_url: 'not-an-array' });
  rejects('List2dModelTrainingJob', '200', { count: '1', jobs: [] });
  rejects('Execute2dModelTrainingCommandByUser', '200', { commond_result: 'SUCCESS' });
  rejects('Execute2dModelTrainingCommandByUser', '200', { multipart_data: [{ part_number: 1 }] });
  rejects('Create2dModelTrainingJob', '400', { error_code: 400, error_msg: 'x' });
  rejects('Show2dModelTrainingJob', '401', { error_code: 'APIG.0301', error_msg: ['x'] });
});

describe('real answers match the contract', () => {
  let created: Json;
  let shown: Json;

  before(async () => {
    created = await sdk.create(
      {
        name: 'conformance_ref',
        contact: '13800000000',
        command_message: 'UPLOAD_VIDEO',
        video_multipart_count: 2,
        action_video_multipart_count: 1,
        is_background_replacement: false,
        batch_name: 'conformance',
        tags: ['ecommerce'],
        model_version: 'V3.2',
        is_ondemand_resource: false,
        is_flexus: true,
        is_fast_flexus: false,
        is_live_copy: false,
        is_only_human_model: false,
        audio_source_type: 'AUDIO',
        voice_properties: { job_tag: 'ECOMMERCE', sex: 'FEMALE', language: 'CN' },
        supported_service: ['VIDEO_2D'],
      },
      APP_USER,
    );
  });

  test('Create: 200 body matches Create2dModelTrainingJobResponse', () => {
    const body = sdkBody(created);
    assertMatchesContract('Create2dModelTrainingJob', '200', body);
    const declared = declaredProperties('Create2dModelTrainingJobResponse');
    for (const field of Object.keys(body)) assert.ok(declared.has(field), `${field} is a Create response field of the contract`);
  });

  test('Command GET_MULTIPART_UPLOADED with parts: 200 body matches the contract', async () => {
    await upload(created.training_video_upload_url[0], FILES.part1);
    await upload(created.training_video_upload_url[1], FILES.part2);
    const body = sdkBody(await sdk.command(created.job_id, { command: 'GET_MULTIPART_UPLOADED' }, APP_USER));
    assert.equal(body.multipart_data.length, 2);
    assertMatchesContract('Execute2dModelTrainingCommandByUser', '200', body);
  });

  test('Command CONFIRM_*: 200 bodies match the contract', async () => {
    await upload(created.action_video_upload_url[0], FILES.action);
    await upload(created.id_card_image1_upload_url, FILES.idFront);
    await upload(created.id_card_image2_upload_url, FILES.idBack);
    await upload(created.grant_file_upload_url, FILES.grant);
    await upload(created.cover_upload_url, FILES.cover);
    await upload(created.audio_upload_url, FILES.audio, 'application/zip');
    await upload(created.pre_beauty_image_upload_url, FILES.preBeauty);
    await upload(created.post_beauty_image_upload_url, FILES.postBeauty);
    for (const command of ['CONFIRM_MULTIPART_UPLOADED', 'CONFIRM_ACTION_VIDEO_MULTIPART_UPLOADED', 'CONFIRM_AUTHORIZATION_LETTER']) {
      const body = sdkBody(await sdk.command(created.job_id, { command }, APP_USER));
      assert.equal(body.commond_result, 'EXCUTE_SUCCESS', command);
      assertMatchesContract('Execute2dModelTrainingCommandByUser', '200', body);
    }
  });

  test('Show of a job with files: 200 body matches Show2dModelTrainingJobResponse', async () => {
    shown = sdkBody(await sdk.show(created.job_id, APP_USER));
    assertMatchesContract('Show2dModelTrainingJob', '200', shown);
    for (const field of ['training_video_download_url', 'action_video_download_url', 'audio_file_download_url', 'cover_download_url']) {
      assert.equal(typeof shown[field], 'string', `${field} appears once the file is uploaded`);
    }
    // Every answered field is declared by the contract; beauty_level is documented on the Show
    // reference page only.
    const declared = declaredProperties('Show2dModelTrainingJobResponse');
    for (const field of Object.keys(shown)) assert.ok(declared.has(field) || field === 'beauty_level', `${field} is a Show field`);
  });

  test('download URLs of Show serve the uploaded bytes', async () => {
    const expected: Record<string, string> = {
      training_video_download_url: FILES.part1 + FILES.part2,
      action_video_download_url: FILES.action,
      id_card_image1_download_url: FILES.idFront,
      id_card_image2_download_url: FILES.idBack,
      grant_file_download_url: FILES.grant,
      cover_download_url: FILES.cover,
      audio_file_download_url: FILES.audio,
      pre_beauty_image_download_url: FILES.preBeauty,
      post_beauty_image_download_url: FILES.postBeauty,
    };
    for (const [field, bytes] of Object.entries(expected)) {
      const response = await fetch(shown[field]);
      assert.equal(response.status, 200, field);
      assert.equal(await response.text(), bytes, field);
    }
  });

  test('List: 200 body matches List2dModelTrainingJobResponse', async () => {
    const body = sdkBody(await sdk.list({ batch_name: 'conformance', limit: 100 }, APP_USER));
    assert.equal(body.count, 1);
    assert.equal(typeof body.jobs[0].cover_download_url, 'string', 'List answers the cover URL');
    assertMatchesContract('List2dModelTrainingJob', '200', body);
    const declared = declaredProperties('TrainingJobBasicInfo');
    for (const field of Object.keys(body.jobs[0])) assert.ok(declared.has(field), `${field} is a TrainingJobBasicInfo field`);
    // An empty page too.
    assertMatchesContract('List2dModelTrainingJob', '200', sdkBody(await sdk.list({ batch_name: 'nothing-here' })));
  });

  test('Command SUBMITVERIFYING: 200 body matches; Show after submission still matches', async () => {
    const body = sdkBody(await sdk.command(created.job_id, { command: 'SUBMITVERIFYING' }, APP_USER));
    assert.equal(body.commond_result, 'EXCUTE_SUCCESS');
    assertMatchesContract('Execute2dModelTrainingCommandByUser', '200', body);
    const after = sdkBody(await sdk.show(created.job_id, APP_USER));
    assert.equal(after.state, 'AUTO_VERIFYING');
    assertMatchesContract('Show2dModelTrainingJob', '200', after);
  });

  test('Update (job moved to AUTO_VERIFY_FAILED): 200 body matches Update2dModelTrainingJobResponse', async () => {
    const job = await sdk.create({ name: 'conformance_update', audio_source_type: 'AUDIO' });
    await forceJobState(server, job.job_id, 'AUTO_VERIFY_FAILED'); // stand-in for the review pipeline (later issue)
    const body = sdkBody(await sdk.update(job.job_id, { command_message: 'UPDATE_VIDEO', video_multipart_count: 3, tags: ['again'] }));
    assert.equal(body.training_video_upload_url.length, 3);
    assertMatchesContract('Update2dModelTrainingJob', '200', body);
    const declared = declaredProperties('Update2dModelTrainingJobResponse');
    for (const field of Object.keys(body)) assert.ok(declared.has(field), `${field} is an Update response field`);
  });

  test('Delete: 200 answers {} with X-Request-Id (the contract documents no body)', async () => {
    const job = await sdk.create({ name: 'conformance_delete' });
    assert.equal(responseSchemaPointer('Delete2dModelTrainingJob', '200'), undefined, 'the contract has no 200 body schema for Delete');
    assert.deepEqual(sdkBody(await sdk.delete(job.job_id)), {});
    assert.equal((await sdkError(sdk.show(job.job_id))).httpStatusCode, 404);
  });
});

// ---------------------------------------------------------------------------------------------------------
// Error bodies
// ---------------------------------------------------------------------------------------------------------

describe('real error answers match ErrorResponse', () => {
  let waitingJob: string;
  let submittedJob: string;

  before(async () => {
    waitingJob = (await sdk.create({ name: 'conformance_errors' })).job_id;
    const submitted = await sdk.create({ name: 'conformance_submitted' });
    await upload(submitted.training_video_upload_url[0], 'video');
    await upload(submitted.id_card_image1_upload_url, 'front');
    await upload(submitted.id_card_image2_upload_url, 'back');
    await upload(submitted.grant_file_upload_url, 'grant');
    await sdk.command(submitted.job_id, { command: 'CONFIRM_MULTIPART_UPLOADED' });
    await sdk.command(submitted.job_id, { command: 'SUBMITVERIFYING' });
    submittedJob = submitted.job_id;
  });

  test('400 answers of all six operations', async () => {
    assertContractError('Create2dModelTrainingJob', await signedFetch('POST', JOBS_PATH, { body: '{"name":123}' }), 400, 'MSS.10000003');
    assertContractError('Create2dModelTrainingJob', await signedFetch('POST', JOBS_PATH, { body: '{"name":' }), 400, 'MSS.10000002');
    assertContractError('List2dModelTrainingJob', await signedFetch('GET', JOBS_PATH, { query: { limit: '0' } }), 400, 'MSS.00000003');
    // The project in the path is not the credential's project.
    const otherProject = `/v1/${'f'.repeat(32)}/digital-human-training-manage/user/jobs/${waitingJob}`;
    assertContractError('Show2dModelTrainingJob', await signedFetch('GET', otherProject), 400, 'MSS.00010009');
    assertContractError('Update2dModelTrainingJob', await signedFetch('PUT', `${JOBS_PATH}/${waitingJob}`, { body: '{"name":"x"}' }), 400, 'MSS.20010002');
    assertContractError('Delete2dModelTrainingJob', await signedFetch('DELETE', `${JOBS_PATH}/${submittedJob}`), 400, 'MSS.20010002');
    const command = `${JOBS_PATH}/${waitingJob}/command`;
    assertContractError('Execute2dModelTrainingCommandByUser', await signedFetch('POST', command, { body: '{"command":"LAUNCH"}' }), 400, 'MSS.10000003');
    assertContractError('Execute2dModelTrainingCommandByUser', await signedFetch('POST', command, { body: '{"command":"SUBMITVERIFYING"}' }), 400, 'MSS.20010003');
  });

  test('401 answers of all six operations (no credentials)', async () => {
    const job = `${JOBS_PATH}/${waitingJob}`;
    assertContractError('Create2dModelTrainingJob', await unsignedFetch('POST', JOBS_PATH, '{"name":"x"}'), 401, 'APIG.0301');
    assertContractError('List2dModelTrainingJob', await unsignedFetch('GET', JOBS_PATH), 401, 'APIG.0301');
    assertContractError('Show2dModelTrainingJob', await unsignedFetch('GET', job), 401, 'APIG.0301');
    assertContractError('Update2dModelTrainingJob', await unsignedFetch('PUT', job, '{"name":"x"}'), 401, 'APIG.0301');
    assertContractError('Delete2dModelTrainingJob', await unsignedFetch('DELETE', job), 401, 'APIG.0301');
    assertContractError('Execute2dModelTrainingCommandByUser', await unsignedFetch('POST', `${job}/command`, '{"command":"SUBMITVERIFYING"}'), 401, 'APIG.0301');
    // Nothing happened to the job.
    assert.equal((await sdk.show(waitingJob)).state, 'WAIT_FILE_UPLOAD');
  });

  test('a 404 for an unknown job has the same ErrorResponse shape', async () => {
    const response = await signedFetch('GET', `${JOBS_PATH}/${'0'.repeat(32)}`);
    assert.equal(response.status, 404);
    assert.match(response.headers.get('x-request-id') ?? '', HEX32);
    assert.equal(response.body.error_code, 'MSS.20010001');
    assertMatchesContract('Show2dModelTrainingJob', '400', response.body);
  });
});

// ---------------------------------------------------------------------------------------------------------
// The served OpenAPI document and docs page
// ---------------------------------------------------------------------------------------------------------

describe('served API description', () => {
  test('GET /openapi.json lists the six operations at the contract paths', async () => {
    const response = await fetch(`${server.url}/openapi.json`);
    assert.equal(response.status, 200);
    assert.match(response.headers.get('content-type') ?? '', /^application\/json\b/);
    const served = (await response.json()) as Json;
    assert.match(String(served.openapi), /^3\./);
    const servedOperations = new Map<string, string>();
    for (const [pathKey, item] of Object.entries<Json>(served.paths ?? {})) {
      for (const [method, operation] of Object.entries<Json>(item)) {
        if (operation?.operationId) servedOperations.set(operation.operationId, `${method.toUpperCase()} ${pathKey}`);
      }
    }
    for (const operationId of SIX_OPERATIONS) {
      assert.ok(servedOperations.has(operationId), `${operationId} is served`);
      const { pathKey, method } = findOperation(operationId);
      assert.equal(servedOperations.get(operationId), `${method.toUpperCase()} ${pathKey}`, `${operationId} is at the contract's method and path`);
    }
  });

  test('the document says what the server answers: the video family, signed-URL and token statuses, X-App-UserId', async () => {
    const served = (await (await fetch(`${server.url}/openapi.json`)).json()) as Json;
    const operation = (method: string, pathKey: string): Json => served.paths[pathKey][method];
    const statuses = (method: string, pathKey: string) => Object.keys(operation(method, pathKey).responses).sort();
    const videos = '/v1/{project_id}/2d-digital-human-videos';
    assert.equal(operation('post', videos).operationId, 'Create2DDigitalHumanVideo');
    assert.equal(operation('get', `${videos}/{job_id}`).operationId, 'Show2DDigitalHumanVideo');
    assert.equal(operation('post', `${videos}/{job_id}/cancel`).operationId, 'Cancel2DDigitalHumanVideo');
    assert.equal(operation('get', '/v1/{project_id}/digital-human-videos').operationId, 'ListDigitalHumanVideo');
    assert.deepEqual(statuses('put', '/v1/files/upload/{slot_id}'), ['200', '400', '403', '408', '413', '431']);
    assert.deepEqual(statuses('get', '/v1/files/download/{job_id}/{file_kind}/{file_version}'), ['200', '206', '400', '403', '404', '408', '416', '431']);
    assert.deepEqual(statuses('post', '/v3/auth/tokens'), ['201', '400', '401', '408', '413', '429', '431', '500']);
    for (const [method, pathKey] of [['get', '/v1/{project_id}/digital-human-training-manage/user/jobs'], ['post', videos], ['get', '/v1/{project_id}/digital-human-videos']]) {
      const header = (operation(method!, pathKey!).parameters as Json[]).find((parameter) => parameter.in === 'header' && parameter.name === 'x-app-userid');
      assert.ok(header, `${method} ${pathKey} declares X-App-UserId`);
      assert.equal(header.required, false);
      // What the server accepts, so that a client (or a fuzzer) can tell a valid value from an invalid one.
      assert.deepEqual({ ...header.schema, description: undefined }, { type: 'string', minLength: 1, maxLength: 64, pattern: '^[!-~]+$', description: undefined });
    }
  });

  test('every operation declares the answers given before any route runs; every authenticated one the throttle\'s 429', async () => {
    const served = (await (await fetch(`${server.url}/openapi.json`)).json()) as Json;
    const missing: string[] = [];
    for (const [pathKey, item] of Object.entries<Json>(served.paths)) {
      for (const [method, operation] of Object.entries<Json>(item)) {
        // An unreadable URL or request (400), a client too slow to send it (408), a URL or headers too large (431).
        const expected = ['400', '408', '431', ...(operation.security ? ['401', '429'] : [])];
        for (const status of expected) if (!operation.responses[status]) missing.push(`${method.toUpperCase()} ${pathKey} ${status}`);
      }
    }
    assert.deepEqual(missing, []);
  });

  test('no optional query parameter carries an example value ("Try it out" in /docs would send it and filter the answer)', async () => {
    const served = (await (await fetch(`${server.url}/openapi.json`)).json()) as Json;
    const withExamples: string[] = [];
    for (const [pathKey, item] of Object.entries<Json>(served.paths)) {
      for (const [method, operation] of Object.entries<Json>(item)) {
        for (const parameter of (operation.parameters ?? []) as Json[]) {
          const example = parameter.example ?? parameter.examples ?? parameter.schema?.example ?? parameter.schema?.examples;
          if (parameter.in === 'query' && !parameter.required && example !== undefined) withExamples.push(`${method} ${pathKey} ${parameter.name}`);
        }
      }
    }
    assert.deepEqual(withExamples, []);
  });

  test('GET /docs answers an HTML page', async () => {
    const response = await fetch(`${server.url}/docs`, { redirect: 'follow' });
    assert.equal(response.status, 200);
    assert.match(response.headers.get('content-type') ?? '', /^text\/html\b/);
    assert.match(await response.text(), /<html/i);
  });
});

// ---------------------------------------------------------------------------------------------------------
// The Show API reference page (查询分身数字人模型训练任务详情, response table of status 200)
// ---------------------------------------------------------------------------------------------------------

type DocType = 'String' | 'Boolean' | 'Integer' | 'Array of strings' | 'Array of objects' | 'Object';

/** The 200 response table of the Show reference page, with its documented JSON types. */
const SHOW_REFERENCE_FIELDS: Array<[string, DocType]> = [
  ['job_id', 'String'],
  ['name', 'String'],
  ['state', 'String'],
  ['asset_id', 'String'],
  ['project_id', 'String'],
  ['cover_download_url', 'String'],
  ['last_update_time', 'String'],
  ['create_time', 'String'],
  ['contact', 'String'],
  ['batch_name', 'String'],
  ['tags', 'Array of strings'],
  ['model_version', 'String'],
  ['matting_type', 'String'],
  ['model_resolution', 'String'],
  ['app_user_id', 'String'],
  ['is_flexus', 'Boolean'],
  ['is_only_human_model', 'Boolean'],
  ['training_video_download_url', 'String'],
  ['id_card_image1_download_url', 'String'],
  ['id_card_image2_download_url', 'String'],
  ['grant_file_download_url', 'String'],
  ['pre_beauty_image_download_url', 'String'],
  ['action_video_download_url', 'String'],
  ['post_beauty_image_download_url', 'String'],
  ['audio_file_download_url', 'String'],
  ['operation_logs', 'Array of objects'],
  ['verify_video_matting_info', 'Array of objects'],
  ['comment_logs', 'Array of objects'],
  ['samples', 'Array of objects'],
  ['is_mask_file_uploaded', 'Boolean'],
  ['mask_file_download_url', 'String'],
  ['verify_video_download_url', 'String'],
  ['markable_video_download_url', 'String'],
  ['traning_video_mark_info', 'Object'],
  ['inference_data_process_video_mark_info', 'Object'],
  ['inference_data_process_action_mark_info', 'Object'],
  ['inference_data_process_chat_action_mark_info', 'Object'],
  ['inference_data_process_eye_correction_mark_info', 'Object'],
  ['is_background_replacement', 'Boolean'],
  ['worker_type', 'Array of strings'],
  ['beauty_level', 'Integer'],
  ['voice_train_job_id', 'String'],
  ['flexus_retry_count', 'Integer'],
  ['audio_source_type', 'String'],
  ['supported_service', 'Array of strings'],
  ['allocated_resource', 'Object'],
];

/** The reference job has these: set at creation, computed by the server, or uploaded. */
const EXPECTED_ON_REFERENCE_JOB = [
  'job_id', 'name', 'state', 'project_id', 'cover_download_url', 'last_update_time', 'create_time', 'contact', 'batch_name',
  'tags', 'model_version', 'matting_type', 'model_resolution', 'app_user_id', 'is_flexus', 'is_only_human_model',
  'training_video_download_url', 'id_card_image1_download_url', 'id_card_image2_download_url', 'grant_file_download_url',
  'pre_beauty_image_download_url', 'action_video_download_url', 'post_beauty_image_download_url', 'audio_file_download_url',
  'operation_logs', 'comment_logs', 'is_mask_file_uploaded', 'is_background_replacement', 'beauty_level',
  'flexus_retry_count', 'audio_source_type', 'supported_service',
];

function assertDocType(field: string, value: unknown, type: DocType): void {
  switch (type) {
    case 'String':
      assert.equal(typeof value, 'string', `${field} is a String`);
      break;
    case 'Boolean':
      assert.equal(typeof value, 'boolean', `${field} is a Boolean`);
      break;
    case 'Integer':
      assert.ok(Number.isInteger(value), `${field} is an Integer`);
      break;
    case 'Array of strings':
      assert.ok(Array.isArray(value) && value.every((item) => typeof item === 'string'), `${field} is an Array of strings`);
      break;
    case 'Array of objects':
      assert.ok(Array.isArray(value) && value.every((item) => item !== null && typeof item === 'object' && !Array.isArray(item)), `${field} is an Array of objects`);
      break;
    case 'Object':
      assert.ok(value !== null && typeof value === 'object' && !Array.isArray(value), `${field} is an object`);
      break;
  }
}

describe('the Show API reference page', () => {
  test('a created job with uploaded files answers every documented field it has, with the documented type', async () => {
    const job = await sdk.create(
      {
        name: 'reference_page',
        contact: '13800000000',
        batch_name: 'reference',
        tags: ['doc'],
        is_flexus: true,
        audio_source_type: 'AUDIO',
        supported_service: ['VIDEO_2D'],
      },
      APP_USER,
    );
    await upload(job.training_video_upload_url[0], 'video');
    await upload(job.action_video_upload_url[0], 'action');
    await upload(job.id_card_image1_upload_url, 'front');
    await upload(job.id_card_image2_upload_url, 'back');
    await upload(job.grant_file_upload_url, 'grant');
    await upload(job.cover_upload_url, 'cover');
    await upload(job.audio_upload_url, 'audio', 'application/zip');
    await upload(job.pre_beauty_image_upload_url, 'pre');
    await upload(job.post_beauty_image_upload_url, 'post');
    await sdk.command(job.job_id, { command: 'CONFIRM_MULTIPART_UPLOADED' }, APP_USER);
    await sdk.command(job.job_id, { command: 'CONFIRM_ACTION_VIDEO_MULTIPART_UPLOADED' }, APP_USER);

    const shown = sdkBody(await sdk.show(job.job_id, APP_USER));
    for (const field of EXPECTED_ON_REFERENCE_JOB) assert.ok(field in shown, `${field} is answered`);
    for (const [field, type] of SHOW_REFERENCE_FIELDS) {
      if (field in shown) assertDocType(field, shown[field], type);
    }

    // Values the page documents.
    assert.equal(shown.job_id, job.job_id);
    assert.equal(shown.project_id, TEST_PROJECT_ID);
    assert.equal(shown.app_user_id, 'shop-001');
    assert.match(shown.create_time, RFC3339_SECONDS);
    assert.match(shown.last_update_time, RFC3339_SECONDS);
    assert.equal(shown.model_version, 'V3.2');
    assert.equal(shown.matting_type, 'AI');
    assert.equal(shown.model_resolution, '1080P');
    assert.equal(shown.is_only_human_model, false);
    assert.equal(shown.is_background_replacement, true);
    assert.equal(shown.beauty_level, 0, 'documented default: 0, no whitening');
    assert.ok(shown.flexus_retry_count >= 0 && shown.flexus_retry_count <= 10);
    assert.equal(shown.is_mask_file_uploaded, false);
    assert.deepEqual(shown.comment_logs, []);

    // OperationLogInfo rows: operate_time (RFC 3339), log_type, operate_user.
    assert.ok(shown.operation_logs.length >= 1);
    for (const entry of shown.operation_logs as Json[]) {
      assert.match(entry.operate_time, RFC3339_SECONDS);
      assert.equal(typeof entry.log_type, 'string');
      assert.equal(typeof entry.operate_user, 'string');
      if ('log_description' in entry) assert.equal(typeof entry.log_description, 'string');
    }
    assert.deepEqual(shown.operation_logs[0], { operate_time: shown.create_time, log_type: 'USER_CREATE_JOD', operate_user: 'USER' });
  });
});
