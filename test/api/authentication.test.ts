/**
 * Authentication on the tenant API: AK/SK signatures (signed by the official npm SDK core's signer),
 * IAM-style tokens, key revocation and roles, and the request id every answer carries.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import net from 'node:net';
import crypto from 'node:crypto';
import { startTestServer, TEST_ACCESS_KEY, TEST_PROJECT_ID, TEST_SECRET_KEY, type TestServer } from '../support/testServer.js';
import { createSdkClient, HEX32, sdkDate, sdkError } from '../support/sdkClient.js';
import { createKey, revokeKey, type Credentials } from '../support/cli.js';

// Imported after sdkClient.js, which points HOME at a temporary directory for the SDK.
const { AKSKSigner } = await import('@huaweicloud/huaweicloud-sdk-core/auth/AKSKSigner.js');
const { BasicCredentials } = await import('@huaweicloud/huaweicloud-sdk-core/auth/BasicCredentials.js');

const OTHER_PROJECT_ID = 'fedcba9876543210fedcba9876543210';
const DAY_MS = 24 * 3600 * 1000;
const jobsPath = (projectId: string) => `/v1/${projectId}/digital-human-training-manage/user/jobs`;
const jobPath = (projectId: string, jobId: string) => `${jobsPath(projectId)}/${jobId}`;

const TEST_CREDENTIALS: Credentials = { ak: TEST_ACCESS_KEY, sk: TEST_SECRET_KEY, projectId: TEST_PROJECT_ID };

interface RawResponse {
  status: number;
  requestId: string | null;
  headers: Headers;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  body: any;
}

async function toRaw(response: Response): Promise<RawResponse> {
  const text = await response.text();
  let body: unknown = text;
  try {
    body = text === '' ? undefined : JSON.parse(text);
  } catch {
    // not JSON: keep the text, the assertions will say so
  }
  return { status: response.status, requestId: response.headers.get('x-request-id'), headers: response.headers, body };
}

/**
 * A request signed by the SDK core's own AKSKSigner (the signer HcClient uses), sent with fetch so the
 * test can see the whole answer or change the request after signing.
 */
async function signedFetch(
  server: TestServer,
  options: {
    method: string;
    path: string;
    credentials?: Credentials;
    /** The JSON body the signature covers. */
    data?: object;
    /** Bytes actually sent, when they differ from what was signed. */
    sendBody?: string;
    /** Query parameters the signature covers. */
    query?: Record<string, string>;
    /** Query actually sent (already encoded, without "?"), when it differs from what was signed. */
    sendQuery?: string;
    /** Path actually requested, when it differs from the signed one. */
    sendPath?: string;
    /** X-Project-Id to sign and send; null leaves the header out. Default: the credential's project. */
    projectHeader?: string | null;
    headers?: Record<string, string>;
  },
): Promise<RawResponse> {
  const credentials = options.credentials ?? TEST_CREDENTIALS;
  const headers: Record<string, string> = { 'Content-Type': 'application/json', ...options.headers };
  const projectHeader = options.projectHeader === undefined ? credentials.projectId : options.projectHeader;
  if (projectHeader !== null) headers['X-Project-Id'] = projectHeader;
  const signer = new BasicCredentials().withAk(credentials.ak).withSk(credentials.sk).withProjectId(credentials.projectId);
  const signed = AKSKSigner.sign(
    { endpoint: `${server.url}${options.path}`, method: options.method, headers, queryParams: options.query ?? {}, data: options.data },
    signer,
  ) as Record<string, string>;
  const body = options.sendBody ?? (options.data === undefined ? undefined : JSON.stringify(options.data));
  const query = options.sendQuery ?? new URLSearchParams(options.query ?? {}).toString();
  const target = `${server.url}${options.sendPath ?? options.path}${query === '' ? '' : `?${query}`}`;
  return toRaw(await fetch(target, { method: options.method, headers: signed, body }));
}

async function plainFetch(server: TestServer, method: string, path: string, init: { headers?: Record<string, string>; body?: string } = {}) {
  return toRaw(await fetch(`${server.url}${path}`, { method, headers: init.headers, body: init.body }));
}

