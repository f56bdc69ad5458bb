import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import crypto from 'node:crypto';
import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import { forceJobState } from '../support/forceJobState.js';
import { startTestServer, type TestServer } from '../support/testServer.js';
import { createSdkClient, HEX32, sdkError, type SdkClient } from '../support/sdkClient.js';

const DAY_MS = 24 * 3600 * 1000;

async function put(url: string, body: Buffer): Promise<Response> {
  return fetch(url, { method: 'PUT', body: new Uint8Array(body), headers: { 'Content-Type': 'application/octet-stream' } });
}

function md5(bytes: Buffer): string {
  return crypto.createHash('md5').update(bytes).digest('hex');
}

/** Sends the headers and part of a body, then cuts the connection, as a client that dies mid-upload. */
function interruptedPut(url: string, declaredLength: number, sent: Buffer): Promise<void> {
  return new Promise((resolve) => {
    const request = http.request(url, { method: 'PUT', headers: { 'Content-Length': String(declaredLength) } });
    request.on('error', () => resolve());
    request.write(sent, () => setTimeout(() => {
      request.destroy();
      resolve();
    }, 50));
  });
}

describe('uploads, multipart assembly and downloads', () => {
  let server: TestServer;
  let sdk: SdkClient;
  before(async () => {
    server = await startTestServer();
    sdk = createSdkClient(server.url);
  });
  after(() => server.destroy());

  test('a two-part training video uploads, reports its parts, assembles and downloads byte for byte', async () => {
    const created = await sdk.create({ name: 'two-parts', video_multipart_count: 2 });
    const partUrls = created.training_video_upload_url as string[];
    assert.equal(partUrls.length, 2);
    const part1 = crypto.randomBytes(300_000);
    const part2 = crypto.randomBytes(123_457);

    const response2 = await put(partUrls[1]!, part2);
    assert.equal(response2.status, 200);
    assert.equal(response2.headers.get('etag'), `"${md5(part2)}"`);
    assert.match(response2.headers.get('x-request-id') ?? '', HEX32);

    const partial = await sdk.command(created.job_id as string, { command: 'GET_MULTIPART_UPLOADED' });
    assert.deepEqual(partial.multipart_data, [{ part_number: '2', etag: `"${md5(part2)}"` }]);

    const incomplete = await sdkError(sdk.command(created.job_id as string, { command: 'CONFIRM_MULTIPART_UPLOADED' }));
    assert.equal(incomplete.httpStatusCode, 400);
    assert.equal(incomplete.errorCode, 'MSS.20010004');
    assert.match(incomplete.errorMsg ?? '', /1 of 2/);

    assert.equal((await put(partUrls[0]!, part1)).status, 200);
    const both = await sdk.command(created.job_id as string, { command: 'GET_MULTIPART_UPLOADED' });
    assert.deepEqual(both.multipart_data, [
      { part_number: '1', etag: `"${md5(part1)}"` },
      { part_number: '2', etag: `"${md5(part2)}"` },
    ]);

    const confirmed = await sdk.command(created.job_id as string, { command: 'CONFIRM_MULTIPART_UPLOADED' });
    assert.equal(confirmed.commond_result, 'EXCUTE_SUCCESS');
    const again = await sdk.command(created.job_id as string, { command: 'CONFIRM_MULTIPART_UPLOADED' });
    assert.equal(again.commond_result, 'EXCUTE_SUCCESS', 'confirming twice changes nothing');

    const shown = await sdk.show(created.job_id as string);
    const downloadUrl = shown.training_video_download_url as string;
    assert.ok(downloadUrl.startsWith(server.url), downloadUrl);
    const expires = Number(new URL(downloadUrl).searchParams.get('expires')) * 1000;
    const validFor = expires - server.clock.now().getTime();
    assert.ok(validFor > DAY_MS - 5000 && validFor <= DAY_MS, `download URL valid ${validFor} ms, expected 24 h`);

    const download = await fetch(downloadUrl);
    assert.equal(download.status, 200);
    assert.equal(download.headers.get('content-length'), String(part1.length + part2.length));
    const bytes = Buffer.from(await download.arrayBuffer());
    assert.ok(bytes.equals(Buffer.concat([part1, part2])), 'the assembled video is the parts in order');

    const ranged = await fetch(downloadUrl, { headers: { Range: 'bytes=299990-300009' } });
    assert.equal(ranged.status, 206);
    assert.equal(ranged.headers.get('content-range'), `bytes 299990-300009/${part1.length + part2.length}`);
    assert.ok(Buffer.from(await ranged.arrayBuffer()).equals(Buffer.concat([part1, part2]).subarray(299990, 300010)));

    const afterConfirm = await sdk.command(created.job_id as string, { command: 'GET_MULTIPART_UPLOADED' });
    assert.deepEqual(afterConfirm.multipart_data, [], 'the parts are gone once assembled');
  });

  test('an upload URL is single-use: a second PUT to it is refused and the first file stays', async () => {
    const created = await sdk.create({ name: 'single-use' });
    const first = Buffer.from('front of the ID card');
    assert.equal((await put(created.id_card_image1_upload_url as string, first)).status, 200);
    const second = await put(created.id_card_image1_upload_url as string, Buffer.from('something else'));
    assert.equal(second.status, 403);
    assert.deepEqual(await second.json(), { error_code: 'MSS.20020003', error_msg: 'Upload URL already used' });
    const shown = await sdk.show(created.job_id as string);
    const stored = Buffer.from(await (await fetch(shown.id_card_image1_download_url as string)).arrayBuffer());
    assert.ok(stored.equals(first));
  });

  test('a tampered URL is refused with 403, whether signature, expiry or path was changed', async () => {
    const created = await sdk.create({ name: 'tamper' });
    const url = new URL(created.grant_file_upload_url as string);
    const signature = url.searchParams.get('signature')!;

    const badSignature = new URL(url);
    badSignature.searchParams.set('signature', (signature[0] === 'a' ? 'b' : 'a') + signature.slice(1));
    const laterExpiry = new URL(url);
    laterExpiry.searchParams.set('expires', String(Number(url.searchParams.get('expires')) + 3600));
    const otherSlot = new URL(url);
    otherSlot.pathname = otherSlot.pathname.replace(/[0-9a-f]$/, (digit) => (digit === '0' ? '1' : '0'));
    const noSignature = new URL(url);
    noSignature.searchParams.delete('signature');

    for (const tampered of [badSignature, laterExpiry, otherSlot, noSignature]) {
      const response = await put(tampered.toString(), Buffer.from('x'));
      assert.equal(response.status, 403, tampered.toString());
      assert.equal(((await response.json()) as { error_code: string }).error_code, 'MSS.20020001');
    }
    assert.equal((await put(url.toString(), Buffer.from('the letter'))).status, 200, 'the untouched URL still works');

    const shown = await sdk.show(created.job_id as string);
    const download = new URL(shown.grant_file_download_url as string);
    download.pathname = download.pathname.replace('grant_file', 'id_card_image1');
    const response = await fetch(download);
    assert.equal(response.status, 403);
    assert.equal(((await response.json()) as { error_code: string }).error_code, 'MSS.20020001');
  });

  test('an interrupted upload leaves no part and no file behind, and its URL can be used again', async () => {
    const created = await sdk.create({ name: 'interrupted' });
    const url = (created.training_video_upload_url as string[])[0]!;
    await interruptedPut(url, 1_000_000, crypto.randomBytes(200_000));
    // Wait until the server has noticed the cut connection and cleaned up its temporary file.
    const tmpDir = path.join(server.dataDir, 'blobs', 'tmp');
    for (let attempt = 0; attempt < 100 && fs.readdirSync(tmpDir).length > 0; attempt++) {
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    assert.deepEqual(fs.readdirSync(tmpDir), [], 'no temporary file left');
    const parts = await sdk.command(created.job_id as string, { command: 'GET_MULTIPART_UPLOADED' });
    assert.deepEqual(parts.multipart_data, []);
    const jobDir = path.join(server.dataDir, 'blobs', 'objects', 'jobs', created.job_id as string);
    assert.equal(fs.existsSync(jobDir), false, 'nothing visible in storage');

    const whole = crypto.randomBytes(1_000_000);
    assert.equal((await put(url, whole)).status, 200, 'the URL was not used up by the failed attempt');
  });

  test('Update re-issues upload URLs: the old unused ones stop working, the new ones work', async () => {
    const created = await sdk.create({ name: 'reissue' });
    await forceJobState(server, created.job_id as string, 'AUTO_VERIFY_FAILED');
    const updated = await sdk.update(created.job_id as string, { command_message: 'UPDATE_VIDEO', video_multipart_count: 3 });
    assert.equal((updated.training_video_upload_url as string[]).length, 3);
    const oldUrl = (created.training_video_upload_url as string[])[0]!;
    assert.equal((await put(oldUrl, Buffer.from('old'))).status, 403);
    assert.equal((await put((updated.training_video_upload_url as string[])[2]!, Buffer.from('new'))).status, 200);
    const parts = await sdk.command(created.job_id as string, { command: 'GET_MULTIPART_UPLOADED' });
    assert.deepEqual((parts.multipart_data as Array<{ part_number: string }>).map((part) => part.part_number), ['3']);
  });

  test('deleting a job deletes its files: storage is emptied and download URLs answer 404', async () => {
    const created = await sdk.create({ name: 'to-delete' });
    assert.equal((await put((created.training_video_upload_url as string[])[0]!, crypto.randomBytes(5000))).status, 200);
    await sdk.command(created.job_id as string, { command: 'CONFIRM_MULTIPART_UPLOADED' });
    assert.equal((await put(created.id_card_image2_upload_url as string, Buffer.from('back'))).status, 200);
    const shown = await sdk.show(created.job_id as string);
    const jobDir = path.join(server.dataDir, 'blobs', 'objects', 'jobs', created.job_id as string);
    assert.equal(fs.existsSync(jobDir), true);

    const deleted = await sdk.delete(created.job_id as string);
    assert.equal(deleted.httpStatusCode, 200);
    assert.match(deleted['X-Request-Id'] as string, HEX32);
    assert.equal(fs.existsSync(jobDir), false, 'the job folder is gone');
    for (const url of [shown.training_video_download_url, shown.id_card_image2_download_url] as string[]) {
      const response = await fetch(url);
      assert.equal(response.status, 404);
      assert.equal(((await response.json()) as { error_code: string }).error_code, 'MSS.10001004');
    }
  });
});

describe('URL expiry (the test moves the server clock)', () => {
  let server: TestServer;
  let sdk: SdkClient;
  before(async () => {
    server = await startTestServer();
    sdk = createSdkClient(server.url);
  });
  after(() => server.destroy());

  test('download URLs expire after 24 hours and upload URLs when their time is up', async () => {
    const created = await sdk.create({ name: 'expiry' });
    assert.equal((await put(created.cover_upload_url as string, Buffer.from('cover'))).status, 200);
    const shown = await sdk.show(created.job_id as string);
    const coverUrl = shown.cover_download_url as string;
    assert.equal((await fetch(coverUrl)).status, 200);

    server.clock.advance(DAY_MS - 60_000);
    assert.equal((await fetch(coverUrl)).status, 200, 'still valid a minute before 24 hours');
    server.clock.advance(61_000);
    const expired = await fetch(coverUrl);
    assert.equal(expired.status, 403);
    assert.deepEqual(await expired.json(), { error_code: 'MSS.20020002', error_msg: 'URL expired' });

    const expiredUpload = await put(created.grant_file_upload_url as string, Buffer.from('late'));
    assert.equal(expiredUpload.status, 403);
    assert.equal(((await expiredUpload.json()) as { error_code: string }).error_code, 'MSS.20020002');
  });
});

describe('upload size limit', () => {
  let server: TestServer;
  before(async () => {
    server = await startTestServer({ env: { AVATARFORGE_MAX_UPLOAD_BYTES: '1024' } });
  });
  after(() => server.destroy());

  test('a body over AVATARFORGE_MAX_UPLOAD_BYTES is refused with 413 and not stored', async () => {
    const sdk = createSdkClient(server.url);
    const created = await sdk.create({ name: 'too-big' });
    const response = await put(created.cover_upload_url as string, crypto.randomBytes(4096));
    assert.equal(response.status, 413);
    assert.equal(((await response.json()) as { error_code: string }).error_code, 'MSS.20020004');
    const shown = await sdk.show(created.job_id as string);
    assert.equal(shown.cover_download_url, undefined);
    assert.equal((await put(created.cover_upload_url as string, crypto.randomBytes(1024))).status, 200, 'a body at the limit is fine');
  });
});

describe('slow and stalled downloads', () => {
  let server: TestServer;
  let sdk: SdkClient;
  before(async () => {
    server = await startTestServer({ env: { AVATARFORGE_DOWNLOAD_IDLE_TIMEOUT_SECONDS: '2' } });
    sdk = createSdkClient(server.url);
  });
  after(() => server.destroy());

  /** A training video of `bytes` random bytes, uploaded; its download URL. */
  async function uploaded(name: string, bytes: Buffer): Promise<string> {
    const created = await sdk.create({ name, video_multipart_count: 1 });
    assert.equal((await put((created.training_video_upload_url as string[])[0]!, bytes)).status, 200);
    await sdk.command(created.job_id as string, { command: 'CONFIRM_MULTIPART_UPLOADED' });
    return (await sdk.show(created.job_id as string)).training_video_download_url as string;
  }

  test('a reader throttled to 1 MB/s gets the whole file, for longer than the idle limit', { timeout: 60_000 }, async () => {
    const bytes = crypto.randomBytes(6 * 1024 * 1024);
    const url = await uploaded('slow-reader', bytes);
    const started = Date.now();
    const received = await new Promise<Buffer>((resolve, reject) => {
      http.get(url, (response) => {
        const chunks: Buffer[] = [];
        let total = 0;
        response.on('data', (chunk: Buffer) => {
          chunks.push(chunk);
          total += chunk.length;
          // Ahead of 1 MB/s: wait until the schedule catches up.
          const ahead = total / (1024 * 1024) - (Date.now() - started) / 1000;
          if (ahead > 0) {
            response.pause();
            setTimeout(() => response.resume(), ahead * 1000);
          }
        });
        response.on('end', () => resolve(Buffer.concat(chunks)));
        response.on('error', reject);
      }).on('error', reject);
    });
    assert.ok(Date.now() - started > 4000, 'the reader was slow');
    assert.equal(md5(received), md5(bytes));
  });

  test('a reader that stops reading is cut off after the idle limit', { timeout: 60_000 }, async () => {
    // More than the loopback's socket buffers hold, so that the server has to wait for the reader.
    const url = await uploaded('stalled-reader', crypto.randomBytes(48 * 1024 * 1024));
    const ended = await new Promise<{ received: number; complete: boolean }>((resolve) => {
      http.get(url, (response) => {
        let received = 0;
        response.on('data', (chunk: Buffer) => {
          received += chunk.length;
          if (received > 1024 * 1024) response.pause(); // and never again
        });
        response.on('close', () => resolve({ received, complete: response.complete }));
      }).on('error', () => undefined);
    });
    assert.equal(ended.complete, false, `cut off after ${ended.received} bytes`);
  });
});
