import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { ConfigError, loadConfig } from '../../src/config.js';
import { TEST_VIDEO_ADVICE } from '../../src/pipeline/handlers/trainingStages.js';
import { runTrainerCommand, TrainerFailure } from '../../src/pipeline/trainerCommand.js';
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
  // Records how it was called and what it was given (job.json's keys too), and writes each stage's outputs.
  fs.writeFileSync(
    trainer,
    [
      '#!/bin/sh',
      'set -e',
      `echo "$AVATARFORGE_STAGE $AVATARFORGE_JOB_ID $(ls "$1" | tr '\\n' ' ')$(grep -o '"[a-z_]*":' "$1/job.json" | tr -d '":' | tr '\\n' ' ')" >> ${trainerLog}`,
      'if [ "$AVATARFORGE_STAGE" = test_video_check ]; then',
      '  echo video > "$2/test_video.mp4"',
      `  echo '{"mouth_correlation": 0.9, "held_out_seconds": 1, "face_found_ratio": 1, "sentence": "s"}' > "$2/quality.json"`,
      'else',
      '  echo model > "$2/model.bin"',
      'fi',
      'echo "progress: halfway" >&2',
      'echo "made by the test trainer"',
      '',
    ].join('\n'),
    { mode: 0o755 },
  );
  server = await startTestServer({
    env: {
      AVATARFORGE_WORKERS: 'true',
      AVATARFORGE_VIDEO_MIN_SECONDS: '2',
      AVATARFORGE_VIDEO_MAX_SECONDS: '30',
      AVATARFORGE_TRAINER_COMMAND: trainer,
      AVATARFORGE_TRAINER_STAGES: 'training_data_preprocess,training,inference_data_preprocess,compile,test_video_check',
    },
  });
});
after(async () => {
  await server.destroy();
  fs.rmSync(workDir, { recursive: true, force: true });
});

test('AVATARFORGE_TRAINER_COMMAND runs the stages of AVATARFORGE_TRAINER_STAGES with their inputs and job.json, and the job completes', async () => {
  const sdk = createSdkClient(server.url);
  const jobId = await createAndSubmit(sdk, workDir, await makeVideo(workDir, { width: 1920, height: 1080, seconds: 3 }), 'trainer_command');
  await waitForState(sdk, jobId, ['MANUAL_VERIFYING']);
  await approve(server, jobId, 'ok');
  const done = await waitForState(sdk, jobId, ['JOB_SUCCESS', 'TRAINING_DATA_PREPROCESS_FAILED', 'TRAIN_FAILED', 'INFERENCE_DATA_PREPROCESS_FAILED', 'COMPILE_FAILED', 'TEST_VIDEO_CHECK_FAILED']);
  assert.equal(done.state, 'JOB_SUCCESS', JSON.stringify(done.operation_logs));
  const calls = fs.readFileSync(trainerLog, 'utf8').trim().split('\n').map((line) => line.trim());
  assert.deepEqual(
    calls,
    [
      `training_data_preprocess ${jobId} job.json training_video job_id`,
      `training ${jobId} job.json training_data job_id`,
      `inference_data_preprocess ${jobId} job.json training_video job_id`,
      `compile ${jobId} inference_data job.json model_package job_id`,
      `test_video_check ${jobId} compiled_model job.json training_data job_id`,
    ],
    'one call per stage, with its inputs',
  );
  const trained = (done.operation_logs as Json[]).find((entry) => entry.log_type === 'SYSTEM_TRAIN_SUCCESS')!;
  assert.equal(trained.log_description, `training by ${path.join(workDir, 'trainer.sh')}: made by the test trainer`);
  const model = await sdk.model(jobId);
  assert.deepEqual(model.test_video_report, { mouth_correlation: 0.9, floor: 0.7, held_out_seconds: 1, face_found_ratio: 1, sentence: 's' });
});

