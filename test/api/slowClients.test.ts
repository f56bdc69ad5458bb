import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import net from 'node:net';
import { createSdkClient } from '../support/sdkClient.js';
import { startTestServer, type TestServer } from '../support/testServer.js';

/**
 * Clients that hold connections without making progress are cut off: a trickling JSON body (even
 * unauthenticated, to an unknown route) after the body timeout, a stalled upload after its idle
 * timeout, connections over the per-address cap at once. Each test waits for the socket's close
 * event; what it asserts is that the close came before the client had sent its body.
 */
const LIMITS = { AVATARFORGE_BODY_TIMEOUT_SECONDS: '1', AVATARFORGE_UPLOAD_IDLE_TIMEOUT_SECONDS: '2', AVATARFORGE_MAX_CONNECTIONS_PER_ADDRESS: '20' };

describe('slow clients', () => {
  let server: TestServer;
  before(async () => {
    server = await startTestServer({ env: LIMITS });
  });
  after(() => server.destroy());

  const connect = () =>
    new Promise<net.Socket>((resolve, reject) => {
      const { hostname, port } = new URL(server.url);
      const socket = net.connect(Number(port), hostname, () => resolve(socket));
      socket.once('error', reject);
    });

  /** Writes the head, then one body byte every `everyMs` until `length` bytes or the socket closes; resolves with the bytes sent. */
  async function trickle(socket: net.Socket, head: string, length: number, everyMs: number): Promise<{ sent: number; answer: string }> {
    let answer = '';
    socket.setEncoding('utf8').on('data', (chunk: string) => (answer += chunk));
    socket.on('error', () => undefined);
    socket.write(head);
    let sent = 0;
    let closed = false;
    socket.once('close', () => (closed = true));
    while (!closed && sent < length) {
      await new Promise((resolve) => setTimeout(resolve, everyMs));
      if (!closed) {
        socket.write('x');
        sent += 1;
      }
    }
    if (!closed) await new Promise((resolve) => socket.once('close', resolve));
    return { sent, answer };
  }

  test('a JSON body that trickles in is cut off, authenticated or not, known route or not', async () => {
    for (const path of ['/v1/nothing/here', `/v1/0123456789abcdef0123456789abcdef/digital-human-training-manage/user/jobs`]) {
      const socket = await connect();
      const { sent } = await trickle(socket, `POST ${path} HTTP/1.1\r\nHost: test\r\nContent-Type: application/json\r\nContent-Length: 500\r\n\r\n`, 500, 100);
      assert.ok(sent < 500, `closed after ${sent} of 500 bytes`);
    }
  });

  test('an upload that keeps moving is not cut off; one that stalls is', async () => {
    const created = await createSdkClient(server.url).create({ name: 'slow_upload' });
    const moving = new URL(created.id_card_image1_upload_url as string);
    const socket = await connect();
    const steady = await trickle(socket, `PUT ${moving.pathname}${moving.search} HTTP/1.1\r\nHost: test\r\nConnection: close\r\nContent-Length: 30\r\n\r\n`, 30, 100);
    assert.equal(steady.sent, 30);
    assert.match(steady.answer, /^HTTP\/1\.1 200 /);

    const stalled = new URL(created.id_card_image2_upload_url as string);
    const stalledSocket = await connect();
    stalledSocket.on('error', () => undefined);
    stalledSocket.write(`PUT ${stalled.pathname}${stalled.search} HTTP/1.1\r\nHost: test\r\nContent-Length: 1000\r\n\r\nfirst bytes`);
    await new Promise((resolve) => stalledSocket.once('close', resolve));
    assert.equal((await createSdkClient(server.url).show(created.job_id as string)).id_card_image2_download_url, undefined, 'nothing stored');
  });

  test('connections over the per-address cap are closed at once; under it they are served', async () => {
    // Other clients of this test (the SDK's keep-alive connections) may hold some of the 20.
    const held = await Promise.all(Array.from({ length: 20 }, () => connect()));
    const extra = await connect();
    await new Promise((resolve) => extra.once('close', resolve));
    for (const socket of held) socket.destroy();
    // Once the server has seen those closes, connections are served again.
    let status: number | undefined;
    for (let attempt = 0; attempt < 100 && status !== 200; attempt++) {
      status = (await fetch(`${server.url}/healthz`).catch(() => undefined))?.status;
      if (status !== 200) await new Promise((resolve) => setTimeout(resolve, 20));
    }
    assert.equal(status, 200);
  });
});
