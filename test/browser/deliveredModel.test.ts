/**
 * The delivered model in the console, in a real browser: its test video, the check's quality
 * figure and the model's download, for a reviewer confirming it and for the user deciding on it;
 * a reviewer redoing and skipping a failed test-video check. No training runs: an admin reset
 * queues compile, and the test plays the external worker (claim, upload the outputs, complete or
 * fail), uploading a real model archive and a real MP4. Both confirmation gates are on.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import * as tar from 'tar';
import type { Browser, Page } from 'playwright-core';
import { createKey, type Credentials } from '../support/cli.js';
import { assertControlsLabelled, launchChromium, newConsoleContext, screenshot, signIn } from '../support/browser.js';
import { makeVideo } from '../support/media.js';
import { put } from '../support/pipelineFlow.js';
import { createSdkClient, type Json, type SdkClient } from '../support/sdkClient.js';
import { makeTempDir, startTestServer, TEST_ACCESS_KEY, TEST_SECRET_KEY, type TestServer } from '../support/testServer.js';

const REPORT = { mouth_correlation: 0.84, floor: 0.5, held_out_seconds: 12.2, face_found_ratio: 1, sentence: 'Good morning, and welcome.' };

let server: TestServer;
let browser: Browser;
let tenant: SdkClient;
let admin: SdkClient;
let worker: SdkClient;
let reviewerKey: Credentials;
let mediaDir: string;
let modelArchive: Buffer;
let testVideo: Buffer;
const tenantKey = { ak: TEST_ACCESS_KEY, sk: TEST_SECRET_KEY };

before(async () => {
  mediaDir = makeTempDir('browser-model');
  server = await startTestServer({ env: { AVATARFORGE_ADMIN_CONFIRM_GATE: 'true', AVATARFORGE_USER_CONFIRM_GATE: 'true' } });
  browser = await launchChromium();
  tenant = createSdkClient(server.url);
  reviewerKey = await createKey(server, ['--role', 'admin']);
  admin = createSdkClient(server.url, reviewerKey);
  worker = createSdkClient(server.url, await createKey(server, ['--role', 'worker']));
  const modelDir = path.join(mediaDir, 'model');
  fs.mkdirSync(modelDir);
  fs.writeFileSync(path.join(modelDir, 'model.json'), JSON.stringify({ format: 'avatarforge-2d', version: 1 }));
  await tar.c({ gzip: true, cwd: modelDir, file: path.join(mediaDir, 'model.tar.gz') }, ['model.json']);
  modelArchive = fs.readFileSync(path.join(mediaDir, 'model.tar.gz'));
  testVideo = fs.readFileSync(await makeVideo(mediaDir, { width: 640, height: 360, seconds: 2 }));
});

after(async () => {
  await browser?.close();
  await server?.destroy();
  fs.rmSync(mediaDir, { recursive: true, force: true });
});

/** Claims the waiting work item of `stage` (the job's) as an external worker would. */
async function claimStage(stage: string, jobId: string): Promise<Json> {
  const claimed = await worker.request('POST', '/v1/worker/claims', { worker_id: 'browser-test-worker', stages: [stage] });
  assert.equal(claimed.job?.job_id, jobId, `no ${stage} work of ${jobId} to claim`);
  return claimed;
}

/** Runs `stage` of the job to success, uploading `outputs` (file kind → bytes). */
async function completeStage(stage: string, jobId: string, outputs: Record<string, Buffer>): Promise<void> {
  const claimed = await claimStage(stage, jobId);
  for (const [kind, bytes] of Object.entries(outputs)) await put(claimed.outputs[kind] as string, bytes);
  assert.equal((await worker.request('POST', `/v1/worker/work/${claimed.work_id}/complete`, { lease_token: claimed.lease_token })).result, 'ok');
}

/** A created job sent straight to compile by an admin, and compiled: it waits for its test-video check. */
async function compiledJob(name: string): Promise<string> {
  const jobId = (await tenant.create({ name })).job_id as string;
  assert.equal((await admin.request('POST', `/v1/admin/training-jobs/${jobId}/reset`, { to_state: 'WAIT_COMPILE' })).state, 'WAIT_COMPILE');
  await completeStage('compile', jobId, { compiled_model: modelArchive });
  return jobId;
}

const badgeOf = (page: Page) => page.locator('.page-head .badge');
const modelBox = (page: Page) => page.locator('section.delivered-model');

