/**
 * The server serves the web console's build at /console (every path below it gets the app, which
 * routes itself), and says plainly how to build it when it is not built.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import Fastify from 'fastify';
import { BUILT_CONSOLE_DIR, registerConsole } from '../../src/http/routes/console/consoleFiles.js';
import { makeTempDir, startTestServer, type TestServer } from '../support/testServer.js';

let server: TestServer;

before(async () => {
  server = await startTestServer();
});

after(async () => {
  await server?.destroy();
});

describe('the first page', () => {
  test('GET / sends a browser to /console and tells an API client where the console and the API docs are', async () => {
    const browser = await fetch(`${server.url}/`, { headers: { Accept: 'text/html,application/xhtml+xml' }, redirect: 'manual' });
    assert.equal(browser.status, 302);
    assert.equal(browser.headers.get('location'), '/console');
    const client = await fetch(`${server.url}/`, { headers: { Accept: 'application/json' } });
    assert.equal(client.status, 200);
    assert.deepEqual(await client.json(), { name: 'avatarforge', console: '/console', docs: '/docs', openapi: '/openapi.json' });
    assert.match(client.headers.get('x-request-id') ?? '', /^[0-9a-f]{32}$/);
  });
});

describe('the console files', () => {
  test('/console answers the built app; any path below it too (the app routes itself); assets are immutable', async () => {
    for (const page of ['/console', '/console/', '/console/jobs/0123/whatever']) {
      const response = await fetch(`${server.url}${page}`);
      assert.equal(response.status, 200, page);
      assert.match(response.headers.get('content-type')!, /^text\/html/);
      assert.equal(response.headers.get('cache-control'), 'no-cache');
      assert.match(await response.text(), /<div id="app"><\/div>/);
    }
    const asset = fs.readdirSync(path.join(BUILT_CONSOLE_DIR, 'assets')).find((file) => file.endsWith('.js'))!;
    const script = await fetch(`${server.url}/console/assets/${asset}`);
    assert.equal(script.status, 200);
    assert.match(script.headers.get('content-type')!, /javascript/);
    assert.equal(script.headers.get('cache-control'), 'public, max-age=31536000, immutable');
    assert.equal((await fetch(`${server.url}/console/assets/index-gone.js`)).status, 404, 'a stale asset is missing, not the app');
  });

  test('without a build, /console says how to build it (503) and the server runs on', async () => {
    const app = Fastify({ logger: false });
    await registerConsole(app, { root: makeTempDir('no-console') });
    for (const page of ['/console', '/console/jobs']) {
      const response = await app.inject({ method: 'GET', url: page });
      assert.equal(response.statusCode, 503);
      assert.match(response.headers['content-type'] as string, /^text\/html/);
      assert.match(response.body, /The web console is not built/);
      assert.match(response.body, /npm run build/);
    }
    await app.close();
  });
});
