import type { FastifyInstance } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { APP_USER_HEADERS, ERROR_RESPONSES, SECURITY } from '../routeSchemas.js';
import { JOB_STOP_PATH, TAGS, JobParams, EmptyResponse, asTenant, type LiveRouteDeps } from './common.js';

export function stopJobRoute(app: FastifyInstance, deps: LiveRouteDeps): void {
  app.withTypeProvider<TypeBoxTypeProvider>().post(
    JOB_STOP_PATH,
    {
      schema: {
        operationId: 'StopSmartChatJob',
        summary: 'End a job (SUCCEED, job_finish_reason NORMAL); an ended job stays as it is',
        tags: TAGS,
        security: SECURITY,
        headers: APP_USER_HEADERS,
        params: JobParams,
        response: { 200: EmptyResponse, ...ERROR_RESPONSES },
      },
      preValidation: asTenant(deps, false),
    },
    async (request) => {
      await deps.live.stopJob(request.jobScope, request.params.room_id, request.params.job_id);
      return {};
    },
  );
}
