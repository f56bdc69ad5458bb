/**
 * The admin (reviewer) API under /v1/admin/training-jobs: the review queue across projects, review
 * decisions and comments, stop, redo, skip, reset, Flexus retrains, the delivered model and
 * acceptance, as the tenant then sees them.
 * Admin calls are signed by the npm SDK core with an admin key made by the CLI; the pipeline's
 * workers are off, and forceJobState stands in for the stages that bring a job to a state.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { forceJobState } from '../support/forceJobState.js';
import { put } from '../support/pipelineFlow.js';
import { startTestServer, TEST_PROJECT_ID, type TestServer } from '../support/testServer.js';
import { assertSdkError, createSdkClient, sdkError, type Json, type SdkClient } from '../support/sdkClient.js';
import { CLI, cli, cliEnvironment, createKey, databaseEnvOfArgs, parseCredential, REPO_ROOT, type Credentials } from '../support/cli.js';

const ADMIN_JOBS = '/v1/admin/training-jobs';
const UNKNOWN_JOB = 'ffffffffffffffffffffffffffffffff';

/** The admin API's calls, made with whatever credential `client` signs with. */
function adminApi(client: SdkClient) {
  const job = (jobId: string) => `${ADMIN_JOBS}/${jobId}`;
  return {
    list: (query: object = {}) => client.request('GET', ADMIN_JOBS, undefined, query),
    show: (jobId: string) => client.request('GET', job(jobId)),
    review: (jobId: string, body: object) => client.request('POST', `${job(jobId)}/review`, body),
    stop: (jobId: string, body: object = {}) => client.request('POST', `${job(jobId)}/stop`, body),
    redo: (jobId: string, body: object = {}) => client.request('POST', `${job(jobId)}/redo`, body),
    skip: (jobId: string, body: object = {}) => client.request('POST', `${job(jobId)}/skip`, body),
    model: (jobId: string) => client.request('GET', `${job(jobId)}/model`),
    reset: (jobId: string, body: object) => client.request('POST', `${job(jobId)}/reset`, body),
    setFlexusRetryCount: (jobId: string, count: number) => client.request('PUT', `${job(jobId)}/flexus-retry-count`, { flexus_retry_count: count }),
    accept: (jobId: string) => client.request('POST', `${job(jobId)}/accept`),
  };
}

let server: TestServer;
let tenant: SdkClient;
let otherTenant: SdkClient;
let otherProject: Credentials;
let adminKey: Credentials;
let admin: ReturnType<typeof adminApi>;

before(async () => {
  server = await startTestServer();
  tenant = createSdkClient(server.url);
  otherProject = parseCredential(await cli(['keys', 'create', '--data-dir', server.dataDir]));
  otherTenant = createSdkClient(server.url, otherProject);
  adminKey = await createKey(server, ['--role', 'admin']);
  admin = adminApi(createSdkClient(server.url, adminKey));
});

after(async () => {
  await server?.destroy();
});

async function createJob(client: SdkClient, body: Json): Promise<Json> {
  const created = await client.create(body);
  assert.equal(created.httpStatusCode, 200);
  return created;
}

/** A job of the test project waiting for a reviewer (automatic review stood in for). */
async function jobInState(name: string, state: string, body: Json = {}): Promise<string> {
  const jobId = (await createJob(tenant, { name, ...body })).job_id as string;
  await forceJobState(server, jobId, state);
  return jobId;
}

/** PUTs bytes to a signed upload URL the way a client does. */
async function upload(url: string, body: string): Promise<void> {
  const response = await fetch(url, { method: 'PUT', headers: { 'Content-Type': 'application/octet-stream' }, body });
  assert.equal(response.status, 200, `upload answered ${response.status}: ${await response.text()}`);
}

function lastLog(shown: Json): Json {
  return (shown.operation_logs as Json[]).at(-1)!;
}

