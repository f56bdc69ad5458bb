/**
 * The test-video check in the pipeline: after compile, before the admin's confirmation (the gate is
 * on here) and asset sync. Compile and the check run in an external worker process whose command
 * is a shell-script stub; the emulator makes every other stage succeed at once, so jobs of a few
 * bytes get there in seconds and the stage's default handler plays no part.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import * as tar from 'tar';
import { createKey } from '../support/cli.js';
import { logTypes, put, waitForState } from '../support/pipelineFlow.js';
import { startExternalWorker, stopProcess } from '../support/processes.js';
import { createSdkClient, type Json, type SdkClient } from '../support/sdkClient.js';
import { makeTempDir, startTestServer, type TestServer } from '../support/testServer.js';

const REPORT = { mouth_correlation: 0.81, floor: 0.5, held_out_seconds: 9.6, face_found_ratio: 1, sentence: 'Good morning, and welcome.' };
const SUCCEED = { outcome: { outcome: 'succeed' } };
const SCENARIO = {
  stages: {
    auto_verify: SUCCEED,
    manual_review: SUCCEED,
    training_data_preprocess: SUCCEED,
    training: SUCCEED,
    inference_data_preprocess: SUCCEED,
    asset_sync: SUCCEED,
  },
};

let workDir: string;
/** A job whose id has a file here fails its check. */
let failMarks: string;
let server: TestServer;
let tenant: SdkClient;
let admin: SdkClient;
let worker: ReturnType<typeof startExternalWorker>;

before(async () => {
  workDir = makeTempDir('test-video');
  failMarks = path.join(workDir, 'fail');
  fs.mkdirSync(failMarks);
  const scenario = path.join(workDir, 'scenario.json');
  fs.writeFileSync(scenario, JSON.stringify(SCENARIO));
  // The stub: compile writes a "model"; the check proves it got the compiled model, then writes the
  // stage's two single-file outputs, or fails the way a trainer does (stderr, non-zero exit).
  const stub = path.join(workDir, 'trainer.sh');
  fs.writeFileSync(
    stub,
    [
      '#!/bin/sh',
      'set -e',
      'case "$AVATARFORGE_STAGE" in',
      '  compile) echo \'{"format": "avatarforge-2d"}\' > "$2/model.json" ;;',
      '  test_video_check)',
      '    test -f "$1/compiled_model/model.json"',
      `    if [ -e "${failMarks}/$AVATARFORGE_JOB_ID" ]; then echo "mouth correlation 0.12 is below 0.5" >&2; exit 3; fi`,
      '    printf "rendered test video" > "$2/test_video.mp4"',
      `    printf '%s' '${JSON.stringify(REPORT)}' > "$2/quality.json" ;;`,
      'esac',
      '',
    ].join('\n'),
    { mode: 0o755 },
  );
  server = await startTestServer({
    env: {
      AVATARFORGE_EMULATOR: '1',
      AVATARFORGE_EMULATOR_SCENARIO: scenario,
      AVATARFORGE_WORKERS: 'true',
      AVATARFORGE_WORKER_STAGES: 'auto_verify,training_data_preprocess,training,inference_data_preprocess,asset_sync',
      AVATARFORGE_ADMIN_CONFIRM_GATE: 'true',
      AVATARFORGE_REQUIRE_IDENTITY_FILES: 'false',
    },
  });
  tenant = createSdkClient(server.url);
  admin = createSdkClient(server.url, await createKey(server, ['--role', 'admin']));
  worker = startExternalWorker(server.url, await createKey(server, ['--role', 'worker']), { stages: ['compile', 'test_video_check'], command: stub, workerId: 'stub-worker' });
});
after(async () => {
  if (worker) await stopProcess(worker.child);
  await server?.destroy();
  fs.rmSync(workDir, { recursive: true, force: true });
});

/** A job with a few bytes as its video, submitted; `failing` marks it for a failing check first. */
async function submitJob(name: string, failing = false): Promise<string> {
  const created = await tenant.create({ name });
  const jobId = created.job_id as string;
  if (failing) fs.writeFileSync(path.join(failMarks, jobId), '');
  await put((created.training_video_upload_url as string[])[0]!, Buffer.from('not really a video'));
  await tenant.command(jobId, { command: 'CONFIRM_MULTIPART_UPLOADED' });
  await tenant.command(jobId, { command: 'SUBMITVERIFYING' });
  return jobId;
}

const adminCall = (method: string, jobId: string, action: string) => admin.request(method, `/v1/admin/training-jobs/${jobId}/${action}`, method === 'POST' ? {} : undefined);
const fromCompile = (shown: Json): string[] => logTypes(shown).slice(logTypes(shown).lastIndexOf('SYSTEM_EXECUTE_COMPILE'));

async function fetchBytes(url: string): Promise<Buffer> {
  const response = await fetch(url);
  assert.equal(response.status, 200, url);
  return Buffer.from(await response.arrayBuffer());
}

