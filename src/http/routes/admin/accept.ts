import type { FastifyInstance } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { AdminActionResult } from '../../../domain/adminSchemas.js';
import { authenticateAs } from '../../plugins/authentication.js';
import { ERROR_RESPONSES, SECURITY } from '../routeSchemas.js';
import { ADMIN_JOB_PATH, AdminJobParams, TAGS, type AdminRouteDeps } from './common.js';

export function adminAcceptTrainingJobRoute(app: FastifyInstance, deps: AdminRouteDeps): void {
  app.withTypeProvider<TypeBoxTypeProvider>().post(
    `${ADMIN_JOB_PATH}/accept`,
    {
      schema: {
        operationId: 'AdminAcceptTrainingJob',
        summary: 'Confirm a compiled model (WAIT_ADMIN_CONFIRM); the job goes on to asset sync',
        tags: TAGS,
        security: SECURITY,
        params: AdminJobParams,
        response: { 200: AdminActionResult, ...ERROR_RESPONSES },
      },
      preValidation: authenticateAs('admin', deps.authenticate, { expectsBody: false }),
    },
    (request) => deps.admin.accept(request.params.job_id),
  );
}
