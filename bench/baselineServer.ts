/**
 * The benchmark's baseline: a raw node:http server that answers every request with a fixed JSON body
 * (a real Show or List answer captured from avatarforge), with the same kind of headers. It does no
 * routing, authentication or database work: the gap to it is what avatarforge's stack costs.
 *
 * Started by bench/run.ts as a child process; the parent sets the body over IPC before each run.
 */
import crypto from 'node:crypto';
import http from 'node:http';
import Fastify from 'fastify';

let body = Buffer.from('{}');

process.on('message', (message: { body?: string }) => {
  if (typeof message.body === 'string') {
    body = Buffer.from(message.body);
    process.send?.({ bodySet: body.length });
  }
});

const requestId = crypto.randomBytes(16).toString('hex');

/**
 * BASELINE_KIND=fastify answers the same body from a bare Fastify route (no hooks, no validation, no
 * database): the floor any Fastify server stands on, measured in the same run.
 */
if (process.env.BASELINE_KIND === 'fastify') {
  const app = Fastify({ logger: false });
  app.get('/*', async (_request, reply) => reply.header('content-type', 'application/json; charset=utf-8').header('x-request-id', requestId).send(body));
  await app.listen({ host: '127.0.0.1', port: Number(process.env.BASELINE_PORT ?? 0) });
  const address = app.server.address();
  process.send?.({ listening: typeof address === 'object' && address ? address.port : undefined });
  process.on('SIGTERM', () => void app.close().then(() => process.exit(0)));
} else {
  startNodeHttp();
}

function startNodeHttp(): void {
  const server = http.createServer((request, response) => {
    // Drain whatever was sent; a GET carries nothing.
    request.resume();
    request.on('end', () => {
      response.writeHead(200, {
        'content-type': 'application/json; charset=utf-8',
        'content-length': body.length,
        'x-request-id': requestId,
      });
      response.end(body);
    });
  });
  server.keepAliveTimeout = 60_000;
  server.listen(Number(process.env.BASELINE_PORT ?? 0), '127.0.0.1', () => {
    const address = server.address();
    process.send?.({ listening: typeof address === 'object' && address ? address.port : undefined });
  });
  process.on('SIGTERM', () => server.close(() => process.exit(0)));
}
