import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createKey, type Credentials } from '../support/cli.js';
import { assertSdkError, createSdkClient, sdkError } from '../support/sdkClient.js';
import { startTestServer, TEST_ACCESS_KEY, TEST_PROJECT_ID, TEST_SECRET_KEY, type TestServer } from '../support/testServer.js';

/**
 * Guessing secrets is throttled: after a number of failed authentications of one key from one
 * address (or from one address with any keys) within the window, attempts are refused with the
 * gateway's 429 until the window has passed; other keys and other addresses are not slowed.
 */
const LIMITS = { AVATARFORGE_AUTH_FAILURE_LIMIT: '3', AVATARFORGE_AUTH_FAILURE_ADDRESS_LIMIT: '6', AVATARFORGE_AUTH_FAILURE_WINDOW_SECONDS: '60' };

describe('failed authentications are throttled', () => {
  let server: TestServer;
  let other: Credentials;

  before(async () => {
    server = await startTestServer({ env: LIMITS });
    other = await createKey(server);
  });
  after(() => server.destroy());

  const guesser = (ak = TEST_ACCESS_KEY) => createSdkClient(server.url, { ak, sk: 'not-the-secret-key-000000000000000000000', projectId: TEST_PROJECT_ID });
  const tokenRequest = (name: string, password: string) =>
    fetch(`${server.url}/v3/auth/tokens`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ auth: { identity: { methods: ['password'], password: { user: { name, password } } } } }),
    });

  test('a key that keeps failing from one address is refused, even with its right secret; other keys are not', async () => {
    // A Show answer kept by the read cache: the right secret must not get it past the refusal either.
    const created = await createSdkClient(server.url).create({ name: 'kept' });
    assert.equal((await createSdkClient(server.url).show(created.job_id as string)).httpStatusCode, 200);
    for (let attempt = 0; attempt < 3; attempt++) assertSdkError(await sdkError(guesser().list()), 401, 'APIG.0301');
    assertSdkError(await sdkError(createSdkClient(server.url).show(created.job_id as string)), 429, 'APIG.0308');
    const throttled = await sdkError(guesser().list());
    assertSdkError(throttled, 429, 'APIG.0308');
    assert.match(throttled.errorMsg!, /^The throttling threshold has been reached: policy user over ratelimit,limit:3$/);
    assertSdkError(await sdkError(createSdkClient(server.url).list()), 429, 'APIG.0308');
    assert.equal((await createSdkClient(server.url, other).list()).httpStatusCode, 200, 'another key is not slowed');
    const token = await tokenRequest(TEST_ACCESS_KEY, TEST_SECRET_KEY);
    assert.equal(token.status, 429, 'nor does the token endpoint let the key through');
    assert.equal(((await token.json()) as { error_code: string }).error_code, 'APIG.0308');

    server.clock.advance(61_000);
    assert.equal((await createSdkClient(server.url).list()).httpStatusCode, 200, 'after the window, the right secret works again');
  });

  test('wrong passwords on POST /v3/auth/tokens count too', async () => {
    for (let attempt = 0; attempt < 3; attempt++) assert.equal((await tokenRequest(other.ak, 'wrong')).status, 401);
    const refused = await tokenRequest(other.ak, other.sk);
    assert.equal(refused.status, 429);
    const body = (await refused.json()) as { error_code: string; request_id: string };
    assert.equal(body.error_code, 'APIG.0308');
    assert.equal(refused.headers.get('x-request-id'), body.request_id);
    server.clock.advance(61_000);
    assert.equal((await tokenRequest(other.ak, other.sk)).status, 201);
  });

  test('an address that keeps failing with any keys is refused for every key', async () => {
    for (let attempt = 0; attempt < 3; attempt++) assertSdkError(await sdkError(guesser('AKNOSUCHKEY000000001').list()), 401, 'APIG.0301');
    for (let attempt = 0; attempt < 3; attempt++) assertSdkError(await sdkError(guesser('AKNOSUCHKEY000000002').list()), 401, 'APIG.0301');
    const refused = await sdkError(createSdkClient(server.url, other).list());
    assertSdkError(refused, 429, 'APIG.0308');
    assert.match(refused.errorMsg!, /policy ip over ratelimit,limit:6$/);
    server.clock.advance(61_000);
    assert.equal((await createSdkClient(server.url, other).list()).httpStatusCode, 200);
  });
});
