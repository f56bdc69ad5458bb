import type { FastifyInstance } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { ShowTrainingJobModelResponse } from '../../../domain/deliveredModel.js';
import { authenticateAs } from '../../plugins/authentication.js';
import { APP_USER_HEADERS, ERROR_RESPONSES, SECURITY } from '../routeSchemas.js';
import { JOB_PATH, JobParams, TAGS, type TrainingJobRouteDeps } from './common.js';

/** Not kept by the read cache: its hooks are Show's and List's only, and it keys answers by path. */
export function showTrainingJobModelRoute(app: FastifyInstance, deps: TrainingJobRouteDeps): void {
  app.withTypeProvider<TypeBoxTypeProvider>().get(
    `${JOB_PATH}/model`,
    {
      schema: {
        operationId: 'ShowTrainingJobModel',
        summary: 'avatarforge extension: the delivered model of a job, its test video and test-video report, with 24-hour download URLs',
        tags: TAGS,
        security: SECURITY,
        headers: APP_USER_HEADERS,
        params: JobParams,
        response: { 200: ShowTrainingJobModelResponse, ...ERROR_RESPONSES },
      },
      preValidation: authenticateAs('tenant', deps.authenticate, { expectsBody: false }),
    },
    (request) => deps.trainingJobs.showModel(request.jobScope, request.params.job_id),
  );
}
