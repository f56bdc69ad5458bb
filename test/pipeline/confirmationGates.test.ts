import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { createKey } from '../support/cli.js';
import { put, waitForState } from '../support/pipelineFlow.js';
import { createSdkClient, sdkError, type Json, type SdkClient } from '../support/sdkClient.js';
import { makeTempDir, startTestServer, type TestServer } from '../support/testServer.js';

/**
 * The two confirmation gates, driven quickly through the emulator (every stage succeeds at once and
 * review is approved automatically): an admin confirms the model once its test video passed, then
 * the user accepts, rejects, answers, suspends, resumes or asks for a repair.
 */
const SUCCEED = { progress: { mode: 'immediate' }, outcome: { outcome: 'succeed' } };
const SCENARIO = {
  stages: {
    auto_verify: SUCCEED,
    training_data_preprocess: SUCCEED,
    training: SUCCEED,
    inference_data_preprocess: SUCCEED,
    compile: SUCCEED,
    test_video_check: SUCCEED,
    asset_sync: SUCCEED,
    manual_review: { progress: { mode: 'immediate' }, outcome: { outcome: 'succeed', message: 'fine' } },
  },
};

let scenarioDir: string;
let server: TestServer;
let sdk: SdkClient;
let reviewer: SdkClient;
before(async () => {
  scenarioDir = makeTempDir('gates');
  const scenario = path.join(scenarioDir, 'scenario.json');
  fs.writeFileSync(scenario, JSON.stringify(SCENARIO));
  server = await startTestServer({
    env: {
      AVATARFORGE_WORKERS: 'true',
      AVATARFORGE_EMULATOR: '1',
      AVATARFORGE_EMULATOR_SCENARIO: scenario,
      AVATARFORGE_ADMIN_CONFIRM_GATE: 'true',
      AVATARFORGE_USER_CONFIRM_GATE: 'true',
      AVATARFORGE_REQUIRE_IDENTITY_FILES: 'false',
    },
  });
  sdk = createSdkClient(server.url);
  reviewer = createSdkClient(server.url, await createKey(server, ['--role', 'admin']));
});
after(async () => {
  await server.destroy();
  fs.rmSync(scenarioDir, { recursive: true, force: true });
});

/** A job taken through review and every stage (its test video passed) to the admin gate, confirmed there, and on to the user gate. */
async function jobAwaitingUser(name: string, attributes: object = {}): Promise<string> {
  const created = await sdk.create({ name, ...attributes });
  const jobId = created.job_id as string;
  await put((created.training_video_upload_url as string[])[0]!, Buffer.from('a few bytes are enough with the review emulated'));
  await sdk.command(jobId, { command: 'CONFIRM_MULTIPART_UPLOADED' });
  await sdk.command(jobId, { command: 'SUBMITVERIFYING' });
  await waitForState(sdk, jobId, ['WAIT_ADMIN_CONFIRM'], 30_000);
  const accepted = await reviewer.request('POST', `/v1/admin/training-jobs/${jobId}/accept`);
  assert.equal(accepted.httpStatusCode, 200);
  return (await waitForState(sdk, jobId, ['WAIT_USER_CONFIRM'], 30_000)).job_id as string;
}

const lastLog = async (jobId: string): Promise<Json> => ((await sdk.show(jobId)).operation_logs as Json[]).at(-1)!;

