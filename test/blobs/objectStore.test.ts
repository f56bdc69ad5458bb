/**
 * The S3-compatible object store, against a real MinIO server on loopback: the blob store itself,
 * and the API with the store's own presigned URLs (single files, multipart videos, downloads,
 * expiry, deletion). Skipped, with the reason, where MinIO is not installed, unless
 * AVATARFORGE_TEST_REQUIRE_MINIO=1 (CI) makes that a failure.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import crypto from 'node:crypto';
import { Readable } from 'node:stream';
import { ListMultipartUploadsCommand, ListObjectsV2Command, S3Client, UploadPartCommand, GetObjectCommand } from '@aws-sdk/client-s3';
import { getSignedUrl } from '@aws-sdk/s3-request-presigner';
import { createS3BlobStore } from '../../src/blobs/s3BlobStore.js';
import { BlobTooLargeError } from '../../src/blobs/blobStore.js';
import { presignS3Url, type PresignTarget } from '../../src/blobs/s3Presign.js';
import type { S3Settings } from '../../src/config.js';
import type { BlobStore } from '../../src/domain/ports.js';
import { findMinioBinary, s3Environment, startMinioServer, type MinioServer } from '../../tools/minioServer.js';
import { assertSdkError, createSdkClient, sdkDate, sdkError, type SdkClient } from '../support/sdkClient.js';
import { startTestServer, TEST_ACCESS_KEY, TEST_PROJECT_ID, TEST_SECRET_KEY, type TestServer } from '../support/testServer.js';

const MIB = 1024 * 1024;
const minioMissing =
  findMinioBinary() === undefined && process.env.AVATARFORGE_TEST_REQUIRE_MINIO !== '1'
    ? 'MinIO is not installed (go install github.com/minio/minio@latest, or AVATARFORGE_MINIO_BIN)'
    : false;

describe('presigned URLs', () => {
  const target: PresignTarget = {
    endpoint: 'http://127.0.0.1:9000',
    bucket: 'media',
    region: 'cn-north-4',
    accessKeyId: 'AKIDEXAMPLE',
    secretAccessKey: 'wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY',
    forcePathStyle: true,
  };
  const sdk = new S3Client({
    endpoint: target.endpoint,
    region: target.region,
    forcePathStyle: true,
    credentials: { accessKeyId: target.accessKeyId, secretAccessKey: target.secretAccessKey },
  });
  const signedAt = new Date('2026-11-25T10:00:00Z');
  const SIGNING_PARAMETERS = ['X-Amz-Algorithm', 'X-Amz-Credential', 'X-Amz-Date', 'X-Amz-Expires', 'X-Amz-SignedHeaders', 'X-Amz-Signature'];

  /** Signs what the AWS SDK signed (its extra parameters included) and expects the same signature and parameters. */
  function assertSameAsSdk(sdkUrl: string, method: 'GET' | 'PUT', key: string): void {
    const expected = new URL(sdkUrl);
    const extra = Object.fromEntries([...expected.searchParams].filter(([name]) => !SIGNING_PARAMETERS.includes(name)));
    const ours = new URL(presignS3Url(target, { method, key, query: extra, signedAt, expiresInSeconds: 86400 }));
    assert.equal(ours.origin + ours.pathname, expected.origin + expected.pathname);
    assert.deepEqual(Object.fromEntries(ours.searchParams), Object.fromEntries(expected.searchParams));
  }

  test('a GET is signed exactly as the AWS SDK presigner signs it', async () => {
    const key = 'jobs/0f/files/training_video/a b+c';
    assertSameAsSdk(await getSignedUrl(sdk, new GetObjectCommand({ Bucket: 'media', Key: key }), { expiresIn: 86400, signingDate: signedAt }), 'GET', key);
  });

  test('a multipart part PUT is signed exactly as the AWS SDK presigner signs it', async () => {
    const key = 'jobs/0f/files/training_video/1';
    const command = new UploadPartCommand({ Bucket: 'media', Key: key, UploadId: 'id+with/odd=chars', PartNumber: 3 });
    assertSameAsSdk(await getSignedUrl(sdk, command, { expiresIn: 86400, signingDate: signedAt }), 'PUT', key);
  });

  test('virtual-hosted style puts the bucket in the host name', () => {
    const hosted = { ...target, endpoint: 'https://obs.cn-north-4.example.com', forcePathStyle: false };
    const url = new URL(presignS3Url(hosted, { method: 'GET', key: 'a/b', signedAt, expiresInSeconds: 60 }));
    assert.equal(url.host, 'media.obs.cn-north-4.example.com');
    assert.equal(url.pathname, '/a/b');
  });
});