/** Gateway errors: status, code, and the request id both in the header and in the body. */
function assertGatewayError(response: RawResponse, status: number, code: string): void {
  assert.equal(response.status, status, `expected ${status}, got ${response.status}: ${JSON.stringify(response.body)}`);
  assert.equal(response.body?.error_code, code, JSON.stringify(response.body));
  assert.equal(typeof response.body.error_msg, 'string');
  assert.match(response.requestId ?? '', HEX32);
  assert.equal(response.body.request_id, response.requestId);
}

function assertApiError(response: RawResponse, status: number, code: string): void {
  assert.equal(response.status, status, `expected ${status}, got ${response.status}: ${JSON.stringify(response.body)}`);
  assert.equal(response.body?.error_code, code, JSON.stringify(response.body));
  assert.equal(typeof response.body.error_msg, 'string');
}

// --- tokens -------------------------------------------------------------------------------------------

function passwordAuth(ak: string, sk: string, scope: object = { project: { id: TEST_PROJECT_ID } }) {
  return {
    auth: {
      identity: { methods: ['password'], password: { user: { name: ak, password: sk, domain: { name: 'any' } } } },
      scope,
    },
  };
}

async function requestToken(server: TestServer, body: unknown): Promise<RawResponse> {
  return plainFetch(server, 'POST', '/v3/auth/tokens', {
    headers: { 'Content-Type': 'application/json;charset=utf8' },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
}

async function tokenFor(server: TestServer, credentials: Credentials = TEST_CREDENTIALS): Promise<string> {
  const response = await requestToken(server, passwordAuth(credentials.ak, credentials.sk, { project: { id: credentials.projectId } }));
  assert.equal(response.status, 201, JSON.stringify(response.body));
  const token = response.headers.get('x-subject-token');
  assert.ok(token);
  return token;
}

async function withToken(server: TestServer, token: string, method: string, path: string, data?: object): Promise<RawResponse> {
  const headers: Record<string, string> = { 'X-Auth-Token': token };
  if (data !== undefined) headers['Content-Type'] = 'application/json';
  return plainFetch(server, method, path, { headers, body: data === undefined ? undefined : JSON.stringify(data) });
}

/** IAM times carry microseconds: 2024-01-02T12:00:00.000000Z. */
function parseIamTime(text: string): number {
  const match = /^(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3})(\d{3})Z$/.exec(text);
  assert.ok(match, `not an IAM time: ${text}`);
  return Date.parse(`${match[1]}Z`);
}

function assertKeystoneError(response: RawResponse, code: 400 | 401): void {
  assert.equal(response.status, code, JSON.stringify(response.body));
  assert.equal(response.body?.error?.code, code, JSON.stringify(response.body));
  assert.equal(response.body.error.title, code === 400 ? 'Bad Request' : 'Unauthorized');
  assert.equal(typeof response.body.error.message, 'string');
  assert.equal(response.headers.get('x-subject-token'), null);
}

// -------------------------------------------------------------------------------------------------------

let server: TestServer;

before(async () => {
  server = await startTestServer();
});

after(async () => {
  await server?.destroy();
});

describe('AK/SK signatures', () => {
  test('a correctly signed request from the SDK core succeeds (control)', async () => {
    const listed = await createSdkClient(server.url).list();
    assert.equal(listed.httpStatusCode, 200);
    const raw = await signedFetch(server, { method: 'GET', path: jobsPath(TEST_PROJECT_ID) });
    assert.equal(raw.status, 200, JSON.stringify(raw.body));
  });

  test('a request without any credentials is 401 APIG.0301 with the request id in the body', async () => {
    const listed = await plainFetch(server, 'GET', jobsPath(TEST_PROJECT_ID));
    assertGatewayError(listed, 401, 'APIG.0301');
    const created = await plainFetch(server, 'POST', jobsPath(TEST_PROJECT_ID), {
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ name: 'unsigned' }),
    });
    assertGatewayError(created, 401, 'APIG.0301');
  });

  test('a request signed with a wrong secret key is 401 APIG.0301', async () => {
    const wrong = { ...TEST_CREDENTIALS, sk: 'SKwrongSecretKey000000000000000000000000' };
    const error = await sdkError(createSdkClient(server.url, wrong).list());
    assert.equal(error.httpStatusCode, 401);
    assert.equal(error.errorCode, 'APIG.0301');
    assert.match(error.requestId ?? '', HEX32);

    const raw = await signedFetch(server, { method: 'POST', path: jobsPath(TEST_PROJECT_ID), credentials: wrong, data: { name: 'wrong_sk' } });
    assertGatewayError(raw, 401, 'APIG.0301');
    assert.match(raw.body.error_msg, /verify aksk signature fail/);
  });

  test('an unknown access key is 401 APIG.0301 naming the key', async () => {
    const unknown = { ...TEST_CREDENTIALS, ak: 'AKUNKNOWNEXAMPLE0000' };
    const raw = await signedFetch(server, { method: 'GET', path: jobsPath(TEST_PROJECT_ID), credentials: unknown });
    assertGatewayError(raw, 401, 'APIG.0301');
    assert.match(raw.body.error_msg, /Get secretKey failed/);
    assert.ok(raw.body.error_msg.includes(`ak:${unknown.ak}`), raw.body.error_msg);
    assert.match(raw.body.error_msg, /ak not exist/);

    const error = await sdkError(createSdkClient(server.url, unknown).list());
    assert.equal(error.httpStatusCode, 401);
    assert.equal(error.errorCode, 'APIG.0301');
  });

  test('a malformed Authorization header is 401 APIG.0301', async () => {
    const raw = await plainFetch(server, 'GET', jobsPath(TEST_PROJECT_ID), { headers: { Authorization: 'garbage' } });
    assertGatewayError(raw, 401, 'APIG.0301');
  });

  test('a signature dated 16 minutes in the past is 401 APIG.0301 "signature expired"', async () => {
    const date = sdkDate(new Date(server.clock.now().getTime() - 16 * 60_000));
    const error = await sdkError(createSdkClient(server.url).list({}, { sdkDate: date }));
    assert.equal(error.httpStatusCode, 401);
    assert.equal(error.errorCode, 'APIG.0301');
    assert.match(error.errorMsg ?? '', /signature expired/);
    assert.match(error.requestId ?? '', HEX32);
  });

  test('a signature dated 16 minutes in the future is 401 APIG.0301 "signature expired"', async () => {
    const date = sdkDate(new Date(server.clock.now().getTime() + 16 * 60_000));
    const error = await sdkError(createSdkClient(server.url).create({ name: 'from_the_future' }, { sdkDate: date }));
    assert.equal(error.httpStatusCode, 401);
    assert.equal(error.errorCode, 'APIG.0301');
    assert.match(error.errorMsg ?? '', /signature expired/);
    const listed = await createSdkClient(server.url).list({ name: 'from_the_future' });
    assert.equal(listed.count, 0, 'a refused request must create nothing');
  });

  test('a signature dated 14 minutes in the past or in the future is accepted', async () => {
    const sdk = createSdkClient(server.url);
    const past = sdkDate(new Date(server.clock.now().getTime() - 14 * 60_000));
    const future = sdkDate(new Date(server.clock.now().getTime() + 14 * 60_000));
    assert.equal((await sdk.list({}, { sdkDate: past })).httpStatusCode, 200);
    assert.equal((await sdk.list({}, { sdkDate: future })).httpStatusCode, 200);
  });

  test('the "signature expired" message follows the gateway wording once: "signature expired, signature time:…,server time:…"', async () => {
    const date = sdkDate(new Date(server.clock.now().getTime() - 16 * 60_000));
    const error = await sdkError(createSdkClient(server.url).list({}, { sdkDate: date }));
    assert.match(
      error.errorMsg ?? '',
      new RegExp(`^Incorrect IAM authentication information: signature expired, signature time:${date},server time:\\d{8}T\\d{6}Z$`),
    );
  });

  test('credentials naming another project than the key\'s (X-Project-Id and path) are 400 MSS.00010009', async () => {
    const elsewhere = { ...TEST_CREDENTIALS, projectId: OTHER_PROJECT_ID };
    const error = await sdkError(createSdkClient(server.url, elsewhere).list());
    assert.equal(error.httpStatusCode, 400);
    assert.equal(error.errorCode, 'MSS.00010009');
  });

  test('an X-Project-Id other than the key\'s project is 400 MSS.00010009 even on the key\'s own path', async () => {
    const raw = await signedFetch(server, { method: 'GET', path: jobsPath(TEST_PROJECT_ID), projectHeader: OTHER_PROJECT_ID });
    assertApiError(raw, 400, 'MSS.00010009');
    const created = await signedFetch(server, {
      method: 'POST',
      path: jobsPath(TEST_PROJECT_ID),
      projectHeader: OTHER_PROJECT_ID,
      data: { name: 'wrong_project_header' },
    });
    assertApiError(created, 400, 'MSS.00010009');
    assert.equal((await createSdkClient(server.url).list({ name: 'wrong_project_header' })).count, 0);
  });

  test('a path project other than the key\'s is 400 MSS.00010009 (with or without X-Project-Id)', async () => {
    const withHeader = await signedFetch(server, { method: 'GET', path: jobsPath(OTHER_PROJECT_ID), projectHeader: TEST_PROJECT_ID });
    assertApiError(withHeader, 400, 'MSS.00010009');
    const withoutHeader = await signedFetch(server, { method: 'GET', path: jobsPath(OTHER_PROJECT_ID), projectHeader: null });
    assertApiError(withoutHeader, 400, 'MSS.00010009');
  });

  test('a body changed after signing is 401 APIG.0301 and creates nothing', async () => {
    const path = jobsPath(TEST_PROJECT_ID);
    // Control: the same signing path with the body as signed works.
    const intact = await signedFetch(server, { method: 'POST', path, data: { name: 'signed_name' } });
    assert.equal(intact.status, 200, JSON.stringify(intact.body));

    const tampered = await signedFetch(server, {
      method: 'POST',
      path,
      data: { name: 'signed_name' },
      sendBody: JSON.stringify({ name: 'tampered_name' }),
    });
    assertGatewayError(tampered, 401, 'APIG.0301');
    assert.match(tampered.body.error_msg, /verify aksk signature fail/);
    assert.equal((await createSdkClient(server.url).list({ name: 'tampered_name' })).count, 0);
  });

  test('a query string or a path changed after signing is 401 APIG.0301', async () => {
    const path = jobsPath(TEST_PROJECT_ID);
    const intact = await signedFetch(server, { method: 'GET', path, query: { name: 'signed_name' } });
    assert.equal(intact.status, 200, JSON.stringify(intact.body));
    const query = await signedFetch(server, { method: 'GET', path, query: { name: 'signed_name' }, sendQuery: 'name=other_name' });
    assertGatewayError(query, 401, 'APIG.0301');
    const added = await signedFetch(server, { method: 'GET', path, sendQuery: 'limit=1' });
    assertGatewayError(added, 401, 'APIG.0301');

    const jobId = (await createSdkClient(server.url).create({ name: 'path_target' })).job_id as string;
    const signedFor = jobPath(TEST_PROJECT_ID, 'ffffffffffffffffffffffffffffffff');
    const moved = await signedFetch(server, { method: 'DELETE', path: signedFor, sendPath: jobPath(TEST_PROJECT_ID, jobId) });
    assertGatewayError(moved, 401, 'APIG.0301');
    assert.equal((await createSdkClient(server.url).show(jobId)).name, 'path_target', 'the job must survive');
  });

  test('a revoked access key is refused with 401 APIG.0301 on its next call', async () => {
    const key = await createKey(server, ['--description', 'to be revoked']);
    assert.equal(key.projectId, TEST_PROJECT_ID);
    const sdk = createSdkClient(server.url, key);
    assert.equal((await sdk.list()).httpStatusCode, 200);

    await revokeKey(server, key.ak);
    const error = await sdkError(sdk.list());
    assert.equal(error.httpStatusCode, 401);
    assert.equal(error.errorCode, 'APIG.0301');
    const raw = await signedFetch(server, { method: 'GET', path: jobsPath(TEST_PROJECT_ID), credentials: key });
    assertGatewayError(raw, 401, 'APIG.0301');
  });

  for (const role of ['admin', 'worker'] as const) {
    test(`${role === 'admin' ? 'an' : 'a'} ${role}-role key is refused on the tenant API with 403 APIG.0306`, async () => {
      const key = await createKey(server, ['--role', role]);
      const listed = await signedFetch(server, { method: 'GET', path: jobsPath(TEST_PROJECT_ID), credentials: key });
      assertGatewayError(listed, 403, 'APIG.0306');
      const error = await sdkError(createSdkClient(server.url, key).create({ name: `by_${role}` }));
      assert.equal(error.httpStatusCode, 403);
      assert.equal(error.errorCode, 'APIG.0306');
      assert.equal((await createSdkClient(server.url).list({ name: `by_${role}` })).count, 0);
    });
  }
});

