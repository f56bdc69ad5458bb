import type { FastifyInstance } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { List2dModelTrainingJobQuery, List2dModelTrainingJobResponse } from '../../../domain/wireSchemas.js';
import { authenticateAs } from '../../plugins/authentication.js';
import { APP_USER_HEADERS, ERROR_RESPONSES, SECURITY } from '../routeSchemas.js';
import { JOBS_PATH, ProjectParams, TAGS, type TrainingJobRouteDeps } from './common.js';

export function listTrainingJobsRoute(app: FastifyInstance, deps: TrainingJobRouteDeps): void {
  app.withTypeProvider<TypeBoxTypeProvider>().get(
    JOBS_PATH,
    {
      schema: {
        operationId: 'List2dModelTrainingJob',
        summary: 'List 2D avatar model training jobs, with filters, paging and sorting',
        tags: TAGS,
        security: SECURITY,
        headers: APP_USER_HEADERS,
        params: ProjectParams,
        querystring: List2dModelTrainingJobQuery,
        response: { 200: List2dModelTrainingJobResponse, ...ERROR_RESPONSES },
      },
      preValidation: authenticateAs('tenant', deps.authenticate, { expectsBody: false }),
      ...deps.readCache?.hooks,
    },
    (request) => deps.trainingJobs.listJobs(request.jobScope, request.query),
  );
}