describe('the review queue', () => {
  test('lists MANUAL_VERIFYING jobs of every project, the longest unchanged first', async () => {
    const first = (await createJob(tenant, { name: 'queue_first' })).job_id as string;
    server.clock.advance(1000);
    const second = (await createJob(otherTenant, { name: 'queue_second' })).job_id as string;
    server.clock.advance(1000);
    const third = (await createJob(tenant, { name: 'queue_third' })).job_id as string;
    const notInReview = (await createJob(otherTenant, { name: 'queue_not_in_review' })).job_id as string;
    // Reviewed in another order than created: the queue goes by last_update_time, not by arrival.
    for (const jobId of [third, first, second]) await forceJobState(server, jobId, 'MANUAL_VERIFYING');

    const queue = await admin.list({ limit: 100 });
    assert.equal(queue.httpStatusCode, 200);
    assert.ok((queue.jobs as Json[]).every((job) => job.state === 'MANUAL_VERIFYING'));
    const ours = (queue.jobs as Json[]).filter((job) => [first, second, third, notInReview].includes(job.job_id));
    assert.deepEqual(ours.map((job) => job.job_id), [first, second, third]);
    assert.deepEqual(ours.map((job) => job.project_id), [TEST_PROJECT_ID, otherProject.projectId, TEST_PROJECT_ID]);
    assert.deepEqual(ours.map((job) => job.name), ['queue_first', 'queue_second', 'queue_third']);
    assert.equal(queue.count, queue.jobs.length);
  });

  test('filters by states and by project, and pages', async () => {
    const listed = await admin.list({ state: 'MANUAL_VERIFYING,WAIT_FILE_UPLOAD', project_id: otherProject.projectId, limit: 100 });
    assert.deepEqual((listed.jobs as Json[]).map((job) => job.name).sort(), ['queue_not_in_review', 'queue_second']);
    assert.equal(listed.count, 2);

    const firstPage = await admin.list({ state: 'WAIT_FILE_UPLOAD,MANUAL_VERIFYING', limit: 1 });
    const secondPage = await admin.list({ state: 'WAIT_FILE_UPLOAD,MANUAL_VERIFYING', limit: 1, offset: 1 });
    assert.equal(firstPage.jobs.length, 1);
    assert.equal(firstPage.count, 4);
    assert.notEqual(firstPage.jobs[0].job_id, secondPage.jobs[0].job_id);
  });

  test('a limit above 100 or an unknown state is 400 MSS.00000003', async () => {
    assertSdkError(await sdkError(admin.list({ limit: 101 })), 400, 'MSS.00000003');
    assertSdkError(await sdkError(admin.list({ limit: 0 })), 400, 'MSS.00000003');
    assertSdkError(await sdkError(admin.list({ state: 'MANUAL_VERIFYING,NOT_A_STATE' })), 400, 'MSS.00000003');
  });
});

