import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { DEFAULT_EMULATOR_SETTINGS, isStepDue, resolveEmulatorSettings, STAGE_FAMILIES } from '../../src/domain/emulatorSettings.js';
import { STAGE_NAMES } from '../../src/domain/pipelineStages.js';

describe('emulator settings (pure)', () => {
  const step = { enteredAt: 1_000_000, now: 1_000_000, readsSinceEntered: 0, released: false };

  test('the families are the pipeline stages plus manual_review, and the defaults are immediate and real', () => {
    assert.deepEqual(STAGE_FAMILIES, [...STAGE_NAMES, 'manual_review']);
    for (const family of STAGE_FAMILIES) {
      assert.deepEqual(DEFAULT_EMULATOR_SETTINGS.stages[family], { progress: { mode: 'immediate' }, outcome: { outcome: 'real' } });
    }
  });

  test('resolving fills left-out families and parts with the defaults, and refuses a failing asset sync', () => {
    const resolved = resolveEmulatorSettings({ stages: { training: { outcome: { outcome: 'fail', message: 'no GPU' } } } });
    assert.ok('settings' in resolved);
    assert.deepEqual(resolved.settings.stages.training, { progress: { mode: 'immediate' }, outcome: { outcome: 'fail', message: 'no GPU' } });
    assert.deepEqual(resolved.settings.stages.compile, DEFAULT_EMULATOR_SETTINGS.stages.compile);
    assert.deepEqual(resolveEmulatorSettings({ stages: { asset_sync: { outcome: { outcome: 'fail' } } } }), {
      problem: 'stages.asset_sync.outcome cannot be fail: the API has no failed state for the asset sync',
    });
  });

  test('the test-video check takes what it leaves out from compile, so older scenario files run as before', () => {
    const forced = { progress: { mode: 'after_reads', reads: 2 }, outcome: { outcome: 'succeed' } } as const;
    const older = resolveEmulatorSettings({ stages: { compile: forced } });
    assert.ok('settings' in older);
    assert.deepEqual(older.settings.stages.test_video_check, forced);
    const apart = resolveEmulatorSettings({ stages: { compile: forced, test_video_check: { outcome: { outcome: 'fail', message: 'the mouth does not move' } } } });
    assert.ok('settings' in apart);
    assert.deepEqual(apart.settings.stages.test_video_check, { progress: forced.progress, outcome: { outcome: 'fail', message: 'the mouth does not move' } });
  });

  test('each progress mode decides from the step\'s entry time, the reads since and a release', () => {
    assert.equal(isStepDue({ mode: 'immediate' }, step), true);
    assert.equal(isStepDue({ mode: 'hold' }, step), false);
    assert.equal(isStepDue({ mode: 'hold' }, { ...step, released: true }), true);
    assert.equal(isStepDue({ mode: 'after_seconds', seconds: 60 }, { ...step, now: step.enteredAt + 59_999 }), false);
    assert.equal(isStepDue({ mode: 'after_seconds', seconds: 60 }, { ...step, now: step.enteredAt + 60_000 }), true);
    assert.equal(isStepDue({ mode: 'after_reads', reads: 2 }, { ...step, readsSinceEntered: 1 }), false);
    assert.equal(isStepDue({ mode: 'after_reads', reads: 2 }, { ...step, readsSinceEntered: 2 }), true);
    assert.equal(isStepDue({ mode: 'after_reads', reads: 5 }, { ...step, released: true }), true);
  });
});