describe('IAM tokens', () => {
  test('POST /v3/auth/tokens with AK and SK answers 201, X-Subject-Token and a 24-hour project token', async () => {
    const askedAt = server.clock.now().getTime();
    const response = await requestToken(server, passwordAuth(TEST_ACCESS_KEY, TEST_SECRET_KEY));
    const answeredAt = server.clock.now().getTime();
    assert.equal(response.status, 201, JSON.stringify(response.body));
    const token = response.headers.get('x-subject-token');
    assert.ok(token && token.length >= 32, `X-Subject-Token: ${token}`);
    assert.match(response.requestId ?? '', HEX32);

    const body = response.body.token;
    assert.equal(body.project.id, TEST_PROJECT_ID);
    assert.equal(typeof body.project.name, 'string');
    assert.deepEqual(body.methods, ['password']);
    const issuedAt = parseIamTime(body.issued_at);
    const expiresAt = parseIamTime(body.expires_at);
    assert.ok(issuedAt >= askedAt - 1000 && issuedAt <= answeredAt + 1000, `issued_at ${body.issued_at} is not now`);
    assert.equal(expiresAt - issuedAt, DAY_MS);
    assert.ok(!JSON.stringify(response.body).includes(TEST_SECRET_KEY), 'the answer must not repeat the secret key');

    // The project can also be named by its name.
    const byName = await requestToken(server, passwordAuth(TEST_ACCESS_KEY, TEST_SECRET_KEY, { project: { name: body.project.name } }));
    assert.equal(byName.status, 201, JSON.stringify(byName.body));
    assert.equal(byName.body.token.project.id, TEST_PROJECT_ID);
  });

  test('a token authenticates list, create and show as X-Auth-Token', async () => {
    const token = await tokenFor(server);
    const created = await withToken(server, token, 'POST', jobsPath(TEST_PROJECT_ID), { name: 'made_with_token' });
    assert.equal(created.status, 200, JSON.stringify(created.body));
    const jobId = created.body.job_id as string;
    assert.match(jobId, HEX32);

    const shown = await withToken(server, token, 'GET', jobPath(TEST_PROJECT_ID, jobId));
    assert.equal(shown.status, 200, JSON.stringify(shown.body));
    assert.equal(shown.body.job_id, jobId);
    assert.equal(shown.body.name, 'made_with_token');

    const listed = await withToken(server, token, 'GET', `${jobsPath(TEST_PROJECT_ID)}?name=made_with_token`);
    assert.equal(listed.status, 200, JSON.stringify(listed.body));
    assert.equal(listed.body.count, 1);
    assert.equal(listed.body.jobs[0].job_id, jobId);

    // The same job is visible to the AK/SK caller of the same project.
    assert.equal((await createSdkClient(server.url).show(jobId)).name, 'made_with_token');
  });

  test('a wrong password, or an unknown user, is 401 in IAM\'s Keystone shape', async () => {
    assertKeystoneError(await requestToken(server, passwordAuth(TEST_ACCESS_KEY, 'not-the-secret-key-0000000000000000000000')), 401);
    assertKeystoneError(await requestToken(server, passwordAuth('AKUNKNOWNEXAMPLE0000', TEST_SECRET_KEY)), 401);
  });

  test('a token request scoped to another project is 401', async () => {
    assertKeystoneError(await requestToken(server, passwordAuth(TEST_ACCESS_KEY, TEST_SECRET_KEY, { project: { id: OTHER_PROJECT_ID } })), 401);
    assertKeystoneError(await requestToken(server, passwordAuth(TEST_ACCESS_KEY, TEST_SECRET_KEY, { project: { name: 'no-such-project' } })), 401);
  });

  test('a malformed token request is 400 in IAM\'s Keystone shape', async () => {
    assertKeystoneError(await requestToken(server, '{"auth": {"identity":'), 400);
    assertKeystoneError(await requestToken(server, {}), 400);
    assertKeystoneError(await requestToken(server, { auth: { identity: { methods: ['password'] } } }), 400);
    assertKeystoneError(await requestToken(server, { auth: { identity: { methods: [] } } }), 400);
  });

  test('a token request over the body limit is the gateway\'s 413 APIG.0201, not a server error', async () => {
    const response = await requestToken(server, ' '.repeat(1_100_000));
    assert.equal(response.status, 413);
    assert.equal(response.body.error_code, 'APIG.0201');
    assert.match(response.body.request_id, /^[0-9a-f]{32}$/);
    assert.equal(response.headers.get('x-request-id'), response.body.request_id);
  });

  test('a token expires after 24 hours: then it is 401 APIG.0307', async () => {
    const token = await tokenFor(server);
    const path = jobsPath(TEST_PROJECT_ID);
    let moved = 0;
    try {
      server.clock.advance(DAY_MS - 1000);
      moved += DAY_MS - 1000;
      assert.equal((await withToken(server, token, 'GET', path)).status, 200, 'still valid one second before expiry');

      server.clock.advance(2000);
      moved += 2000;
      const expired = await withToken(server, token, 'GET', path);
      assertGatewayError(expired, 401, 'APIG.0307');
    } finally {
      server.clock.advance(-moved);
    }
  });

  test('an unknown token is 401 APIG.0301', async () => {
    const random = `AF${crypto.randomBytes(32).toString('base64url')}`;
    assertGatewayError(await withToken(server, random, 'GET', jobsPath(TEST_PROJECT_ID)), 401, 'APIG.0301');
    assertGatewayError(await withToken(server, 'x', 'POST', jobsPath(TEST_PROJECT_ID), { name: 'bad_token' }), 401, 'APIG.0301');
  });

  test('the tokens of a revoked access key are refused with 401, and the key gets no new token', async () => {
    const key = await createKey(server);
    const token = await tokenFor(server, key);
    assert.equal((await withToken(server, token, 'GET', jobsPath(TEST_PROJECT_ID))).status, 200);

    await revokeKey(server, key.ak);
    const refused = await withToken(server, token, 'GET', jobsPath(TEST_PROJECT_ID));
    assertGatewayError(refused, 401, 'APIG.0301');
    assertKeystoneError(await requestToken(server, passwordAuth(key.ak, key.sk)), 401);
  });

  test('a token of an admin-role key is refused on the tenant API with 403 APIG.0306', async () => {
    const key = await createKey(server, ['--role', 'admin']);
    const token = await tokenFor(server, key);
    assertGatewayError(await withToken(server, token, 'GET', jobsPath(TEST_PROJECT_ID)), 403, 'APIG.0306');
    assertGatewayError(await withToken(server, token, 'POST', jobsPath(TEST_PROJECT_ID), { name: 'admin_token' }), 403, 'APIG.0306');
  });

  test('a token of project A used on project B\'s path is 400 MSS.00010009', async () => {
    const token = await tokenFor(server);
    assertApiError(await withToken(server, token, 'GET', jobsPath(OTHER_PROJECT_ID)), 400, 'MSS.00010009');
    assertApiError(await withToken(server, token, 'POST', jobsPath(OTHER_PROJECT_ID), { name: 'cross_project' }), 400, 'MSS.00010009');
  });

  test('a token can be re-scoped with methods ["token"], and the new token works', async () => {
    const token = await tokenFor(server);
    const response = await requestToken(server, {
      auth: { identity: { methods: ['token'], token: { id: token } }, scope: { project: { id: TEST_PROJECT_ID } } },
    });
    assert.equal(response.status, 201, JSON.stringify(response.body));
    const rescoped = response.headers.get('x-subject-token');
    assert.ok(rescoped);
    assert.notEqual(rescoped, token);
    assert.deepEqual(response.body.token.methods, ['token']);
    assert.equal(response.body.token.project.id, TEST_PROJECT_ID);
    assert.equal((await withToken(server, rescoped, 'GET', jobsPath(TEST_PROJECT_ID))).status, 200);

    const unknown = await requestToken(server, {
      auth: { identity: { methods: ['token'], token: { id: 'AFnot-a-token' } }, scope: { project: { id: TEST_PROJECT_ID } } },
    });
    assertKeystoneError(unknown, 401);
  });

  test('a re-scoped token keeps the expiry of the token it came from', async () => {
    const first = await requestToken(server, passwordAuth(TEST_ACCESS_KEY, TEST_SECRET_KEY));
    const token = first.headers.get('x-subject-token')!;
    let moved = 0;
    try {
      server.clock.advance(3600 * 1000);
      moved += 3600 * 1000;
      const rescoped = await requestToken(server, {
        auth: { identity: { methods: ['token'], token: { id: token } }, scope: { project: { id: TEST_PROJECT_ID } } },
      });
      assert.equal(rescoped.status, 201);
      assert.equal(rescoped.body.token.expires_at, first.body.token.expires_at);
      server.clock.advance(DAY_MS - 3600 * 1000 + 1000);
      moved += DAY_MS - 3600 * 1000 + 1000;
      assertGatewayError(await withToken(server, rescoped.headers.get('x-subject-token')!, 'GET', jobsPath(TEST_PROJECT_ID)), 401, 'APIG.0307');
    } finally {
      server.clock.advance(-moved);
    }
  });
});

