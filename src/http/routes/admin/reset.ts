import type { FastifyInstance } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { AdminActionResult, ResetRequest } from '../../../domain/adminSchemas.js';
import { authenticateAs } from '../../plugins/authentication.js';
import { ERROR_RESPONSES, SECURITY } from '../routeSchemas.js';
import { ADMIN_JOB_PATH, AdminJobParams, TAGS, type AdminRouteDeps } from './common.js';

export function adminResetTrainingJobRoute(app: FastifyInstance, deps: AdminRouteDeps): void {
  app.withTypeProvider<TypeBoxTypeProvider>().post(
    `${ADMIN_JOB_PATH}/reset`,
    {
      schema: {
        operationId: 'AdminResetTrainingJob',
        summary: 'Send a job that is not finished back to an earlier state; the pipeline resumes from there',
        tags: TAGS,
        security: SECURITY,
        params: AdminJobParams,
        body: ResetRequest,
        response: { 200: AdminActionResult, ...ERROR_RESPONSES },
      },
      preValidation: authenticateAs('admin', deps.authenticate, { expectsBody: true }),
    },
    (request) => deps.admin.reset(request.params.job_id, request.body.to_state, request.body.reason),
  );
}
