/**
 * The web console in a real browser (Debian's Chromium through playwright-core), against the real
 * server with its pipeline running and real media: a user creates a job and uploads a generated
 * 1080p video in parts (interrupted and resumed after a reload), submits it; a reviewer approves it
 * while the video plays; the user watches the job reach "Completed" without reloading.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import type { Browser, Page, Request, Route } from 'playwright-core';
import { cli, createKey, parseCredential, type Credentials } from '../support/cli.js';
import { assertControlsLabelled, launchChromium, newConsoleContext, screenshot, signIn } from '../support/browser.js';
import { GRANT_LETTER_PDF, makeImage, makeVideo } from '../support/media.js';
import { PIPELINE_ENV } from '../support/pipelineFlow.js';
import { createSdkClient } from '../support/sdkClient.js';
import { makeTempDir, startTestServer, TEST_ACCESS_KEY, TEST_SECRET_KEY, type TestServer } from '../support/testServer.js';

const PIPELINE_TIMEOUT_MS = 120_000;

let server: TestServer;
let browser: Browser;
let mediaDir: string;
let reviewerKey: Credentials;
const tenantKey = { ak: TEST_ACCESS_KEY, sk: TEST_SECRET_KEY };

before(async () => {
  mediaDir = makeTempDir('browser-media');
  server = await startTestServer({ env: PIPELINE_ENV });
  browser = await launchChromium();
  reviewerKey = await createKey(server, ['--role', 'admin']);
});

after(async () => {
  await browser?.close();
  await server?.destroy();
  fs.rmSync(mediaDir, { recursive: true, force: true });
});

function within<T>(promise: Promise<T>, ms: number, failure: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_resolve, reject) => (timer = setTimeout(() => reject(new Error(failure)), ms)));
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

/** The job's status badge on its page (the raw state is its data-state). */
const badgeOf = (page: Page) => page.locator('.page-head .badge');