describe('the test-video check, run by an external worker with a command stub', () => {
  test('compile queues the check; its success waits for the admin, who judges the model by its test video and accepts it', async () => {
    const jobId = await submitJob('check_passes');
    const waiting = await waitForState(tenant, jobId, ['WAIT_ADMIN_CONFIRM', 'TEST_VIDEO_CHECK_FAILED', 'COMPILE_FAILED'], 30_000);
    assert.equal(waiting.state, 'WAIT_ADMIN_CONFIRM', `${JSON.stringify(waiting.operation_logs)}\n${worker.output()}`);
    assert.deepEqual(fromCompile(waiting), ['SYSTEM_EXECUTE_COMPILE', 'SYSTEM_COMPILE_SUCCESS', 'WAIT_TEST_VIDEO_CHECK', 'TEST_VIDEO_CHECK_PROCESSING', 'TEST_VIDEO_CHECK_SUCCESS']);
    assert.equal((waiting.operation_logs as Json[]).at(-1)!.log_description, 'test_video_check by stub-worker');

    const judged = await adminCall('GET', jobId, 'model');
    assert.deepEqual(judged.test_video_report, REPORT);
    assert.equal((await fetchBytes(judged.test_video_download_url as string)).toString(), 'rendered test video');
    const archive = path.join(workDir, `${jobId}.tar.gz`);
    fs.writeFileSync(archive, await fetchBytes(judged.model_download_url as string));
    const packed: string[] = [];
    await tar.t({ file: archive, onReadEntry: (entry) => void packed.push(entry.path) });
    assert.deepEqual(packed, ['model.json'], 'the model is the compile output directory, packed');

    assert.equal((await adminCall('POST', jobId, 'accept')).state, 'WAIT_ASSET_SYNC');
    const done = await waitForState(tenant, jobId, ['JOB_SUCCESS'], 30_000);
    assert.deepEqual(logTypes(done).slice(-2), ['ADMIN_ACCEPT', 'SYSTEM_JOB_SUCCESS']);
    const delivered = await tenant.model(jobId);
    assert.equal(delivered.asset_id, done.asset_id);
    assert.deepEqual(delivered.test_video_report, REPORT);
  });

  test("a failing check fails the stage with the command's stderr; an admin's redo runs it again", async () => {
    const jobId = await submitJob('check_fails_then_passes', true);
    const failed = await waitForState(tenant, jobId, ['TEST_VIDEO_CHECK_FAILED', 'WAIT_ADMIN_CONFIRM'], 30_000);
    assert.equal(failed.state, 'TEST_VIDEO_CHECK_FAILED');
    const entry = (failed.operation_logs as Json[]).at(-1)!;
    assert.deepEqual([entry.log_type, entry.operate_user], ['TEST_VIDEO_CHECK_FAILED', 'SYSTEM']);
    assert.match(entry.log_description as string, /mouth correlation 0\.12 is below 0\.5/);
    const model = await tenant.model(jobId);
    assert.deepEqual([typeof model.model_download_url, model.test_video_download_url, model.test_video_report], ['string', undefined, undefined]);

    fs.rmSync(path.join(failMarks, jobId));
    assert.equal((await adminCall('POST', jobId, 'redo')).state, 'WAIT_TEST_VIDEO_CHECK');
    const passed = await waitForState(tenant, jobId, ['WAIT_ADMIN_CONFIRM', 'TEST_VIDEO_CHECK_FAILED'], 30_000);
    assert.equal(passed.state, 'WAIT_ADMIN_CONFIRM');
    assert.deepEqual(logTypes(passed).slice(-5), ['TEST_VIDEO_CHECK_FAILED', 'RESTART_TEST_VIDEO_CHECK', 'WAIT_TEST_VIDEO_CHECK', 'TEST_VIDEO_CHECK_PROCESSING', 'TEST_VIDEO_CHECK_SUCCESS']);
    assert.equal((await adminCall('POST', jobId, 'accept')).state, 'WAIT_ASSET_SYNC');
    await waitForState(tenant, jobId, ['JOB_SUCCESS'], 30_000);
  });

  test('a failed check skipped by an admin goes on to asset sync, past the admin gate', async () => {
    const jobId = await submitJob('check_skipped', true);
    await waitForState(tenant, jobId, ['TEST_VIDEO_CHECK_FAILED'], 30_000);
    assert.equal((await adminCall('POST', jobId, 'skip')).state, 'WAIT_ASSET_SYNC');
    const done = await waitForState(tenant, jobId, ['JOB_SUCCESS'], 30_000);
    assert.deepEqual(logTypes(done).slice(-3), ['TEST_VIDEO_CHECK_FAILED', 'SKIP_TEST_VIDEO_CHECK', 'SYSTEM_JOB_SUCCESS']);
  });
});
