import type { FastifyInstance } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import { authenticateAs } from '../../plugins/authentication.js';
import { APP_USER_HEADERS, ERROR_RESPONSES, SECURITY } from '../routeSchemas.js';
import { JOB_PATH, JobParams, TAGS, type TrainingJobRouteDeps } from './common.js';

export function deleteTrainingJobRoute(app: FastifyInstance, deps: TrainingJobRouteDeps): void {
  app.withTypeProvider<TypeBoxTypeProvider>().delete(
    JOB_PATH,
    {
      schema: {
        operationId: 'Delete2dModelTrainingJob',
        summary: 'Delete a job and all its files',
        tags: TAGS,
        security: SECURITY,
        headers: APP_USER_HEADERS,
        params: JobParams,
        // `{}` rather than an empty body: the Node SDK keeps X-Request-Id only for a JSON object.
        response: { 200: Type.Object({}, { description: 'Always `{}`.' }), ...ERROR_RESPONSES },
      },
      preValidation: authenticateAs('tenant', deps.authenticate, { expectsBody: false }),
    },
    async (request) => {
      await deps.trainingJobs.deleteJob(request.jobScope, request.params.job_id);
      return {};
    },
  );
}
