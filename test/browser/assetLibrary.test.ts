/**
 * The console's asset library, in a real browser: the tenant's images, audio and videos (uploaded
 * through the API's own file calls: CreateDigitalAsset, CreateFile, PUT, ConfirmFileUpload) listed
 * by kind with paging; an image shown and downloaded; a rename refused for a taken name and then
 * made; a move to the recycle bin, a restore from it, and a delete for good; audio and a video
 * played from their file URLs. The server's workers are off: nothing else changes the assets.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type { Browser, Locator, Page } from 'playwright-core';
import { assertControlsLabelled, launchChromium, newConsoleContext, screenshot, signIn } from '../support/browser.js';
import { makeImage, makeM4a, makeVideo } from '../support/media.js';
import { put } from '../support/pipelineFlow.js';
import { assertSdkError, createSdkClient, sdkError, type SdkClient } from '../support/sdkClient.js';
import { makeTempDir, startTestServer, TEST_ACCESS_KEY, TEST_SECRET_KEY, type TestServer } from '../support/testServer.js';

let server: TestServer;
let browser: Browser;
let sdk: SdkClient;
let mediaDir: string;
const tenantKey = { ak: TEST_ACCESS_KEY, sk: TEST_SECRET_KEY };
/** Images made only to fill a second page (the console shows 20 a page). */
const FILLER_IMAGES = 20;
let imageFile: string;
let studioId: string;
let greetingId: string;
let tourId: string;

/** A tenant's asset with its files uploaded and confirmed, as the API documents the flow: ACTIVED once its MAIN file is. */
async function uploadedAsset(name: string, assetType: string, files: Array<{ category: 'MAIN' | 'COVER'; file: string }>): Promise<string> {
  const assetId = (await sdk.createAsset({ asset_name: name, asset_type: assetType })).asset_id as string;
  for (const { category, file } of files) {
    const bytes = fs.readFileSync(file);
    const created = await sdk.createFile({
      file_name: path.basename(file),
      file_md5: createHash('md5').update(bytes).digest('base64'),
      file_size: bytes.length,
      file_type: path.extname(file).slice(1),
      asset_id: assetId,
      asset_file_category: category,
    });
    await put(created.upload_url as string, bytes);
    await sdk.confirmFileUpload(created.file_id as string, { state: 'CREATED' });
  }
  assert.equal((await sdk.showAsset(assetId)).asset_state, 'ACTIVED');
  return assetId;
}

before(async () => {
  mediaDir = makeTempDir('browser-assets');
  server = await startTestServer();
  browser = await launchChromium();
  sdk = createSdkClient(server.url);
  // Oldest first: the fillers end up on the second page of the images, newest first.
  for (let index = 1; index <= FILLER_IMAGES; index++) await sdk.createAsset({ asset_name: `filler-${String(index).padStart(2, '0')}`, asset_type: 'IMAGE' });
  imageFile = await makeImage(mediaDir, 'studio');
  await uploadedAsset('office-backdrop', 'IMAGE', [{ category: 'MAIN', file: imageFile }]);
  studioId = await uploadedAsset('studio-backdrop', 'IMAGE', [{ category: 'MAIN', file: imageFile }]);
  greetingId = await uploadedAsset('greeting', 'AUDIO', [{ category: 'MAIN', file: await makeM4a(mediaDir, 2) }]);
  const video = await makeVideo(mediaDir, { width: 320, height: 240, seconds: 2 });
  tourId = await uploadedAsset('tour', 'VIDEO', [
    { category: 'MAIN', file: video },
    { category: 'COVER', file: imageFile },
  ]);
});

after(async () => {
  await browser?.close();
  await server?.destroy();
  fs.rmSync(mediaDir, { recursive: true, force: true });
});

const viewTab = (page: Page, name: string) => page.getByRole('navigation', { name: 'Kinds of assets' }).getByRole('link', { name, exact: true });
const rowOf = (page: Page, name: string) => page.locator('table.assets tbody tr[data-asset-id]').filter({ has: page.locator('td.asset-name', { hasText: new RegExp(`^${name}$`) }) });
const detailsOf = (page: Page, assetId: string) => page.locator(`#asset-details-${assetId}`);

