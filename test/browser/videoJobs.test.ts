/**
 * Making videos with a finished model in the console, in a real browser: from a typed sentence and
 * from an uploaded WAV, each followed to its player (whose MP4 downloads), the Videos tab listing
 * them newest first, a render that fails showing why, a waiting render canceled, and audio that is
 * not audio refused with the API's message. The server is in emulator mode: an admin reset sends a
 * training job to compile, the emulated stages take it to JOB_SUCCESS with a model asset, and the
 * emulated render makes a test-pattern MP4 as long as the script.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import type { Browser, Locator, Page } from 'playwright-core';
import { runTool } from '../../src/pipeline/mediaTools.js';
import { createKey } from '../support/cli.js';
import { assertControlsLabelled, launchChromium, newConsoleContext, screenshot, signIn } from '../support/browser.js';
import { probeTools } from '../support/media.js';
import { waitForState } from '../support/pipelineFlow.js';
import { createSdkClient, type Json, type SdkClient } from '../support/sdkClient.js';
import { makeTempDir, startTestServer, TEST_ACCESS_KEY, TEST_SECRET_KEY, type TestServer } from '../support/testServer.js';

let server: TestServer;
let browser: Browser;
let tenant: SdkClient;
let admin: SdkClient;
let mediaDir: string;
let wavFile: string;
let modelJobId: string;
const tenantKey = { ak: TEST_ACCESS_KEY, sk: TEST_SECRET_KEY };

/**
 * The emulator's settings, with the video render as given: a PUT replaces them all, so the stages
 * that finish a training job (compile, and the test-video check that follows it; asset sync) are
 * forced to succeed each time.
 */
async function emulate(videoRender: Json): Promise<void> {
  const settings = await admin.request('PUT', '/v1/emulator/settings', {
    stages: { compile: { outcome: { outcome: 'succeed' } }, asset_sync: { outcome: { outcome: 'succeed' } }, video_render: videoRender },
  });
  assert.equal(settings.httpStatusCode, 200);
}

/** A training job taken to JOB_SUCCESS by the emulated pipeline (admin reset to WAIT_COMPILE): its model has an asset id. */
async function finishedModel(name: string): Promise<string> {
  const jobId = (await tenant.create({ name })).job_id as string;
  assert.equal((await admin.request('POST', `/v1/admin/training-jobs/${jobId}/reset`, { to_state: 'WAIT_COMPILE' })).state, 'WAIT_COMPILE');
  const finished = await waitForState(tenant, jobId, ['JOB_SUCCESS']);
  assert.equal(typeof finished.asset_id, 'string');
  return jobId;
}

before(async () => {
  mediaDir = makeTempDir('browser-video');
  server = await startTestServer({ env: { AVATARFORGE_EMULATOR: '1', AVATARFORGE_WORKERS: 'true' } });
  browser = await launchChromium();
  tenant = createSdkClient(server.url);
  admin = createSdkClient(server.url, await createKey(server, ['--role', 'admin']));
  await emulate({ outcome: { outcome: 'succeed' } });
  modelJobId = await finishedModel('anchor_zhou');
  wavFile = path.join(mediaDir, 'greeting.wav');
  await runTool(probeTools().ffmpegPath, ['-v', 'error', '-y', '-f', 'lavfi', '-i', 'sine=frequency=300:sample_rate=16000:duration=3', '-ac', '1', wavFile]);
});

after(async () => {
  await browser?.close();
  await server?.destroy();
  fs.rmSync(mediaDir, { recursive: true, force: true });
});

const panel = (page: Page) => page.locator('section.make-video');
const madeVideo = (page: Page) => panel(page).locator('.made-video');

/** Fills the panel and asks for the video: a typed sentence, or an audio file to upload. */
async function makeVideo(page: Page, script: { text: string } | { audio: string }, options: { name?: string; resolution?: '1080p' | '720p'; voice?: string } = {}): Promise<void> {
  if ('text' in script) {
    await panel(page).getByLabel('Type a sentence').check();
    await panel(page).getByLabel('Text', { exact: true }).fill(script.text);
    await panel(page).getByLabel('Voice', { exact: true }).selectOption(options.voice ?? '');
  } else {
    await panel(page).getByLabel('Upload audio').check();
    await panel(page).getByLabel('Audio file').setInputFiles(script.audio);
  }
  await panel(page).getByLabel('Resolution').selectOption(options.resolution ?? '1080p');
  await panel(page).getByLabel('Video name (optional)').fill(options.name ?? '');
  await panel(page).getByRole('button', { name: 'Make the video' }).click();
}

