/**
 * The test-video check as the worker API runs it, and the delivered-model endpoint (an avatarforge
 * extension, GET …/jobs/{job_id}/model). The in-process runner is off: an admin reset queues
 * compile, and the test plays the external worker (claim, upload the outputs, complete or fail),
 * so the stage's default handler plays no part.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { cli, createKey, parseCredential } from '../support/cli.js';
import { logTypes, put } from '../support/pipelineFlow.js';
import { assertSdkError, createSdkClient, sdkError, type Json, type SdkClient } from '../support/sdkClient.js';
import { TEST_DATABASE } from '../support/database.js';
import { startTestServer, type TestServer } from '../support/testServer.js';

const REPORT = {
  mouth_correlation: 0.74, floor: 0.5, held_out_seconds: 12.4, face_found_ratio: 0.98, sentence: 'The quick brown fox jumps over the lazy dog.',
  voice: 'am_michael',
  voices: { en: 'am_michael', zh: 'zm_yunxi' },
};
const MODEL_BYTES = Buffer.from('a compiled model, as far as this test knows');
const VIDEO_BYTES = Buffer.from('an MP4, as far as this test knows');

let server: TestServer;
let tenant: SdkClient;
let worker: SdkClient;
let admin: SdkClient;

before(async () => {
  server = await startTestServer();
  tenant = createSdkClient(server.url);
  worker = createSdkClient(server.url, await createKey(server, ['--role', 'worker']));
  admin = createSdkClient(server.url, await createKey(server, ['--role', 'admin']));
});
after(async () => {
  await server?.destroy();
});

/** Claims the one waiting work item of `stage`, which must be the job's. */
async function claim(stage: string, jobId: string): Promise<Json> {
  const claimed = await worker.request('POST', '/v1/worker/claims', { worker_id: 'test-worker', stages: [stage] });
  assert.equal(claimed.httpStatusCode, 200, `no ${stage} work to claim`);
  assert.equal(claimed.job.job_id, jobId);
  return claimed;
}

async function complete(claimed: Json, uploads: Record<string, Buffer>, logDescription?: string): Promise<void> {
  for (const [kind, bytes] of Object.entries(uploads)) await put(claimed.outputs[kind] as string, bytes);
  const done = await worker.request('POST', `/v1/worker/work/${claimed.work_id}/complete`, { lease_token: claimed.lease_token, ...(logDescription && { log_description: logDescription }) });
  assert.equal(done.result, 'ok');
}

/** A job compiled by the worker (with an ID card image, so that Show carries a download URL): it now waits for its test-video check. */
async function compiledJob(name: string, client = tenant, appUserId?: string): Promise<string> {
  const created = await client.create({ name }, appUserId === undefined ? {} : { appUserId });
  await put(created.id_card_image1_upload_url as string, Buffer.from('front'));
  const jobId = created.job_id as string;
  assert.equal((await admin.request('POST', `/v1/admin/training-jobs/${jobId}/reset`, { to_state: 'WAIT_COMPILE' })).state, 'WAIT_COMPILE');
  await complete(await claim('compile', jobId), { compiled_model: MODEL_BYTES });
  return jobId;
}

async function download(url: string): Promise<{ bytes: Buffer; contentType: string | null }> {
  const response = await fetch(url);
  assert.equal(response.status, 200, url);
  return { bytes: Buffer.from(await response.arrayBuffer()), contentType: response.headers.get('content-type') };
}

