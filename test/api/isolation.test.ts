/**
 * Isolation: a project never sees another project's jobs, and an X-App-UserId caller never sees
 * another app user's jobs. "Not yours" and "does not exist" must be indistinguishable (404).
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { startTestServer, TEST_ACCESS_KEY, TEST_PROJECT_ID, TEST_SECRET_KEY, type TestServer } from '../support/testServer.js';
import { createSdkClient, sdkError, type CallOptions, type SdkClient, type SdkError } from '../support/sdkClient.js';
import { cli, parseCredential, type Credentials } from '../support/cli.js';

// Imported after sdkClient.js, which points HOME at a temporary directory for the SDK.
const { AKSKSigner } = await import('@huaweicloud/huaweicloud-sdk-core/auth/AKSKSigner.js');
const { BasicCredentials } = await import('@huaweicloud/huaweicloud-sdk-core/auth/BasicCredentials.js');

const jobsPath = (projectId: string) => `/v1/${projectId}/digital-human-training-manage/user/jobs`;
const CHINESE_APP_USER = '用户';
/** What a client that sends UTF-8 header bytes puts on the wire, as Node's latin1 header strings spell it. */
const CHINESE_APP_USER_WIRE = Buffer.from(CHINESE_APP_USER, 'utf8').toString('latin1');

/** The SDK error with the job id taken out of the message, to compare answers for different ids. */
function normalized(error: SdkError, jobId: string) {
  return { status: error.httpStatusCode, code: error.errorCode, message: (error.errorMsg ?? '').replaceAll(jobId, '<id>') };
}

/** Expects 404 MSS.20010001 from Show, Update, Delete and Command, exactly as for an id that never existed. */
async function assertInvisible(sdk: SdkClient, jobId: string, options: CallOptions = {}): Promise<void> {
  const neverExisted = 'ffffffffffffffffffffffffffffffff';
  const calls: Array<[string, (id: string) => Promise<unknown>]> = [
    ['show', (id) => sdk.show(id, options)],
    ['update', (id) => sdk.update(id, { name: 'hijacked' }, options)],
    ['delete', (id) => sdk.delete(id, options)],
    ['command', (id) => sdk.command(id, { command: 'GET_MULTIPART_UPLOADED' }, options)],
  ];
  for (const [name, call] of calls) {
    const hidden = await sdkError(call(jobId));
    assert.equal(hidden.httpStatusCode, 404, `${name}: ${hidden.errorCode} ${hidden.errorMsg}`);
    assert.equal(hidden.errorCode, 'MSS.20010001', `${name}: ${hidden.errorMsg}`);
    const missing = await sdkError(call(neverExisted));
    assert.deepEqual(normalized(hidden, jobId), normalized(missing, neverExisted), `${name}: someone else's job must look like a missing one`);
  }
}

type JobInfo = { job_id: string; name?: string; app_user_id?: string };

let server: TestServer;
let projectA: SdkClient;
let projectB: SdkClient;
let credentialsB: Credentials;

before(async () => {
  server = await startTestServer();
  // No --project: the CLI makes a new project for the key.
  credentialsB = parseCredential(await cli(['keys', 'create', '--data-dir', server.dataDir, '--description', 'project B']));
  assert.notEqual(credentialsB.projectId, TEST_PROJECT_ID);
  projectA = createSdkClient(server.url);
  projectB = createSdkClient(server.url, credentialsB);
});

after(async () => {
  await server?.destroy();
});

