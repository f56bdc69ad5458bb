/**
 * A newcomer's first steps in the console, in a real browser: signing in (each radio beside its
 * label, and no refused request in the browser's console for a tenant), the new-job form that
 * names the files it still needs, a job's "Submit for review" waiting for every file with the
 * reason shown, the server's refusal in plain words, the reviewer's page (the player's card as tall
 * as the player, the "Reset to" list in words). The server's workers are off: jobs stay where the
 * test puts them.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import type { Browser, Page } from 'playwright-core';
import { createKey, type Credentials } from '../support/cli.js';
import { launchChromium, newConsoleContext, signIn } from '../support/browser.js';
import { GRANT_LETTER_PDF, makeImage } from '../support/media.js';
import { put } from '../support/pipelineFlow.js';
import { createSdkClient, type Json } from '../support/sdkClient.js';
import { makeTempDir, startTestServer, TEST_ACCESS_KEY, TEST_SECRET_KEY, type TestServer } from '../support/testServer.js';

let server: TestServer;
let browser: Browser;
let mediaDir: string;
let reviewerKey: Credentials;
const tenantKey = { ak: TEST_ACCESS_KEY, sk: TEST_SECRET_KEY };

before(async () => {
  mediaDir = makeTempDir('browser-newcomer');
  server = await startTestServer();
  browser = await launchChromium();
  reviewerKey = await createKey(server, ['--role', 'admin']);
});

after(async () => {
  await browser?.close();
  await server?.destroy();
  fs.rmSync(mediaDir, { recursive: true, force: true });
});

/** The vertical middle of an element on the page. */
async function middleOf(page: Page, selector: string): Promise<{ x: number; y: number; right: number }> {
  const box = await page.locator(selector).boundingBox();
  assert.ok(box, `${selector} is shown`);
  return { x: box.x, y: box.y + box.height / 2, right: box.x + box.width };
}

/** A job with its video up (one part, confirmed) and no identity documents; their upload URLs for later. */
async function jobWithVideoOnly(name: string): Promise<{ jobId: string; created: Json }> {
  const sdk = createSdkClient(server.url);
  const created = await sdk.create({ name, video_multipart_count: 1 });
  const jobId = created.job_id as string;
  await put((created.training_video_upload_url as string[])[0]!, Buffer.from('not really a video'));
  await sdk.command(jobId, { command: 'CONFIRM_MULTIPART_UPLOADED' });
  return { jobId, created };
}

