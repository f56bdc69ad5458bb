/**
 * Conditional reads: every 200 answer to a GET of the API carries a weak ETag of its body (signed
 * URLs left out), and If-None-Match with it answers 304 without a body while nothing changed: the
 * web console polls its lists and jobs this way.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createSdkClient, type SdkClient } from '../support/sdkClient.js';
import { startTestServer, TEST_ACCESS_KEY, TEST_PROJECT_ID, TEST_SECRET_KEY, type TestServer } from '../support/testServer.js';

let server: TestServer;
let sdk: SdkClient;
let token: string;

before(async () => {
  server = await startTestServer();
  sdk = createSdkClient(server.url);
  const response = await fetch(`${server.url}/v3/auth/tokens`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ auth: { identity: { methods: ['password'], password: { user: { name: TEST_ACCESS_KEY, password: TEST_SECRET_KEY } } } } }),
  });
  token = response.headers.get('x-subject-token')!;
});

after(async () => {
  await server?.destroy();
});

describe('conditional reads (ETag, If-None-Match)', () => {
  const listPath = `/v1/${TEST_PROJECT_ID}/digital-human-training-manage/user/jobs?limit=5`;
  const get = (url: string, etag?: string) =>
    fetch(`${server.url}${url}`, { headers: { 'X-Auth-Token': token, ...(etag && { 'If-None-Match': etag }) } });

  test('List answers a weak ETag; the same ETag back answers 304 without a body until a job changes', async () => {
    const first = await get(listPath);
    assert.equal(first.status, 200);
    const etag = first.headers.get('etag')!;
    assert.match(etag, /^W\/"[\w-]+"$/);

    const unchanged = await get(listPath, etag);
    assert.equal(unchanged.status, 304);
    assert.equal(await unchanged.text(), '');
    assert.equal(unchanged.headers.get('etag'), etag);
    assert.match(unchanged.headers.get('x-request-id')!, /^[0-9a-f]{32}$/);
    assert.equal((await get(listPath, `"other", ${etag}`)).status, 304, 'one of several tags');

    await sdk.create({ name: 'etag_changes_the_list' });
    const changed = await get(listPath, etag);
    assert.equal(changed.status, 200);
    assert.notEqual(changed.headers.get('etag'), etag);
    assert.equal(((await changed.json()) as { count: number }).count, 1);
  });

  test('Show keeps its ETag while only the signed URLs move on (they are signed afresh on every read)', async () => {
    const created = await sdk.create({ name: 'etag_show' });
    const jobId = created.job_id as string;
    await fetch((created.id_card_image1_upload_url as string), { method: 'PUT', body: 'front' });
    const showPath = `/v1/${TEST_PROJECT_ID}/digital-human-training-manage/user/jobs/${jobId}`;
    const first = await get(showPath);
    const firstUrl = ((await first.json()) as { id_card_image1_download_url: string }).id_card_image1_download_url;
    server.clock.advance(5000);
    const later = await get(showPath);
    const laterUrl = ((await later.json()) as { id_card_image1_download_url: string }).id_card_image1_download_url;
    assert.notEqual(laterUrl, firstUrl, 'the URL is signed again, with a later expiry');
    assert.equal(later.headers.get('etag'), first.headers.get('etag'));
    assert.equal((await get(showPath, first.headers.get('etag')!)).status, 304);
  });

  test('errors and writes carry no ETag', async () => {
    const missing = await get(`/v1/${TEST_PROJECT_ID}/digital-human-training-manage/user/jobs/ffffffffffffffffffffffffffffffff`);
    assert.equal(missing.status, 404);
    assert.equal(missing.headers.get('etag'), null);
    const created = await fetch(`${server.url}/v1/${TEST_PROJECT_ID}/digital-human-training-manage/user/jobs`, {
      method: 'POST',
      headers: { 'X-Auth-Token': token, 'Content-Type': 'application/json' },
      body: JSON.stringify({ name: 'etag_write' }),
    });
    assert.equal(created.status, 200);
    assert.equal(created.headers.get('etag'), null);
  });
});
