/**
 * The console's other ways through a job, in a real browser against the real server: a reviewer
 * rejects with an opinion, a comment and an attachment, and the user (whose browser prefers
 * Chinese) reads why, updates the job with a new video and submits it again; with the user-confirm
 * gate on, a user accepts one delivered model and rejects, suspends and resumes another; the list's
 * filters and the language switch.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import type { Browser, Page } from 'playwright-core';
import { createKey, type Credentials } from '../support/cli.js';
import { assertControlsLabelled, launchChromium, newConsoleContext, screenshot, signIn } from '../support/browser.js';
import { makeImage, makeVideo } from '../support/media.js';
import { createAndSubmit, PIPELINE_ENV, waitForState } from '../support/pipelineFlow.js';
import { createSdkClient, type SdkClient } from '../support/sdkClient.js';
import { makeTempDir, startTestServer, TEST_ACCESS_KEY, TEST_SECRET_KEY, type TestServer } from '../support/testServer.js';

// Delivered models wait for the user (WAIT_USER_CONFIRM), as for the cloud's NA tenants.
const GATED_PIPELINE_ENV = { ...PIPELINE_ENV, AVATARFORGE_USER_CONFIRM_GATE: 'true' };
const PIPELINE_TIMEOUT_MS = 120_000;

let server: TestServer;
let browser: Browser;
let sdk: SdkClient;
let admin: SdkClient;
let mediaDir: string;
let reviewerKey: Credentials;
const tenantKey = { ak: TEST_ACCESS_KEY, sk: TEST_SECRET_KEY };

before(async () => {
  mediaDir = makeTempDir('browser-media');
  server = await startTestServer({ env: GATED_PIPELINE_ENV });
  browser = await launchChromium();
  sdk = createSdkClient(server.url);
  reviewerKey = await createKey(server, ['--role', 'admin']);
  admin = createSdkClient(server.url, reviewerKey);
});

after(async () => {
  await browser?.close();
  await server?.destroy();
  fs.rmSync(mediaDir, { recursive: true, force: true });
});

const badgeOf = (page: Page) => page.locator('.page-head .badge');

describe('the console, after a review and at delivery', () => {
  test('a rejected job shows why; the user updates it with a new video and resubmits (Chinese UI)', { timeout: 240_000 }, async () => {
    const video = await makeVideo(mediaDir, { width: 1920, height: 1080, seconds: 4 });
    const jobId = await createAndSubmit(sdk, mediaDir, video, 'anchor_wang');
    await waitForState(sdk, jobId, ['MANUAL_VERIFYING'], PIPELINE_TIMEOUT_MS);

    const reviewerContext = await newConsoleContext(browser);
    const reviewer = await reviewerContext.newPage();
    await signIn(reviewer, server.url, reviewerKey, `/console/review/${jobId}`);
    await reviewer.getByRole('heading', { name: 'Review: anchor_wang' }).waitFor();
    await reviewer.getByLabel('Opinion').fill('The face is covered in the first seconds.');
    await reviewer.getByText('Comment for the user (optional)').click();
    await reviewer.getByLabel('Title').fill('Face covered');
    await reviewer.getByLabel('Message').fill('Please record again, facing the camera.');
    await reviewer.getByLabel('Attachment').setInputFiles(await makeImage(mediaDir, 'frame'));
    await reviewer.getByRole('button', { name: 'Reject' }).click();
    await reviewer.getByText('Rejected: the job is now MANUAL_VERIFY_FAILED').waitFor();
    await reviewerContext.close();

    const userContext = await newConsoleContext(browser, { locale: 'zh-CN' });
    const user = await userContext.newPage();
    await signIn(user, server.url, tenantKey, `/console/jobs/${jobId}`);
    await badgeOf(user).filter({ hasText: '系统审核未通过' }).waitFor();
    const why = user.getByRole('note');
    await why.getByText('The face is covered in the first seconds.').waitFor();
    await why.getByText('Face covered: Please record again, facing the camera.').waitFor();
    await user.locator('.timeline-entry[data-comment-type="ADMIN_COMMENT"]').getByRole('link', { name: '附件 1' }).waitFor();
    await assertControlsLabelled(user);
    await screenshot(user, 'job-rejected-zh');

    await user.getByLabel('名称').first().fill('anchor_wang_v2');
    await user.locator('#file-training_video').setInputFiles(video);
    await user.getByRole('button', { name: '修改并重新提交' }).click();
    await badgeOf(user).filter({ hasText: '系统审核中' }).waitFor();
    await user.getByRole('heading', { name: 'anchor_wang_v2' }).waitFor();
    await user.locator('.page-head .badge[data-state="MANUAL_VERIFYING"]').waitFor({ timeout: PIPELINE_TIMEOUT_MS });
    const shown = await sdk.show(jobId);
    const logTypes = (shown.operation_logs as Array<{ log_type: string }>).map((entry) => entry.log_type);
    assert.ok(logTypes.includes('USER_UPDATE_VIDEO'), 'the video was replaced through Update');
    assert.equal(logTypes.filter((type) => type === 'USER_VERIFYING_SUBMITTED').length, 2, 'submitted twice');
    assert.equal(logTypes.at(-1), 'SYSTEM_VERIFY_SUCCESS', 'the new video passed the automatic review');
    await userContext.close();
  });

  test('delivered models: the user accepts one, rejects another with a reason, suspends and resumes it', { timeout: 240_000 }, async () => {
    // Two jobs through the whole pipeline, approved by a reviewer, to the user-confirm gate.
    const video = await makeVideo(mediaDir, { width: 1920, height: 1080, seconds: 4 });
    for (const side of ['id-front', 'id-back']) await makeImage(mediaDir, side); // made once, before the two uploads read them
    const [accepted, rejected] = await Promise.all(
      ['model_to_accept', 'model_to_reject'].map(async (name) => {
        const jobId = await createAndSubmit(sdk, mediaDir, video, name);
        await waitForState(sdk, jobId, ['MANUAL_VERIFYING'], PIPELINE_TIMEOUT_MS);
        await admin.request('POST', `/v1/admin/training-jobs/${jobId}/review`, { decision: 'approve', opinion: 'fine' });
        await waitForState(sdk, jobId, ['WAIT_USER_CONFIRM'], PIPELINE_TIMEOUT_MS);
        return jobId;
      }),
    );

    const userContext = await newConsoleContext(browser);
    const user = await userContext.newPage();
    await signIn(user, server.url, tenantKey, `/console/jobs/${accepted}`);
    await badgeOf(user).filter({ hasText: 'Awaiting your acceptance' }).waitFor();
    await assertControlsLabelled(user);
    await screenshot(user, 'user-confirm');
    // By keyboard: the actions are real buttons.
    await user.getByRole('button', { name: 'Accept the model' }).focus();
    await user.keyboard.press('Enter');
    await badgeOf(user).filter({ hasText: 'Completed' }).waitFor();
    assert.equal(await badgeOf(user).getAttribute('data-state'), 'JOB_FINISH');

    await user.goto(`${server.url}/console/jobs/${rejected}`);
    await badgeOf(user).filter({ hasText: 'Awaiting your acceptance' }).waitFor();
    const reject = user.getByRole('button', { name: 'Reject' });
    assert.equal(await reject.isDisabled(), true, 'a rejection needs a reason');
    await user.getByLabel('Reason or message').fill('The mouth does not follow the voice.');
    await reject.click();
    await badgeOf(user).filter({ hasText: 'Rejected by you' }).waitFor();
    await user.locator('.timeline-entry[data-comment-type="USER_REJECT"]').getByText('The mouth does not follow the voice.').waitFor();
    await user.getByRole('button', { name: 'Suspend' }).click();
    await badgeOf(user).filter({ hasText: 'Suspended' }).waitFor();
    await user.getByRole('button', { name: 'Resume' }).click();
    await badgeOf(user).filter({ hasText: 'Rejected by you' }).waitFor();

    // The list: a status group, then a name, as filters; then the page in Chinese.
    const onlyRow = (name: string) =>
      user.waitForFunction((expected) => {
        const rows = [...document.querySelectorAll('table.jobs tbody tr')];
        return rows.length === 1 && rows[0]!.textContent!.includes(expected);
      }, name);
    await user.getByRole('navigation').getByRole('link', { name: 'My jobs' }).click();
    await user.getByLabel('Status').selectOption({ label: 'Completed' });
    await user.getByRole('button', { name: 'Apply' }).click();
    await user.waitForURL(/group=completed/);
    await onlyRow('model_to_accept');
    await user.getByLabel('Status').selectOption({ label: 'All statuses' });
    await user.getByLabel('Name', { exact: true }).fill('model_to_reject');
    await user.getByRole('button', { name: 'Apply' }).click();
    await onlyRow('model_to_reject');
    const rows = user.locator('table.jobs tbody tr');
    await rows.locator('.badge', { hasText: 'Rejected by you' }).waitFor();
    await user.getByLabel('Language').selectOption('zh');
    await user.getByRole('heading', { name: '我的任务' }).waitFor();
    await rows.locator('.badge', { hasText: '用户驳回' }).waitFor();
    await userContext.close();
  });
});
