/**
 * The read cache (src/http/readCache.ts): Show and List answers kept while the database is unchanged
 * (SQLite only). A kept answer must never outlive a write, whoever made it, and must go only to a
 * request that the full path would have answered with it: same project, same app user, a valid
 * signature from a live key.
 *
 * Whether an answer came from the cache shows in its download URLs: the full path signs them afresh
 * at every read (the test clock moves between reads), a kept answer repeats them.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { createHash } from 'node:crypto';
import path from 'node:path';
import SqliteDatabase from 'better-sqlite3';
import type { FastifyBaseLogger, FastifyReply, FastifyRequest } from 'fastify';
import { AdjustableClock } from '../../src/clock.js';
import { createReadCache, MAX_AGE_MS } from '../../src/http/readCache.js';
import { cli, parseCredential, revokeKey, createKey } from '../support/cli.js';
import { TEST_DATABASE } from '../support/database.js';
import { forceJobState } from '../support/forceJobState.js';
import { put } from '../support/pipelineFlow.js';
import { assertSdkError, createSdkClient, sdkDate, sdkError, type Json, type SdkClient } from '../support/sdkClient.js';
import { startTestServer, TEST_PROJECT_ID, type TestServer } from '../support/testServer.js';

let server: TestServer;
let sdk: SdkClient;
const CACHED = TEST_DATABASE === 'sqlite';

before(async () => {
  server = await startTestServer();
  sdk = createSdkClient(server.url);
});

after(async () => {
  await server?.destroy();
});

/** The answer without what differs on every response (the SDK's request id and status). */
function body(answer: Json): Json {
  const { httpStatusCode: _status, 'X-Request-Id': _requestId, ...rest } = answer;
  return rest;
}

/** A job with an uploaded ID card image, so that Show carries a signed download URL. */
async function jobWithDownload(name: string, appUserId?: string): Promise<string> {
  const created = await sdk.create({ name }, appUserId === undefined ? {} : { appUserId });
  await put(created.id_card_image1_upload_url as string, Buffer.from('front'));
  return created.job_id as string;
}

/** Shows the job twice with the clock moved between: true when the second answer was the kept first one. */
async function servedTwice(jobId: string): Promise<boolean> {
  const first = body(await sdk.show(jobId));
  server.clock.advance(2000);
  const second = body(await sdk.show(jobId));
  return first.id_card_image1_download_url === second.id_card_image1_download_url;
}