describe('projects', () => {
  test('project B cannot show, update, delete or command project A\'s job: 404 MSS.20010001, like a missing job', async () => {
    const jobId = (await projectA.create({ name: 'a_private' })).job_id as string;
    await assertInvisible(projectB, jobId);

    // Project A's job came through untouched.
    const shown = await projectA.show(jobId);
    assert.equal(shown.name, 'a_private');
    assert.equal(shown.state, 'WAIT_FILE_UPLOAD');
  });

  test('project B\'s List never counts or returns project A\'s jobs', async () => {
    const aJob = (await projectA.create({ name: 'a_listed' })).job_id as string;
    const bJob = (await projectB.create({ name: 'b_listed' })).job_id as string;

    const listedB = await projectB.list({ limit: 100 });
    const jobsB = listedB.jobs as JobInfo[];
    assert.equal(listedB.count, 1);
    assert.deepEqual(jobsB.map((job) => job.job_id), [bJob]);
    assert.equal((await projectB.list({ job_id: aJob })).count, 0);
    assert.equal((await projectB.list({ name: 'a_listed' })).count, 0);
    // Naming project A in the query changes nothing.
    assert.equal((await projectB.list({ query_project_id: TEST_PROJECT_ID })).count, 0);

    const jobsA = (await projectA.list({ limit: 100 })).jobs as JobInfo[];
    assert.ok(jobsA.some((job) => job.job_id === aJob));
    assert.ok(!jobsA.some((job) => job.job_id === bJob), 'project A must not see project B\'s job');
    await assertInvisible(projectA, bJob);
  });

  test('project B\'s key cannot reach project A\'s path at all (400 MSS.00010009)', async () => {
    const onA = createSdkClient(server.url, { ...credentialsB, projectId: TEST_PROJECT_ID });
    const error = await sdkError(onA.list());
    assert.equal(error.httpStatusCode, 400);
    assert.equal(error.errorCode, 'MSS.00010009');
  });
});