describe('S3-compatible object store (MinIO)', { skip: minioMissing }, () => {
  let minio: MinioServer;
  let s3: S3Settings;
  let store: BlobStore;
  let admin: S3Client;

  before(async () => {
    minio = await startMinioServer();
    s3 = minio.s3('blobs');
    store = await createS3BlobStore(s3);
    admin = new S3Client({
      endpoint: s3.endpoint,
      region: s3.region,
      forcePathStyle: true,
      credentials: { accessKeyId: s3.accessKeyId, secretAccessKey: s3.secretAccessKey },
    });
  });
  after(async () => {
    await minio?.stop();
  });

  const md5 = (bytes: Buffer) => crypto.createHash('md5').update(bytes).digest('hex');
  const readAll = async (stream: Readable) => Buffer.concat(await stream.toArray());
  const keysUnder = async (bucket: string, prefix: string) =>
    ((await admin.send(new ListObjectsV2Command({ Bucket: bucket, Prefix: prefix }))).Contents ?? []).map((object) => object.Key!);

  test('put streams a body of unknown length (several parts) and read returns it whole or by range', async () => {
    const bytes = crypto.randomBytes(11 * MIB + 17);
    const stored = await store.put('t/put/video', Readable.from([bytes.subarray(0, 3 * MIB), bytes.subarray(3 * MIB)]), 64 * MIB);
    assert.deepEqual(stored, { size: bytes.length, md5: md5(bytes) });
    assert.equal(await store.size('t/put/video'), bytes.length);
    const whole = await store.read('t/put/video');
    assert.ok(whole);
    assert.ok((await readAll(whole.stream)).equals(bytes));
    const range = await store.read('t/put/video', { start: 5, end: 1004 });
    assert.ok(range);
    assert.equal(range.size, 1000);
    assert.ok((await readAll(range.stream)).equals(bytes.subarray(5, 1005)));
    assert.equal(await store.read('t/put/missing'), undefined);
    assert.equal(await store.size('t/put/missing'), undefined);
  });

  test('a body over the limit, or one that breaks off, leaves no object and no open upload', async () => {
    await assert.rejects(store.put('t/limit/big', Readable.from([crypto.randomBytes(7 * MIB)]), 6 * MIB), BlobTooLargeError);
    const broken = new Readable({ read() {} });
    broken.push(crypto.randomBytes(6 * MIB));
    setTimeout(() => broken.destroy(new Error('connection reset')), 50);
    await assert.rejects(store.put('t/limit/broken', broken, 64 * MIB));
    assert.deepEqual(await keysUnder('blobs', 't/limit/'), []);
    const open = await admin.send(new ListMultipartUploadsCommand({ Bucket: 'blobs', Prefix: 't/limit/' }));
    assert.deepEqual(open.Uploads ?? [], []);
  });

  test('concat joins blobs in order; deletePrefix removes objects and open multipart uploads under the prefix', async () => {
    const parts = [crypto.randomBytes(1000), crypto.randomBytes(2000), crypto.randomBytes(3)];
    for (const [index, part] of parts.entries()) await store.put(`t/concat/part-${index}`, Readable.from([part]), MIB);
    const joined = await store.concat(['t/concat/part-0', 't/concat/part-1', 't/concat/part-2'], 't/concat/whole');
    assert.deepEqual(joined, { size: 3003, md5: md5(Buffer.concat(parts)) });
    await store.direct!.openMultipart('t/concat/unfinished', 'video/mp4');
    await store.deletePrefix('t/concat/');
    assert.deepEqual(await keysUnder('blobs', 't/concat/'), []);
    const open = await admin.send(new ListMultipartUploadsCommand({ Bucket: 'blobs', Prefix: 't/concat/' }));
    assert.deepEqual(open.Uploads ?? [], []);
  });

  describe('the API on the object store', () => {
    let server: TestServer;
    let sdk: SdkClient;
    const bucket = 'api-jobs';

    before(async () => {
      server = await startTestServer({ env: { ...s3Environment(minio.s3(bucket)), AVATARFORGE_REQUIRE_IDENTITY_FILES: 'false' } });
      sdk = createSdkClient(server.url);
    });
    after(async () => {
      await server?.destroy();
    });

    const put = async (url: string, bytes: Buffer) => {
      const response = await fetch(url, { method: 'PUT', body: new Uint8Array(bytes) });
      assert.equal(response.status, 200, await response.text());
      return response.headers.get('etag');
    };

    test('Create hands out the store presigned URLs; parts go to a multipart upload the commands report and complete', async () => {
      const created = await sdk.create({ name: 's3_multipart', video_multipart_count: 2 });
      const jobId = created.job_id as string;
      const partUrls = created.training_video_upload_url as string[];
      assert.equal(partUrls.length, 2);
      for (const [index, url] of partUrls.entries()) {
        const parsed = new URL(url);
        assert.equal(parsed.origin, new URL(s3Environment(minio.s3(bucket)).AVATARFORGE_S3_ENDPOINT!).origin);
        assert.match(parsed.pathname, new RegExp(`^/${bucket}/jobs/${jobId}/files/training_video/`));
        assert.equal(parsed.searchParams.get('partNumber'), String(index + 1));
        assert.ok(parsed.searchParams.get('uploadId'));
      }
      const first = crypto.randomBytes(5 * MIB);
      const second = crypto.randomBytes(123_457);
      await put(partUrls[1]!, second);
      const listed = await sdk.command(jobId, { command: 'GET_MULTIPART_UPLOADED' });
      assert.deepEqual(listed.multipart_data, [{ part_number: '2', etag: `"${md5(second)}"` }]);
      assertSdkError(await sdkError(sdk.command(jobId, { command: 'CONFIRM_MULTIPART_UPLOADED' })), 400, 'MSS.20010004');

      await put(partUrls[0]!, first);
      const both = await sdk.command(jobId, { command: 'GET_MULTIPART_UPLOADED' });
      assert.deepEqual(both.multipart_data, [
        { part_number: '1', etag: `"${md5(first)}"` },
        { part_number: '2', etag: `"${md5(second)}"` },
      ]);
      await sdk.command(jobId, { command: 'CONFIRM_MULTIPART_UPLOADED' });
      await sdk.command(jobId, { command: 'CONFIRM_MULTIPART_UPLOADED' }); // confirming again changes nothing

      const shown = await sdk.show(jobId);
      const download = new URL(shown.training_video_download_url as string);
      assert.match(download.pathname, new RegExp(`^/${bucket}/jobs/${jobId}/files/training_video/`));
      assert.equal(download.searchParams.get('X-Amz-Expires'), '86400');
      const fetched = await fetch(download);
      assert.equal(fetched.status, 200);
      assert.ok(Buffer.from(await fetched.arrayBuffer()).equals(Buffer.concat([first, second])));

      await sdk.command(jobId, { command: 'SUBMITVERIFYING' });
      assert.equal((await sdk.show(jobId)).state, 'AUTO_VERIFYING');
    });

    test('a single file PUT to its presigned URL shows up in Show and counts for SUBMITVERIFYING', async () => {
      const created = await sdk.create({ name: 's3_single', video_multipart_count: 1, audio_source_type: 'AUDIO' });
      const jobId = created.job_id as string;
      const video = crypto.randomBytes(300_000);
      await put((created.training_video_upload_url as string[])[0]!, video);
      await sdk.command(jobId, { command: 'CONFIRM_MULTIPART_UPLOADED' });
      assertSdkError(await sdkError(sdk.command(jobId, { command: 'SUBMITVERIFYING' })), 400, 'MSS.20010003');

      const audio = crypto.randomBytes(4096);
      const audioUrl = new URL(created.audio_upload_url as string);
      assert.equal(audioUrl.searchParams.get('X-Amz-SignedHeaders'), 'host');
      await put(audioUrl.toString(), audio);
      const shown = await sdk.show(jobId);
      assert.ok(shown.audio_file_download_url, 'Show lists the audio uploaded straight to the store');
      assert.ok(Buffer.from(await (await fetch(shown.audio_file_download_url as string)).arrayBuffer()).equals(audio));
      await sdk.command(jobId, { command: 'SUBMITVERIFYING' });
    });

    test('parts under the store minimum (5 MiB, all but the last) are refused at CONFIRM with 400 MSS.20010007', async () => {
      const created = await sdk.create({ name: 's3_small_parts', video_multipart_count: 2 });
      const [first, second] = created.training_video_upload_url as string[];
      await put(first!, crypto.randomBytes(1000));
      await put(second!, crypto.randomBytes(1000));
      const error = await sdkError(sdk.command(created.job_id as string, { command: 'CONFIRM_MULTIPART_UPLOADED' }));
      assertSdkError(error, 400, 'MSS.20010007');
    });

    test('Show answers 304 to its own ETag although every read signs fresh store URLs', async () => {
      const created = await sdk.create({ name: 's3_etag', video_multipart_count: 1 });
      const jobId = created.job_id as string;
      await put((created.training_video_upload_url as string[])[0]!, crypto.randomBytes(2000));
      await sdk.command(jobId, { command: 'CONFIRM_MULTIPART_UPLOADED' });
      const tokens = await fetch(`${server.url}/v3/auth/tokens`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify({
          auth: { identity: { methods: ['password'], password: { user: { name: TEST_ACCESS_KEY, password: TEST_SECRET_KEY, domain: { name: 'any' } } } } },
        }),
      });
      const headers = { 'X-Auth-Token': tokens.headers.get('x-subject-token')! };
      const showUrl = `${server.url}/v1/${TEST_PROJECT_ID}/digital-human-training-manage/user/jobs/${jobId}`;
      const first = await fetch(showUrl, { headers });
      assert.match(((await first.json()) as { training_video_download_url: string }).training_video_download_url, /X-Amz-Signature=/);
      await new Promise((resolve) => setTimeout(resolve, 1100)); // the next read signs at another second
      const again = await fetch(showUrl, { headers: { ...headers, 'If-None-Match': first.headers.get('etag')! } });
      assert.equal(again.status, 304);
    });

    test('the store refuses a tampered download URL and one past its 24 hours', async () => {
      const created = await sdk.create({ name: 's3_expiry', video_multipart_count: 1 });
      const jobId = created.job_id as string;
      await put((created.training_video_upload_url as string[])[0]!, crypto.randomBytes(2000));
      await sdk.command(jobId, { command: 'CONFIRM_MULTIPART_UPLOADED' });
      const url = new URL((await sdk.show(jobId)).training_video_download_url as string);
      const signature = url.searchParams.get('X-Amz-Signature')!;
      url.searchParams.set('X-Amz-Signature', (signature[0] === 'a' ? 'b' : 'a') + signature.slice(1));
      assert.equal((await fetch(url)).status, 403);

      // A URL handed out 25 hours ago (the server's clock set back) has expired at the store.
      server.clock.advance(-25 * 3600 * 1000);
      try {
        const old = (await sdk.show(jobId, { sdkDate: sdkDate(server.clock.now()) })).training_video_download_url as string;
        const refused = await fetch(old);
        assert.equal(refused.status, 403);
        assert.match(await refused.text(), /expired/i);
      } finally {
        server.clock.resetOffset();
      }
    });

    test('Delete removes the job objects and its open multipart uploads from the bucket', async () => {
      const created = await sdk.create({ name: 's3_delete', video_multipart_count: 2, audio_source_type: 'AUDIO' });
      const jobId = created.job_id as string;
      await put((created.training_video_upload_url as string[])[0]!, crypto.randomBytes(5 * MIB));
      await put(created.audio_upload_url as string, crypto.randomBytes(100));
      assert.equal((await keysUnder(bucket, `jobs/${jobId}/`)).length, 1);
      await sdk.delete(jobId);
      assert.deepEqual(await keysUnder(bucket, `jobs/${jobId}/`), []);
      const open = await admin.send(new ListMultipartUploadsCommand({ Bucket: bucket, Prefix: `jobs/${jobId}/` }));
      assert.deepEqual(open.Uploads ?? [], []);
    });
  });
});