test('a test-video report below AVATARFORGE_TEST_VIDEO_MIN_CORRELATION fails the check with the figure and the floor', async () => {
  const strict = await startTestServer({
    env: {
      AVATARFORGE_WORKERS: 'true',
      AVATARFORGE_VIDEO_MIN_SECONDS: '2',
      AVATARFORGE_VIDEO_MAX_SECONDS: '30',
      AVATARFORGE_TRAINER_COMMAND: path.join(workDir, 'trainer.sh'),
      AVATARFORGE_TRAINER_STAGES: 'training_data_preprocess,training,inference_data_preprocess,compile,test_video_check',
      AVATARFORGE_TEST_VIDEO_MIN_CORRELATION: '0.95',
    },
  });
  try {
    const sdk = createSdkClient(strict.url);
    const jobId = await createAndSubmit(sdk, workDir, await makeVideo(workDir, { width: 1920, height: 1080, seconds: 3 }), 'strict_floor');
    await waitForState(sdk, jobId, ['MANUAL_VERIFYING']);
    await approve(strict, jobId, 'ok');
    const failed = await waitForState(sdk, jobId, ['TEST_VIDEO_CHECK_FAILED', 'JOB_SUCCESS']);
    assert.equal(failed.state, 'TEST_VIDEO_CHECK_FAILED');
    const entry = (failed.operation_logs as Json[]).find((log) => log.log_type === 'TEST_VIDEO_CHECK_FAILED')!;
    assert.equal(
      entry.log_description,
      'the rendered mouth follows the real one with r = 0.90 on the held-out speech in another voice, below the floor of 0.95 ' +
        `(AVATARFORGE_TEST_VIDEO_MIN_CORRELATION). ${TEST_VIDEO_ADVICE}`,
    );
  } finally {
    await strict.destroy();
  }
});

test('the trainer settings are checked at start with clear messages', () => {
  const load = (env: Record<string, string>) => () => loadConfig({}, env);
  assert.deepEqual(loadConfig({}, {}).trainerStages, ['training', 'compile']);
  assert.equal(loadConfig({}, {}).testVideoMinCorrelation, 0.7);
  assert.match(loadConfig({}, {}).referenceTrainer, /trainer\/bin\/avatarforge-trainer$/);
  assert.throws(load({ AVATARFORGE_TRAINER_STAGES: 'training,asset_sync' }), new ConfigError(
    'AVATARFORGE_TRAINER_STAGES has unknown stages: asset_sync (stages: training_data_preprocess, training, inference_data_preprocess, compile, test_video_check, video_render)',
  ));
  assert.throws(load({ AVATARFORGE_TEST_VIDEO_MIN_CORRELATION: '1.5' }), new ConfigError('AVATARFORGE_TEST_VIDEO_MIN_CORRELATION must be a number from -1 to 1, got "1.5"'));
  assert.throws(load({ AVATARFORGE_TEST_VIDEO_MIN_CORRELATION: 'high' }), new ConfigError('AVATARFORGE_TEST_VIDEO_MIN_CORRELATION must be a number from -1 to 1, got "high"'));
});

test('a failing trainer: users get its last line as the reason, the log gets its whole output', async () => {
  const script = path.join(workDir, 'failing.sh');
  fs.writeFileSync(
    script,
    ['#!/bin/sh', 'echo "Traceback (most recent call last):" >&2', 'echo "  File \\"stages.py\\", line 12, in run" >&2', 'echo "KeyError: secret_field" >&2',
      'echo "the trainer failed on an internal error (KeyError); the details are in the log" >&2', 'exit 1', ''].join('\n'),
    { mode: 0o755 },
  );
  const inputDir = path.join(workDir, 'failing-in');
  const outputDir = path.join(workDir, 'failing-out');
  fs.mkdirSync(inputDir);
  fs.mkdirSync(outputDir);
  const failure = await runTrainerCommand(script, { stage: 'training', jobId: 'j', inputDir, outputDir, signal: new AbortController().signal }, () => undefined).then(
    () => assert.fail('the command failed'),
    (error: unknown) => error,
  );
  assert.ok(failure instanceof TrainerFailure);
  assert.equal(failure.message, 'trainer failed (training): the trainer failed on an internal error (KeyError); the details are in the log');
  assert.equal(failure.kind, 'internal_error', 'a trainer bug, as the metrics count it');
  assert.equal(failure.output.length, 4);
  assert.match(failure.output.join('\n'), /KeyError: secret_field/);
});