describe('the console, a newcomer', () => {
  test('the sign-in page: each radio beside its label; a tenant signs in with no refused request', { timeout: 60_000 }, async () => {
    const context = await newConsoleContext(browser);
    const page = await context.newPage();
    const consoleErrors: string[] = [];
    const refused: string[] = [];
    page.on('console', (message) => {
      if (message.type() === 'error' || message.type() === 'warning') consoleErrors.push(message.text());
    });
    page.on('response', (response) => {
      if (response.status() >= 400) refused.push(`${response.status()} ${response.request().method()} ${new URL(response.url()).pathname}`);
    });

    await page.goto(`${server.url}/console/`);
    await page.getByRole('heading', { name: 'Sign in' }).waitFor();
    for (const value of ['keys', 'token']) {
      const radio = await middleOf(page, `input[type="radio"][value="${value}"]`);
      const label = page.locator('label', { has: page.locator(`input[value="${value}"]`) });
      const labelBox = await label.boundingBox();
      assert.ok(labelBox && labelBox.height < 40, `the "${value}" choice is one line (${labelBox?.height}px high)`);
      assert.ok(Math.abs(radio.y - (labelBox.y + labelBox.height / 2)) < 6, `the "${value}" radio sits on its label's line`);
    }

    await signIn(page, server.url, tenantKey);
    await page.getByRole('heading', { name: 'My jobs' }).waitFor();
    assert.deepEqual(refused, [], 'no request refused during a tenant sign-in');
    assert.deepEqual(consoleErrors, [], 'nothing logged to the browser console');
    await context.close();
  });

  test('the new-job form marks the four files required and names those still to choose', { timeout: 60_000 }, async () => {
    const [idFront, idBack] = await Promise.all([makeImage(mediaDir, 'id-front'), makeImage(mediaDir, 'id-back')]);
    const video = `${mediaDir}/video.mp4`;
    fs.writeFileSync(video, 'not really a video');
    const letter = `${mediaDir}/letter.pdf`;
    fs.writeFileSync(letter, GRANT_LETTER_PDF);

    const context = await newConsoleContext(browser);
    const page = await context.newPage();
    await signIn(page, server.url, tenantKey, '/console/jobs/new');
    await page.getByRole('heading', { name: 'New training job' }).waitFor();
    await page.getByLabel('Name').fill('anchor_qian');
    const create = page.getByRole('button', { name: 'Create job and upload' });
    const missing = page.getByTestId('create-missing');

    for (const kind of ['training_video', 'id_card_image1', 'id_card_image2', 'grant_file']) {
      assert.equal(await page.locator(`#file-${kind}`).getAttribute('required'), '', `${kind} is required`);
      assert.match(await page.locator(`#file-${kind}-hint`).innerText(), /^Required\. /, `${kind}'s hint says so`);
    }
    assert.match(await page.locator('#file-training_video-hint').innerText(), /1920×1080 \(landscape\) or 1080×1920 \(portrait\).*3 to 10 minutes long, with audio/);
    assert.match(await page.locator('#file-id_card_image1-hint').innerText(), /front of the ID card/);
    assert.match(await page.locator('#file-id_card_image2-hint').innerText(), /back of the same ID card/);
    assert.match(await page.locator('#file-grant_file-hint').innerText(), /authorization letter, signed/);

    assert.equal(await create.isDisabled(), true, 'no file chosen: create is disabled');
    assert.equal(await missing.innerText(), 'Choose these files to create the job: Training video; ID card, front; ID card, back; Authorization letter.');
    await page.locator('#file-training_video').setInputFiles(video);
    await page.locator('#file-id_card_image1').setInputFiles(idFront);
    assert.equal(await missing.innerText(), 'Choose these files to create the job: ID card, back; Authorization letter.');
    assert.equal(await create.isDisabled(), true, 'two files missing: create is still disabled');
    await page.locator('#file-id_card_image2').setInputFiles(idBack);
    await page.locator('#file-grant_file').setInputFiles(letter);
    await missing.waitFor({ state: 'detached' });
    assert.equal(await create.isEnabled(), true, 'every file chosen: create is enabled');
    await context.close();
  });

  test('"Submit for review" waits for every file, saying which are missing; the server’s refusal is in plain words', { timeout: 60_000 }, async () => {
    const { jobId, created } = await jobWithVideoOnly('anchor_feng');
    const context = await newConsoleContext(browser);
    const page = await context.newPage();
    await signIn(page, server.url, tenantKey, `/console/jobs/${jobId}`);
    const submit = page.getByRole('button', { name: 'Submit for review', exact: true });
    await submit.waitFor();
    assert.equal(await submit.isDisabled(), true, 'identity documents missing: submit is disabled');
    assert.equal(await page.getByTestId('submit-missing').innerText(), 'Upload these files before submitting: ID card, front; ID card, back; Authorization letter.');

    // This server requires the identity documents: submitting without them is refused, in words.
    await page.getByRole('button', { name: 'Submit without the identity documents' }).click();
    const refusal = page.getByRole('alert');
    await refusal.getByText('The server still needs these files: ID card, front; ID card, back; Authorization letter.').waitFor();
    assert.doesNotMatch(await refusal.innerText(), /id_card_image1|grant_file/, 'no raw field names');
    await page.locator('.page-head .badge[data-state="WAIT_FILE_UPLOAD"]').waitFor();

    await put(created.id_card_image1_upload_url as string, fs.readFileSync(await makeImage(mediaDir, 'id-front')));
    await put(created.id_card_image2_upload_url as string, fs.readFileSync(await makeImage(mediaDir, 'id-back')));
    await put(created.grant_file_upload_url as string, GRANT_LETTER_PDF);
    await page.reload();
    await page.locator('.file-checklist [data-kind="grant_file"][data-present="true"]').waitFor();
    assert.equal(await page.getByTestId('submit-missing').count(), 0, 'nothing missing any more');
    assert.equal(await page.getByRole('button', { name: 'Submit without the identity documents' }).count(), 0);
    assert.equal(await submit.isEnabled(), true, 'every file up: submit is enabled');
    await submit.click();
    await page.locator('.page-head .badge[data-state="AUTO_VERIFYING"]').waitFor();
    await context.close();
  });

  test('the reviewer’s page: the player’s card ends under the player; "Reset to" lists states in words', { timeout: 60_000 }, async () => {
    const { jobId, created } = await jobWithVideoOnly('anchor_chu');
    await put(created.id_card_image1_upload_url as string, fs.readFileSync(await makeImage(mediaDir, 'id-front')));
    await put(created.id_card_image2_upload_url as string, fs.readFileSync(await makeImage(mediaDir, 'id-back')));
    await put(created.grant_file_upload_url as string, GRANT_LETTER_PDF);

    const context = await newConsoleContext(browser);
    const page = await context.newPage();
    await signIn(page, server.url, reviewerKey, `/console/review/${jobId}`);
    await page.getByRole('heading', { name: 'Review: anchor_chu' }).waitFor();
    await page.locator('#review-video').waitFor();
    const gap = await page.evaluate(() => {
      const card = document.querySelector('.review-layout .player')!;
      const last = card.lastElementChild!;
      return card.getBoundingClientRect().bottom - last.getBoundingClientRect().bottom;
    });
    assert.ok(gap < 40, `the player's card ends just under its content (${gap}px of space)`);

    const option = page.locator('#controls-target option[value="WAIT_TRAINING_DATA_PREPROCESS"]');
    assert.equal(await option.innerText(), 'waiting for training-data preprocessing (WAIT_TRAINING_DATA_PREPROCESS)');
    await context.close();
  });
});
