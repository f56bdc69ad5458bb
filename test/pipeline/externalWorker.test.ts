import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { createKey, type Credentials } from '../support/cli.js';
import { makeVideo } from '../support/media.js';
import { approve, createAndSubmit, PLACEHOLDER_TRAINER_ENV, waitForState, waitForVideo } from '../support/pipelineFlow.js';
import { startExternalWorker, stopProcess } from '../support/processes.js';
import { createSdkClient, sdkError, type Json, type SdkClient } from '../support/sdkClient.js';
import { makeTempDir, startTestServer, type TestServer } from '../support/testServer.js';

/**
 * Training and the test-video check are left to external workers; the server's own runner does
 * everything else, with the placeholder trainer (the test videos show a pattern, not a face).
 */
const ENV = {
  ...PLACEHOLDER_TRAINER_ENV,
  AVATARFORGE_WORKERS: 'true',
  AVATARFORGE_WORKER_STAGES: 'auto_verify,training_data_preprocess,inference_data_preprocess,compile,asset_sync',
  AVATARFORGE_VIDEO_MIN_SECONDS: '2',
  AVATARFORGE_VIDEO_MAX_SECONDS: '30',
};

const TEST_VIDEO_REPORT = { mouth_correlation: 0.8, floor: 0.5, held_out_seconds: 0.6, face_found_ratio: 1, sentence: 'Good morning.' };

let mediaDir: string;
/** The job the first test trains to JOB_SUCCESS: its model renders the video job of a later test. */
let trainedJobId: string | undefined;
let server: TestServer;
let sdk: SdkClient;
let workerKey: Credentials;
before(async () => {
  mediaDir = makeTempDir('worker-media');
  server = await startTestServer({ env: ENV });
  sdk = createSdkClient(server.url);
  workerKey = await createKey(server, ['--role', 'worker']);
});
after(async () => {
  await server.destroy();
  fs.rmSync(mediaDir, { recursive: true, force: true });
});

const startWorker = (command: string, workerId: string, stages = ['training']) => startExternalWorker(server.url, workerKey, { stages, command, workerId });