/** Opens an asset's row; answers its details. */
async function openAsset(page: Page, name: string): Promise<Locator> {
  const row = rowOf(page, name);
  await row.getByRole('button', { name: 'Open' }).click();
  return detailsOf(page, (await row.getAttribute('data-asset-id'))!);
}

/** The player's source answers 200, and the browser reads its length (and, for a video, its width). */
async function assertPlays(page: Page, player: Locator, expected: { seconds: number; width?: number }): Promise<void> {
  await player.waitFor();
  const answer = await page.request.get((await player.getAttribute('src'))!);
  assert.equal(answer.status(), 200);
  const read = await player.evaluate(
    (element) =>
      new Promise<{ duration: number; width: number }>((resolve, reject) => {
        const media = element as HTMLVideoElement;
        const done = () => resolve({ duration: media.duration, width: media.videoWidth ?? 0 });
        if (media.readyState >= 1) done();
        else {
          media.addEventListener('loadedmetadata', done, { once: true });
          media.addEventListener('error', () => reject(new Error('the player could not read the file')), { once: true });
        }
      }),
  );
  assert.ok(Math.abs(read.duration - expected.seconds) < 0.5, `${read.duration} s, not about ${expected.seconds}`);
  if (expected.width !== undefined) assert.equal(read.width, expected.width);
}