describe('review', () => {
  test('approve: the tenant sees ADMIN_VERIFY_SUCCESS by ADMIN with the opinion, and the job queued for preprocessing', async () => {
    const jobId = await jobInState('approve_me', 'MANUAL_VERIFYING');
    const result = await admin.review(jobId, { decision: 'approve', opinion: 'clear face, good light' });
    assert.equal(result.job_id, jobId);
    assert.equal(result.state, 'WAIT_TRAINING_DATA_PREPROCESS', 'the automatic follow-up of MANUAL_VERIFY_SUCCESS');

    const shown = await tenant.show(jobId);
    assert.equal(shown.state, 'WAIT_TRAINING_DATA_PREPROCESS');
    assert.deepEqual(
      { log_type: lastLog(shown).log_type, operate_user: lastLog(shown).operate_user, log_description: lastLog(shown).log_description },
      { log_type: 'ADMIN_VERIFY_SUCCESS', operate_user: 'ADMIN', log_description: 'clear face, good light' },
    );
    assert.deepEqual(shown.comment_logs, []);

    const detail = await admin.show(jobId);
    assert.equal(detail.project_id, TEST_PROJECT_ID);
    assert.equal(detail.state, 'WAIT_TRAINING_DATA_PREPROCESS');
    assert.deepEqual(detail.operation_logs, shown.operation_logs, 'the admin sees the tenant\'s Show body');
    assert.deepEqual(
      (detail.stage_work as Json[]).map((work) => [work.stage, work.status, work.attempts, work.max_attempts]),
      [['training_data_preprocess', 'queued', 0, 3]],
    );

    assertSdkError(await sdkError(admin.review(jobId, { decision: 'approve' })), 400, 'MSS.20010002');
  });

  test('reject with a comment: MANUAL_VERIFY_FAILED with the opinion, an ADMIN_COMMENT whose attachment uploads and downloads; the tenant updates and resubmits', async () => {
    const created = await createJob(tenant, { name: 'reject_me' });
    const jobId = created.job_id as string;
    await upload((created.training_video_upload_url as string[])[0]!, 'video');
    await upload(created.id_card_image1_upload_url, 'id-front');
    await upload(created.id_card_image2_upload_url, 'id-back');
    await upload(created.grant_file_upload_url, 'grant-letter');
    await tenant.command(jobId, { command: 'CONFIRM_MULTIPART_UPLOADED' });
    await tenant.command(jobId, { command: 'SUBMITVERIFYING' });
    await forceJobState(server, jobId, 'MANUAL_VERIFYING'); // stand-in for automatic review

    const opinion = 'the face is covered in the first ten seconds';
    const result = await admin.review(jobId, {
      decision: 'reject',
      opinion,
      comment: { comment_title: 'Face covered', comment_message: 'Please record again; see the marked frame.', attachment_name: ['frame.png'] },
    });
    assert.equal(result.state, 'MANUAL_VERIFY_FAILED');
    assert.equal(result.attachment_upload_url.length, 1);
    await upload(result.attachment_upload_url[0], 'marked-frame-bytes');
    const reused = await fetch(result.attachment_upload_url[0], { method: 'PUT', body: 'again' });
    assert.equal(reused.status, 403, 'the attachment URL is single-use');

    const shown = await tenant.show(jobId);
    assert.equal(shown.state, 'MANUAL_VERIFY_FAILED');
    assert.deepEqual(
      { log_type: lastLog(shown).log_type, operate_user: lastLog(shown).operate_user, log_description: lastLog(shown).log_description },
      { log_type: 'ADMIN_VERIFY_FAILED', operate_user: 'ADMIN', log_description: opinion },
    );
    assert.equal(shown.comment_logs.length, 1);
    const comment = shown.comment_logs[0] as Json;
    assert.equal(comment.comment_type, 'ADMIN_COMMENT');
    assert.equal(comment.comment_title, 'Face covered');
    assert.equal(comment.comment_message, 'Please record again; see the marked frame.');
    assert.equal(comment.attachment_download_url.length, 1);
    assert.equal(await (await fetch(comment.attachment_download_url[0])).text(), 'marked-frame-bytes');

    const updated = await tenant.update(jobId, { contact: '13800000002' });
    assert.equal(updated.httpStatusCode, 200);
    assert.equal((await tenant.command(jobId, { command: 'SUBMITVERIFYING' })).commond_result, 'EXCUTE_SUCCESS');
    const resubmitted = await tenant.show(jobId);
    assert.equal(resubmitted.state, 'AUTO_VERIFYING');
    assert.equal(lastLog(resubmitted).log_type, 'USER_VERIFYING_SUBMITTED');
  });

  test('a rejection needs an opinion (400 MSS.10000003); a decision other than approve or reject is refused too', async () => {
    const jobId = await jobInState('reject_without_opinion', 'MANUAL_VERIFYING');
    assertSdkError(await sdkError(admin.review(jobId, { decision: 'reject' })), 400, 'MSS.10000003');
    assertSdkError(await sdkError(admin.review(jobId, { decision: 'maybe' })), 400, 'MSS.10000003');
    assert.equal((await tenant.show(jobId)).state, 'MANUAL_VERIFYING');
  });

  test('reviewing a job that is not in manual review is 400 MSS.20010002', async () => {
    const jobId = (await createJob(tenant, { name: 'not_in_review' })).job_id as string;
    const error = await sdkError(admin.review(jobId, { decision: 'approve' }));
    assertSdkError(error, 400, 'MSS.20010002');
    assert.match(error.errorMsg ?? '', /WAIT_FILE_UPLOAD/);
  });
});

