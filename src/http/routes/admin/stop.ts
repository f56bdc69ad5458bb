import type { FastifyInstance } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { AdminActionResult, StopRequest } from '../../../domain/adminSchemas.js';
import { authenticateAs } from '../../plugins/authentication.js';
import { ERROR_RESPONSES, SECURITY } from '../routeSchemas.js';
import { ADMIN_JOB_PATH, AdminJobParams, TAGS, type AdminRouteDeps } from './common.js';

export function adminStopTrainingJobRoute(app: FastifyInstance, deps: AdminRouteDeps): void {
  app.withTypeProvider<TypeBoxTypeProvider>().post(
    `${ADMIN_JOB_PATH}/stop`,
    {
      schema: {
        operationId: 'AdminStopTrainingJob',
        summary: 'Stop the pipeline stage the job is in or waits for (preprocessing, training, inference preprocessing, compile, test-video check)',
        tags: TAGS,
        security: SECURITY,
        params: AdminJobParams,
        body: StopRequest,
        response: { 200: AdminActionResult, ...ERROR_RESPONSES },
      },
      preValidation: authenticateAs('admin', deps.authenticate, { expectsBody: true }),
    },
    (request) => deps.admin.stop(request.params.job_id, request.body.reason),
  );
}
