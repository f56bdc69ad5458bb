import type { FastifyInstance } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { AdminJobDetail } from '../../../domain/adminSchemas.js';
import { authenticateAs } from '../../plugins/authentication.js';
import { ERROR_RESPONSES, SECURITY } from '../routeSchemas.js';
import { ADMIN_JOB_PATH, AdminJobParams, TAGS, type AdminRouteDeps } from './common.js';

export function adminShowTrainingJobRoute(app: FastifyInstance, deps: AdminRouteDeps): void {
  app.withTypeProvider<TypeBoxTypeProvider>().get(
    ADMIN_JOB_PATH,
    {
      schema: {
        operationId: 'AdminShowTrainingJob',
        summary: 'Show a job of any project as its owner sees it, plus its pipeline work items',
        tags: TAGS,
        security: SECURITY,
        params: AdminJobParams,
        response: { 200: AdminJobDetail, ...ERROR_RESPONSES },
      },
      preValidation: authenticateAs('admin', deps.authenticate, { expectsBody: false }),
    },
    (request) => deps.admin.showJob(request.params.job_id),
  );
}