describe('stop, reset, retrains, accept', () => {
  test('stop in TRAINING: MANUAL_STOP_TRAIN, logged ADMIN_STOP_TRAIN with the reason', async () => {
    const jobId = await jobInState('stop_training', 'TRAINING');
    const result = await admin.stop(jobId, { reason: 'GPU maintenance' });
    assert.equal(result.state, 'MANUAL_STOP_TRAIN');
    const shown = await tenant.show(jobId);
    assert.equal(shown.state, 'MANUAL_STOP_TRAIN');
    assert.deepEqual(
      { log_type: lastLog(shown).log_type, operate_user: lastLog(shown).operate_user, log_description: lastLog(shown).log_description },
      { log_type: 'ADMIN_STOP_TRAIN', operate_user: 'ADMIN', log_description: 'GPU maintenance' },
    );
  });

  test('stop in a state without a stop (MANUAL_VERIFYING) is 400 MSS.20010002 naming the stoppable states', async () => {
    const jobId = await jobInState('stop_in_review', 'MANUAL_VERIFYING');
    const error = await sdkError(admin.stop(jobId));
    assertSdkError(error, 400, 'MSS.20010002');
    assert.match(error.errorMsg ?? '', /state is MANUAL_VERIFYING; a job can be stopped in .*TRAINING/);
    assert.equal((await tenant.show(jobId)).state, 'MANUAL_VERIFYING');
  });

  test('reset: TRAINING back to WAIT_COMPILE, logged ADMIN_RESET; the compile stage is queued', async () => {
    const jobId = await jobInState('reset_to_compile', 'TRAINING');
    const result = await admin.reset(jobId, { to_state: 'WAIT_COMPILE', reason: 'recompile only' });
    assert.equal(result.state, 'WAIT_COMPILE');
    const shown = await tenant.show(jobId);
    assert.equal(shown.state, 'WAIT_COMPILE');
    assert.deepEqual(
      { log_type: lastLog(shown).log_type, operate_user: lastLog(shown).operate_user, log_description: lastLog(shown).log_description },
      { log_type: 'ADMIN_RESET', operate_user: 'ADMIN', log_description: 'reset from TRAINING to WAIT_COMPILE: recompile only' },
    );
    const detail = await admin.show(jobId);
    assert.deepEqual((detail.stage_work as Json[]).map((work) => [work.stage, work.status]), [['compile', 'queued']]);

    // Back to manual review: the job is in the queue again, and its queued work is cancelled.
    assert.equal((await admin.reset(jobId, { to_state: 'MANUAL_VERIFYING' })).state, 'MANUAL_VERIFYING');
    assert.ok(((await admin.list({ limit: 100 })).jobs as Json[]).some((job) => job.job_id === jobId));
    assert.deepEqual(((await admin.show(jobId)).stage_work as Json[]).map((work) => [work.stage, work.status]), [['compile', 'cancelled']]);
  });

  test('reset is refused to the state the job is in and for a finished job (400 MSS.20010002), and to a state that is no reset target (400 MSS.10000003)', async () => {
    const waiting = await jobInState('reset_same_state', 'WAIT_COMPILE');
    assertSdkError(await sdkError(admin.reset(waiting, { to_state: 'WAIT_COMPILE' })), 400, 'MSS.20010002');
    const finished = await jobInState('reset_finished', 'JOB_FINISH');
    assertSdkError(await sdkError(admin.reset(finished, { to_state: 'TRAIN_SUCCESS' })), 400, 'MSS.20010002');
    assertSdkError(await sdkError(admin.reset(waiting, { to_state: 'JOB_SUCCESS' })), 400, 'MSS.10000003');
    assert.equal((await tenant.show(finished)).state, 'JOB_FINISH');
  });

  test('set-retries: a Flexus job\'s flexus_retry_count changes, logged ADMIN_SET_FLEXUS_RETRY_COUNT; 11 and -1 are 400', async () => {
    const jobId = (await createJob(tenant, { name: 'flexus_retries', is_flexus: true })).job_id as string;
    const before = await tenant.show(jobId);
    const result = await admin.setFlexusRetryCount(jobId, 7);
    assert.deepEqual({ state: result.state, flexus_retry_count: result.flexus_retry_count }, { state: before.state, flexus_retry_count: 7 });

    const shown = await tenant.show(jobId);
    assert.equal(shown.flexus_retry_count, 7);
    assert.equal(shown.state, 'WAIT_FILE_UPLOAD', 'no state change');
    assert.equal(shown.last_update_time, before.last_update_time, 'not a change by the customer');
    assert.deepEqual(
      { log_type: lastLog(shown).log_type, operate_user: lastLog(shown).operate_user, log_description: lastLog(shown).log_description },
      { log_type: 'ADMIN_SET_FLEXUS_RETRY_COUNT', operate_user: 'ADMIN', log_description: `flexus_retry_count set from ${before.flexus_retry_count} to 7` },
    );

    assertSdkError(await sdkError(admin.setFlexusRetryCount(jobId, 11)), 400, 'MSS.10000003');
    assertSdkError(await sdkError(admin.setFlexusRetryCount(jobId, -1)), 400, 'MSS.10000003');
    assert.equal((await admin.setFlexusRetryCount(jobId, 0)).flexus_retry_count, 0);
    assert.equal((await admin.setFlexusRetryCount(jobId, 10)).flexus_retry_count, 10);
    assert.equal((await tenant.show(jobId)).flexus_retry_count, 10);

    const notFlexus = (await createJob(tenant, { name: 'not_flexus' })).job_id as string;
    assertSdkError(await sdkError(admin.setFlexusRetryCount(notFlexus, 2)), 400, 'MSS.10000003');
  });

  test('redo: a stopped training runs again (REDO_TRAINING), logged with the reason; a job without a failed stage is 400 naming where redo applies', async () => {
    const jobId = await jobInState('redo_training', 'MANUAL_STOP_TRAIN');
    assert.equal((await admin.redo(jobId, { reason: 'GPU back' })).state, 'TRAINING_DATA_PREPROCESS_SUCCESS');
    const shown = await tenant.show(jobId);
    assert.deepEqual([lastLog(shown).log_type, lastLog(shown).operate_user, lastLog(shown).log_description], ['REDO_TRAINING', 'ADMIN', 'GPU back']);
    assert.deepEqual(((await admin.show(jobId)).stage_work as Json[]).map((work) => [work.stage, work.status]), [['training', 'queued']]);

    const error = await sdkError(admin.redo(jobId));
    assertSdkError(error, 400, 'MSS.20010002');
    assert.match(error.errorMsg ?? '', /state is TRAINING_DATA_PREPROCESS_SUCCESS; a stage can be run again from .*TRAIN_FAILED.*TEST_VIDEO_CHECK_FAILED/);
  });

  test('the test-video check: stopped into TEST_VIDEO_CHECK_FAILED, run again (RESTART_TEST_VIDEO_CHECK), then skipped on to asset sync', async () => {
    const jobId = await jobInState('test_video_admin', 'TEST_VIDEO_CHECK_PROCESSING');
    assert.equal((await admin.stop(jobId, { reason: 'wrong sentence' })).state, 'TEST_VIDEO_CHECK_FAILED');
    let shown = await tenant.show(jobId);
    assert.deepEqual([lastLog(shown).log_type, lastLog(shown).operate_user, lastLog(shown).log_description], ['TEST_VIDEO_CHECK_FAILED', 'ADMIN', 'wrong sentence']);

    assert.equal((await admin.redo(jobId, { reason: 'sentence fixed' })).state, 'WAIT_TEST_VIDEO_CHECK');
    shown = await tenant.show(jobId);
    const [restart, queued] = (shown.operation_logs as Json[]).slice(-2);
    assert.deepEqual([restart!.log_type, restart!.operate_user, restart!.log_description], ['RESTART_TEST_VIDEO_CHECK', 'ADMIN', 'sentence fixed']);
    assert.deepEqual([queued!.log_type, queued!.operate_user], ['WAIT_TEST_VIDEO_CHECK', 'SYSTEM'], 'the check is queued again');
    assert.deepEqual(((await admin.show(jobId)).stage_work as Json[]).map((work) => [work.stage, work.status]), [['test_video_check', 'queued']]);

    assert.equal((await admin.skip(jobId, { reason: 'judged by hand' })).state, 'WAIT_ASSET_SYNC');
    shown = await tenant.show(jobId);
    assert.deepEqual([lastLog(shown).log_type, lastLog(shown).operate_user, lastLog(shown).log_description], ['SKIP_TEST_VIDEO_CHECK', 'ADMIN', 'judged by hand']);
    assert.deepEqual(
      ((await admin.show(jobId)).stage_work as Json[]).map((work) => [work.stage, work.status]),
      [['test_video_check', 'cancelled'], ['asset_sync', 'queued']],
    );
  });

  test('skip from TEST_VIDEO_CHECK_FAILED goes on to asset sync; skip anywhere else, a running check included, is 400 naming where it applies', async () => {
    const failed = await jobInState('skip_failed_check', 'TEST_VIDEO_CHECK_FAILED');
    assert.equal((await admin.skip(failed)).state, 'WAIT_ASSET_SYNC');
    for (const state of ['TEST_VIDEO_CHECK_PROCESSING', 'COMPILE_FAILED']) {
      const jobId = await jobInState(`skip_in_${state.toLowerCase()}`, state);
      const error = await sdkError(admin.skip(jobId));
      assertSdkError(error, 400, 'MSS.20010002');
      assert.match(error.errorMsg ?? '', new RegExp(`state is ${state}; a stage can be skipped from WAIT_TEST_VIDEO_CHECK, TEST_VIDEO_CHECK_FAILED$`));
    }
  });

  test('reset to WAIT_TEST_VIDEO_CHECK queues the check, logged ADMIN_RESET then WAIT_TEST_VIDEO_CHECK', async () => {
    const jobId = await jobInState('reset_to_test_video', 'WAIT_ASSET_SYNC');
    assert.equal((await admin.reset(jobId, { to_state: 'WAIT_TEST_VIDEO_CHECK' })).state, 'WAIT_TEST_VIDEO_CHECK');
    const shown = await tenant.show(jobId);
    assert.deepEqual((shown.operation_logs as Json[]).slice(-2).map((entry) => entry.log_type), ['ADMIN_RESET', 'WAIT_TEST_VIDEO_CHECK']);
    assert.deepEqual(((await admin.show(jobId)).stage_work as Json[]).map((work) => [work.stage, work.status]), [['test_video_check', 'queued']]);
  });

  test('the delivered model before compile is 400 MSS.20010008', async () => {
    const jobId = await jobInState('model_too_early', 'COMPILING');
    const error = await sdkError(admin.model(jobId));
    assertSdkError(error, 400, 'MSS.20010008');
    assert.match(error.errorMsg ?? '', /the job is in COMPILING/);
  });

  test('accept: WAIT_ADMIN_CONFIRM → WAIT_ASSET_SYNC, logged ADMIN_ACCEPT; accepting again is 400 MSS.20010002', async () => {
    const jobId = await jobInState('accept_me', 'WAIT_ADMIN_CONFIRM');
    assert.equal((await admin.accept(jobId)).state, 'WAIT_ASSET_SYNC');
    const shown = await tenant.show(jobId);
    assert.equal(shown.state, 'WAIT_ASSET_SYNC');
    assert.deepEqual({ log_type: lastLog(shown).log_type, operate_user: lastLog(shown).operate_user }, { log_type: 'ADMIN_ACCEPT', operate_user: 'ADMIN' });
    assert.deepEqual(((await admin.show(jobId)).stage_work as Json[]).map((work) => [work.stage, work.status]), [['asset_sync', 'queued']]);
    assertSdkError(await sdkError(admin.accept(jobId)), 400, 'MSS.20010002');
  });
});

