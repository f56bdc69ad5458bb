/**
 * GET /v1/admin/pipeline/summary: the dashboard's numbers. The workers are off; the test plays the
 * worker itself through the stage-work service, so that the durations are exact.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createKey } from '../support/cli.js';
import { put } from '../support/pipelineFlow.js';
import { assertSdkError, createSdkClient, sdkError, type Json, type SdkClient } from '../support/sdkClient.js';
import { startTestServer, type TestServer } from '../support/testServer.js';

const SUMMARY = '/v1/admin/pipeline/summary';

let server: TestServer;
let tenant: SdkClient;
let admin: SdkClient;

before(async () => {
  server = await startTestServer({ env: { AVATARFORGE_REQUIRE_IDENTITY_FILES: 'false' } });
  tenant = createSdkClient(server.url);
  admin = createSdkClient(server.url, await createKey(server, ['--role', 'admin']));
});

after(async () => {
  await server?.destroy();
});

/** A job with a video (any bytes: no worker looks at them here), submitted: its automatic review is queued. */
async function submittedJob(name: string): Promise<string> {
  const created = await tenant.create({ name });
  await put((created.training_video_upload_url as string[])[0]!, Buffer.from('not really a video'));
  await tenant.command(created.job_id as string, { command: 'CONFIRM_MULTIPART_UPLOADED' });
  await tenant.command(created.job_id as string, { command: 'SUBMITVERIFYING' });
  return created.job_id as string;
}

/** Claims the next automatic review as a worker would, lets `seconds` pass, and ends it. */
async function reviewAutomatically(seconds: number, outcome: 'succeeded' | 'failed'): Promise<void> {
  const claimed = await server.services.stageWork.claim('test-worker', ['auto_verify']);
  assert.ok(claimed, 'an automatic review is queued');
  server.clock.advance(seconds * 1000);
  await server.services.stageWork.complete(
    claimed.work.workId,
    claimed.leaseToken,
    outcome === 'succeeded' ? { outcome } : { outcome, reason: 'automatic review failed: the training video is 1280x720' },
  );
}

describe('the pipeline summary', () => {
  test('counts jobs per state, the review queue, stage work by status with durations, and recent failures', async () => {
    // Durations are measured in virtual time: a stopped clock moves only by the test's advances,
    // however long the machine takes between the claim and the completion.
    server.clock.pause();
    const empty = await admin.request('GET', SUMMARY);
    assert.equal(empty.httpStatusCode, 200);
    assert.deepEqual(
      { jobs_total: empty.jobs_total, jobs_by_state: empty.jobs_by_state, review_queue: empty.review_queue, recent_failures: empty.recent_failures },
      { jobs_total: 0, jobs_by_state: [], review_queue: { count: 0 }, recent_failures: [] },
    );
    assert.deepEqual(
      (empty.stages as Json[]).map((stage) => stage.stage),
      ['auto_verify', 'training_data_preprocess', 'training', 'inference_data_preprocess', 'compile', 'test_video_check', 'asset_sync', 'video_render'],
    );

    const passed = await submittedJob('summary_passed');
    await reviewAutomatically(2, 'succeeded');
    const failed = await submittedJob('summary_failed');
    await reviewAutomatically(4, 'failed');
    await tenant.create({ name: 'summary_waiting_for_files' });
    const queuedAt = (await tenant.show(passed)).last_update_time as string;

    const summary = await admin.request('GET', SUMMARY);
    assert.equal(summary.jobs_total, 3);
    assert.deepEqual(summary.jobs_by_state, [
      { state: 'WAIT_FILE_UPLOAD', count: 1 },
      { state: 'AUTO_VERIFY_FAILED', count: 1 },
      { state: 'MANUAL_VERIFYING', count: 1 },
    ]);
    assert.deepEqual(summary.review_queue, { count: 1, oldest_since: queuedAt });
    const autoVerify = (summary.stages as Json[]).find((stage) => stage.stage === 'auto_verify')!;
    assert.deepEqual(autoVerify, {
      stage: 'auto_verify',
      work: { queued: 0, leased: 0, done: 1, failed: 1, cancelled: 0 },
      done_seconds: { average: 2, maximum: 2 },
    });
    assert.ok((summary.stages as Json[]).filter((stage) => stage.stage !== 'auto_verify').every((stage) => stage.done_seconds === undefined));
    assert.equal(summary.recent_failures.length, 1);
    const failure = summary.recent_failures[0] as Json;
    assert.deepEqual(
      { job_id: failure.job_id, name: failure.name, stage: failure.stage, attempts: failure.attempts, error: failure.error },
      { job_id: failed, name: 'summary_failed', stage: 'auto_verify', attempts: 1, error: 'automatic review failed: the training video is 1280x720' },
    );
    assert.match(summary.generated_at as string, /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/);
  });

  test('a tenant key is refused with 403 APIG.0306', async () => {
    assertSdkError(await sdkError(tenant.request('GET', SUMMARY)), 403, 'APIG.0306');
  });
});
