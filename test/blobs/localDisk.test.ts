import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { Readable } from 'node:stream';
import { createLocalDiskBlobStore } from '../../src/blobs/localDiskBlobStore.js';
import { makeTempDir } from '../support/testServer.js';

/** The embedded default's blob store on a real directory. */
describe('local-disk blob store', () => {
  let root: string;
  before(() => {
    root = makeTempDir('blobs');
  });
  after(() => fs.rmSync(root, { recursive: true, force: true }));

  test('concat joins 1,000 parts in order, without piling listeners onto one stream (no warning)', async () => {
    const store = createLocalDiskBlobStore(root);
    const warnings: Error[] = [];
    const onWarning = (warning: Error) => warnings.push(warning);
    process.on('warning', onWarning);
    try {
      const parts: Buffer[] = [];
      const keys: string[] = [];
      for (let index = 0; index < 1000; index++) {
        const bytes = crypto.randomBytes(64 + (index % 7) * 1000);
        parts.push(bytes);
        keys.push(`parts/${index}`);
        await store.put(keys[index]!, Readable.from([bytes]), Number.MAX_SAFE_INTEGER);
      }
      const whole = Buffer.concat(parts);
      const stored = await store.concat(keys, 'joined/video');
      assert.equal(stored.size, whole.length);
      assert.equal(stored.md5, crypto.createHash('md5').update(whole).digest('hex'));
      assert.ok(fs.readFileSync(path.join(root, 'objects', 'joined', 'video')).equals(whole));
      // Warnings are emitted on the next tick.
      await new Promise((resolve) => setImmediate(resolve));
      assert.deepEqual(warnings.map((warning) => warning.name), []);
    } finally {
      process.off('warning', onWarning);
    }
  });

  test('a concat of a part that is missing leaves nothing behind', async () => {
    const store = createLocalDiskBlobStore(root);
    await store.put('single/a', Readable.from([Buffer.from('a')]), 10);
    await assert.rejects(store.concat(['single/a', 'single/missing'], 'joined/broken'));
    assert.equal(await store.size('joined/broken'), undefined);
    assert.deepEqual(fs.readdirSync(path.join(root, 'tmp')), []);
  });
});
