/**
 * `avatarforge copy-embedded`: an embedded installation (SQLite and files in its data dir) copied
 * into PostgreSQL and MinIO, then served from there with the same answers; a second run finds
 * everything already copied. Needs AVATARFORGE_TEST_DATABASE_URL and MinIO (the scale-out pass).
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { s3Environment, startMinioServer, type MinioServer } from '../../tools/minioServer.js';
import { cli } from '../support/cli.js';
import { dropDatabase } from '../support/database.js';
import { createSdkClient, withSignedUrlsAsTypes, type Json } from '../support/sdkClient.js';
import { makeTempDir, startTestServer } from '../support/testServer.js';

describe('copy-embedded: SQLite and local files into PostgreSQL and MinIO', { skip: process.env.AVATARFORGE_TEST_DATABASE_URL ? false : 'needs AVATARFORGE_TEST_DATABASE_URL (npm test sets it)' }, () => {
  let minio: MinioServer;
  const targetDir = makeTempDir('copy-target');

  before(async () => {
    minio = await startMinioServer();
  });
  after(async () => {
    await minio?.stop();
    dropDatabase(targetDir);
    fs.rmSync(targetDir, { recursive: true, force: true });
  });

  const put = async (url: string, bytes: Buffer) => assert.equal((await fetch(url, { method: 'PUT', body: new Uint8Array(bytes) })).status, 200);

  test('every row and file arrives; the copy serves the same jobs; a second run copies nothing twice', async () => {
    // The embedded installation: one job with its video and audio, one with half its parts uploaded.
    const source = await startTestServer({ env: { AVATARFORGE_DATABASE_URL: '' } });
    const sdk = createSdkClient(source.url);
    const video = crypto.randomBytes(400_000);
    const audio = crypto.randomBytes(5_000);
    const complete = await sdk.create({ name: 'copied_complete', video_multipart_count: 2, audio_source_type: 'AUDIO', tags: ['copied'] });
    const [firstPart, secondPart] = complete.training_video_upload_url as string[];
    await put(firstPart!, video.subarray(0, 150_000));
    await put(secondPart!, video.subarray(150_000));
    await put(complete.audio_upload_url as string, audio);
    await sdk.command(complete.job_id as string, { command: 'CONFIRM_MULTIPART_UPLOADED' });
    const partial = await sdk.create({ name: 'copied_partial', video_multipart_count: 3 });
    const firstOfThree = crypto.randomBytes(1000);
    await put((partial.training_video_upload_url as string[])[0]!, firstOfThree);
    const before = await Promise.all([sdk.show(complete.job_id as string), sdk.show(partial.job_id as string)]);
    await source.stop();

    const targetEnv = { ...s3Environment(minio.s3('copied')) };
    const args = ['copy-embedded', '--from', source.dataDir, '--data-dir', targetDir];
    const first = await cli(args, targetEnv);
    assert.match(first, /copied 3 files \(406000 bytes; 0 already there\)/);
    assert.match(first, /training_jobs 2/);
    const second = await cli(args, targetEnv);
    assert.match(second, /copied 0 files \(0 bytes; 3 already there\)/);
    assert.match(second, /training_jobs 0/);

    const masterKey = fs.readFileSync(path.join(source.dataDir, 'master.key'), 'utf8').trim();
    const target = await startTestServer({ dataDir: targetDir, env: { ...targetEnv, AVATARFORGE_MASTER_KEY: masterKey } });
    try {
      const copied = createSdkClient(target.url);
      const after = await Promise.all([copied.show(complete.job_id as string), copied.show(partial.job_id as string)]);
      assert.deepEqual(after.map(withSignedUrlsAsTypes), before.map(withSignedUrlsAsTypes));
      const fetched = await fetch(after[0]!.training_video_download_url as string);
      assert.ok(new URL(after[0]!.training_video_download_url as string).pathname.startsWith('/copied/'), 'served from the store');
      assert.ok(Buffer.from(await fetched.arrayBuffer()).equals(video));
      assert.ok(Buffer.from(await (await fetch(after[0]!.audio_file_download_url as string)).arrayBuffer()).equals(audio));
      const parts = await copied.command(partial.job_id as string, { command: 'GET_MULTIPART_UPLOADED' });
      assert.deepEqual(parts.multipart_data, [{ part_number: '1', etag: `"${crypto.createHash('md5').update(firstOfThree).digest('hex')}"` }]);
      assert.equal(((await copied.list({ tag: 'copied' })).count as number), 1);

      // New rows count on from the copied ones.
      const created = await copied.create({ name: 'after_the_copy' });
      const shown = await copied.show(created.job_id as string);
      assert.equal((shown.operation_logs as Json[])[0]!.log_type, 'USER_CREATE_JOD');
    } finally {
      await target.stop();
      await source.destroy();
    }
  });
});