describe('read cache', () => {
  test('a repeated Show is served from the cache on SQLite, and from the database on PostgreSQL', async () => {
    const jobId = await jobWithDownload('cache_probe');
    assert.equal(await servedTwice(jobId), CACHED);
    const again = await sdk.show(jobId);
    assert.match(again['X-Request-Id'] as string, /^[0-9a-f]{32}$/, 'every answer has its own request id');
  });

  test('a write through the API, or any write of this process, is seen by every read after it', async () => {
    // Each check reads twice: the first read after a write also reads the access key again, the
    // second would find both the key and the answer kept.
    const showTwice = async (jobId: string) => [await sdk.show(jobId), await sdk.show(jobId)];
    const jobId = await jobWithDownload('cache_writes');
    await servedTwice(jobId);
    await forceJobState(server, jobId, 'AUTO_VERIFY_FAILED');
    for (const shown of await showTwice(jobId)) assert.equal(shown.state, 'AUTO_VERIFY_FAILED');

    const listTwice = async () => [await sdk.list({ batch_name: 'cache_list' }), await sdk.list({ batch_name: 'cache_list' })];
    for (const listed of await listTwice()) assert.equal(listed.count, 0);
    await sdk.create({ name: 'cache_listed', batch_name: 'cache_list' });
    for (const listed of await listTwice()) assert.equal(listed.count, 1, 'the kept List answer went with the write');

    await sdk.update(jobId, { name: 'cache_renamed' });
    for (const shown of await showTwice(jobId)) assert.equal(shown.name, 'cache_renamed');
    await sdk.delete(jobId);
    for (let read = 0; read < 2; read++) assertSdkError(await sdkError(sdk.show(jobId)), 404, 'MSS.20010001');
  });

  test("another process's commit is seen by the next read", { skip: !CACHED && 'the cache is on for SQLite only' }, async () => {
    const jobId = await jobWithDownload('cache_other_process');
    assert.equal(await servedTwice(jobId), true);
    const otherConnection = new SqliteDatabase(path.join(server.dataDir, 'avatarforge.sqlite'));
    try {
      otherConnection.prepare('UPDATE training_jobs SET name = ?, version = version + 1 WHERE job_id = ?').run('cache_written_elsewhere', jobId);
    } finally {
      otherConnection.close();
    }
    // data_version is read at most once a millisecond.
    await new Promise((resolve) => setTimeout(resolve, 5));
    for (let read = 0; read < 2; read++) assert.equal((await sdk.show(jobId)).name, 'cache_written_elsewhere');
  });

  test('a key revoked by the CLI is refused at once, though its answers were kept', async () => {
    const jobId = await jobWithDownload('cache_revoked_key');
    const key = await createKey(server);
    const client = createSdkClient(server.url, { ak: key.ak, sk: key.sk, projectId: TEST_PROJECT_ID });
    await client.show(jobId);
    assert.equal((await client.show(jobId)).job_id, jobId);
    await revokeKey(server, key.ak);
    assertSdkError(await sdkError(client.show(jobId)), 401, 'APIG.0301');
  });

  test("another project's key gets the error, not the kept answer of the path it names", async () => {
    const jobId = await jobWithDownload('cache_other_project');
    await sdk.show(jobId);
    await sdk.show(jobId);
    const other = parseCredential(await cli(['keys', 'create', '--data-dir', server.dataDir, '--description', 'another project']));
    const client = createSdkClient(server.url, { ak: other.ak, sk: other.sk, projectId: TEST_PROJECT_ID });
    assertSdkError(await sdkError(client.show(jobId)), 400, 'MSS.00010009');
    // Its own project in X-Project-Id, the other project in the path.
    const ownProject = createSdkClient(server.url, { ak: other.ak, sk: other.sk, projectId: other.projectId });
    assertSdkError(await sdkError(ownProject.request('GET', `/v1/${TEST_PROJECT_ID}/digital-human-training-manage/user/jobs/${jobId}`)), 400, 'MSS.00010009');
  });

  test('answers are kept per app user: another app user, an invalid X-App-UserId, a bad signature and a stale date take the full path', async () => {
    const jobId = await jobWithDownload('cache_app_user', 'user-a');
    for (let read = 0; read < 2; read++) assert.equal((await sdk.show(jobId, { appUserId: 'user-a' })).job_id, jobId);
    assertSdkError(await sdkError(sdk.show(jobId, { appUserId: 'user-b' })), 404, 'MSS.20010001');
    assertSdkError(await sdkError(sdk.show(jobId, { appUserId: 'two words' })), 400, 'MSS.00000003');
    assert.equal((await sdk.show(jobId)).job_id, jobId, 'the tenant, without an app user, sees every job');

    const wrongSecret = createSdkClient(server.url, { ak: 'AKTESTEXAMPLE0000001', sk: 'not-the-secret', projectId: TEST_PROJECT_ID });
    assertSdkError(await sdkError(wrongSecret.show(jobId, { appUserId: 'user-a' })), 401, 'APIG.0301');
    const stale = sdkDate(new Date(server.clock.now().getTime() - 20 * 60_000));
    assertSdkError(await sdkError(sdk.show(jobId, { appUserId: 'user-a', sdkDate: stale })), 401, 'APIG.0301');
  });

  test(`a kept answer is served for less than ${MAX_AGE_MS / 1000} s, so its download URLs are never older than that`, async () => {
    const jobId = await jobWithDownload('cache_age');
    const first = body(await sdk.show(jobId));
    server.clock.advance(MAX_AGE_MS);
    const later = body(await sdk.show(jobId));
    assert.notEqual(later.id_card_image1_download_url, first.id_card_image1_download_url, 'signed again');
    const expiresOf = (url: string) => Number(new URL(url).searchParams.get('expires'));
    assert.ok(expiresOf(later.id_card_image1_download_url as string) >= Math.floor(server.clock.now().getTime() / 1000) + 86_400 - 60);
  });
});

