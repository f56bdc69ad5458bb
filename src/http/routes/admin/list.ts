import type { FastifyInstance } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { AdminJobList, AdminListJobsQuery } from '../../../domain/adminSchemas.js';
import { authenticateAs } from '../../plugins/authentication.js';
import { ERROR_RESPONSES, SECURITY } from '../routeSchemas.js';
import { ADMIN_JOBS_PATH, TAGS, type AdminRouteDeps } from './common.js';

export function adminListTrainingJobsRoute(app: FastifyInstance, deps: AdminRouteDeps): void {
  app.withTypeProvider<TypeBoxTypeProvider>().get(
    ADMIN_JOBS_PATH,
    {
      schema: {
        operationId: 'AdminListTrainingJobs',
        summary: 'List jobs of every project by state, the longest unchanged first (default: the review queue, MANUAL_VERIFYING)',
        tags: TAGS,
        security: SECURITY,
        querystring: AdminListJobsQuery,
        response: { 200: AdminJobList, ...ERROR_RESPONSES },
      },
      preValidation: authenticateAs('admin', deps.authenticate, { expectsBody: false }),
    },
    (request) => deps.admin.listJobs(request.query),
  );
}