describe('the console, a user and a reviewer', () => {
  test('a job goes from upload to completed: create, upload with progress and resume, submit, approve while the video plays', { timeout: 300_000 }, async () => {
    // An 8-second 1080p video is about 13 MB: three parts of 5 MiB.
    const [video, idFront, idBack] = await Promise.all([
      makeVideo(mediaDir, { width: 1920, height: 1080, seconds: 8 }),
      makeImage(mediaDir, 'id-front'),
      makeImage(mediaDir, 'id-back'),
    ]);
    const letter = `${mediaDir}/letter.pdf`;
    fs.writeFileSync(letter, GRANT_LETTER_PDF);

    const userContext = await newConsoleContext(browser);
    const user = await userContext.newPage();
    await user.goto(`${server.url}/console/`);
    await user.getByRole('heading', { name: 'Sign in' }).waitFor();
    await user.keyboard.press('Tab');
    assert.equal(await user.evaluate(() => document.activeElement?.textContent), 'Skip to content', 'the first Tab reaches the skip link');
    await assertControlsLabelled(user);
    await screenshot(user, 'sign-in');
    await signIn(user, server.url, tenantKey);
    await user.getByRole('heading', { name: 'My jobs' }).waitFor();

    // Other jobs, so that the list and the queue show more than one: the user's (one of them rejected
    // by a reviewer), and another project's waiting for review. Admins may send any job to review.
    const sdk = createSdkClient(server.url);
    const admin = createSdkClient(server.url, reviewerKey);
    const toReview = (jobId: string) => admin.request('POST', `/v1/admin/training-jobs/${jobId}/reset`, { to_state: 'MANUAL_VERIFYING' });
    await sdk.create({ name: 'anchor_zhao', batch_name: 'spring-2025', tags: ['live'] });
    const rejected = (await sdk.create({ name: 'anchor_sun', batch_name: 'winter-2024' })).job_id as string;
    await toReview(rejected);
    await admin.request('POST', `/v1/admin/training-jobs/${rejected}/review`, { decision: 'reject', opinion: 'The video is missing.' });
    const otherProject = createSdkClient(server.url, parseCredential(await cli(['keys', 'create', '--data-dir', server.dataDir])));
    await toReview((await otherProject.create({ name: 'host_chen' })).job_id as string);

    // Create: the form, then the upload of the video in parts.
    await user.getByRole('navigation').getByRole('link', { name: 'New job' }).click();
    await user.getByRole('heading', { name: 'New training job' }).waitFor();
    await user.getByLabel('Name').fill('anchor_li');
    await user.getByLabel('Batch').fill('spring-2025');
    await user.getByLabel('Tags').fill('ecommerce, demo');
    await user.locator('#file-training_video').setInputFiles(video);
    await user.locator('#file-id_card_image1').setInputFiles(idFront);
    await user.locator('#file-id_card_image2').setInputFiles(idBack);
    await user.locator('#file-grant_file').setInputFiles(letter);
    await assertControlsLabelled(user);
    await screenshot(user, 'create-job');

    // The second part is held in flight (the progress shows part 2 of 3), then its connection drops.
    const uploads: string[] = [];
    let releaseHeldPart!: () => void;
    const partHeld = new Promise<void>((resolve) => {
      void user.route('**/v1/files/upload/**', async (route: Route) => {
        uploads.push(route.request().url());
        if (uploads.length !== 2) return route.continue();
        resolve();
        await new Promise<void>((release) => (releaseHeldPart = release));
        await route.abort('connectionreset');
      });
    });
    const created = user.waitForResponse((response) => response.request().method() === 'POST' && /\/user\/jobs$/.test(new URL(response.url()).pathname));
    await user.getByRole('button', { name: 'Create job and upload' }).click();
    const createdJob = (await (await created).json()) as { job_id: string; training_video_upload_url: string[] };
    assert.equal(createdJob.training_video_upload_url.length, 3, 'the video goes up in three parts');
    await within(partHeld, 30_000, 'the second part of the video was never sent');
    await user.waitForURL(`**/console/jobs/${createdJob.job_id}`);
    const videoProgress = user.locator('.upload-progress[data-kind="training_video"]');
    await videoProgress.getByText('part 2 of 3').waitFor();
    const percent = Number(await videoProgress.locator('progress').getAttribute('value'));
    assert.ok(percent >= 33 && percent < 100, `the progress bar shows the first part done (${percent}%)`);
    await screenshot(user, 'upload-progress');
    releaseHeldPart();
    await user.getByText('The upload was interrupted').waitFor();
    await user.unroute('**/v1/files/upload/**');

    // After a reload the same file is picked again: only the parts the server lacks are sent.
    const uploadsAfterReload: string[] = [];
    const recordUpload = (request: Request) => {
      if (request.method() === 'PUT' && request.url().includes('/v1/files/upload/')) uploadsAfterReload.push(request.url().split('?')[0]!);
    };
    user.on('request', recordUpload);
    await user.reload();
    await user.getByText('Choose the same file to continue').waitFor();
    await user.locator('#file-training_video').setInputFiles(video);
    await user.locator('#file-id_card_image1').setInputFiles(idFront);
    await user.locator('#file-id_card_image2').setInputFiles(idBack);
    await user.locator('#file-grant_file').setInputFiles(letter);
    await screenshot(user, 'upload-resume');
    await user.getByRole('button', { name: 'Resume upload' }).click();
    await user.getByText('All files are uploaded.').waitFor();
    user.off('request', recordUpload);
    const partPath = (index: number) => createdJob.training_video_upload_url[index]!.split('?')[0]!;
    assert.ok(!uploadsAfterReload.includes(partPath(0)), 'part 1, already received, is not sent again');
    assert.ok(uploadsAfterReload.includes(partPath(1)) && uploadsAfterReload.includes(partPath(2)), 'parts 2 and 3 are sent');
    assert.equal(uploadsAfterReload.length, 5, 'two video parts, two ID card images, the letter');

    // Submit: automatic review runs on the real video, then the job waits for a reviewer.
    await user.locator('.file-checklist [data-kind="grant_file"][data-present="true"]').waitFor();
    await user.getByRole('button', { name: 'Submit for review' }).click();
    await badgeOf(user).filter({ hasText: 'Under platform review' }).waitFor();
    await user.locator('.page-head .badge[data-state="MANUAL_VERIFYING"]').waitFor({ timeout: PIPELINE_TIMEOUT_MS });

    // The reviewer: the queue across projects, then the review page.
    const reviewerContext = await newConsoleContext(browser);
    const reviewer = await reviewerContext.newPage();
    await signIn(reviewer, server.url, reviewerKey);
    await reviewer.getByRole('heading', { name: 'Review queue' }).waitFor();
    const queued = reviewer.locator(`tr[data-job-id="${createdJob.job_id}"]`);
    await queued.waitFor();
    await assertControlsLabelled(reviewer);
    await screenshot(reviewer, 'review-queue');
    await queued.getByRole('link', { name: 'anchor_li' }).click();
    await reviewer.getByRole('heading', { name: 'Review: anchor_li' }).waitFor();
    const findings = reviewer.getByTestId('findings');
    await findings.getByText('1920x1080 (h264)').waitFor();
    await findings.getByText('8.0 s').waitFor();
    await findings.getByText('present').waitFor();
    await reviewer.getByRole('img', { name: 'ID card, front' }).waitFor();
    await reviewer.getByText('Measured in the browser: 1920×1080').waitFor();

    // Play the video (a click on it, as a person would), and decide while it plays.
    const player = reviewer.locator('#review-video');
    await player.click();
    await reviewer.waitForFunction(() => {
      const video = document.querySelector<HTMLVideoElement>('#review-video');
      return video !== null && !video.paused && video.currentTime > 0.5;
    });
    await reviewer.getByLabel('Opinion').fill('Clear face, good light and sound.');
    await assertControlsLabelled(reviewer);
    await screenshot(reviewer, 'review-page');
    await reviewer.getByRole('button', { name: 'Approve' }).click();
    await reviewer.getByText('Approved: the job is now WAIT_TRAINING_DATA_PREPROCESS').waitFor();
    assert.equal(await player.evaluate((element: HTMLVideoElement) => element.paused), false, 'the video plays on through the decision');

    // The user's page follows the pipeline by itself, to the end.
    await badgeOf(user).filter({ hasText: 'Completed' }).waitFor({ timeout: PIPELINE_TIMEOUT_MS });
    await user.locator('.timeline-entry[data-log-type="SYSTEM_JOB_SUCCESS"]').waitFor();
    await user.locator('#media-markable_video').waitFor();
    await user.getByRole('img', { name: 'Cover' }).waitFor();
    await user.waitForFunction(() => {
      const cover = document.querySelector<HTMLImageElement>('.media img[alt="Cover"]');
      return cover !== null && cover.complete && cover.naturalWidth > 0;
    });
    await screenshot(user, 'job-detail');

    // The list shows the job's status group, refreshed with conditional requests (304 when unchanged).
    const notModified = user.waitForResponse((response) => response.status() === 304 && /\/user\/jobs\?/.test(response.url()));
    await user.getByRole('navigation').getByRole('link', { name: 'My jobs' }).click();
    const row = user.locator(`tr[data-job-id="${createdJob.job_id}"]`);
    await row.locator('.badge', { hasText: 'Completed' }).waitFor();
    assert.equal(await row.locator('.badge').getAttribute('title'), 'JOB_SUCCESS: done; the model is ready', 'the raw state on hover');
    await notModified;
    await assertControlsLabelled(user);
    await screenshot(user, 'job-list');

    // The reviewer's dashboard counts the job and the stages it went through.
    await reviewer.getByRole('navigation').getByRole('link', { name: 'Pipeline dashboard' }).click();
    await reviewer.locator('tr[data-state="JOB_SUCCESS"]').waitFor();
    await reviewer.locator('tr[data-stage="training"] td').nth(2).filter({ hasText: /^[1-9]/ }).waitFor();
    await screenshot(reviewer, 'dashboard');

    await userContext.close();
    await reviewerContext.close();
  });
});
