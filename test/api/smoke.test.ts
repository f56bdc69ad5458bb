import { test } from 'node:test';
import assert from 'node:assert/strict';
import { startTestServer } from '../support/testServer.js';
import { createSdkClient } from '../support/sdkClient.js';

test('smoke: create and show through the npm SDK core', async () => {
  const server = await startTestServer();
  try {
    const sdk = createSdkClient(server.url);
    const created = await sdk.create({ name: 'anchor_li', video_multipart_count: 2 });
    console.log(JSON.stringify(created, null, 1));
    const shown = await sdk.show(created.job_id as string);
    console.log(JSON.stringify(shown, null, 1));
    const listed = await sdk.list({ limit: 5 });
    console.log(JSON.stringify(listed, null, 1));
    assert.equal(shown.state, 'WAIT_FILE_UPLOAD');
  } finally {
    await server.destroy();
  }
});