describe('who may call it', () => {
  test('tenant credentials are refused on every admin route with 403 APIG.0306, and change nothing', async () => {
    const jobId = await jobInState('tenant_tries_admin', 'MANUAL_VERIFYING');
    const asTenant = adminApi(tenant);
    const calls: Array<[string, () => Promise<unknown>]> = [
      ['list', () => asTenant.list()],
      ['show', () => asTenant.show(jobId)],
      ['review', () => asTenant.review(jobId, { decision: 'approve' })],
      ['stop', () => asTenant.stop(jobId)],
      ['redo', () => asTenant.redo(jobId)],
      ['skip', () => asTenant.skip(jobId)],
      ['model', () => asTenant.model(jobId)],
      ['reset', () => asTenant.reset(jobId, { to_state: 'WAIT_FILE_UPLOAD' })],
      ['set-retries', () => asTenant.setFlexusRetryCount(jobId, 1)],
      ['accept', () => asTenant.accept(jobId)],
    ];
    for (const [name, call] of calls) {
      const error = await sdkError(call());
      assert.equal(error.httpStatusCode, 403, `${name}: ${JSON.stringify(error)}`);
      assertSdkError(error, 403, 'APIG.0306');
    }
    assert.equal((await tenant.show(jobId)).state, 'MANUAL_VERIFYING');
  });

  test('a worker key is refused with 403 APIG.0306; unsigned calls are 401 APIG.0301', async () => {
    const workerKey = await createKey(server, ['--role', 'worker']);
    assertSdkError(await sdkError(adminApi(createSdkClient(server.url, workerKey)).list()), 403, 'APIG.0306');
    const unsigned = await fetch(`${server.url}${ADMIN_JOBS}`);
    assert.equal(unsigned.status, 401);
    assert.equal(((await unsigned.json()) as Json).error_code, 'APIG.0301');
  });

  test('an admin token from POST /v3/auth/tokens works as X-Auth-Token; a tenant token does not', async () => {
    const tokenOf = async (key: Credentials) => {
      const response = await fetch(`${server.url}/v3/auth/tokens`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify({
          auth: { identity: { methods: ['password'], password: { user: { name: key.ak, password: key.sk, domain: { name: 'any' } } } } },
        }),
      });
      assert.equal(response.status, 201);
      return response.headers.get('x-subject-token')!;
    };
    const jobId = await jobInState('token_review', 'MANUAL_VERIFYING');
    const adminToken = await tokenOf(adminKey);
    const reviewed = await fetch(`${server.url}${ADMIN_JOBS}/${jobId}/review`, {
      method: 'POST',
      headers: { 'X-Auth-Token': adminToken, 'Content-Type': 'application/json' },
      body: JSON.stringify({ decision: 'approve' }),
    });
    assert.equal(reviewed.status, 200, await reviewed.clone().text());
    assert.equal(((await reviewed.json()) as Json).state, 'WAIT_TRAINING_DATA_PREPROCESS');

    const tenantToken = await tokenOf({ ak: 'AKTESTEXAMPLE0000001', sk: 'SKtestExampleSecretKey0000000000000000001', projectId: TEST_PROJECT_ID });
    const refused = await fetch(`${server.url}${ADMIN_JOBS}`, { headers: { 'X-Auth-Token': tenantToken } });
    assert.equal(refused.status, 403);
    assert.equal(((await refused.json()) as Json).error_code, 'APIG.0306');
  });

  test('an unknown job is 404 MSS.20010001 on every route that names one', async () => {
    const calls: Array<[string, () => Promise<unknown>]> = [
      ['show', () => admin.show(UNKNOWN_JOB)],
      ['review', () => admin.review(UNKNOWN_JOB, { decision: 'approve' })],
      ['stop', () => admin.stop(UNKNOWN_JOB)],
      ['redo', () => admin.redo(UNKNOWN_JOB)],
      ['skip', () => admin.skip(UNKNOWN_JOB)],
      ['model', () => admin.model(UNKNOWN_JOB)],
      ['reset', () => admin.reset(UNKNOWN_JOB, { to_state: 'WAIT_FILE_UPLOAD' })],
      ['set-retries', () => admin.setFlexusRetryCount(UNKNOWN_JOB, 1)],
      ['accept', () => admin.accept(UNKNOWN_JOB)],
    ];
    for (const [name, call] of calls) {
      const error = await sdkError(call());
      assert.equal(error.httpStatusCode, 404, `${name}: ${JSON.stringify(error)}`);
      assertSdkError(error, 404, 'MSS.20010001');
    }
  });

  test('the admin routes are in /openapi.json under the Admin tag', async () => {
    const served = (await (await fetch(`${server.url}/openapi.json`)).json()) as Json;
    const adminOperations = Object.entries<Json>(served.paths)
      .filter(([pathKey]) => pathKey.startsWith(ADMIN_JOBS))
      .flatMap(([pathKey, item]) => Object.entries<Json>(item).map(([method, operation]) => ({ route: `${method.toUpperCase()} ${pathKey}`, operation })));
    assert.deepEqual(adminOperations.map(({ route }) => route).sort(), [
      'GET /v1/admin/training-jobs',
      'GET /v1/admin/training-jobs/{job_id}',
      'GET /v1/admin/training-jobs/{job_id}/model',
      'POST /v1/admin/training-jobs/{job_id}/accept',
      'POST /v1/admin/training-jobs/{job_id}/redo',
      'POST /v1/admin/training-jobs/{job_id}/reset',
      'POST /v1/admin/training-jobs/{job_id}/review',
      'POST /v1/admin/training-jobs/{job_id}/skip',
      'POST /v1/admin/training-jobs/{job_id}/stop',
      'PUT /v1/admin/training-jobs/{job_id}/flexus-retry-count',
    ]);
    for (const { route, operation } of adminOperations) {
      assert.deepEqual(operation.tags, ['Admin'], route);
      assert.ok(operation.responses?.['200'], `${route} declares its 200 answer`);
    }
  });
});

