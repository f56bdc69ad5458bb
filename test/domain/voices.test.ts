/** The server's voice catalogue (what Create accepts, what GET /voices lists) is the trainer's own. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { loadConfig } from '../../src/config.js';
import { VOICES } from '../../src/domain/voices/catalogue.js';

test('the voices the server offers are the voices the trainer speaks with, with the same facts', () => {
  const trainer = loadConfig({}).referenceTrainer;
  const listed = execFileSync(trainer, ['voices'], { encoding: 'utf8' }).trim().split('\n').map((line) => JSON.parse(line));
  assert.deepEqual(
    listed.map(({ name, language, gender, engine, default_for }) => ({ voice_asset_id: name, language, gender, engine, default_for })),
    VOICES.map((voice) => ({ ...voice })),
  );
});