describe('the console, the asset library', () => {
  test('list by kind with paging → show and download → rename → to the recycle bin → restore → delete for good', { timeout: 120_000 }, async () => {
    const context = await newConsoleContext(browser);
    const page = await context.newPage();
    await signIn(page, server.url, tenantKey, '/console/jobs');
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Assets' }).click();
    await page.getByRole('heading', { level: 1, name: 'Assets' }).waitFor();
    assert.equal(await viewTab(page, 'Models').getAttribute('aria-current'), 'page');
    await page.getByText('No assets of this kind yet.').waitFor();

    // The images, newest first, 20 a page.
    await viewTab(page, 'Images').click();
    const pager = page.getByRole('navigation', { name: 'Pages' });
    await pager.getByText(`Page 1 of 2 · ${FILLER_IMAGES + 2} assets`).waitFor();
    const names = page.locator('table.assets tbody td.asset-name');
    assert.deepEqual((await names.allTextContents()).slice(0, 3), ['studio-backdrop', 'office-backdrop', `filler-${FILLER_IMAGES}`]);
    await pager.getByRole('button', { name: 'Next' }).click();
    await pager.getByText('Page 2 of 2').waitFor();
    assert.deepEqual(await names.allTextContents(), ['filler-02', 'filler-01']);
    await rowOf(page, 'filler-01').locator('.badge').filter({ hasText: 'Being created' }).waitFor();
    assert.match(page.url(), /\/console\/assets\?view=images&offset=20$/);
    await pager.getByRole('button', { name: 'Previous' }).click();
    await pager.getByText('Page 1 of 2').waitFor();

    // An image: shown, and downloaded under its file's name, the bytes uploaded.
    const studio = await openAsset(page, 'studio-backdrop');
    await studio.getByText(studioId).waitFor();
    const shown = await page.request.get((await studio.getByRole('img', { name: 'Image' }).getAttribute('src'))!);
    assert.equal(shown.status(), 200);
    const download = studio.getByRole('link', { name: 'Download studio.jpg' });
    assert.equal(await download.getAttribute('download'), 'studio.jpg');
    const downloaded = await page.request.get((await download.getAttribute('href'))!);
    assert.deepEqual(await downloaded.body(), fs.readFileSync(imageFile));
    await assertControlsLabelled(page);
    await screenshot(page, 'asset-library');

    // Rename: a taken name is refused with the API's code; a free one is taken.
    const nameInput = studio.getByLabel('Name', { exact: true });
    await nameInput.fill('office-backdrop');
    await studio.getByRole('button', { name: 'Rename' }).click();
    const refused = studio.getByRole('alert');
    await refused.getByText('Another asset already has this name.').waitFor();
    await refused.locator('code').filter({ hasText: 'MSS.10001005' }).waitFor();
    await nameInput.fill('studio-backdrop-2');
    await studio.getByRole('button', { name: 'Rename' }).click();
    await studio.getByText('Renamed.').waitFor();
    await rowOf(page, 'studio-backdrop-2').waitFor();
    assert.equal(await studio.getByRole('alert').count(), 0, 'the refusal is gone once a rename succeeds');
    assert.equal((await sdk.showAsset(studioId)).asset_name, 'studio-backdrop-2');

    // To the recycle bin: gone from the images, in the bin.
    await studio.getByRole('button', { name: 'Move to the recycle bin' }).click();
    await page.getByText('"studio-backdrop-2" is in the recycle bin; it can be restored there for 7 days.').waitFor();
    await rowOf(page, 'studio-backdrop-2').waitFor({ state: 'detached' });
    assert.equal((await sdk.showAsset(studioId)).asset_state, 'DELETING');
    await viewTab(page, 'Recycle bin').click();
    const binned = rowOf(page, 'studio-backdrop-2');
    await binned.locator('.badge').filter({ hasText: 'In the recycle bin' }).waitFor();
    assert.equal(await page.locator('table.assets tbody tr[data-asset-id]').count(), 1);

    // Restore: back among the images, as it was.
    const inBin = await openAsset(page, 'studio-backdrop-2');
    assert.equal(await inBin.getByRole('button', { name: 'Move to the recycle bin' }).count(), 0);
    await inBin.getByRole('button', { name: 'Restore' }).click();
    await page.getByText('"studio-backdrop-2" is restored.').waitFor();
    await page.getByText('The recycle bin is empty.').waitFor();
    assert.equal((await sdk.showAsset(studioId)).asset_state, 'ACTIVED');
    await viewTab(page, 'Images').click();
    await rowOf(page, 'studio-backdrop-2').locator('.badge').filter({ hasText: 'Active' }).waitFor();

    // Delete for good, from the bin, after a second click: gone for the API too.
    await (await openAsset(page, 'studio-backdrop-2')).getByRole('button', { name: 'Move to the recycle bin' }).click();
    await viewTab(page, 'Recycle bin').click();
    const doomed = await openAsset(page, 'studio-backdrop-2');
    await doomed.getByRole('button', { name: 'Delete for good…' }).click();
    const confirm = doomed.getByRole('group', { name: 'Delete "studio-backdrop-2" for good? Its files are deleted too; this cannot be undone.' });
    const cancel = confirm.getByRole('button', { name: 'Cancel' });
    await cancel.waitFor();
    assert.ok(await cancel.evaluate((button) => button === document.activeElement), 'the keyboard lands on Cancel, not on the deletion');
    await confirm.getByRole('button', { name: 'Delete for good', exact: true }).click();
    await page.getByText('"studio-backdrop-2" is deleted for good.').waitFor();
    await page.getByText('The recycle bin is empty.').waitFor();
    assertSdkError(await sdkError(sdk.showAsset(studioId)), 404, 'MSS.10001001');
    await context.close();
  });

  test('audio plays in an audio player, a video in a video player beside its cover; the page in Chinese', { timeout: 60_000 }, async () => {
    const context = await newConsoleContext(browser);
    const page = await context.newPage();
    await signIn(page, server.url, tenantKey, '/console/assets?view=audio');
    await page.getByRole('heading', { level: 1, name: 'Assets' }).waitFor();
    const greeting = await openAsset(page, 'greeting');
    await assertPlays(page, greeting.locator('audio'), { seconds: 2 });
    assert.equal(await greeting.getByRole('link', { name: 'Download tone-2.m4a' }).getAttribute('download'), 'tone-2.m4a');
    assert.equal(await detailsOf(page, greetingId).count(), 1);

    await viewTab(page, 'Videos').click();
    const tourRow = rowOf(page, 'tour');
    const thumbnail = await page.request.get((await tourRow.locator('td.cover-cell img').getAttribute('src'))!);
    assert.equal(thumbnail.status(), 200);
    const tour = await openAsset(page, 'tour');
    assert.equal(await tour.getAttribute('id'), `asset-details-${tourId}`);
    await assertPlays(page, tour.locator('video'), { seconds: 2, width: 320 });
    await tour.getByRole('img', { name: 'Cover' }).waitFor();
    await tour.getByRole('link', { name: 'Download pattern-320x240-2s.mp4' }).waitFor();

    await page.getByLabel('Language').selectOption('zh');
    await page.getByRole('heading', { level: 1, name: '资产库' }).waitFor();
    await tourRow.locator('.badge').filter({ hasText: '可用' }).waitFor();
    await context.close();
  });
});