describe('an external worker runs the training stage through the worker API', () => {
  test('avatarforge worker trains and checks the test video with its command; the job reaches JOB_SUCCESS with the trainer output', async () => {
    const trainer = path.join(mediaDir, 'trainer.sh');
    // A trainer that proves it saw the preprocessed data and the job's settings, and writes its "model";
    // for the test-video check, that it got the compiled model, and it writes the two single-file outputs.
    fs.writeFileSync(
      trainer,
      [
        '#!/bin/sh',
        'set -e',
        'if [ "$AVATARFORGE_STAGE" = test_video_check ]; then',
        '  test -d "$1/compiled_model"',
        '  printf "test video" > "$2/test_video.mp4"',
        `  printf '%s' '${JSON.stringify(TEST_VIDEO_REPORT)}' > "$2/quality.json"`,
        '  exit 0',
        'fi',
        'test -f "$1/training_data/inputs.txt"',
        'grep -q "$AVATARFORGE_JOB_ID" "$1/job.json"',
        'echo "stage=$AVATARFORGE_STAGE" > "$2/model.txt"',
        'echo "progress: halfway" >&2',
        'echo "model written"',
        '',
      ].join('\n'),
      { mode: 0o755 },
    );
    const worker = startWorker(trainer, 'gpu-box-1', ['training', 'test_video_check']);
    try {
      const jobId = await createAndSubmit(sdk, mediaDir, await makeVideo(mediaDir, { width: 1920, height: 1080, seconds: 3 }), 'external_training');
      await waitForState(sdk, jobId, ['MANUAL_VERIFYING']);
      await approve(server, jobId, 'ok');
      const done = await waitForState(sdk, jobId, ['JOB_SUCCESS', 'TRAIN_FAILED', 'COMPILE_FAILED'], 120_000);
      assert.equal(done.state, 'JOB_SUCCESS', `${JSON.stringify(done.operation_logs)}\n${worker.output()}`);
      const trained = (done.operation_logs as Json[]).find((entry) => entry.log_type === 'SYSTEM_TRAIN_SUCCESS')!;
      assert.equal(trained.log_description, 'training by gpu-box-1: model written');
      assert.match(worker.output(), /training of job \w+: halfway/);
      assert.match(worker.output(), /completed training of job/);
      const work = await server.services.jobs.listStageWork(jobId);
      assert.equal(work.find((item) => item.stage === 'training')?.workerId, 'gpu-box-1');
      assert.equal(work.find((item) => item.stage === 'test_video_check')?.workerId, 'gpu-box-1');
      const model = await sdk.model(jobId);
      assert.equal(await (await fetch(model.test_video_download_url as string)).text(), 'test video');
      assert.deepEqual(model.test_video_report, TEST_VIDEO_REPORT);
      trainedJobId = jobId;
    } finally {
      await stopProcess(worker.child);
    }
  });

  test("a video job's render runs on an external worker: the plan and the model in, the video, cover and report out", async () => {
    assert.ok(trainedJobId, 'the first test trained a model');
    const trained = await sdk.show(trainedJobId);
    const renderer = path.join(mediaDir, 'renderer.sh');
    fs.writeFileSync(
      renderer,
      [
        '#!/bin/sh',
        'set -e',
        'test "$AVATARFORGE_STAGE" = video_render',
        'test -d "$1/compiled_model"',
        'grep -q "Rendered elsewhere" "$1/job.json"',
        'printf "an mp4" > "$2/video.mp4"',
        'printf "a jpeg" > "$2/cover.jpg"',
        `printf '{"seconds": 2.5, "width": 1280, "height": 720}' > "$2/video.json"`,
        'echo "video made"',
        '',
      ].join('\n'),
      { mode: 0o755 },
    );
    const worker = startWorker(renderer, 'render-box-1', ['video_render']);
    try {
      const created = await sdk.createVideo({
        model_asset_id: trained.asset_id,
        video_config: { width: 1280, height: 720 },
        shoot_scripts: [{ shoot_script: { script_type: 'TEXT', text_config: { text: 'Rendered elsewhere.' } } }],
      });
      const shown = await waitForVideo(sdk, created.job_id as string, ['SUCCEED', 'FAILED', 'CANCELED']);
      assert.equal(shown.state, 'SUCCEED', `${JSON.stringify(shown)}\n${worker.output()}`);
      assert.equal(shown.duration, 2.5);
      assert.equal(await (await fetch(shown.output_asset_config.preview_video_url as string)).text(), 'an mp4');
      assert.equal(await (await fetch(shown.output_asset_config.cover_url as string)).text(), 'a jpeg');
      const work = await server.services.jobs.listStageWork(created.job_id as string);
      assert.deepEqual(work.map((item) => [item.stage, item.workerId, item.status]), [['video_render', 'render-box-1', 'done']]);
    } finally {
      await stopProcess(worker.child);
    }
  });

  test('a failing trainer command fails the stage with its stderr in the log', async () => {
    const trainer = path.join(mediaDir, 'broken-trainer.sh');
    fs.writeFileSync(trainer, '#!/bin/sh\necho "CUDA out of memory" >&2\nexit 3\n', { mode: 0o755 });
    const worker = startWorker(trainer, 'gpu-box-2');
    try {
      const jobId = await createAndSubmit(sdk, mediaDir, await makeVideo(mediaDir, { width: 1920, height: 1080, seconds: 3 }), 'external_training_fails');
      await waitForState(sdk, jobId, ['MANUAL_VERIFYING']);
      await approve(server, jobId, 'ok');
      const failed = await waitForState(sdk, jobId, ['TRAIN_FAILED', 'JOB_SUCCESS'], 120_000);
      assert.equal(failed.state, 'TRAIN_FAILED');
      const entry = (failed.operation_logs as Json[]).at(-1)!;
      assert.equal(entry.log_type, 'SYSTEM_TRAIN_FAILED');
      assert.match(entry.log_description as string, /CUDA out of memory/);
    } finally {
      await stopProcess(worker.child);
    }
  });
});

