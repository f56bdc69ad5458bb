import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { percentOf, progressMilestones } from '../../src/pipeline/stageProgress.js';
import { makeVideo } from '../support/media.js';
import { approve, createAndSubmit, PIPELINE_ENV, waitForState } from '../support/pipelineFlow.js';
import { createSdkClient, type Json } from '../support/sdkClient.js';
import { makeTempDir, startTestServer, type TestServer } from '../support/testServer.js';

describe('stage progress shown in the job', () => {
  test('the first message at or past each tenth is shown; messages without a percentage, repeats and 100 % are not', () => {
    const isMilestone = progressMilestones();
    const messages = [
      'fitting the model',
      'landmarks 250/4500 frames, 5 % (10 s)',
      'landmarks 500/4500 frames, 11 % (20 s)',
      'landmarks 750/4500 frames, 16 % (30 s)',
      'landmarks 1000/4500 frames, 22% (40 s)',
      'landmarks 3000/4500 frames, 66 % (120 s)',
      'landmarks 2900/4500 frames, 64 % (125 s)',
      'landmarks 4500/4500 frames, 100 % (180 s)',
    ];
    assert.deepEqual(messages.filter(isMilestone), [
      'landmarks 500/4500 frames, 11 % (20 s)',
      'landmarks 1000/4500 frames, 22% (40 s)',
      'landmarks 3000/4500 frames, 66 % (120 s)',
    ]);
  });

  test('each run starts again from nothing', () => {
    const first = progressMilestones();
    assert.equal(first('making the videos: 50 %'), true);
    assert.equal(first('making the videos: 55 %'), false);
    assert.equal(progressMilestones()('making the videos: 55 %'), true);
  });

  test('percentOf floors, stops at 100 % and says 0 % of nothing', () => {
    assert.equal(percentOf(1, 3), '33 %');
    assert.equal(percentOf(2, 3), '66 %');
    assert.equal(percentOf(5, 4), '100 %');
    assert.equal(percentOf(1, 0), '0 %');
  });
});

/**
 * A plugged-in trainer's preprocessing: its progress lines (stderr, "progress: …") that state a
 * percentage show in the job's operation log at each tenth, under the stage's running entry type;
 * the others, and those that step no further, do not.
 */
describe("a trainer's progress in the job", () => {
  let server: TestServer;
  let workDir: string;
  before(async () => {
    workDir = makeTempDir('stage-progress');
    const trainer = path.join(workDir, 'trainer.sh');
    fs.writeFileSync(
      trainer,
      [
        '#!/bin/sh',
        'if [ "$AVATARFORGE_STAGE" = training_data_preprocess ]; then',
        '  for line in "frames 10/40, 25 %" "reading the audio" "frames 11/40, 27 %" "frames 20/40, 50%" "frames 40/40, 100 %"; do',
        '    echo "progress: $line" >&2; sleep 0.2',
        '  done',
        'fi',
        `exec ${PIPELINE_ENV.AVATARFORGE_TRAINER_COMMAND} "$@"`,
      ].join('\n') + '\n',
      { mode: 0o755 },
    );
    server = await startTestServer({ env: { ...PIPELINE_ENV, AVATARFORGE_TRAINER_COMMAND: trainer } });
  });
  after(async () => {
    await server?.destroy();
    fs.rmSync(workDir, { recursive: true, force: true });
  });

  test('each tenth stated is logged once, as SYSTEM_TRAIN_DATA_PREPROCESSING, between the stage\'s start and its result', { timeout: 120_000 }, async () => {
    const sdk = createSdkClient(server.url);
    const jobId = await createAndSubmit(sdk, workDir, await makeVideo(workDir, { width: 1920, height: 1080, seconds: 3 }), 'progress_shown');
    assert.equal((await waitForState(sdk, jobId, ['MANUAL_VERIFYING', 'AUTO_VERIFY_FAILED'])).state, 'MANUAL_VERIFYING');
    await approve(server, jobId, 'fine');
    const done = await waitForState(sdk, jobId, ['JOB_SUCCESS', 'TRAINING_DATA_PREPROCESS_FAILED', 'TRAIN_FAILED']);
    assert.equal(done.state, 'JOB_SUCCESS');
    const logs = done.operation_logs as Json[];
    const start = logs.findIndex((entry) => entry.log_type === 'SYSTEM_TRAIN_DATA_PREPROCESSING');
    const result = logs.findIndex((entry) => entry.log_type === 'SYSTEM_TRAIN_DATA_PREPROCESS_SUCCESS');
    assert.equal(logs[start]!.log_description, undefined, 'the start entry says nothing of progress');
    assert.deepEqual(
      logs.slice(start + 1, result).map((entry) => [entry.log_type, entry.operate_user, entry.log_description]),
      [
        ['SYSTEM_TRAIN_DATA_PREPROCESSING', 'SYSTEM', 'frames 10/40, 25 %'],
        ['SYSTEM_TRAIN_DATA_PREPROCESSING', 'SYSTEM', 'frames 20/40, 50%'],
      ],
    );
    assert.equal(logs.filter((entry) => entry.log_type === 'SYSTEM_TRAINING').length, 1, 'training, which has no progress entries, logs only its start');
  });
});
