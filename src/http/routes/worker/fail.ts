import type { FastifyInstance } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import { authenticateAs } from '../../plugins/authentication.js';
import { ERROR_RESPONSES, SECURITY } from '../routeSchemas.js';
import { LeaseBody, TAGS, WORK_PATH, WorkAccepted, WorkParams, type WorkerRouteDeps } from './common.js';

const FailBody = Type.Object({
  ...LeaseBody.properties,
  reason: Type.String({ minLength: 1, maxLength: 4096, description: "Why the stage failed: goes into the failure's log_description." }),
  error_code: Type.Optional(Type.String({ maxLength: 64, description: "Goes into the failure entry's error_code." })),
});

export function failWorkRoute(app: FastifyInstance, deps: WorkerRouteDeps): void {
  app.withTypeProvider<TypeBoxTypeProvider>().post(
    `${WORK_PATH}/fail`,
    {
      schema: {
        operationId: 'FailStageWork',
        summary: 'Fail claimed work with a reason; the job goes to the stage\'s failed state',
        tags: TAGS,
        security: SECURITY,
        params: WorkParams,
        body: FailBody,
        response: { 200: WorkAccepted, ...ERROR_RESPONSES },
      },
      preValidation: authenticateAs('worker', deps.authenticate, { expectsBody: true }),
    },
    async (request) => {
      await deps.work.fail(request.params.work_id, request.body.lease_token, request.body.reason, request.body.error_code);
      return { result: 'ok' as const };
    },
  );
}
