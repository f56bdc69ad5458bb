import type { FastifyInstance } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import {
  Execute2dModelTrainingCommandByUserReq,
  Execute2dModelTrainingCommandByUserResponse,
} from '../../../domain/wireSchemas.js';
import { authenticateAs } from '../../plugins/authentication.js';
import { APP_USER_HEADERS, ERROR_RESPONSES, SECURITY } from '../routeSchemas.js';
import { JOB_PATH, JobParams, TAGS, type TrainingJobRouteDeps } from './common.js';

export function executeTrainingJobCommandRoute(app: FastifyInstance, deps: TrainingJobRouteDeps): void {
  app.withTypeProvider<TypeBoxTypeProvider>().post(
    `${JOB_PATH}/command`,
    {
      schema: {
        operationId: 'Execute2dModelTrainingCommandByUser',
        summary: 'Run a user command on a job (submit, multipart uploads, acceptance, ...)',
        tags: TAGS,
        security: SECURITY,
        headers: APP_USER_HEADERS,
        params: JobParams,
        body: Execute2dModelTrainingCommandByUserReq,
        response: { 200: Execute2dModelTrainingCommandByUserResponse, ...ERROR_RESPONSES },
      },
      preValidation: authenticateAs('tenant', deps.authenticate, { expectsBody: true }),
    },
    (request) => deps.trainingJobs.executeCommand(request.jobScope, request.params.job_id, request.body),
  );
}