describe('confirmation gates', () => {
  test('the test video\'s success waits for an admin, asset sync for the user; CONFIRM_ACCEPT finishes the job for good', async () => {
    const jobId = await jobAwaitingUser('gate_accept');
    const waiting = await sdk.show(jobId);
    assert.match(waiting.asset_id as string, /^[0-9a-f]{32}$/, 'the model asset exists while the user decides');
    const types = (waiting.operation_logs as Json[]).map((entry) => entry.log_type);
    assert.deepEqual(types.slice(-6), ['SYSTEM_COMPILE_SUCCESS', 'WAIT_TEST_VIDEO_CHECK', 'TEST_VIDEO_CHECK_PROCESSING', 'TEST_VIDEO_CHECK_SUCCESS', 'ADMIN_ACCEPT', 'SYSTEM_JOB_SUCCESS']);

    const accepted = await sdk.command(jobId, { command: 'CONFIRM_ACCEPT' });
    assert.equal(accepted.commond_result, 'EXCUTE_SUCCESS');
    assert.equal((await sdk.show(jobId)).state, 'JOB_FINISH');
    const again = await sdkError(sdk.command(jobId, { command: 'CONFIRM_REJECT' }));
    assert.equal(again.errorCode, 'MSS.20010002', 'JOB_FINISH is final');
  });

  test('CONFIRM_REJECT with a comment and an attachment, CONFIRM_ANSWER, then CONFIRM_REPAIR runs the job again', async () => {
    const jobId = await jobAwaitingUser('gate_reject');
    const rejected = await sdk.command(jobId, {
      command: 'CONFIRM_REJECT',
      comment_data: { comment_title: 'Mouth blur', comment_message: 'Lips look smeared', attachment_name: ['frame.png'] },
    });
    assert.equal(rejected.commond_result, 'EXCUTE_SUCCESS');
    assert.equal((rejected.attachment_upload_url as string[]).length, 1);
    await put((rejected.attachment_upload_url as string[])[0]!, Buffer.from('png bytes'));
    let shown = await sdk.show(jobId);
    assert.equal(shown.state, 'JOB_REJECT');
    const comment = (shown.comment_logs as Json[])[0]!;
    assert.deepEqual([comment.comment_type, comment.comment_title, comment.comment_message], ['USER_REJECT', 'Mouth blur', 'Lips look smeared']);
    const attachment = await fetch((comment.attachment_download_url as string[])[0]!);
    assert.equal(await attachment.text(), 'png bytes');

    const answered = await sdk.command(jobId, { command: 'CONFIRM_ANSWER', comment_data: { comment_message: 'see frame 120' } });
    assert.deepEqual(answered.attachment_upload_url, []);
    shown = await sdk.show(jobId);
    assert.deepEqual((shown.comment_logs as Json[]).map((entry) => entry.comment_type), ['USER_REJECT', 'USER_COMMENT']);
    assert.equal(shown.state, 'JOB_REJECT', 'an answer changes no state');

    await sdk.command(jobId, { command: 'CONFIRM_REPAIR', operation_reason: 'please fix the mouth' });
    const repairLog = (await sdk.show(jobId)).operation_logs as Json[];
    const repair = repairLog.find((entry) => entry.log_type === 'USER_REPAIR' && entry.log_description === 'please fix the mouth');
    assert.ok(repair, 'the repair request is logged with its reason');
    await waitForState(sdk, jobId, ['WAIT_ADMIN_CONFIRM'], 30_000);
  });

  test('CONFIRM_PENDING suspends the job and CONFIRM_ACTIVE returns it to where it was', async () => {
    const jobId = await jobAwaitingUser('gate_pending');
    await sdk.command(jobId, { command: 'CONFIRM_PENDING' });
    assert.equal((await sdk.show(jobId)).state, 'JOB_PENDING');
    const stillPending = await sdkError(sdk.command(jobId, { command: 'CONFIRM_ACCEPT' }));
    assert.equal(stillPending.errorCode, 'MSS.20010002');
    await sdk.command(jobId, { command: 'CONFIRM_ACTIVE' });
    assert.equal((await sdk.show(jobId)).state, 'WAIT_USER_CONFIRM');
    assert.equal((await lastLog(jobId)).log_type, 'SYSTEM_JOB_SUCCESS', 'suspending and resuming add no log entry of their own');
  });

  test('a Flexus job spends one retrain per repair and is refused at zero', async () => {
    const jobId = await jobAwaitingUser('gate_flexus', { is_flexus: true });
    const set = await reviewer.request('PUT', `/v1/admin/training-jobs/${jobId}/flexus-retry-count`, { flexus_retry_count: 1 });
    assert.equal(set.httpStatusCode, 200);
    await sdk.command(jobId, { command: 'CONFIRM_REJECT' });
    await sdk.command(jobId, { command: 'CONFIRM_REPAIR' });
    assert.equal((await sdk.show(jobId)).flexus_retry_count, 0);
    await waitForState(sdk, jobId, ['WAIT_ADMIN_CONFIRM'], 30_000);
    await reviewer.request('POST', `/v1/admin/training-jobs/${jobId}/accept`);
    await waitForState(sdk, jobId, ['WAIT_USER_CONFIRM'], 30_000);
    await sdk.command(jobId, { command: 'CONFIRM_REJECT' });
    const refused = await sdkError(sdk.command(jobId, { command: 'CONFIRM_REPAIR' }));
    assert.equal(refused.errorCode, 'MSS.20010002');
    assert.match(refused.errorMsg ?? '', /no retrains left/);
  });
});