describe('app users (X-App-UserId)', () => {
  const alice = { appUserId: 'alice' };
  const bob = { appUserId: 'bob' };
  let aliceJob: string;
  let bobJob: string;
  let projectJob: string;

  before(async () => {
    aliceJob = (await projectA.create({ name: 'alice_model' }, alice)).job_id as string;
    bobJob = (await projectA.create({ name: 'bob_model' }, bob)).job_id as string;
    projectJob = (await projectA.create({ name: 'no_app_user_model' })).job_id as string;
  });

  test('a job created with X-App-UserId: alice shows app_user_id "alice" in Show and List', async () => {
    const shown = await projectA.show(aliceJob, alice);
    assert.equal(shown.app_user_id, 'alice');
    const listed = await projectA.list({ job_id: aliceJob }, alice);
    assert.equal(listed.count, 1);
    assert.equal((listed.jobs as JobInfo[])[0]!.app_user_id, 'alice');
    // The project-wide caller sees who created it too.
    assert.equal((await projectA.show(aliceJob)).app_user_id, 'alice');
  });

  test('bob cannot show, update, delete or command alice\'s job: 404 MSS.20010001, like a missing job', async () => {
    await assertInvisible(projectA, aliceJob, bob);
    const shown = await projectA.show(aliceJob, alice);
    assert.equal(shown.name, 'alice_model');
  });

  test('bob\'s List sees only bob\'s jobs', async () => {
    const listed = await projectA.list({ limit: 100 }, bob);
    const jobs = listed.jobs as JobInfo[];
    assert.equal(listed.count, jobs.length);
    assert.deepEqual(jobs.map((job) => job.job_id), [bobJob]);
    assert.ok(jobs.every((job) => job.app_user_id === 'bob'));
  });

  test('an app user does not see the project\'s jobs created without X-App-UserId', async () => {
    await assertInvisible(projectA, projectJob, alice);
    const jobs = (await projectA.list({ limit: 100 }, alice)).jobs as JobInfo[];
    assert.ok(jobs.every((job) => job.app_user_id === 'alice'));
  });

  test('a request without X-App-UserId sees every job of the project', async () => {
    const listed = await projectA.list({ limit: 100 });
    const ids = (listed.jobs as JobInfo[]).map((job) => job.job_id);
    for (const jobId of [aliceJob, bobJob, projectJob]) assert.ok(ids.includes(jobId), `missing ${jobId}`);
    assert.equal(listed.count, ids.length);
    assert.equal((await projectA.show(bobJob)).app_user_id, 'bob');
    assert.equal((await projectA.show(projectJob)).app_user_id, undefined);
  });

  test('an X-App-UserId with Chinese characters is 400 MSS.00000003 and creates nothing', async () => {
    const countBefore = (await projectA.list()).count as number;
    const path = jobsPath(TEST_PROJECT_ID);

    // Signed as the Python SDK does it: the canonical header holds the UTF-8 text, the wire the UTF-8 bytes.
    const credential = new BasicCredentials().withAk(TEST_ACCESS_KEY).withSk(TEST_SECRET_KEY).withProjectId(TEST_PROJECT_ID);
    for (const [method, data] of [['POST', { name: 'chinese_user' }], ['GET', undefined]] as const) {
      const signed = AKSKSigner.sign(
        {
          endpoint: `${server.url}${path}`,
          method,
          headers: { 'Content-Type': 'application/json', 'X-Project-Id': TEST_PROJECT_ID, 'X-App-UserId': CHINESE_APP_USER },
          queryParams: {},
          data,
        },
        credential,
      ) as Record<string, string>;
      const response = await fetch(`${server.url}${path}`, {
        method,
        headers: { ...signed, 'X-App-UserId': CHINESE_APP_USER_WIRE },
        body: data === undefined ? undefined : JSON.stringify(data),
      });
      const body = (await response.json()) as { error_code?: string };
      assert.equal(response.status, 400, `${method}: ${JSON.stringify(body)}`);
      assert.equal(body.error_code, 'MSS.00000003');
    }

    // With a token (nothing signed over the header).
    const tokenResponse = await fetch(`${server.url}/v3/auth/tokens`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({
        auth: {
          identity: { methods: ['password'], password: { user: { name: TEST_ACCESS_KEY, password: TEST_SECRET_KEY, domain: { name: 'any' } } } },
          scope: { project: { id: TEST_PROJECT_ID } },
        },
      }),
    });
    assert.equal(tokenResponse.status, 201);
    const token = tokenResponse.headers.get('x-subject-token')!;
    const viaToken = await fetch(`${server.url}${path}`, {
      method: 'POST',
      headers: { 'X-Auth-Token': token, 'Content-Type': 'application/json', 'X-App-UserId': CHINESE_APP_USER_WIRE },
      body: JSON.stringify({ name: 'chinese_user' }),
    });
    const viaTokenBody = (await viaToken.json()) as { error_code?: string };
    assert.equal(viaToken.status, 400, JSON.stringify(viaTokenBody));
    assert.equal(viaTokenBody.error_code, 'MSS.00000003');

    assert.equal((await projectA.list()).count, countBefore, 'nothing may be created');
    assert.equal((await projectA.list({ name: 'chinese_user' })).count, 0);
  });

  test('an X-App-UserId with Chinese characters sent through the Node SDK core is refused and creates nothing', async () => {
    // The Node core signs the text it was given but cannot put non-latin1 text on the wire unchanged,
    // so the server may answer 401 (signature) or 400 (the app user id); either way nothing is created.
    const countBefore = (await projectA.list()).count as number;
    for (const appUserId of [CHINESE_APP_USER, CHINESE_APP_USER_WIRE]) {
      const error = await sdkError(projectA.create({ name: 'chinese_user_sdk' }, { appUserId }));
      assert.ok([400, 401].includes(error.httpStatusCode), `${error.httpStatusCode} ${error.errorCode} ${error.errorMsg}`);
      if (error.httpStatusCode === 400) assert.equal(error.errorCode, 'MSS.00000003');
      else assert.equal(error.errorCode, 'APIG.0301');
    }
    assert.equal((await projectA.list()).count, countBefore);
    assert.equal((await projectA.list({ name: 'chinese_user_sdk' })).count, 0);
  });

  test('an X-App-UserId that is too long or contains a space is 400 MSS.00000003', async () => {
    for (const appUserId of ['a'.repeat(65), 'two words']) {
      const error = await sdkError(projectA.list({}, { appUserId }));
      assert.equal(error.httpStatusCode, 400, `${JSON.stringify(appUserId)}: ${error.errorCode}`);
      assert.equal(error.errorCode, 'MSS.00000003');
    }
    assert.equal((await projectA.list({}, { appUserId: 'a'.repeat(64) })).httpStatusCode, 200);
  });
});