describe('read cache: the asset library', () => {
  const DAY_MS = 24 * 3600 * 1000;
  const RECYCLE_BIN_MS = 7 * DAY_MS;

  /** A call signed at the server's time, which the bin test moves days ahead. */
  const now = () => ({ sdkDate: sdkDate(server.clock.now()) });

  /** A tenant's IMAGE asset named `name` with an uploaded MAIN file (or another category), whose download URL tells a kept answer from a fresh one. */
  async function imageWithFile(name: string): Promise<string> {
    const assetId = (await sdk.createAsset({ asset_name: name, asset_type: 'IMAGE' })).asset_id as string;
    await uploadFile(assetId, 'MAIN');
    return assetId;
  }

  async function uploadFile(assetId: string, category: string): Promise<string> {
    const bytes = Buffer.from(`${category} bytes of ${assetId}`);
    const file_md5 = createHash('md5').update(bytes).digest('base64');
    const created = await sdk.createFile({ file_name: `${category}.png`, file_md5, file_size: bytes.length, file_type: 'png', asset_id: assetId, asset_file_category: category });
    await put(created.upload_url as string, bytes);
    await sdk.confirmFileUpload(created.file_id as string, { state: 'CREATED' });
    return created.file_id as string;
  }

  /** Each read twice: the first after a write takes the full path, the second may be the kept answer. */
  const showTwice = async (assetId: string) => [await sdk.showAsset(assetId, now()), await sdk.showAsset(assetId, now())];
  const listTwice = async (query: Json) => [await sdk.listAssets(query, now()), await sdk.listAssets(query, now())];
  const urlsOf = (asset: Json) => (asset.files as Json[]).map((file) => file.download_url);

  test('ShowAsset and ListAssets are kept on SQLite, and no kept answer outlives an update, a file change, a delete, a restore or a delete for good', async () => {
    const query = { name: 'cache_asset_', sort_dir: 'desc' };
    const assetId = await imageWithFile('cache_asset_one');

    // Kept: a second read, 2 s later, repeats the first one's signed URLs.
    const shown = await sdk.showAsset(assetId);
    const listed = await sdk.listAssets(query);
    server.clock.advance(2000);
    assert.equal(urlsOf(await sdk.showAsset(assetId))[0] === urlsOf(shown)[0], CACHED);
    assert.equal(urlsOf((await sdk.listAssets(query)).assets[0])[0] === urlsOf(listed.assets[0])[0], CACHED);

    await sdk.updateAsset(assetId, { asset_name: 'cache_asset_renamed', tags: ['kept'] });
    for (const again of await showTwice(assetId)) assert.deepEqual([again.asset_name, again.tags], ['cache_asset_renamed', ['kept']]);
    for (const again of await listTwice(query)) assert.deepEqual(again.assets.map((asset: Json) => asset.asset_name), ['cache_asset_renamed']);

    const coverId = await uploadFile(assetId, 'COVER');
    for (const again of await showTwice(assetId)) assert.deepEqual(again.files.map((file: Json) => file.asset_file_category), ['MAIN', 'COVER']);
    await sdk.deleteFile(coverId);
    for (const again of await listTwice(query)) assert.deepEqual(again.assets[0].files.map((file: Json) => file.asset_file_category), ['MAIN']);

    await sdk.updateAsset(assetId, { asset_state: 'UNACTIVED' });
    for (const again of await showTwice(assetId)) assert.equal(again.asset_state, 'UNACTIVED');
    await sdk.deleteAsset(assetId);
    for (const again of await showTwice(assetId)) assert.equal(again.asset_state, 'DELETING');
    for (const again of await listTwice({ ...query, asset_state: 'DELETING' })) assert.equal(again.count, 1);
    await sdk.restoreAsset(assetId);
    for (const again of await showTwice(assetId)) assert.equal(again.asset_state, 'UNACTIVED');
    for (const again of await listTwice({ ...query, asset_state: 'DELETING' })) assert.equal(again.count, 0);

    const other = await imageWithFile('cache_asset_two');
    for (const again of await listTwice(query)) assert.deepEqual(again.assets.map((asset: Json) => asset.asset_id), [other, assetId], 'a new asset is listed at once');
    await sdk.deleteAsset(assetId, { mode: 'force' });
    for (let read = 0; read < 2; read++) assertSdkError(await sdkError(sdk.showAsset(assetId)), 404, 'MSS.10001001');
    for (const again of await listTwice(query)) assert.deepEqual([again.count, again.assets.map((asset: Json) => asset.asset_id)], [1, [other]]);
  });

  test('an asset whose 7 days in the recycle bin run out while its answers are kept is gone from the next read: no write announces it', async () => {
    const assetId = await imageWithFile('cache_bin_aging');
    const staying = await imageWithFile('cache_bin_staying');
    const binQuery = { name: 'cache_bin_', asset_state: 'DELETING' };
    await sdk.deleteAsset(assetId);
    // 30 s before its time is up: kept answers (served for up to 60 s) would outlive it.
    const moved = RECYCLE_BIN_MS - 30_000;
    server.clock.advance(moved);
    try {
      const shown = await sdk.showAsset(assetId, now());
      assert.equal(shown.asset_state, 'DELETING');
      const listed = await sdk.listAssets(binQuery, now());
      assert.equal(listed.count, 1);
      server.clock.advance(2000);
      assert.equal(urlsOf(await sdk.showAsset(assetId, now()))[0] === urlsOf(shown)[0], CACHED, 'kept until its time is up');
      assert.equal(urlsOf((await sdk.listAssets(binQuery, now())).assets[0])[0] === urlsOf(listed.assets[0])[0], CACHED);

      server.clock.advance(30_000);
      assertSdkError(await sdkError(sdk.showAsset(assetId, now())), 404, 'MSS.10001001');
      for (const again of await listTwice(binQuery)) assert.deepEqual([again.count, again.assets], [0, []]);
      for (const again of await listTwice({ name: 'cache_bin_' })) assert.deepEqual(again.assets.map((asset: Json) => asset.asset_id), [staying]);
      assert.equal((await sdk.showAsset(staying, now())).asset_state, 'ACTIVED');
    } finally {
      server.clock.advance(-(moved + 32_000));
    }
  });
});

