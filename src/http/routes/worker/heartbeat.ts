import type { FastifyInstance } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { authenticateAs } from '../../plugins/authentication.js';
import { ERROR_RESPONSES, SECURITY } from '../routeSchemas.js';
import { LeaseBody, TAGS, WORK_PATH, WorkAccepted, WorkParams, type WorkerRouteDeps } from './common.js';

export function heartbeatWorkRoute(app: FastifyInstance, deps: WorkerRouteDeps): void {
  app.withTypeProvider<TypeBoxTypeProvider>().post(
    `${WORK_PATH}/heartbeat`,
    {
      schema: {
        operationId: 'RenewStageLease',
        summary: 'Renew the lease on claimed work (409 when it is lost: stop working on it)',
        tags: TAGS,
        security: SECURITY,
        params: WorkParams,
        body: LeaseBody,
        response: { 200: WorkAccepted, ...ERROR_RESPONSES },
      },
      preValidation: authenticateAs('worker', deps.authenticate, { expectsBody: true }),
    },
    async (request) => {
      await deps.work.heartbeat(request.params.work_id, request.body.lease_token);
      return { result: 'ok' as const };
    },
  );
}