/** The test video's URL answers 200 with the MP4, and the browser's player reads its picture size. */
async function assertTestVideoPlays(page: Page): Promise<void> {
  const player = modelBox(page).locator('video#test-video');
  await player.waitFor();
  const answer = await page.request.get((await player.getAttribute('src'))!);
  assert.equal(answer.status(), 200);
  assert.equal(answer.headers()['content-type'], 'video/mp4');
  assert.deepEqual(await answer.body(), testVideo);
  await page.waitForFunction(() => (document.querySelector('video#test-video') as HTMLVideoElement | null)?.videoWidth === 640);
}

describe('the console, the delivered model', () => {
  test('a reviewer watches the test video and confirms the model; the user sees it beside accept and reject, reads the figure and downloads the model', { timeout: 120_000 }, async () => {
    const jobId = await compiledJob('anchor_lin');
    await completeStage('test_video_check', jobId, { test_video: testVideo, test_video_report: Buffer.from(JSON.stringify(REPORT)) });
    const figure = 'Lip-sync check: the rendered mouth follows the real one with r = 0.84 on 12 s of held-out speech (pass mark 0.50); face found in 100 % of frames.';

    const reviewerContext = await newConsoleContext(browser);
    const reviewer = await reviewerContext.newPage();
    await signIn(reviewer, server.url, reviewerKey, `/console/review/${jobId}`);
    await reviewer.locator('.page-head .badge[data-state="WAIT_ADMIN_CONFIRM"]').waitFor();
    await assertTestVideoPlays(reviewer);
    await modelBox(reviewer).getByText(figure).waitFor();
    await reviewer.getByRole('button', { name: 'Confirm the model' }).click();
    await reviewer.getByText('Confirmed: the job is now WAIT_ASSET_SYNC').waitFor();
    await reviewerContext.close();
    await completeStage('asset_sync', jobId, {});

    const userContext = await newConsoleContext(browser);
    const user = await userContext.newPage();
    await signIn(user, server.url, tenantKey, `/console/jobs/${jobId}`);
    await badgeOf(user).filter({ hasText: 'Awaiting your acceptance' }).waitFor();
    await assertTestVideoPlays(user);
    await modelBox(user).getByText(figure).waitFor();
    await modelBox(user).getByText('The test video also speaks a standard sentence: “Good morning, and welcome.”').waitFor();
    await modelBox(user).getByText('npx avatarforge render --model model').waitFor();
    // The download stands beside the model it downloads, above the test video made with it.
    const modelFile = modelBox(user).locator('.model-file');
    await modelFile.getByText('The model').waitFor();
    await modelFile.getByText('avatarforge-2d model, .tar.gz').waitFor();
    await modelFile.getByRole('link', { name: 'Download model' }).waitFor();
    const fileRow = (await modelFile.boundingBox())!;
    const player = (await modelBox(user).locator('video#test-video').boundingBox())!;
    assert.ok(fileRow.y + fileRow.height <= player.y, 'the model and its download come before the test video');

    // The video beside the decision it is for.
    const box = (await modelBox(user).boundingBox())!;
    const decision = (await user.locator('section[aria-labelledby="confirm-title"]').boundingBox())!;
    assert.ok(decision.x >= box.x + box.width && decision.y < box.y + box.height, 'the accept and reject buttons sit beside the test video');
    await assertControlsLabelled(user);
    await screenshot(user, 'delivered-model');

    const [download] = await Promise.all([user.waitForEvent('download'), modelBox(user).getByRole('link', { name: 'Download model' }).click()]);
    assert.equal(download.suggestedFilename(), 'anchor_lin-model.tar.gz');
    assert.deepEqual(fs.readFileSync((await download.path())!), modelArchive);

    await user.getByRole('button', { name: 'Accept the model' }).click();
    await badgeOf(user).filter({ hasText: 'Completed' }).waitFor();
    await modelBox(user).getByText(figure).waitFor();

    await user.getByLabel('Language').selectOption('zh');
    await modelBox(user).getByText('口型同步检查：在 12 秒未参与训练的语音上，生成的嘴部动作与真实嘴部动作的相关系数 r = 0.84（合格线 0.50）；100% 的画面中检测到人脸。').waitFor();
    await modelBox(user).getByRole('link', { name: '下载模型' }).waitFor();
    await userContext.close();
  });

  test('a rejected model: the delivered model\'s box says what "Ask for a repair" does, beside the button', { timeout: 120_000 }, async () => {
    const jobId = await compiledJob('anchor_zhao');
    await completeStage('test_video_check', jobId, { test_video: testVideo, test_video_report: Buffer.from(JSON.stringify(REPORT)) });
    assert.equal((await admin.request('POST', `/v1/admin/training-jobs/${jobId}/accept`, {})).state, 'WAIT_ASSET_SYNC');
    await completeStage('asset_sync', jobId, {});
    await tenant.command(jobId, { command: 'CONFIRM_REJECT', operation_reason: 'the mouth lags' });

    const context = await newConsoleContext(browser);
    const user = await context.newPage();
    await signIn(user, server.url, tenantKey, `/console/jobs/${jobId}`);
    await user.locator('.page-head .badge[data-state="JOB_REJECT"]').waitFor();
    const delivered = user.locator('section[aria-labelledby="confirm-title"]');
    await delivered.getByRole('heading', { name: 'The delivered model' }).waitFor();
    await delivered.getByRole('button', { name: 'Ask for a repair' }).waitFor();
    await delivered
      .getByText(
        'Ask for a repair if the model does not look or sound right: it is trained again from your video, from preprocessing on, and gets a new test video. Until the new model is ready this page offers no model and no videos can be made with it, so download this one first if you want to keep it.',
      )
      .waitFor();
    await modelBox(user).locator('.model-file').getByRole('link', { name: 'Download model' }).waitFor();
    await user.getByLabel('Language').selectOption('zh');
    await delivered.getByText('如果模型的画面或口型不理想，可申请修复', { exact: false }).waitFor();
    await context.close();
  });

  test('a failed test-video check: the reviewer sees the model, runs the check again, then skips it, with reasons', { timeout: 120_000 }, async () => {
    const jobId = await compiledJob('anchor_qin');
    const claimed = await claimStage('test_video_check', jobId);
    const failed = await worker.request('POST', `/v1/worker/work/${claimed.work_id}/fail`, { lease_token: claimed.lease_token, reason: 'mouth correlation 0.12 is below 0.5' });
    assert.equal(failed.result, 'ok');

    const context = await newConsoleContext(browser);
    const reviewer = await context.newPage();
    await signIn(reviewer, server.url, reviewerKey, `/console/review/${jobId}`);
    await reviewer.locator('.page-head .badge[data-state="TEST_VIDEO_CHECK_FAILED"]').waitFor();
    await modelBox(reviewer).getByText('No test video was made for this model.').waitFor();
    await modelBox(reviewer).getByRole('link', { name: 'Download model' }).waitFor();
    await reviewer.getByRole('button', { name: 'Skip test-video check' }).waitFor();
    assert.equal(await reviewer.getByRole('button', { name: 'Stop the stage' }).count(), 0, 'nothing runs to stop');
    await assertControlsLabelled(reviewer);
    await screenshot(reviewer, 'review-test-video-failed');

    await reviewer.getByLabel('Reason (logged)').fill('the renderer is fixed');
    await reviewer.getByRole('button', { name: 'Redo the stage' }).click();
    await reviewer.getByText('Running again: the job is now WAIT_TEST_VIDEO_CHECK').waitFor();
    await modelBox(reviewer).getByText('The test video is being made.').waitFor();
    await reviewer.locator('.timeline-entry[data-log-type="RESTART_TEST_VIDEO_CHECK"]').getByText('the renderer is fixed').waitFor();

    assert.equal(await reviewer.getByRole('button', { name: 'Redo the stage' }).count(), 0, 'the check waits to run: nothing to redo');
    await reviewer.getByLabel('Reason (logged)').fill('checked the model by hand');
    await reviewer.getByRole('button', { name: 'Skip test-video check' }).click();
    await reviewer.getByText('Skipped: the job is now WAIT_ASSET_SYNC').waitFor();
    await modelBox(reviewer).getByText('No test video was made for this model.').waitFor();
    await reviewer.locator('.timeline-entry[data-log-type="SKIP_TEST_VIDEO_CHECK"]').getByText('checked the model by hand').waitFor();
    assert.equal(await reviewer.getByRole('button', { name: 'Skip test-video check' }).count(), 0);
    await context.close();
  });
});
