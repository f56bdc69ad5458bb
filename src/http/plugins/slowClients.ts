import type { Socket } from 'node:net';
import type { FastifyInstance } from 'fastify';
import { UPLOAD_ROUTE_PREFIX } from '../../blobs/signedUrls.js';

export interface SlowClientLimits {
  /** A request body other than an upload must have arrived whole within this time. */
  bodyTimeoutMs: number;
  /** An upload body must keep moving: a connection with no byte for this long is closed. */
  uploadIdleMs: number;
  /** Connections one address may hold open at once; more are closed as they come. */
  maxConnectionsPerAddress: number;
}

/**
 * Clients that hold the server's connections without making progress: a body that trickles in (to
 * any route, with or without credentials) is cut off — JSON bodies must arrive whole within
 * `bodyTimeoutMs`, uploads (which may take hours) must keep moving — and one address may hold at
 * most `maxConnectionsPerAddress` connections. Request headers have Node's own limit
 * (`headersTimeout`, 60 s).
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
    // An upload's idle limit (set per request below) ends the connection.
    socket.on('timeout', () => socket.destroy());
  });

  app.addHook('onRequest', async (request, reply) => {
    const raw = request.raw;
    const hasBody = raw.headers['transfer-encoding'] !== undefined || Number(raw.headers['content-length'] ?? 0) > 0;
    if (!hasBody) return;
    if (request.url.startsWith(UPLOAD_ROUTE_PREFIX)) {
      const socket = raw.socket;
      socket.setTimeout(limits.uploadIdleMs);
      // Back to no idle limit once answered (the socket may serve more requests, or be gone).
      reply.raw.once('close', () => socket.setTimeout(0));
      return;
    }
    const timer = setTimeout(() => raw.socket.destroy(), limits.bodyTimeoutMs);
    timer.unref();
    const done = () => clearTimeout(timer);
    raw.once('end', done);
    raw.once('close', done);
  });
}
