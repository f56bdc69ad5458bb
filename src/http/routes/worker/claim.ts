import type { FastifyInstance } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import { authenticateAs } from '../../plugins/authentication.js';
import { ERROR_RESPONSES, SECURITY } from '../routeSchemas.js';
import { ClaimRequest, ClaimResponse, TAGS, type WorkerRouteDeps } from './common.js';

export function claimWorkRoute(app: FastifyInstance, deps: WorkerRouteDeps): void {
  app.withTypeProvider<TypeBoxTypeProvider>().post(
    '/v1/worker/claims',
    {
      schema: {
        operationId: 'ClaimStageWork',
        summary: 'Claim the oldest waiting work of some stages (204 when there is none)',
        tags: TAGS,
        security: SECURITY,
        body: ClaimRequest,
        response: { 200: ClaimResponse, 204: Type.Null({ description: 'No work waiting.' }), ...ERROR_RESPONSES },
      },
      preValidation: authenticateAs('worker', deps.authenticate, { expectsBody: true }),
    },
    async (request, reply) => {
      const claim = await deps.work.claim(request.body.worker_id, request.body.stages);
      if (!claim) return reply.status(204).send(null);
      return claim;
    },
  );
}
