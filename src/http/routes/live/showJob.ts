import type { FastifyInstance } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { APP_USER_HEADERS, ERROR_RESPONSES, SECURITY } from '../routeSchemas.js';
import { ShowSmartChatJobResponse } from '../../../domain/live/liveWire.js';
import { JOB_STATE_PATH, TAGS, JobParams, asTenant, type LiveRouteDeps } from './common.js';

export function showJobRoute(app: FastifyInstance, deps: LiveRouteDeps): void {
  app.withTypeProvider<TypeBoxTypeProvider>().get(
    JOB_STATE_PATH,
    {
      schema: {
        operationId: 'ShowSmartChatJob',
        summary: 'Show a job of a room',
        tags: TAGS,
        security: SECURITY,
        headers: APP_USER_HEADERS,
        params: JobParams,
        response: { 200: ShowSmartChatJobResponse, ...ERROR_RESPONSES },
      },
      preValidation: asTenant(deps, false),
    },
    (request) => deps.live.showJob(request.jobScope, request.params.room_id, request.params.job_id),
  );
}
