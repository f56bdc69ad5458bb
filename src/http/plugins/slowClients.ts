import type { Socket } from 'node:net';
import type { FastifyInstance } from 'fastify';
import { DOWNLOAD_ROUTE_PREFIX, UPLOAD_ROUTE_PREFIX } from '../../blobs/signedUrls.js';

export interface SlowClientLimits {
  /** A request body other than an upload must have arrived whole within this time. */
  bodyTimeoutMs: number;
  /** An upload body must keep moving: a connection with no byte for this long is closed. */
  uploadIdleMs: number;
  /** A download may be slow but must keep moving: a connection that takes no byte for this long is closed. */
  downloadIdleMs: number;
  /** Connections one address may hold open at once; more are closed as they come. */
  maxConnectionsPerAddress: number;
}

/**
 * Clients that hold the server's connections without making progress: a body that trickles in (to
 * any route, with or without credentials) is cut off — JSON bodies must arrive whole within
 * `bodyTimeoutMs`, uploads (which may take hours) must keep moving — and one address may hold at
 * most `maxConnectionsPerAddress` connections. Request headers have Node's own limit
 * (`headersTimeout`, 60 s). A download from a signed URL may take as long as its reader needs, however
 * slow, but a reader that takes nothing for `downloadIdleMs` (its buffers full) is cut off.
 */
export function guardAgainstSlowClients(app: FastifyInstance, limits: SlowClientLimits): void {
  const connections = new Map<string, number>();
  app.server.on('connection', (socket: Socket) => {
    const address = socket.remoteAddress ?? 'unknown';
    const open = (connections.get(address) ?? 0) + 1;
    if (open > limits.maxConnectionsPerAddress) {
      socket.destroy();
      return;
    }
    connections.set(address, open);
    socket.once('close', () => {
      const left = (connections.get(address) ?? 1) - 1;
      if (left === 0) connections.delete(address);
      else connections.set(address, left);
    });
    // An upload's or a download's idle limit (set per request below) ends the connection.
    socket.on('timeout', () => socket.destroy());
  });

  /** An idle limit on the request's connection until it is answered (the socket may serve more requests). */
  function idleLimit(socket: Socket, reply: { raw: { once(event: 'close', listener: () => void): unknown } }, ms: number): void {
    socket.setTimeout(ms);
    reply.raw.once('close', () => socket.setTimeout(0));
  }

  app.addHook('onRequest', async (request, reply) => {
    const raw = request.raw;
    if (request.url.startsWith(DOWNLOAD_ROUTE_PREFIX)) {
      idleLimit(raw.socket, reply, limits.downloadIdleMs);
      return;
    }
    const hasBody = raw.headers['transfer-encoding'] !== undefined || Number(raw.headers['content-length'] ?? 0) > 0;
    if (!hasBody) return;
    if (request.url.startsWith(UPLOAD_ROUTE_PREFIX)) {
      idleLimit(raw.socket, reply, limits.uploadIdleMs);
      return;
    }
    const timer = setTimeout(() => raw.socket.destroy(), limits.bodyTimeoutMs);
    timer.unref();
    const done = () => clearTimeout(timer);
    raw.once('end', done);
    raw.once('close', done);
  });
}
