import type { FastifyInstance } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { AdminActionResult, FlexusRetryCountRequest } from '../../../domain/adminSchemas.js';
import { authenticateAs } from '../../plugins/authentication.js';
import { ERROR_RESPONSES, SECURITY } from '../routeSchemas.js';
import { ADMIN_JOB_PATH, AdminJobParams, TAGS, type AdminRouteDeps } from './common.js';

export function adminSetFlexusRetryCountRoute(app: FastifyInstance, deps: AdminRouteDeps): void {
  app.withTypeProvider<TypeBoxTypeProvider>().put(
    `${ADMIN_JOB_PATH}/flexus-retry-count`,
    {
      schema: {
        operationId: 'AdminSetFlexusRetryCount',
        summary: 'Set the retrains left of a Flexus job (0-10); the state does not change',
        tags: TAGS,
        security: SECURITY,
        params: AdminJobParams,
        body: FlexusRetryCountRequest,
        response: { 200: AdminActionResult, ...ERROR_RESPONSES },
      },
      preValidation: authenticateAs('admin', deps.authenticate, { expectsBody: true }),
    },
    (request) => deps.admin.setFlexusRetryCount(request.params.job_id, request.body.flexus_retry_count),
  );
}
