import type { FastifyInstance } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { AdminActionResult, SkipRequest } from '../../../domain/adminSchemas.js';
import { authenticateAs } from '../../plugins/authentication.js';
import { ERROR_RESPONSES, SECURITY } from '../routeSchemas.js';
import { ADMIN_JOB_PATH, AdminJobParams, TAGS, type AdminRouteDeps } from './common.js';

export function adminSkipTrainingJobStageRoute(app: FastifyInstance, deps: AdminRouteDeps): void {
  app.withTypeProvider<TypeBoxTypeProvider>().post(
    `${ADMIN_JOB_PATH}/skip`,
    {
      schema: {
        operationId: 'AdminSkipTrainingJobStage',
        summary: 'Skip the optional stage a job waits for or failed in (the test-video check); the job goes on to asset sync',
        tags: TAGS,
        security: SECURITY,
        params: AdminJobParams,
        body: SkipRequest,
        response: { 200: AdminActionResult, ...ERROR_RESPONSES },
      },
      preValidation: authenticateAs('admin', deps.authenticate, { expectsBody: true }),
    },
    (request) => deps.admin.skip(request.params.job_id, request.body.reason),
  );
}
