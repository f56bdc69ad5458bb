/** Which TEXT script texts can be said: refused at Create with the script and the reason, never spoken in part. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ApiError } from '../../src/domain/errors.js';
import { planVideoJob, unspeakableReason } from '../../src/domain/videoJobRequest.js';

test('text with a lone surrogate, a control character or nothing to say cannot be spoken', () => {
  assert.match(unspeakableReason('hi \ud800 there')!, /not valid Unicode: half of a surrogate pair \(U\+D800\) at character 4/);
  assert.match(unspeakableReason('bye \udc00')!, /U\+DC00/);
  assert.match(unspeakableReason('Hello\u0000world')!, /control character U\+0000 at character 6/);
  assert.match(unspeakableReason('one\u001btwo')!, /U\+001B/);
  assert.match(unspeakableReason('x\u0085')!, /U\+0085/);
  for (const nothing of ['-', '...', '\u200b\u200c\u200d', '!?', '\ufeff', '—']) {
    assert.equal(unspeakableReason(nothing), 'the text has nothing to say: not one letter or digit', JSON.stringify(nothing));
  }
  for (const fine of ['Hello, world.', 'Line one.\nLine two.\tTabbed.\r\n', '大家好', '42', 'emoji 😀 and text', 'ü\u200bber']) {
    assert.equal(unspeakableReason(fine), undefined, JSON.stringify(fine));
  }
});

test('Create refuses such a script naming it, whatever its place among the scripts', () => {
  const request = {
    model_asset_id: 'model',
    video_config: {},
    shoot_scripts: [
      { sequence_no: 0, shoot_script: { script_type: 'TEXT', text_config: { text: 'Fine words.' } } },
      { sequence_no: 1, shoot_script: { script_type: 'TEXT', text_config: { text: 'Hello\u0000world' } } },
    ],
  };
  assert.throws(() => planVideoJob(request as never), (error: unknown) =>
    error instanceof ApiError && error.errorName === 'INVALID_PARAMETER' && /^shoot_scripts\[sequence_no=1\]: the text holds the control character U\+0000/.test(error.detail ?? ''));
});