describe('the test-video check through the worker API', () => {
  test("compile's success queues the check; its success moves the job through TEST_VIDEO_CHECK_SUCCESS on to asset sync", async () => {
    const jobId = await compiledJob('check_passes');
    let shown = await tenant.show(jobId);
    assert.equal(shown.state, 'WAIT_TEST_VIDEO_CHECK');
    assert.deepEqual(logTypes(shown).slice(-3), ['SYSTEM_EXECUTE_COMPILE', 'SYSTEM_COMPILE_SUCCESS', 'WAIT_TEST_VIDEO_CHECK']);

    const claimed = await claim('test_video_check', jobId);
    assert.deepEqual(Object.keys(claimed.inputs), ['compiled_model'], 'the inputs the job has (no training_data here)');
    assert.deepEqual(Object.keys(claimed.outputs).sort(), ['test_video', 'test_video_report']);
    assert.equal((await tenant.show(jobId)).state, 'TEST_VIDEO_CHECK_PROCESSING');
    assert.deepEqual((await download(claimed.inputs.compiled_model as string)).bytes, MODEL_BYTES);

    await put(claimed.outputs.test_video as string, VIDEO_BYTES);
    const early = await sdkError(worker.request('POST', `/v1/worker/work/${claimed.work_id}/complete`, { lease_token: claimed.lease_token }));
    assertSdkError(early, 400, 'MSS.20010003');
    assert.match(early.errorMsg ?? '', /test_video_report$/);

    await complete(claimed, { test_video_report: Buffer.from(JSON.stringify(REPORT)) }, 'mouth correlation 0.74 (floor 0.5)');
    shown = await tenant.show(jobId);
    assert.equal(shown.state, 'WAIT_ASSET_SYNC');
    const entry = (shown.operation_logs as Json[]).at(-1)!;
    assert.deepEqual([entry.log_type, entry.operate_user, entry.log_description], ['TEST_VIDEO_CHECK_SUCCESS', 'SYSTEM', 'mouth correlation 0.74 (floor 0.5)']);
    const work = ((await admin.request('GET', `/v1/admin/training-jobs/${jobId}`)).stage_work as Json[]).map((item) => [item.stage, item.status]);
    assert.deepEqual(work, [['compile', 'done'], ['test_video_check', 'done'], ['asset_sync', 'queued']]);
    await complete(await claim('asset_sync', jobId), {});
  });

  test('its failure leaves the job in TEST_VIDEO_CHECK_FAILED with the reason and error code', async () => {
    const jobId = await compiledJob('check_fails');
    const claimed = await claim('test_video_check', jobId);
    const failed = await worker.request('POST', `/v1/worker/work/${claimed.work_id}/fail`, { lease_token: claimed.lease_token, reason: 'mouth correlation 0.12 is below 0.5', error_code: 'TV-1' });
    assert.equal(failed.result, 'ok');
    const shown = await tenant.show(jobId);
    assert.equal(shown.state, 'TEST_VIDEO_CHECK_FAILED');
    const entry = (shown.operation_logs as Json[]).at(-1)!;
    assert.deepEqual([entry.log_type, entry.operate_user, entry.log_description, entry.error_code], ['TEST_VIDEO_CHECK_FAILED', 'SYSTEM', 'mouth correlation 0.12 is below 0.5', 'TV-1']);
    assert.deepEqual(Object.keys(await tenant.model(jobId)).filter((field) => field.startsWith('test_video')), [], 'a failed check stores no test video');
    assert.equal((await admin.request('POST', `/v1/admin/training-jobs/${jobId}/skip`, {})).state, 'WAIT_ASSET_SYNC');
    await complete(await claim('asset_sync', jobId), {});
  });
});