/** The player's video answers 200 with an MP4 (an ISO BMFF `ftyp` box first), and the browser reads its picture size. */
async function assertPlays(page: Page, player: Locator, width: number): Promise<void> {
  await player.waitFor();
  const src = (await player.getAttribute('src'))!;
  const answer = await page.request.get(src);
  assert.equal(answer.status(), 200);
  assert.equal(answer.headers()['content-type'], 'video/mp4');
  assert.equal((await answer.body()).subarray(4, 8).toString('latin1'), 'ftyp');
  await player.evaluate((element, expected) => {
    const video = element as HTMLVideoElement;
    return new Promise<void>((resolve, reject) => {
      const check = () => (video.videoWidth === expected ? resolve() : reject(new Error(`videoWidth ${video.videoWidth}, not ${expected}`)));
      if (video.readyState >= 1) check();
      else {
        video.addEventListener('loadedmetadata', check, { once: true });
        video.addEventListener('error', () => reject(new Error('the player could not read the video')), { once: true });
      }
    });
  }, width);
}

describe('the console, making videos', () => {
  test('a typed sentence and an uploaded WAV become videos that play and download; the Videos tab lists both, newest first', { timeout: 120_000 }, async () => {
    const context = await newConsoleContext(browser);
    const page = await context.newPage();
    await signIn(page, server.url, tenantKey, `/console/jobs/${modelJobId}`);
    await page.locator('.page-head .badge').filter({ hasText: 'Completed' }).waitFor();
    await assertControlsLabelled(page);

    // The voice picker lists the voices; "Listen" plays the chosen one's sample.
    await panel(page).getByLabel('Type a sentence').check();
    await panel(page).getByLabel('Voice', { exact: true }).selectOption('bm_george');
    await panel(page).getByRole('button', { name: 'Listen' }).click();
    const sampleSeconds = await panel(page)
      .locator('audio')
      .evaluate(
        (element) =>
          new Promise<number>((resolve, reject) => {
            const audio = element as HTMLAudioElement;
            const check = () => (audio.src.startsWith('blob:') && audio.readyState >= 1 ? resolve(audio.duration) : setTimeout(check, 100));
            check();
            setTimeout(() => reject(new Error('the sample did not load')), 60_000);
          }),
      );
    assert.ok(sampleSeconds > 1 && sampleSeconds < 8, `sample of ${sampleSeconds} s`);
    assert.equal(await panel(page).locator('.notice').count(), 0);

    await makeVideo(page, { text: 'Good morning, and welcome to the show.' }, { name: 'Welcome', voice: 'bm_george' });
    await madeVideo(page).locator('.badge[data-state="SUCCEED"]').filter({ hasText: 'Done' }).waitFor();
    await madeVideo(page).getByRole('heading', { name: /Welcome/ }).waitFor();
    await assertPlays(page, madeVideo(page).locator('video'), 1920);
    const download = madeVideo(page).getByRole('link', { name: 'Download' });
    assert.equal(await download.getAttribute('download'), 'Welcome.mp4');
    assert.equal(await download.getAttribute('href'), await madeVideo(page).locator('video').getAttribute('src'));
    const cover = await page.request.get((await madeVideo(page).locator('img[alt="Cover"]').getAttribute('src'))!);
    assert.equal(cover.status(), 200);
    assert.deepEqual([...(await cover.body()).subarray(0, 3)], [0xff, 0xd8, 0xff], 'the cover is a JPEG');
    await madeVideo(page).getByText(/^Length: \d+(\.\d)? s$/).waitFor();
    await screenshot(page, 'make-video');

    await makeVideo(page, { audio: wavFile }, { name: 'Greeting', resolution: '720p' });
    await madeVideo(page).getByRole('heading', { name: /Greeting/ }).waitFor();
    await madeVideo(page).locator('.badge[data-state="SUCCEED"]').waitFor();
    await assertPlays(page, madeVideo(page).locator('video'), 1280);
    await madeVideo(page).getByText('Length: 3 s').waitFor();

    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'My jobs' }).click();
    await page.getByRole('heading', { level: 1, name: 'My jobs' }).waitFor();
    await page.getByRole('navigation', { name: 'Kinds of jobs' }).getByRole('link', { name: 'Videos' }).click();
    await page.getByRole('heading', { level: 1, name: 'Videos' }).waitFor();
    const rows = page.locator('table.videos tbody tr[data-video-job-id]');
    await rows.nth(1).waitFor();
    assert.deepEqual(await rows.locator('td.video-name').allTextContents(), ['Greeting', 'Welcome']);
    const greeting = rows.filter({ hasText: 'Greeting' });
    assert.equal(await greeting.locator('.badge').textContent(), 'Done');
    assert.equal(await greeting.locator('td.number').textContent(), '3 s');
    await greeting.locator('time').waitFor();

    const welcome = rows.filter({ hasText: 'Welcome' });
    await welcome.getByRole('button', { name: 'Play' }).click();
    const welcomeId = (await welcome.getAttribute('data-video-job-id'))!;
    const details = page.locator(`#video-details-${welcomeId}`);
    await assertPlays(page, details.locator('video'), 1920);
    assert.equal(await welcome.getByRole('button', { name: 'Hide' }).getAttribute('aria-expanded'), 'true');
    await assertControlsLabelled(page);
    await screenshot(page, 'video-list');

    await page.getByLabel('Language').selectOption('zh');
    await page.getByRole('heading', { level: 1, name: '视频' }).waitFor();
    await greeting.locator('.badge').filter({ hasText: '已完成' }).waitFor();
    await context.close();
  });

  test('a render that fails shows why, in the panel and in the list; a waiting render is canceled; audio that is not audio is refused', { timeout: 120_000 }, async () => {
    const context = await newConsoleContext(browser);
    const page = await context.newPage();
    const videosBefore = (await tenant.listVideos({ limit: 100 })).count as number;
    await signIn(page, server.url, tenantKey, `/console/jobs/${modelJobId}`);
    await panel(page).waitFor();

    await emulate({ outcome: { outcome: 'fail', message: 'the renderer is out of ink' } });
    await makeVideo(page, { text: 'This one will not be made.' }, { name: 'Doomed' });
    await madeVideo(page).locator('.badge[data-state="FAILED"]').filter({ hasText: 'Failed' }).waitFor();
    const failure = madeVideo(page).getByRole('alert');
    await failure.getByText('The video could not be made').waitFor();
    await failure.getByText('the renderer is out of ink').waitFor();
    assert.match((await failure.locator('code').textContent())!, /^MSS\.\d{8}$/);
    assert.equal(await madeVideo(page).locator('video').count(), 0);
    await screenshot(page, 'make-video-failed');

    await emulate({ progress: { mode: 'hold' }, outcome: { outcome: 'succeed' } });
    await makeVideo(page, { text: 'This one waits, and is canceled.' }, { name: 'Held' });
    await madeVideo(page).locator('.badge[data-state="WAITING"]').filter({ hasText: 'Waiting' }).waitFor();
    await madeVideo(page).getByText('Waiting for the renderer…').waitFor();
    await madeVideo(page).getByRole('button', { name: 'Cancel' }).click();
    await madeVideo(page).locator('.badge[data-state="CANCELED"]').filter({ hasText: 'Canceled' }).waitFor();
    await madeVideo(page).getByText('The video was canceled.').waitFor();
    assert.equal(await madeVideo(page).getByRole('button', { name: 'Cancel' }).count(), 0);

    const notAudio = path.join(mediaDir, 'notes.wav');
    fs.writeFileSync(notAudio, 'these are notes, not sound');
    await makeVideo(page, { audio: notAudio });
    const refused = panel(page).locator('form').getByRole('alert');
    await refused.locator('code').filter({ hasText: 'MSS.20040007' }).waitFor();
    assert.equal(await madeVideo(page).getByRole('heading', { name: /Held/ }).count(), 1, 'a refused Create leaves the last video shown');

    await page.goto(`${server.url}/console/videos`);
    const doomed = page.locator('table.videos tbody tr[data-video-job-id]').filter({ hasText: 'Doomed' });
    await doomed.locator('.badge').filter({ hasText: 'Failed' }).waitFor();
    await doomed.getByRole('button', { name: 'Show the error' }).click();
    const doomedId = (await doomed.getAttribute('data-video-job-id'))!;
    await page.locator(`#video-details-${doomedId}`).getByText('the renderer is out of ink').waitFor();
    await page.locator('table.videos tbody tr[data-video-job-id]').filter({ hasText: 'Held' }).locator('.badge').filter({ hasText: 'Canceled' }).waitFor();
    assert.equal(await page.locator('table.videos tbody tr[data-video-job-id]').count(), videosBefore + 2, 'the refused Create stored nothing');
    await context.close();
  });
});