describe('the worker API', () => {
  test('tenant and admin credentials are refused with 403 APIG.0306', async () => {
    const admin = createSdkClient(server.url, await createKey(server, ['--role', 'admin']));
    for (const client of [sdk, admin]) {
      const refused = await sdkError(client.request('POST', '/v1/worker/claims', { worker_id: 'x', stages: ['training'] }));
      assert.equal(refused.httpStatusCode, 403);
      assert.equal(refused.errorCode, 'APIG.0306');
    }
  });

  test('no work answers 204; a wrong lease token answers 409; completing without outputs answers 400', async () => {
    const worker = createSdkClient(server.url, workerKey);
    const none = await worker.request('POST', '/v1/worker/claims', { worker_id: 'probe', stages: ['training'] });
    assert.equal(none.httpStatusCode, 204);
    const unknownStage = await sdkError(worker.request('POST', '/v1/worker/claims', { worker_id: 'probe', stages: ['painting'] }));
    assert.equal(unknownStage.httpStatusCode, 400);

    const jobId = await createAndSubmit(sdk, mediaDir, await makeVideo(mediaDir, { width: 1920, height: 1080, seconds: 3 }), 'worker_api_errors');
    await waitForState(sdk, jobId, ['MANUAL_VERIFYING']);
    await approve(server, jobId, 'ok');
    await waitForState(sdk, jobId, ['TRAINING_DATA_PREPROCESS_SUCCESS']);
    const claim = await worker.request('POST', '/v1/worker/claims', { worker_id: 'probe', stages: ['training'] });
    assert.equal(claim.httpStatusCode, 200);
    assert.equal(claim.job.job_id, jobId);
    assert.deepEqual(Object.keys(claim.inputs), ['training_data']);
    assert.deepEqual(Object.keys(claim.outputs), ['model_package']);
    assert.equal((await sdk.show(jobId)).state, 'TRAINING', 'the claim started the stage');

    const wrongToken = await sdkError(worker.request('POST', `/v1/worker/work/${claim.work_id}/heartbeat`, { lease_token: 'not-the-token' }));
    assert.equal(wrongToken.httpStatusCode, 409);
    assert.equal(wrongToken.errorCode, 'MSS.20030002');
    const beat = await worker.request('POST', `/v1/worker/work/${claim.work_id}/heartbeat`, { lease_token: claim.lease_token });
    assert.equal(beat.result, 'ok');
    const early = await sdkError(worker.request('POST', `/v1/worker/work/${claim.work_id}/complete`, { lease_token: claim.lease_token }));
    assert.equal(early.httpStatusCode, 400);
    assert.equal(early.errorCode, 'MSS.20010003');
    assert.match(early.errorMsg ?? '', /model_package/);

    const failed = await worker.request('POST', `/v1/worker/work/${claim.work_id}/fail`, { lease_token: claim.lease_token, reason: 'no GPU left', error_code: 'GPU-1' });
    assert.equal(failed.result, 'ok');
    const shown = await sdk.show(jobId);
    assert.equal(shown.state, 'TRAIN_FAILED');
    const entry = (shown.operation_logs as Json[]).at(-1)!;
    assert.deepEqual([entry.log_description, entry.error_code], ['no GPU left', 'GPU-1']);
    for (const action of ['complete', 'fail', 'heartbeat']) {
      const unknownWork = await sdkError(worker.request('POST', `/v1/worker/work/ffffffffffffffffffffffffffffffff/${action}`, { lease_token: 'x', reason: 'x' }));
      assert.deepEqual([unknownWork.httpStatusCode, unknownWork.errorCode], [404, 'MSS.20030001'], action);
    }
  });
});
