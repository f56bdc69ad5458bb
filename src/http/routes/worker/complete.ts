import type { FastifyInstance } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import { authenticateAs } from '../../plugins/authentication.js';
import { ERROR_RESPONSES, SECURITY } from '../routeSchemas.js';
import { LeaseBody, TAGS, WORK_PATH, WorkAccepted, WorkParams, type WorkerRouteDeps } from './common.js';

const CompleteBody = Type.Object({
  ...LeaseBody.properties,
  log_description: Type.Optional(Type.String({ maxLength: 2048, description: "Goes into the stage's success log entry." })),
});

export function completeWorkRoute(app: FastifyInstance, deps: WorkerRouteDeps): void {
  app.withTypeProvider<TypeBoxTypeProvider>().post(
    `${WORK_PATH}/complete`,
    {
      schema: {
        operationId: 'CompleteStageWork',
        summary: 'Complete claimed work once its outputs are uploaded; the job moves on',
        tags: TAGS,
        security: SECURITY,
        params: WorkParams,
        body: CompleteBody,
        response: { 200: WorkAccepted, ...ERROR_RESPONSES },
      },
      preValidation: authenticateAs('worker', deps.authenticate, { expectsBody: true }),
    },
    async (request) => {
      await deps.work.complete(request.params.work_id, request.body.lease_token, request.body.log_description);
      return { result: 'ok' as const };
    },
  );
}
