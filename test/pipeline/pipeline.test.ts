import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { probeMedia } from '../../src/pipeline/mediaTools.js';
import { makeTempDir, startTestServer, type TestServer } from '../support/testServer.js';
import { createSdkClient, type Json, type SdkClient } from '../support/sdkClient.js';
import { makeVideo, probeTools, withClaimedSeconds } from '../support/media.js';
import { approve, createAndSubmit, logTypes, PIPELINE_ENV, put, uploadVideoAndIdentity, waitForState } from '../support/pipelineFlow.js';

let mediaDir: string;
before(() => {
  mediaDir = makeTempDir('media');
});
after(() => fs.rmSync(mediaDir, { recursive: true, force: true }));

describe('the pipeline, on the embedded defaults with real media', () => {
  let server: TestServer;
  let sdk: SdkClient;
  before(async () => {
    server = await startTestServer({ env: PIPELINE_ENV });
    sdk = createSdkClient(server.url);
  });
  after(() => server.destroy());

  test('a 1080p job passes automatic review, is approved, runs every stage and reaches JOB_SUCCESS', async () => {
    const video = await makeVideo(mediaDir, { width: 1920, height: 1080, seconds: 4 });
    const jobId = await createAndSubmit(sdk, mediaDir, video, 'pipeline_1080p');

    const reviewed = await waitForState(sdk, jobId, ['MANUAL_VERIFYING', 'AUTO_VERIFY_FAILED']);
    assert.equal(reviewed.state, 'MANUAL_VERIFYING', JSON.stringify(reviewed.operation_logs));
    // While the review encodes the reviewer's videos, how far it is: percent of the seconds to encode.
    const progress = (reviewed.operation_logs as Json[]).filter((entry) => entry.log_type === 'VIDEO_ANALYZE_PROCESSING');
    assert.ok(progress.length >= 1 && progress.length <= 9, JSON.stringify(reviewed.operation_logs));
    for (const entry of progress) {
      assert.equal(entry.operate_user, 'SYSTEM');
      assert.match(entry.log_description as string, /^making the reviewer's videos: [1-9]\d? % \((markable video at \d of 4|verify video at \d of 4) s\)$/);
    }
    assert.deepEqual(logTypes(reviewed).slice(0, 2 + progress.length).slice(2), progress.map(() => 'VIDEO_ANALYZE_PROCESSING'), 'progress comes while the review runs, before its results');
    assert.deepEqual(logTypes(reviewed).filter((type) => type !== 'VIDEO_ANALYZE_PROCESSING'), [
      'USER_CREATE_JOD',
      'USER_VERIFYING_SUBMITTED',
      'SYSTEM_UPDATE_COVER',
      'SYSTEM_MARKABLE_VIDEO',
      'SYSTEM_MARKABLE_VIDEO_SUCCESS',
      'SYSTEM_MASK_VERIFY_VIDEO',
      'SYSTEM_MASK_VERIFY_VIDEO_SUCCESS',
      'SYSTEM_VERIFY_SUCCESS',
    ]);
    const verdict = (reviewed.operation_logs as Json[]).at(-1)!;
    assert.equal(verdict.log_description, 'automatic review passed: resolution 1920x1080 (h264), duration 4.0 s, audio present', 'what was measured, for the reviewer');

    const cover = Buffer.from(await (await fetch(reviewed.cover_download_url as string)).arrayBuffer());
    assert.deepEqual([...cover.subarray(0, 3)], [0xff, 0xd8, 0xff], 'the cover is a JPEG');
    const markableFile = `${mediaDir}/markable-${jobId}.mp4`;
    fs.writeFileSync(markableFile, Buffer.from(await (await fetch(reviewed.markable_video_download_url as string)).arrayBuffer()));
    const markable = await probeMedia(probeTools(), markableFile);
    assert.equal(markable.video?.height, 360, 'the markable video is a 360p proxy');
    assert.ok(markable.hasAudio);
    const verifyVideo = await fetch(reviewed.verify_video_download_url as string);
    assert.equal(verifyVideo.status, 200);

    await approve(server, jobId, 'face, light and sound are fine');
    const done = await waitForState(sdk, jobId, ['JOB_SUCCESS', 'TRAINING_DATA_PREPROCESS_FAILED', 'TRAIN_FAILED', 'INFERENCE_DATA_PREPROCESS_FAILED', 'COMPILE_FAILED', 'TEST_VIDEO_CHECK_FAILED']);
    assert.equal(done.state, 'JOB_SUCCESS', JSON.stringify(done.operation_logs));
    assert.match(done.asset_id as string, /^[0-9a-f]{32}$/);
    assert.deepEqual(logTypes(done).slice(8 + progress.length), [
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
    const approval = (done.operation_logs as Json[])[8 + progress.length]!;
    assert.deepEqual([approval.operate_user, approval.log_description], ['ADMIN', 'face, light and sound are fine']);
    const preprocessing = (done.operation_logs as Json[]).find((entry) => entry.log_type === 'SYSTEM_TRAIN_DATA_PREPROCESS_SUCCESS')!;
    assert.match(preprocessing.log_description as string, /^training_data_preprocess by \S+placeholderTrainer\.sh$/);
    const training = (done.operation_logs as Json[]).find((entry) => entry.log_type === 'SYSTEM_TRAIN_SUCCESS')!;
    assert.match(training.log_description as string, /^training by \S+placeholderTrainer\.sh$/);
    const work = await server.services.jobs.listStageWork(jobId);
    assert.deepEqual(
      work.map((item) => [item.stage, item.status, item.attempts]),
      [
        ['auto_verify', 'done', 1],
        ['training_data_preprocess', 'done', 1],
        ['training', 'done', 1],
        ['inference_data_preprocess', 'done', 1],
        ['compile', 'done', 1],
        ['test_video_check', 'done', 1],
        ['asset_sync', 'done', 1],
      ],
    );
  });

  test('a 720p video fails automatic review with 44005901; after Update, re-upload and resubmission it passes', async () => {
    const small = await makeVideo(mediaDir, { width: 1280, height: 720, seconds: 4 });
    const jobId = await createAndSubmit(sdk, mediaDir, small, 'pipeline_720p');
    const failed = await waitForState(sdk, jobId, ['AUTO_VERIFY_FAILED', 'MANUAL_VERIFYING']);
    assert.equal(failed.state, 'AUTO_VERIFY_FAILED');
    const verdict = (failed.operation_logs as Json[]).at(-1)!;
    assert.equal(verdict.log_type, 'SYSTEM_VERIFY_FAILED');
    assert.equal(verdict.operate_user, 'SYSTEM');
    assert.equal(verdict.error_code, '44005901');
    assert.match(verdict.log_description as string, /1280x720/);
    assert.equal(failed.markable_video_download_url, undefined, 'no products for a rejected video');

    const updated = await sdk.update(jobId, { command_message: 'UPDATE_VIDEO', video_multipart_count: 2 });
    await uploadVideoAndIdentity(mediaDir, { training_video_upload_url: updated.training_video_upload_url }, await makeVideo(mediaDir, { width: 1080, height: 1920, seconds: 4 }));
    await sdk.command(jobId, { command: 'CONFIRM_MULTIPART_UPLOADED' });
    await sdk.command(jobId, { command: 'SUBMITVERIFYING' });
    const passed = await waitForState(sdk, jobId, ['MANUAL_VERIFYING', 'AUTO_VERIFY_FAILED']);
    assert.equal(passed.state, 'MANUAL_VERIFYING', 'a portrait 1080x1920 video is accepted');
  });

  test("the review measures the video's length from its stream: a header that claims less is caught, and one that claims more is named", async () => {
    const long = path.join(mediaDir, 'claims-4s.mp4');
    fs.writeFileSync(long, withClaimedSeconds(await makeVideo(mediaDir, { width: 1920, height: 1080, seconds: 32 }), 4));
    assert.ok(Math.abs(((await probeMedia(probeTools(), long)).durationSeconds ?? 0) - 4) < 0.1, 'the header does claim 4 s');
    const refused = await waitForState(sdk, await createAndSubmit(sdk, mediaDir, long, 'pipeline_claims_less'), ['AUTO_VERIFY_FAILED', 'MANUAL_VERIFYING']);
    assert.equal(refused.state, 'AUTO_VERIFY_FAILED');
    assert.match((refused.operation_logs as Json[]).at(-1)!.log_description as string, /lasts more than 30 s \(its header claims 4\.0 s\); it must last 2 to 30 s/);

    const short = path.join(mediaDir, 'claims-400s.mp4');
    fs.writeFileSync(short, withClaimedSeconds(await makeVideo(mediaDir, { width: 1920, height: 1080, seconds: 4 }), 400));
    const passed = await waitForState(sdk, await createAndSubmit(sdk, mediaDir, short, 'pipeline_claims_more'), ['AUTO_VERIFY_FAILED', 'MANUAL_VERIFYING']);
    assert.equal(passed.state, 'MANUAL_VERIFYING');
    assert.match((passed.operation_logs as Json[]).at(-1)!.log_description as string, /duration 4\.0 s \(its header claims 400\.0 s\)/);
  });

  test('every problem is reported: too short, no audio track, missing ID images and letter', async () => {
    const created = await sdk.create({ name: 'pipeline_many_problems' });
    const silent = fs.readFileSync(await makeVideo(mediaDir, { width: 1920, height: 1080, seconds: 1, audio: false }));
    await put((created.training_video_upload_url as string[])[0]!, silent);
    await sdk.command(created.job_id as string, { command: 'CONFIRM_MULTIPART_UPLOADED' });
    // The API checks that files are there; the review checks what they are. Upload junk as the ID images.
    await put(created.id_card_image1_upload_url as string, Buffer.from('not an image'));
    await put(created.id_card_image2_upload_url as string, Buffer.from('not an image either'));
    await put(created.grant_file_upload_url as string, Buffer.from('plain text letter'));
    await sdk.command(created.job_id as string, { command: 'SUBMITVERIFYING' });
    const failed = await waitForState(sdk, created.job_id as string, ['AUTO_VERIFY_FAILED', 'MANUAL_VERIFYING']);
    assert.equal(failed.state, 'AUTO_VERIFY_FAILED');
    const description = (failed.operation_logs as Json[]).at(-1)!.log_description as string;
    for (const expected of [/lasts 1\.\d s; it must last 2 to 30 s/, /no audio track/, /ID card front image cannot be decoded/, /ID card back image cannot be decoded/, /authorization letter is neither a PDF/]) {
      assert.match(description, expected);
    }
  });
});

describe('leases', () => {
  let server: TestServer;
  let sdk: SdkClient;
  before(async () => {
    server = await startTestServer({ env: PIPELINE_ENV });
    sdk = createSdkClient(server.url);
  });
  after(() => server.destroy());

  test('a worker that dies mid-stage loses its lease; the work is retried and the job goes on', async () => {
    const { stageWork } = server.services;
    const created = await sdk.create({ name: 'pipeline_dead_worker', video_multipart_count: 2 });
    const jobId = created.job_id as string;
    await uploadVideoAndIdentity(mediaDir, created, await makeVideo(mediaDir, { width: 1920, height: 1080, seconds: 3 }));
    await sdk.command(jobId, { command: 'CONFIRM_MULTIPART_UPLOADED' });
    // A worker that claims the review and then dies: it never renews its lease. The server's own
    // runner pauses meanwhile so that the doomed worker is the one that gets the work.
    await server.runner!.stop();
    await sdk.command(jobId, { command: 'SUBMITVERIFYING' });
    const claimed = await stageWork.claim('doomed-worker', ['auto_verify']);
    assert.ok(claimed, 'the doomed worker got the work');
    server.runner!.start();
    assert.equal(claimed.job.jobId, jobId);
    server.clock.advance(4000); // past the 3-second heartbeat timeout
    const shown = await waitForState(sdk, jobId, ['MANUAL_VERIFYING', 'AUTO_VERIFY_FAILED']);
    assert.equal(shown.state, 'MANUAL_VERIFYING');
    const retry = (shown.operation_logs as Json[]).find((entry) => entry.log_type === 'TIME_OUT_RETRY');
    assert.ok(retry, 'the retry is logged');
    assert.match(retry.log_description as string, /doomed-worker.*attempt 1 of 3/);
    const [work] = await server.services.jobs.listStageWork(jobId);
    assert.equal(work!.attempts, 2);
    assert.equal(work!.status, 'done');
    assert.equal(await stageWork.heartbeat(claimed.work.workId, claimed.leaseToken), false, 'the dead worker\'s lease is gone');
  });
});