describe('the CLI twin', () => {
  const runCli = promisify(execFile);

  test('admin show prints URLs for the address the server really serves, not the default port', async () => {
    const created = await tenant.create({ name: 'cli_show_urls' });
    await put(created.id_card_image1_upload_url as string, Buffer.from('an id card'));
    const shown = JSON.parse(await cli(['admin', 'show', created.job_id as string, '--data-dir', server.dataDir])) as Json;
    const urls = Object.entries(shown).filter(([name, value]) => name.endsWith('_url') && typeof value === 'string');
    assert.ok(urls.length > 0, JSON.stringify(Object.keys(shown)));
    for (const [name, url] of urls) assert.ok((url as string).startsWith(`${server.url}/`), `${name}: ${url as string} is on ${server.url}`);
  });

  test('admin approve moves a job out of the queue as the API does; a refused action exits 1 with the message', async () => {
    const jobId = await jobInState('cli_approve', 'MANUAL_VERIFYING');
    const listed = JSON.parse(await cli(['admin', 'list', '--json', '--data-dir', server.dataDir])) as Json;
    assert.ok((listed.jobs as Json[]).some((job) => job.job_id === jobId));

    const stdout = await cli(['admin', 'approve', jobId, '--opinion', 'approved from the shell', '--data-dir', server.dataDir]);
    assert.equal(stdout, `approved ${jobId}: state WAIT_TRAINING_DATA_PREPROCESS\n`);
    const shown = await tenant.show(jobId);
    assert.equal(shown.state, 'WAIT_TRAINING_DATA_PREPROCESS');
    assert.deepEqual(
      { log_type: lastLog(shown).log_type, operate_user: lastLog(shown).operate_user, log_description: lastLog(shown).log_description },
      { log_type: 'ADMIN_VERIFY_SUCCESS', operate_user: 'ADMIN', log_description: 'approved from the shell' },
    );

    const args = ['admin', 'approve', jobId, '--data-dir', server.dataDir];
    const refused = await runCli(process.execPath, [CLI, ...args], { cwd: REPO_ROOT, env: cliEnvironment(databaseEnvOfArgs(args)) }).then(
      () => assert.fail('approving twice must fail'),
      (error: { code: number; stderr: string }) => error,
    );
    assert.equal(refused.code, 1);
    assert.match(refused.stderr, /^avatarforge: Operation not allowed in the job's current state: state is WAIT_TRAINING_DATA_PREPROCESS; allowed in MANUAL_VERIFYING \(MSS\.20010002\)\n$/);
  });

  test('admin redo and admin skip act on the test-video check as the API does', async () => {
    const jobId = await jobInState('cli_test_video', 'TEST_VIDEO_CHECK_FAILED');
    const redone = await cli(['admin', 'redo', jobId, '--reason', 'once more', '--data-dir', server.dataDir]);
    assert.equal(redone, `redone ${jobId}: state WAIT_TEST_VIDEO_CHECK\n`);
    const skipped = await cli(['admin', 'skip', jobId, '--reason', 'fine by eye', '--data-dir', server.dataDir]);
    assert.equal(skipped, `skipped ${jobId}: state WAIT_ASSET_SYNC\n`);
    const shown = await tenant.show(jobId);
    assert.deepEqual(
      (shown.operation_logs as Json[]).slice(-3).map((entry) => [entry.log_type, entry.log_description]),
      [['RESTART_TEST_VIDEO_CHECK', 'once more'], ['WAIT_TEST_VIDEO_CHECK', undefined], ['SKIP_TEST_VIDEO_CHECK', 'fine by eye']],
    );
  });
});
