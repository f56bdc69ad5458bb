import { test } from 'node:test';
import assert from 'node:assert/strict';
import crypto from 'node:crypto';
import fs from 'node:fs';
import { startTestServer, TEST_ACCESS_KEY, TEST_PROJECT_ID, TEST_SECRET_KEY } from '../support/testServer.js';
import { createSdkClient } from '../support/sdkClient.js';

test('a restart keeps jobs, logs, files, credentials and tokens', async () => {
  const first = await startTestServer();
  const dataDir = first.dataDir;
  const video = crypto.randomBytes(64 * 1024);
  let jobId: string;
  let tokenBeforeRestart: string;
  try {
    const sdk = createSdkClient(first.url);
    const created = await sdk.create({ name: 'survivor', batch_name: 'b1', tags: ['keep'] }, { appUserId: 'carol' });
    jobId = created.job_id as string;
    await fetch((created.training_video_upload_url as string[])[0]!, { method: 'PUT', body: new Uint8Array(video) });
    await sdk.command(jobId, { command: 'CONFIRM_MULTIPART_UPLOADED' });
    const tokenResponse = await fetch(`${first.url}/v3/auth/tokens`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({
        auth: {
          identity: { methods: ['password'], password: { user: { name: TEST_ACCESS_KEY, password: TEST_SECRET_KEY } } },
          scope: { project: { id: TEST_PROJECT_ID } },
        },
      }),
    });
    assert.equal(tokenResponse.status, 201);
    tokenBeforeRestart = tokenResponse.headers.get('x-subject-token')!;
  } finally {
    await first.stop();
  }

  const second = await startTestServer({ dataDir });
  try {
    const sdk = createSdkClient(second.url);
    const shown = await sdk.show(jobId);
    assert.equal(shown.name, 'survivor');
    assert.equal(shown.app_user_id, 'carol');
    assert.equal(shown.batch_name, 'b1');
    assert.deepEqual(shown.tags, ['keep']);
    assert.deepEqual(
      (shown.operation_logs as Array<{ log_type: string }>).map((entry) => entry.log_type),
      ['USER_CREATE_JOD'],
    );
    const download = await fetch(shown.training_video_download_url as string);
    assert.equal(download.status, 200);
    assert.ok(Buffer.from(await download.arrayBuffer()).equals(video));

    const listed = await fetch(`${second.url}/v1/${TEST_PROJECT_ID}/digital-human-training-manage/user/jobs?tag=keep`, {
      headers: { 'X-Auth-Token': tokenBeforeRestart },
    });
    assert.equal(listed.status, 200, 'a token issued before the restart still works');
    assert.equal(((await listed.json()) as { count: number }).count, 1);
  } finally {
    await second.stop();
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
});
