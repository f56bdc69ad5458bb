import type { FastifyInstance } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { ShowTrainingJobModelResponse } from '../../../domain/deliveredModel.js';
import { authenticateAs } from '../../plugins/authentication.js';
import { ERROR_RESPONSES, SECURITY } from '../routeSchemas.js';
import { ADMIN_JOB_PATH, AdminJobParams, TAGS, type AdminRouteDeps } from './common.js';

export function adminShowTrainingJobModelRoute(app: FastifyInstance, deps: AdminRouteDeps): void {
  app.withTypeProvider<TypeBoxTypeProvider>().get(
    `${ADMIN_JOB_PATH}/model`,
    {
      schema: {
        operationId: 'AdminShowTrainingJobModel',
        summary: "A job's delivered model, test video and test-video report, as its owner gets them (to judge the model before accepting it)",
        tags: TAGS,
        security: SECURITY,
        params: AdminJobParams,
        response: { 200: ShowTrainingJobModelResponse, ...ERROR_RESPONSES },
      },
      preValidation: authenticateAs('admin', deps.authenticate, { expectsBody: false }),
    },
    (request) => deps.admin.showModel(request.params.job_id),
  );
}