describe('the delivered model (GET …/jobs/{job_id}/model)', () => {
  test('before compile has made a model: 400 MSS.20010008', async () => {
    const jobId = (await tenant.create({ name: 'not_compiled' })).job_id as string;
    const error = await sdkError(tenant.model(jobId));
    assertSdkError(error, 400, 'MSS.20010008');
    assert.equal(error.errorMsg, 'The job has no compiled model yet: the job is in WAIT_FILE_UPLOAD');
  });

  test('after compile: the model URL, which downloads the compiled model; the test video and report once the check made them', async () => {
    const jobId = await compiledJob('model_shown');
    const compiled = await tenant.model(jobId);
    assert.deepEqual(Object.keys(compiled).filter((field) => !['httpStatusCode', 'X-Request-Id'].includes(field)).sort(), ['job_id', 'model_download_url', 'model_format']);
    assert.deepEqual([compiled.job_id, compiled.model_format], [jobId, 'avatarforge-2d']);
    const model = await download(compiled.model_download_url as string);
    assert.deepEqual([model.bytes, model.contentType], [MODEL_BYTES, 'application/gzip']);

    await complete(await claim('test_video_check', jobId), { test_video: VIDEO_BYTES, test_video_report: Buffer.from(JSON.stringify({ ...REPORT, renderer: 'v1' })) });
    const readAt = Math.floor(server.clock.now().getTime() / 1000);
    const checked = await tenant.model(jobId);
    const readUntil = Math.floor(server.clock.now().getTime() / 1000);
    const video = await download(checked.test_video_download_url as string);
    assert.deepEqual([video.bytes, video.contentType], [VIDEO_BYTES, 'video/mp4']);
    assert.deepEqual(checked.test_video_report, REPORT, 'the report as measured, fields the schema does not name left out');
    assert.match(checked.model_download_url as string, /[?&]expires=\d+&signature=[0-9a-f]{64}$/);
    const expires = Number(new URL(checked.model_download_url as string).searchParams.get('expires')) - 24 * 3600;
    assert.ok(expires >= readAt && expires <= readUntil, 'valid 24 hours from the read, as Show signs');
    assert.equal((await tenant.show(jobId)).test_video_download_url, undefined, 'Show keeps to the cloud\'s fields');
    await complete(await claim('asset_sync', jobId), {});
  });

  test('a report that is not the check\'s JSON is left out; the test video is still answered', async () => {
    const jobId = await compiledJob('report_broken');
    await complete(await claim('test_video_check', jobId), { test_video: VIDEO_BYTES, test_video_report: Buffer.from('{"mouth_correlation": "high"') });
    const shown = await tenant.model(jobId);
    assert.equal(typeof shown.test_video_download_url, 'string');
    assert.equal(shown.test_video_report, undefined);
    await complete(await claim('asset_sync', jobId), {});
  });

  test("another project's key and another app user get Show's error: 404 MSS.20010001", async () => {
    const otherProject = createSdkClient(server.url, parseCredential(await cli(['keys', 'create', '--data-dir', server.dataDir])));
    const jobId = await compiledJob('alice_model', tenant, 'alice');
    for (const [who, showCall, modelCall] of [
      ['another project', () => otherProject.show(jobId), () => otherProject.model(jobId)],
      ['another app user', () => tenant.show(jobId, { appUserId: 'bob' }), () => tenant.model(jobId, { appUserId: 'bob' })],
    ] as const) {
      const fromShow = await sdkError(showCall());
      const fromModel = await sdkError(modelCall());
      assertSdkError(fromModel, 404, 'MSS.20010001');
      assert.deepEqual([fromModel.errorCode, fromModel.errorMsg], [fromShow.errorCode, fromShow.errorMsg], who);
    }
    assert.equal((await tenant.model(jobId, { appUserId: 'alice' })).job_id, jobId, 'the owner sees it');
    assert.equal((await tenant.model(jobId)).job_id, jobId, 'and so does the project without an app user, as with Show');
    await complete(await claim('test_video_check', jobId), { test_video: VIDEO_BYTES, test_video_report: Buffer.from(JSON.stringify(REPORT)) });
    await complete(await claim('asset_sync', jobId), {});
  });

  test('the read cache never answers it: every read signs afresh, while Show is kept (on SQLite); neither gets the other\'s body', async () => {
    const jobId = await compiledJob('model_not_cached');
    const firstShow = await tenant.show(jobId);
    const first = await tenant.model(jobId);
    server.clock.advance(2000);
    const secondShow = await tenant.show(jobId);
    const again = await tenant.model(jobId);
    assert.equal(secondShow.id_card_image1_download_url === firstShow.id_card_image1_download_url, TEST_DATABASE === 'sqlite', 'Show: kept on SQLite only');
    assert.notEqual(again.model_download_url, first.model_download_url, 'the model: a fresh answer, signed two seconds later');
    assert.deepEqual([secondShow.state, secondShow.model_format], ['WAIT_TEST_VIDEO_CHECK', undefined]);
    assert.deepEqual([again.job_id, again.state], [jobId, undefined]);
    await complete(await claim('test_video_check', jobId), { test_video: VIDEO_BYTES, test_video_report: Buffer.from(JSON.stringify(REPORT)) });
    await complete(await claim('asset_sync', jobId), {});
  });

  test('it is in /openapi.json as ShowTrainingJobModel, next to Show, marked as an avatarforge extension', async () => {
    const served = (await (await fetch(`${server.url}/openapi.json`)).json()) as Json;
    const operation = served.paths['/v1/{project_id}/digital-human-training-manage/user/jobs/{job_id}/model'].get as Json;
    const show = served.paths['/v1/{project_id}/digital-human-training-manage/user/jobs/{job_id}'].get as Json;
    assert.equal(operation.operationId, 'ShowTrainingJobModel');
    assert.deepEqual(operation.tags, show.tags);
    assert.match(operation.summary as string, /^avatarforge extension: /);
    assert.deepEqual(Object.keys(operation.responses['200'].content['application/json'].schema.properties), [
      'job_id',
      'asset_id',
      'model_format',
      'model_download_url',
      'test_video_download_url',
      'test_video_report',
    ]);
  });
});
