import type { FastifyInstance } from 'fastify';
import { UPLOAD_ROUTE_PREFIX } from '../../blobs/signedUrls.js';
import type { Metrics } from '../../metrics/metrics.js';

/** Every answered request counted by its route's pattern (not its URL) and status; uploads in progress. */
export function countRequests(app: FastifyInstance, metrics: Metrics): void {
  app.addHook('onRequest', async (request, reply) => {
    if (request.url.startsWith(UPLOAD_ROUTE_PREFIX)) reply.raw.once('close', metrics.uploadStarted());
  });
  app.addHook('onResponse', async (request, reply) => {
    metrics.requestAnswered(request.method, request.routeOptions.url ?? '(no route)', reply.statusCode, reply.elapsedTime / 1000);
  });
}
