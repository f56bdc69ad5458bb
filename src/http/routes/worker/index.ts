import type { FastifyInstance } from 'fastify';
import { claimWorkRoute } from './claim.js';
import { completeWorkRoute } from './complete.js';
import { failWorkRoute } from './fail.js';
import { heartbeatWorkRoute } from './heartbeat.js';
import type { WorkerRouteDeps } from './common.js';

/** The worker API: external workers (worker credentials) claim and run pipeline stages. */
export function registerWorkerRoutes(app: FastifyInstance, deps: WorkerRouteDeps): void {
  claimWorkRoute(app, deps);
  heartbeatWorkRoute(app, deps);
  completeWorkRoute(app, deps);
  failWorkRoute(app, deps);
}
