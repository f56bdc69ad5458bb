/**
 * A reviewer's pipeline controls in the console, in a real browser: reset a job to an earlier
 * state and stop the stage it then waits for, each with a reason that the job's history shows. The
 * server's workers are off, so that the job waits where the reviewer put it.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { Browser } from 'playwright-core';
import { createKey, type Credentials } from '../support/cli.js';
import { launchChromium, newConsoleContext, signIn } from '../support/browser.js';
import { createSdkClient } from '../support/sdkClient.js';
import { startTestServer, type TestServer } from '../support/testServer.js';

let server: TestServer;
let browser: Browser;
let reviewerKey: Credentials;

before(async () => {
  server = await startTestServer();
  browser = await launchChromium();
  reviewerKey = await createKey(server, ['--role', 'admin']);
});

after(async () => {
  await browser?.close();
  await server?.destroy();
});

describe('the console, pipeline controls', () => {
  test('a reviewer resets a job to preprocessing, finds it under "Training" and stops the stage, with reasons', { timeout: 120_000 }, async () => {
    const sdk = createSdkClient(server.url);
    const jobId = (await sdk.create({ name: 'anchor_zhou' })).job_id as string;

    const context = await newConsoleContext(browser);
    const reviewer = await context.newPage();
    await signIn(reviewer, server.url, reviewerKey, `/console/review/${jobId}`);
    await reviewer.getByRole('heading', { name: 'Review: anchor_zhou' }).waitFor();
    assert.equal(await reviewer.getByRole('button', { name: 'Stop the stage' }).count(), 0, 'nothing to stop while the job waits for files');
    await reviewer.getByLabel('Reason (logged)').fill('files checked by hand');
    await reviewer.getByLabel('Reset to').selectOption('WAIT_TRAINING_DATA_PREPROCESS');
    await reviewer.getByRole('button', { name: 'Reset', exact: true }).click();
    await reviewer.getByText('Reset: the job is now WAIT_TRAINING_DATA_PREPROCESS').waitFor();
    await reviewer.locator('.page-head .badge[data-state="WAIT_TRAINING_DATA_PREPROCESS"]').waitFor();
    await reviewer.locator('.timeline-entry[data-log-type="ADMIN_RESET"]').getByText('reset from WAIT_FILE_UPLOAD to WAIT_TRAINING_DATA_PREPROCESS: files checked by hand').waitFor();

    // The queue's other views list jobs by status group.
    await reviewer.getByRole('navigation').getByRole('link', { name: 'Review queue' }).click();
    await reviewer.getByLabel('Show').selectOption({ label: 'Training' });
    await reviewer.waitForURL(/view=training/);
    await reviewer.locator(`tr[data-job-id="${jobId}"]`).getByRole('link', { name: 'anchor_zhou' }).click();

    await reviewer.getByLabel('Reason (logged)').fill('GPU maintenance');
    await reviewer.getByRole('button', { name: 'Stop the stage' }).click();
    await reviewer.getByText('Stopped: the job is now MANUAL_STOP_TRAINING_DATA_PREPROCESS').waitFor();
    await reviewer.locator('.timeline-entry[data-log-type="ADMIN_STOP_TRAINING_DATA_PREPROCESS"]').getByText('GPU maintenance').waitFor();
    const work = reviewer.locator('table.compact tr', { hasText: 'Training-data preprocessing' });
    await work.getByText('Cancelled').waitFor();
    await context.close();
  });
});
