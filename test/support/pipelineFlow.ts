import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { TRAINER_STAGES } from '../../src/domain/trainerStages.js';
import { createKey, REPO_ROOT } from './cli.js';
import { GRANT_LETTER_PDF, makeImage } from './media.js';
import { createSdkClient, type Json, type SdkClient } from './sdkClient.js';
import type { TestServer } from './testServer.js';

/** A job's way through the public API, for the pipeline tests: upload, submit, wait, review. */

/**
 * A trainer command that writes every trainer stage's outputs without learning (the plug-in
 * contract), for tests of the pipeline's flow with test-pattern videos.
 */
export const PLACEHOLDER_TRAINER_ENV = {
  AVATARFORGE_TRAINER_COMMAND: path.join(REPO_ROOT, 'test', 'support', 'placeholderTrainer.sh'),
  AVATARFORGE_TRAINER_STAGES: TRAINER_STAGES.join(','),
};

/** The in-process workers on, for short videos: the duration rule is shortened, the trainer is the placeholder. */
export const PIPELINE_ENV = {
  ...PLACEHOLDER_TRAINER_ENV,
  AVATARFORGE_WORKERS: 'true',
  AVATARFORGE_VIDEO_MIN_SECONDS: '2',
  AVATARFORGE_VIDEO_MAX_SECONDS: '30',
  AVATARFORGE_HEARTBEAT_TIMEOUT_SECONDS: '3',
};

export async function put(url: string, bytes: Buffer): Promise<void> {
  const response = await fetch(url, { method: 'PUT', body: new Uint8Array(bytes) });
  assert.equal(response.status, 200, await response.text());
}

/** Creates a job, uploads the video in two parts, both ID card images and the letter, and submits it. */
export async function createAndSubmit(sdk: SdkClient, mediaDir: string, video: string, name: string): Promise<string> {
  const created = await sdk.create({ name, video_multipart_count: 2 });
  const jobId = created.job_id as string;
  await uploadVideoAndIdentity(mediaDir, created, video);
  await sdk.command(jobId, { command: 'CONFIRM_MULTIPART_UPLOADED' });
  await sdk.command(jobId, { command: 'SUBMITVERIFYING' });
  return jobId;
}

/** Uploads the video's two halves to the two part URLs, and the identity files where URLs were given. */
export async function uploadVideoAndIdentity(mediaDir: string, urls: Json, video: string): Promise<void> {
  const bytes = fs.readFileSync(video);
  const half = Math.floor(bytes.length / 2);
  const [first, second] = urls.training_video_upload_url as string[];
  await put(first!, bytes.subarray(0, half));
  await put(second!, bytes.subarray(half));
  if (urls.id_card_image1_upload_url) {
    await put(urls.id_card_image1_upload_url as string, fs.readFileSync(await makeImage(mediaDir, 'id-front')));
    await put(urls.id_card_image2_upload_url as string, fs.readFileSync(await makeImage(mediaDir, 'id-back')));
    await put(urls.grant_file_upload_url as string, GRANT_LETTER_PDF);
  }
}

/** Polls Show until the job reaches one of `states` (or fails the test after `timeoutMs`). */
export async function waitForState(sdk: SdkClient, jobId: string, states: string[], timeoutMs = 120_000): Promise<Json> {
  const deadline = Date.now() + timeoutMs;
  let shown: Json = {};
  while (Date.now() < deadline) {
    shown = await sdk.show(jobId);
    if (states.includes(shown.state as string)) return shown;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  assert.fail(`job ${jobId} is in ${shown.state}, not in ${states.join(' or ')}, after ${timeoutMs} ms`);
}

/** Polls a video job's Show until it reaches one of `states`; any state but those, WAITING and PROCESSING fails the test. */
export async function waitForVideo(sdk: SdkClient, jobId: string, states: string[], options: { appUserId?: string } = {}): Promise<Json> {
  for (;;) {
    const shown = await sdk.showVideo(jobId, {}, options);
    if (states.includes(shown.state as string)) return shown;
    assert.ok(['WAITING', 'PROCESSING'].includes(shown.state as string), `unexpected state ${shown.state}: ${JSON.stringify(shown)}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

export const logTypes = (shown: Json): string[] => (shown.operation_logs as Array<{ log_type: string }>).map((entry) => entry.log_type);

/** A reviewer approves the job through the admin API, with an admin key made by the CLI. */
export async function approve(server: TestServer, jobId: string, opinion: string): Promise<void> {
  const key = await createKey(server, ['--role', 'admin']);
  const reviewer = createSdkClient(server.url, key);
  const result = await reviewer.request('POST', `/v1/admin/training-jobs/${jobId}/review`, { decision: 'approve', opinion });
  assert.equal(result.httpStatusCode, 200);
}