describe('request ids', () => {
  test('X-Request-Id and X-Subject-Token go out spelled exactly so (the Java SDK looks headers up case-sensitively)', async () => {
    const { port } = new URL(server.url);
    const rawHeaderNames = (request: string) =>
      new Promise<string[]>((resolve, reject) => {
        const socket = net.connect(Number(port), '127.0.0.1', () => socket.write(request));
        let received = '';
        socket.on('data', (chunk) => (received += chunk));
        socket.on('end', () => resolve(received.split('\r\n\r\n')[0]!.split('\r\n').slice(1).map((line) => line.split(':')[0]!)));
        socket.on('error', reject);
      });
    const health = await rawHeaderNames('GET /healthz HTTP/1.1\r\nHost: test\r\nConnection: close\r\n\r\n');
    assert.ok(health.includes('X-Request-Id'), JSON.stringify(health));
    const missing = await rawHeaderNames('GET /v1/x/nothing HTTP/1.1\r\nHost: test\r\nConnection: close\r\n\r\n');
    assert.ok(missing.includes('X-Request-Id'), JSON.stringify(missing));
    const body = JSON.stringify(passwordAuth(TEST_ACCESS_KEY, TEST_SECRET_KEY));
    const token = await rawHeaderNames(
      `POST /v3/auth/tokens HTTP/1.1\r\nHost: test\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`,
    );
    assert.ok(token.includes('X-Subject-Token') && token.includes('X-Request-Id'), JSON.stringify(token));
  });

  test('an unknown path is 404 APIG.0101 with request_id', async () => {
    const response = await plainFetch(server, 'GET', '/v1/x/nothing');
    assertGatewayError(response, 404, 'APIG.0101');
  });

  test('a wrong method on a job path is 404 APIG.0101 "The API does not exist.", before authentication', async () => {
    const response = await plainFetch(server, 'PATCH', jobPath(TEST_PROJECT_ID, '0123456789abcdef0123456789abcdef'), {
      headers: { 'Content-Type': 'application/json' },
      body: '{}',
    });
    assertGatewayError(response, 404, 'APIG.0101');
    assert.equal(response.body.error_msg, 'The API does not exist.');
  });

  test('every answer (success, 401, 404, token) carries its own 32-hex X-Request-Id', async () => {
    const answers = [
      await signedFetch(server, { method: 'GET', path: jobsPath(TEST_PROJECT_ID) }),
      await signedFetch(server, { method: 'GET', path: jobsPath(TEST_PROJECT_ID) }),
      await plainFetch(server, 'GET', jobsPath(TEST_PROJECT_ID)),
      await plainFetch(server, 'GET', '/v1/x/nothing'),
      await plainFetch(server, 'PATCH', jobPath(TEST_PROJECT_ID, 'abc')),
      await requestToken(server, passwordAuth(TEST_ACCESS_KEY, TEST_SECRET_KEY)),
      await requestToken(server, passwordAuth(TEST_ACCESS_KEY, 'wrong-password-000000000000000000000000')),
    ];
    assert.deepEqual(
      answers.map((answer) => answer.status),
      [200, 200, 401, 404, 404, 201, 401],
    );
    for (const answer of answers) assert.match(answer.requestId ?? '', HEX32, `status ${answer.status}`);
    const ids = new Set(answers.map((answer) => answer.requestId));
    assert.equal(ids.size, answers.length, 'request ids must differ between requests');

    const viaSdk = await createSdkClient(server.url).list();
    assert.match(viaSdk['X-Request-Id'] ?? '', HEX32);
    assert.ok(!ids.has(viaSdk['X-Request-Id'] ?? null));
  });

  test('a URL the router cannot read is the gateway\'s 400 APIG.0201 with a request id, not the framework\'s body', async () => {
    for (const route of [`/v1/${TEST_PROJECT_ID}/digital-human-training-manage/user/jobs/${'a'.repeat(101)}`, '/v1/files/upload/%ZZ']) {
      const response = await plainFetch(server, 'GET', route);
      assert.equal(response.status, 400, route);
      assert.equal(response.body.error_code, 'APIG.0201', route);
      assert.equal(response.body.error_msg, 'API request error.');
      assert.match(response.headers.get('x-request-id') ?? '', /^[0-9a-f]{32}$/);
      assert.equal(response.body.request_id, response.headers.get('x-request-id'));
    }
  });

  test('a URL over the 16 KiB header limit is the gateway\'s 431 APIG.0201 with a request id, on any route', async () => {
    for (const route of [`${jobsPath(TEST_PROJECT_ID)}?job_ids=${'a'.repeat(20_000)}`, `/v1/files/download/x/y/z?signature=${'a'.repeat(20_000)}`]) {
      const response = await plainFetch(server, 'GET', route);
      assertGatewayError(response, 431, 'APIG.0201');
      assert.equal(response.body.error_msg, 'Request header fields too large.');
      assert.equal(response.body.request_id, response.headers.get('x-request-id'));
    }
  });

  test('a method no route has (QUERY) on a job path is 404 APIG.0101 "The API does not exist."', async () => {
    const response = await plainFetch(server, 'QUERY', `/v1/${TEST_PROJECT_ID}/digital-human-training-manage/user/jobs`);
    assertGatewayError(response, 404, 'APIG.0101');
    assert.equal(response.body.error_msg, 'The API does not exist.');
  });

  test('a request the HTTP parser refuses (an unknown method, a bad header) is 400 APIG.0201 with a request id', async () => {
    const { port } = new URL(server.url);
    const raw = (request: string) =>
      new Promise<string>((resolve, reject) => {
        const socket = net.connect(Number(port), '127.0.0.1', () => socket.write(request));
        let received = '';
        socket.on('data', (chunk) => (received += chunk));
        socket.on('close', () => resolve(received));
        socket.on('error', reject);
      });
    for (const request of ['FOO /v1/x HTTP/1.1\r\nHost: test\r\n\r\n', 'GET /healthz HTTP/1.1\r\nHost: test\r\nBad Header\r\n\r\n']) {
      const answer = await raw(request);
      const [head, body] = answer.split('\r\n\r\n');
      assert.match(head!, /^HTTP\/1\.1 400 /, answer);
      const requestId = /\r\nX-Request-Id: ([0-9a-f]{32})\r\n/.exec(head!)?.[1];
      assert.ok(requestId, head);
      assert.deepEqual(JSON.parse(body!), { error_code: 'APIG.0201', error_msg: 'API request error.', request_id: requestId });
    }
  });

  test('an inbound X-Request-Id is not echoed', async () => {
    for (const inbound of ['client-chosen-id', 'ffffffffffffffffffffffffffffffff']) {
      const success = await signedFetch(server, { method: 'GET', path: jobsPath(TEST_PROJECT_ID), headers: { 'X-Request-Id': inbound } });
      assert.equal(success.status, 200);
      assert.match(success.requestId ?? '', HEX32);
      assert.notEqual(success.requestId, inbound);

      const failure = await plainFetch(server, 'GET', jobsPath(TEST_PROJECT_ID), { headers: { 'X-Request-Id': inbound } });
      assertGatewayError(failure, 401, 'APIG.0301');
      assert.notEqual(failure.requestId, inbound);
      assert.notEqual(failure.body.request_id, inbound);
    }
  });
});
