import type { FastifyInstance } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { AdminActionResult, RedoRequest } from '../../../domain/adminSchemas.js';
import { authenticateAs } from '../../plugins/authentication.js';
import { ERROR_RESPONSES, SECURITY } from '../routeSchemas.js';
import { ADMIN_JOB_PATH, AdminJobParams, TAGS, type AdminRouteDeps } from './common.js';

export function adminRedoTrainingJobRoute(app: FastifyInstance, deps: AdminRouteDeps): void {
  app.withTypeProvider<TypeBoxTypeProvider>().post(
    `${ADMIN_JOB_PATH}/redo`,
    {
      schema: {
        operationId: 'AdminRedoTrainingJob',
        summary: 'Run the failed or stopped stage of a job again (preprocessing, training, inference preprocessing, compile, test-video check)',
        tags: TAGS,
        security: SECURITY,
        params: AdminJobParams,
        body: RedoRequest,
        response: { 200: AdminActionResult, ...ERROR_RESPONSES },
      },
      preValidation: authenticateAs('admin', deps.authenticate, { expectsBody: true }),
    },
    (request) => deps.admin.redo(request.params.job_id, request.body.reason),
  );
}