describe('read cache memory', () => {
  test('the answers kept fit in the memory given; the oldest make room, and one too large is not kept', async () => {
    const fromCache = () => ({ projectId: 'p', accessKey: 'AK', role: 'tenant' as const, method: 'aksk' as const });
    const authenticate = Object.assign(async () => fromCache(), { fromCache });
    const cache = createReadCache({ changeStamp: () => 'unchanged', authenticate, clock: new AdjustableClock(), maxBytes: 1000 });
    const keep = async (url: string, bytes: number) => {
      const request = { raw: { url, headers: {} }, routeOptions: { url: '/jobs' }, jobScope: { projectId: 'p' } } as unknown as FastifyRequest;
      const reply = { statusCode: 200, getHeader: () => 'W/"tag"' } as unknown as FastifyReply;
      await cache.hooks.onRequest(request);
      await cache.hooks.onSend(request, reply, 'x'.repeat(bytes));
    };
    const served = (url: string) => {
      const request = { method: 'GET', url, headers: {}, resume: () => undefined } as unknown as IncomingMessage;
      const response = { writeHead: () => undefined, end: () => undefined } as unknown as ServerResponse;
      return cache.serve(request, response, { level: 'silent' } as FastifyBaseLogger);
    };
    await keep('/a', 400);
    await keep('/b', 400);
    assert.deepEqual([served('/a'), served('/b')], [true, true]);
    await keep('/c', 400);
    assert.deepEqual([served('/a'), served('/b'), served('/c')], [false, true, true], 'the oldest answer made room');
    await keep('/d', 1001);
    assert.deepEqual([served('/b'), served('/c'), served('/d')], [true, true, false], 'too large to keep');
  });
});
