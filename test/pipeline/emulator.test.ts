import { after, before, beforeEach, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { ConfigError } from '../../src/config.js';
import { ApiError } from '../../src/domain/errors.js';
import { createKey } from '../support/cli.js';
import { assertSdkError, createSdkClient, sdkError, type Json, type SdkClient } from '../support/sdkClient.js';
import { makeTempDir, startTestServer, TEST_PROJECT_ID, type TestServer } from '../support/testServer.js';
import { logTypes, put, waitForState } from '../support/pipelineFlow.js';
import { finishedModel } from '../support/finishedModel.js';

/**
 * Emulator control against the real server: the in-process runner with emulated handlers, the
 * emulated reviewer, the virtual clock. Jobs carry a few bytes instead of media: every stage whose
 * outcome is forced skips the media work.
 */
const EMULATOR_ENV = {
  AVATARFORGE_EMULATOR: '1',
  AVATARFORGE_WORKERS: 'true',
  AVATARFORGE_REQUIRE_IDENTITY_FILES: 'false',
  AVATARFORGE_DOWNLOAD_URL_TTL_SECONDS: '60',
};

const SUCCEED = { outcome: 'succeed' } as const;
/** Every pipeline stage succeeds at once without media work. */
const ALL_STAGES_SUCCEED = Object.fromEntries(
  ['auto_verify', 'training_data_preprocess', 'training', 'inference_data_preprocess', 'compile', 'test_video_check', 'asset_sync'].map((stage) => [stage, { outcome: SUCCEED }]),
);

/** Long enough for the runner (250 ms poll) and the reviewer (100 ms) to have acted, had they been allowed to. */
const SETTLE_MS = 800;
const settle = () => new Promise((resolve) => setTimeout(resolve, SETTLE_MS));

const EMULATOR_ROUTES: Array<[string, string, unknown?]> = [
  ['GET', '/v1/emulator/settings'],
  ['PUT', '/v1/emulator/settings', {}],
  ['POST', '/v1/emulator/jobs/0123456789abcdef0123456789abcdef/release'],
  ['GET', '/v1/emulator/clock'],
  ['POST', '/v1/emulator/clock/advance', { seconds: 1 }],
  ['POST', '/v1/emulator/reset'],
];

describe('emulator control', () => {
  let server: TestServer;
  let tenant: SdkClient;
  let admin: SdkClient;

  before(async () => {
    server = await startTestServer({ env: EMULATOR_ENV });
    tenant = createSdkClient(server.url);
    admin = createSdkClient(server.url, await createKey(server, ['--role', 'admin']));
  });
  after(() => server.destroy());
  beforeEach(async () => {
    const reset = await admin.request('POST', '/v1/emulator/reset');
    assert.equal(reset.httpStatusCode, 200);
  });

  const setStages = async (stages: Json) => {
    const answer = await admin.request('PUT', '/v1/emulator/settings', { stages });
    assert.equal(answer.httpStatusCode, 200);
    return answer;
  };

  /** A job with a few bytes as its video, submitted: it waits for automatic review. */
  async function submitTinyJob(name: string): Promise<string> {
    const created = await tenant.create({ name });
    await put((created.training_video_upload_url as string[])[0]!, Buffer.from('not really a video'));
    await tenant.command(created.job_id as string, { command: 'CONFIRM_MULTIPART_UPLOADED' });
    await tenant.command(created.job_id as string, { command: 'SUBMITVERIFYING' });
    return created.job_id as string;
  }

  /** The job's state as the admin API shows it: not a tenant read, so after_reads does not count it. */
  const adminState = async (jobId: string) => (await admin.request('GET', `/v1/admin/training-jobs/${jobId}`)).state as string;

  async function waitForAdminState(jobId: string, state: string): Promise<void> {
    const deadline = Date.now() + 20_000;
    while (Date.now() < deadline) {
      if ((await adminState(jobId)) === state) return;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    assert.fail(`job ${jobId} is in ${await adminState(jobId)}, not ${state}`);
  }

  const lastLog = (shown: Json): Json => (shown.operation_logs as Json[]).at(-1)!;

  test('settings: defaults are immediate and real for every family; PUT fills what is left out', async () => {
    const defaults = await admin.request('GET', '/v1/emulator/settings');
    assert.deepEqual(Object.keys(defaults.stages as Json), [
      'auto_verify',
      'training_data_preprocess',
      'training',
      'inference_data_preprocess',
      'compile',
      'test_video_check',
      'asset_sync',
      'video_render',
      'manual_review',
    ]);
    for (const family of Object.values(defaults.stages as Json)) assert.deepEqual(family, { progress: { mode: 'immediate' }, outcome: { outcome: 'real' } });

    const replaced = await setStages({ training: { progress: { mode: 'after_seconds', seconds: 30 } }, manual_review: { outcome: { outcome: 'fail', message: 'no' } } });
    assert.deepEqual((replaced.stages as Json).training, { progress: { mode: 'after_seconds', seconds: 30 }, outcome: { outcome: 'real' } });
    assert.deepEqual((replaced.stages as Json).manual_review, { progress: { mode: 'immediate' }, outcome: { outcome: 'fail', message: 'no' } });
    assert.deepEqual((await admin.request('GET', '/v1/emulator/settings')).stages, replaced.stages);
  });

  test('settings: unknown families, modes without their parameter and a failing asset sync are refused with 400', async () => {
    for (const stages of [
      { upload: { progress: { mode: 'immediate' } } },
      { training: { progress: { mode: 'after_reads' } } },
      { training: { progress: { mode: 'sometimes' } } },
      { training: { outcome: { outcome: 'maybe' } } },
    ]) {
      const error = await sdkError(admin.request('PUT', '/v1/emulator/settings', { stages }));
      assert.equal(error.httpStatusCode, 400, JSON.stringify(stages));
    }
    assertSdkError(await sdkError(admin.request('PUT', '/v1/emulator/settings', { stages: { asset_sync: { outcome: { outcome: 'fail' } } } })), 400, 'MSS.10000003');
  });

  test('immediate: with every stage forced to succeed and review auto-approved, a job of a few bytes reaches JOB_SUCCESS', async () => {
    await setStages({ ...ALL_STAGES_SUCCEED, manual_review: { outcome: { outcome: 'succeed', message: 'looks fine' } } });
    const jobId = await submitTinyJob('emulated_success');
    const done = await waitForState(tenant, jobId, ['JOB_SUCCESS'], 20_000);
    assert.deepEqual(logTypes(done), [
      'USER_CREATE_JOD',
      'USER_VERIFYING_SUBMITTED',
      'SYSTEM_VERIFY_SUCCESS',
      'ADMIN_VERIFY_SUCCESS',
      'SYSTEM_TRAIN_DATA_PREPROCESSING',
      'SYSTEM_TRAIN_DATA_PREPROCESS_SUCCESS',
      'SYSTEM_TRAINING',
      'SYSTEM_TRAIN_SUCCESS',
      'SYSTEM_INFERENCE_DATA_PREPROCESSING',
      'SYSTEM_INFERENCE_DATA_PREPROCESS_SUCCESS',
      'SYSTEM_EXECUTE_COMPILE',
      'SYSTEM_COMPILE_SUCCESS',
      'WAIT_TEST_VIDEO_CHECK',
      'TEST_VIDEO_CHECK_PROCESSING',
      'TEST_VIDEO_CHECK_SUCCESS',
      'SYSTEM_JOB_SUCCESS',
    ]);
    const approval = (done.operation_logs as Json[])[3]!;
    assert.deepEqual([approval.operate_user, approval.log_description], ['SYSTEM', 'looks fine'], 'the emulator acts as the system');
    assert.match(done.asset_id as string, /^[0-9a-f]{32}$/);
  });

  test('hold: the stage waits until the job is released', async () => {
    await setStages({ auto_verify: { progress: { mode: 'hold' }, outcome: SUCCEED } });
    const jobId = await submitTinyJob('held');
    await settle();
    assert.equal(await adminState(jobId), 'AUTO_VERIFYING');

    const released = await admin.request('POST', `/v1/emulator/jobs/${jobId}/release`);
    assert.deepEqual([released.job_id, released.state, released.released_steps], [jobId, 'AUTO_VERIFYING', 1]);
    await waitForState(tenant, jobId, ['MANUAL_VERIFYING'], 20_000);
    await settle();
    assert.equal(await adminState(jobId), 'MANUAL_VERIFYING', 'manual_review outcome real: a human decides');

    assertSdkError(await sdkError(admin.request('POST', '/v1/emulator/jobs/ffffffffffffffffffffffffffffffff/release')), 404, 'MSS.20010001');
  });

  test('hold: changing the settings lets a held stage go', async () => {
    await setStages({ auto_verify: { progress: { mode: 'hold' }, outcome: SUCCEED } });
    const jobId = await submitTinyJob('held_then_immediate');
    await settle();
    assert.equal(await adminState(jobId), 'AUTO_VERIFYING');
    await setStages({ auto_verify: { outcome: SUCCEED } });
    await waitForAdminState(jobId, 'MANUAL_VERIFYING');
  });

  test('after_seconds: the stage happens once the virtual clock has moved on that far', async () => {
    await setStages({ auto_verify: { progress: { mode: 'after_seconds', seconds: 300 }, outcome: SUCCEED } });
    const jobId = await submitTinyJob('after_seconds');
    await settle();
    assert.equal(await adminState(jobId), 'AUTO_VERIFYING');

    const advanced = await admin.request('POST', '/v1/emulator/clock/advance', { seconds: 290 });
    assert.equal(advanced.offset_seconds, 290);
    await settle();
    assert.equal(await adminState(jobId), 'AUTO_VERIFYING', '290 of 300 seconds');

    await admin.request('POST', '/v1/emulator/clock/advance', { seconds: 11 });
    await waitForAdminState(jobId, 'MANUAL_VERIFYING');
  });

  test('after_reads: the stage happens after that many tenant Show calls of the job', async () => {
    await setStages({ auto_verify: { progress: { mode: 'after_reads', reads: 3 }, outcome: SUCCEED } });
    const jobId = await submitTinyJob('after_reads');
    for (const read of [1, 2]) {
      assert.equal((await tenant.show(jobId)).state, 'AUTO_VERIFYING');
      await settle();
      assert.equal(await adminState(jobId), 'AUTO_VERIFYING', `after ${read} reads`);
    }
    await tenant.show(jobId);
    await waitForAdminState(jobId, 'MANUAL_VERIFYING');
  });

  test('forced failure of automatic review: AUTO_VERIFY_FAILED with the message and error code in the log', async () => {
    await setStages({ auto_verify: { outcome: { outcome: 'fail', message: 'the face is not visible', error_code: '44005901' } } });
    const jobId = await submitTinyJob('auto_verify_fails');
    const failed = await waitForState(tenant, jobId, ['AUTO_VERIFY_FAILED'], 20_000);
    assert.deepEqual(
      { log_type: lastLog(failed).log_type, operate_user: lastLog(failed).operate_user, log_description: lastLog(failed).log_description, error_code: lastLog(failed).error_code },
      { log_type: 'SYSTEM_VERIFY_FAILED', operate_user: 'SYSTEM', log_description: 'the face is not visible', error_code: '44005901' },
    );
  });

  test('forced failure of a later stage: training fails into TRAIN_FAILED with the message', async () => {
    await setStages({ ...ALL_STAGES_SUCCEED, training: { outcome: { outcome: 'fail', message: 'out of GPU memory' } }, manual_review: { outcome: SUCCEED } });
    const jobId = await submitTinyJob('training_fails');
    const failed = await waitForState(tenant, jobId, ['TRAIN_FAILED'], 20_000);
    assert.deepEqual([lastLog(failed).log_type, lastLog(failed).log_description], ['SYSTEM_TRAIN_FAILED', 'out of GPU memory']);
  });

  test('forced failure of the test-video check: TEST_VIDEO_CHECK_FAILED with the message, after a compiled model', async () => {
    await setStages({
      ...ALL_STAGES_SUCCEED,
      test_video_check: { outcome: { outcome: 'fail', message: 'mouth correlation 0.12 is below 0.5', error_code: 'TV-1' } },
      manual_review: { outcome: SUCCEED },
    });
    const jobId = await submitTinyJob('test_video_fails');
    const failed = await waitForState(tenant, jobId, ['TEST_VIDEO_CHECK_FAILED'], 20_000);
    assert.deepEqual(logTypes(failed).slice(-5), ['SYSTEM_EXECUTE_COMPILE', 'SYSTEM_COMPILE_SUCCESS', 'WAIT_TEST_VIDEO_CHECK', 'TEST_VIDEO_CHECK_PROCESSING', 'TEST_VIDEO_CHECK_FAILED']);
    assert.deepEqual(
      [lastLog(failed).operate_user, lastLog(failed).log_description, lastLog(failed).error_code],
      ['SYSTEM', 'mouth correlation 0.12 is below 0.5', 'TV-1'],
    );
  });

  test('a scenario written before the test-video check (compile forced, the check left out) still reaches JOB_SUCCESS', async () => {
    const { test_video_check: _left, ...olderScenario } = ALL_STAGES_SUCCEED;
    const answer = await setStages({ ...olderScenario, manual_review: { outcome: SUCCEED } });
    assert.deepEqual((answer.stages as Json).test_video_check, { progress: { mode: 'immediate' }, outcome: SUCCEED });
    await waitForState(tenant, await submitTinyJob('older_scenario'), ['JOB_SUCCESS'], 20_000);
  });

  test('manual review auto-rejected: MANUAL_VERIFY_FAILED with the message as opinion', async () => {
    await setStages({ auto_verify: { outcome: SUCCEED }, manual_review: { outcome: { outcome: 'fail', message: 'the ID card does not match' } } });
    const jobId = await submitTinyJob('auto_rejected');
    const rejected = await waitForState(tenant, jobId, ['MANUAL_VERIFY_FAILED'], 20_000);
    assert.deepEqual(
      [lastLog(rejected).log_type, lastLog(rejected).operate_user, lastLog(rejected).log_description],
      ['ADMIN_VERIFY_FAILED', 'SYSTEM', 'the ID card does not match'],
    );
  });

  test('manual review on hold: the automatic decision waits for a release', async () => {
    // Preprocessing held too: the job stays where the approval put it.
    await setStages({ auto_verify: { outcome: SUCCEED }, manual_review: { progress: { mode: 'hold' }, outcome: SUCCEED }, training_data_preprocess: { progress: { mode: 'hold' } } });
    const jobId = await submitTinyJob('review_held');
    await waitForAdminState(jobId, 'MANUAL_VERIFYING');
    await settle();
    assert.equal(await adminState(jobId), 'MANUAL_VERIFYING');
    const released = await admin.request('POST', `/v1/emulator/jobs/${jobId}/release`);
    assert.equal(released.released_steps, 1);
    await waitForAdminState(jobId, 'WAIT_TRAINING_DATA_PREPROCESS');
  });

  test('the virtual clock: advancing it expires a download URL', async () => {
    const created = await tenant.create({ name: 'expiry' });
    await put(created.cover_upload_url as string, Buffer.from('cover'));
    const coverUrl = (await tenant.show(created.job_id as string)).cover_download_url as string;
    assert.equal((await fetch(coverUrl)).status, 200);

    const before = await admin.request('GET', '/v1/emulator/clock');
    assert.equal(before.offset_seconds, 0);
    const advanced = await admin.request('POST', '/v1/emulator/clock/advance', { seconds: 61 });
    assert.equal(advanced.offset_seconds, 61);
    assert.ok(Date.parse(advanced.now as string) - Date.parse(before.now as string) >= 61_000);

    const expired = await fetch(coverUrl);
    assert.equal(expired.status, 403);
    assert.deepEqual(await expired.json(), { error_code: 'MSS.20020002', error_msg: 'URL expired' });
  });

  test('reset: every job goes, with settings and clock back to their defaults; credentials stay', async () => {
    await setStages({ auto_verify: { progress: { mode: 'hold' } } });
    await admin.request('POST', '/v1/emulator/clock/advance', { seconds: 120 });
    const jobId = await submitTinyJob('to_forget');
    await tenant.create({ name: 'to_forget_too' });
    assert.equal((await tenant.list()).count, 2);

    const reset = await admin.request('POST', '/v1/emulator/reset');
    assert.equal(reset.deleted_jobs, 2);
    const listed = await tenant.list();
    assert.deepEqual([listed.count, listed.jobs], [0, []]);
    assertSdkError(await sdkError(tenant.show(jobId)), 404, 'MSS.20010001');
    assert.equal((await admin.request('GET', '/v1/emulator/clock')).offset_seconds, 0);
    assert.deepEqual((await admin.request('GET', '/v1/emulator/settings')).stages.auto_verify, { progress: { mode: 'immediate' }, outcome: { outcome: 'real' } });
    assert.ok(!fs.existsSync(path.join(server.dataDir, 'blobs', 'jobs', jobId)), 'the job\'s files are gone');
  });

  test('reset: live-session rooms, jobs, dialog URLs and one-time codes go too', async () => {
    // A finished chat model, as JOB_SUCCESS leaves one (made in the database: no pipeline run needed).
    const training = await tenant.create({ name: 'chat_model' });
    const modelId = await finishedModel(server, training.job_id as string, 'chat_model', ['CHAT_2D']);
    const roomId = (await tenant.createRoom({ room_name: 'to_forget', model_asset_id: modelId, concurrency: 1 })).room_id as string;
    const { job_id: chatJobId } = await tenant.startChatJob(roomId, { robot_id: 'robot-1' });
    const { once_code: onceCode } = await tenant.createOnceCode();
    const dialog = new URL((await tenant.createDialogUrl({ room_id: roomId, robot_id: 'robot-1' })).url);
    const liveRows = async () => {
      const counts: number[] = [];
      for (const table of ['smart_chat_rooms', 'smart_chat_jobs', 'live_access_grants'] as const) {
        const row = await server.services.db.selectFrom(table).select((eb) => eb.fn.countAll<number | string>().as('count')).executeTakeFirstOrThrow();
        counts.push(Number(row.count));
      }
      return counts;
    };
    assert.deepEqual(await liveRows(), [1, 1, 2]);

    assert.equal((await admin.request('POST', '/v1/emulator/reset')).deleted_jobs, 1);
    assert.deepEqual(await liveRows(), [0, 0, 0], 'rooms, jobs and access grants are gone');
    assert.equal((await tenant.listRooms()).count, 0);
    assertSdkError(await sdkError(tenant.showRoom(roomId)), 404, 'MSS.20070001');
    assertSdkError(await sdkError(tenant.showChatJob(roomId, chatJobId)), 404, 'MSS.20070001');
    const unknown = (error: unknown) => error instanceof ApiError && error.errorName === 'LIVE_ACCESS_INVALID';
    await assert.rejects(server.services.live.redeemOnceCode(TEST_PROJECT_ID, onceCode as string), unknown);
    await assert.rejects(server.services.live.openDialog(Object.fromEntries(dialog.searchParams)), unknown);
  });

  test('the emulator routes are in the OpenAPI document under the tag Emulator', async () => {
    const document = (await (await fetch(`${server.url}/openapi.json`)).json()) as { paths: Record<string, Record<string, { tags?: string[] }>> };
    const emulatorOperations = Object.entries(document.paths)
      .filter(([route]) => route.startsWith('/v1/emulator/'))
      .flatMap(([route, operations]) => Object.entries(operations).map(([method, operation]) => [`${method.toUpperCase()} ${route}`, operation.tags]));
    assert.deepEqual(
      emulatorOperations.map(([operation]) => operation).sort(),
      EMULATOR_ROUTES.map(([method, route]) => `${method} ${route.replace(/[0-9a-f]{32}/, '{job_id}')}`).sort(),
    );
    for (const [, tags] of emulatorOperations) assert.deepEqual(tags, ['Emulator']);
  });

  test('tenant and worker credentials are refused on every emulator route (403 APIG.0306)', async () => {
    const worker = createSdkClient(server.url, await createKey(server, ['--role', 'worker']));
    for (const client of [tenant, worker]) {
      for (const [method, route, body] of EMULATOR_ROUTES) {
        assertSdkError(await sdkError(client.request(method, route, body)), 403, 'APIG.0306');
      }
    }
  });
});

describe('emulator control, off (the default)', () => {
  let server: TestServer;
  before(async () => {
    server = await startTestServer({ env: { AVATARFORGE_WORKERS: 'false' } });
  });
  after(() => server.destroy());

  test('the emulator routes do not exist, even for an admin (404 APIG.0101)', async () => {
    const admin = createSdkClient(server.url, await createKey(server, ['--role', 'admin']));
    for (const [method, route, body] of EMULATOR_ROUTES) {
      assertSdkError(await sdkError(admin.request(method, route, body)), 404, 'APIG.0101');
    }
  });
});

describe('emulator scenario file', () => {
  let scenarioDir: string;
  before(() => {
    scenarioDir = makeTempDir('scenario');
  });
  after(() => fs.rmSync(scenarioDir, { recursive: true, force: true }));

  test('a scenario file sets the settings at start', async () => {
    const file = path.join(scenarioDir, 'review-rejects.json');
    fs.writeFileSync(file, JSON.stringify({ stages: { auto_verify: { outcome: { outcome: 'succeed' } }, manual_review: { progress: { mode: 'after_reads', reads: 2 }, outcome: { outcome: 'fail', message: 'blurred' } } } }));
    const server = await startTestServer({ env: { ...EMULATOR_ENV, AVATARFORGE_EMULATOR_SCENARIO: file } });
    try {
      const admin = createSdkClient(server.url, await createKey(server, ['--role', 'admin']));
      const settings = await admin.request('GET', '/v1/emulator/settings');
      assert.deepEqual((settings.stages as Json).manual_review, { progress: { mode: 'after_reads', reads: 2 }, outcome: { outcome: 'fail', message: 'blurred' } });
      assert.deepEqual((settings.stages as Json).auto_verify, { progress: { mode: 'immediate' }, outcome: { outcome: 'succeed' } });
    } finally {
      await server.destroy();
    }
  });

  test('a restart keeps the virtual time: work queued after an advance is released at once', async () => {
    const file = path.join(scenarioDir, 'held.json');
    fs.writeFileSync(file, JSON.stringify({ stages: { auto_verify: { progress: { mode: 'hold' }, outcome: { outcome: 'succeed' } } } }));
    const env = { ...EMULATOR_ENV, AVATARFORGE_EMULATOR_SCENARIO: file };
    let server = await startTestServer({ env });
    try {
      const admin = createSdkClient(server.url, await createKey(server, ['--role', 'admin']));
      const advanced = await admin.request('POST', '/v1/emulator/clock/advance', { seconds: 120 });
      assert.equal(advanced.offset_seconds, 120);
      // 120 s is within the signature skew window: the SDK's real-time signatures still pass.
      const tenant = createSdkClient(server.url);
      const created = await tenant.create({ name: 'queued_in_virtual_time' });
      await put((created.training_video_upload_url as string[])[0]!, Buffer.from('not really a video'));
      await tenant.command(created.job_id as string, { command: 'CONFIRM_MULTIPART_UPLOADED' });
      await tenant.command(created.job_id as string, { command: 'SUBMITVERIFYING' });

      await server.stop();
      server = await startTestServer({ dataDir: server.dataDir, env });
      const restartedAdmin = createSdkClient(server.url, await createKey(server, ['--role', 'admin']));
      const clock = await restartedAdmin.request('GET', '/v1/emulator/clock');
      assert.ok((clock.offset_seconds as number) >= 120, `the virtual time went on: ${JSON.stringify(clock)}`);
      const released = await restartedAdmin.request('POST', `/v1/emulator/jobs/${created.job_id}/release`);
      assert.equal(released.released_steps, 1);
      const deadline = Date.now() + 20_000;
      let state = '';
      while (Date.now() < deadline && state !== 'MANUAL_VERIFYING') {
        state = (await restartedAdmin.request('GET', `/v1/admin/training-jobs/${created.job_id}`)).state as string;
        if (state !== 'MANUAL_VERIFYING') await new Promise((resolve) => setTimeout(resolve, 100));
      }
      assert.equal(state, 'MANUAL_VERIFYING', 'released work ran at once, not when real time caught up with the advance');
    } finally {
      await server.destroy();
    }
  });

  test('a bad scenario file stops the start with a message naming the file and the problem', async () => {
    const file = path.join(scenarioDir, 'bad.json');
    fs.writeFileSync(file, JSON.stringify({ stages: { training: { progress: { mode: 'after_seconds' } } } }));
    await assert.rejects(startTestServer({ env: { ...EMULATOR_ENV, AVATARFORGE_EMULATOR_SCENARIO: file } }), (error: unknown) => {
      assert.ok(error instanceof ConfigError);
      assert.match(error.message, /AVATARFORGE_EMULATOR_SCENARIO: .*bad\.json is not valid emulator settings: \/stages\/training\/progress/);
      return true;
    });
    fs.writeFileSync(file, '{ not json');
    await assert.rejects(startTestServer({ env: { ...EMULATOR_ENV, AVATARFORGE_EMULATOR_SCENARIO: file } }), /bad\.json is not JSON/);
    await assert.rejects(startTestServer({ env: { AVATARFORGE_EMULATOR_SCENARIO: file } }), /needs the emulator on/);
  });
});
