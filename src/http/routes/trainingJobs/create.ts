import type { FastifyInstance } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { Create2dModelTrainingJobReq, Create2dModelTrainingJobResponse } from '../../../domain/wireSchemas.js';
import { authenticateAs } from '../../plugins/authentication.js';
import { APP_USER_HEADERS, ERROR_RESPONSES, SECURITY } from '../routeSchemas.js';
import { JOBS_PATH, ProjectParams, TAGS, type TrainingJobRouteDeps } from './common.js';

export function createTrainingJobRoute(app: FastifyInstance, deps: TrainingJobRouteDeps): void {
  app.withTypeProvider<TypeBoxTypeProvider>().post(
    JOBS_PATH,
    {
      schema: {
        operationId: 'Create2dModelTrainingJob',
        summary: 'Create a 2D avatar model training job; answers its upload URLs',
        tags: TAGS,
        security: SECURITY,
        headers: APP_USER_HEADERS,
        params: ProjectParams,
        body: Create2dModelTrainingJobReq,
        response: { 200: Create2dModelTrainingJobResponse, ...ERROR_RESPONSES },
      },
      preValidation: authenticateAs('tenant', deps.authenticate, { expectsBody: true }),
    },
    (request) => deps.trainingJobs.createJob(request.jobScope, request.body),
  );
}
