import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { makeVideo } from '../support/media.js';
import { approve, createAndSubmit, waitForState } from '../support/pipelineFlow.js';
import { createSdkClient, type Json } from '../support/sdkClient.js';
import { makeTempDir, startTestServer, type TestServer } from '../support/testServer.js';

let workDir: string;
let server: TestServer;
let trainerLog: string;
before(async () => {
  workDir = makeTempDir('trainer');
  trainerLog = path.join(workDir, 'trainer.log');
  const trainer = path.join(workDir, 'trainer.sh');
  // Records how it was called and what it was given, and writes a "model" into the output dir.
  fs.writeFileSync(
    trainer,
    `#!/bin/sh\nset -e\necho "$AVATARFORGE_STAGE $(ls "$1" | tr '\\n' ' ')" >> ${trainerLog}\necho model > "$2/model.bin"\n`,
    { mode: 0o755 },
  );
  server = await startTestServer({
    env: { AVATARFORGE_WORKERS: 'true', AVATARFORGE_VIDEO_MIN_SECONDS: '2', AVATARFORGE_VIDEO_MAX_SECONDS: '30', AVATARFORGE_TRAINER_COMMAND: trainer },
  });
});
after(async () => {
  await server.destroy();
  fs.rmSync(workDir, { recursive: true, force: true });
});

test('AVATARFORGE_TRAINER_COMMAND runs for training and compile with the stage inputs, and the job completes', async () => {
  const sdk = createSdkClient(server.url);
  const jobId = await createAndSubmit(sdk, workDir, await makeVideo(workDir, { width: 1920, height: 1080, seconds: 3 }), 'trainer_command');
  await waitForState(sdk, jobId, ['MANUAL_VERIFYING']);
  await approve(server, jobId, 'ok');
  const done = await waitForState(sdk, jobId, ['JOB_SUCCESS', 'TRAIN_FAILED', 'COMPILE_FAILED']);
  assert.equal(done.state, 'JOB_SUCCESS', JSON.stringify(done.operation_logs));
  const calls = fs.readFileSync(trainerLog, 'utf8').trim().split('\n').map((line) => line.trim());
  assert.deepEqual(calls, ['training training_data', 'compile inference_data model_package'], 'one call per stage, with its inputs');
  const trained = (done.operation_logs as Json[]).find((entry) => entry.log_type === 'SYSTEM_TRAIN_SUCCESS')!;
  assert.equal(trained.log_description, `training by ${path.join(workDir, 'trainer.sh')}`);
});
