import type { FastifyInstance } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { Show2dModelTrainingJobResponse } from '../../../domain/wireSchemas.js';
import { authenticateAs } from '../../plugins/authentication.js';
import { APP_USER_HEADERS, ERROR_RESPONSES, SECURITY } from '../routeSchemas.js';
import { JOB_PATH, JobParams, TAGS, type TrainingJobRouteDeps } from './common.js';

export function showTrainingJobRoute(app: FastifyInstance, deps: TrainingJobRouteDeps): void {
  app.withTypeProvider<TypeBoxTypeProvider>().get(
    JOB_PATH,
    {
      schema: {
        operationId: 'Show2dModelTrainingJob',
        summary: 'Show a training job with its logs and 24-hour download URLs',
        tags: TAGS,
        security: SECURITY,
        headers: APP_USER_HEADERS,
        params: JobParams,
        response: { 200: Show2dModelTrainingJobResponse, ...ERROR_RESPONSES },
      },
      preValidation: authenticateAs('tenant', deps.authenticate, { expectsBody: false }),
      ...deps.readCache?.hooks,
    },
    (request) => deps.trainingJobs.showJob(request.jobScope, request.params.job_id),
  );
}
