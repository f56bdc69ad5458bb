import type { FastifyInstance } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { Update2dModelTrainingJobReq, Update2dModelTrainingJobResponse } from '../../../domain/wireSchemas.js';
import { authenticateAs } from '../../plugins/authentication.js';
import { APP_USER_HEADERS, ERROR_RESPONSES, SECURITY } from '../routeSchemas.js';
import { JOB_PATH, JobParams, TAGS, type TrainingJobRouteDeps } from './common.js';

export function updateTrainingJobRoute(app: FastifyInstance, deps: TrainingJobRouteDeps): void {
  app.withTypeProvider<TypeBoxTypeProvider>().put(
    JOB_PATH,
    {
      schema: {
        operationId: 'Update2dModelTrainingJob',
        summary: 'Update a job after a failed review; answers fresh upload URLs',
        tags: TAGS,
        security: SECURITY,
        headers: APP_USER_HEADERS,
        params: JobParams,
        body: Update2dModelTrainingJobReq,
        response: { 200: Update2dModelTrainingJobResponse, ...ERROR_RESPONSES },
      },
      preValidation: authenticateAs('tenant', deps.authenticate, { expectsBody: true }),
    },
    (request) => deps.trainingJobs.updateJob(request.jobScope, request.params.job_id, request.body),
  );
}
