import type { FastifyInstance } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { APP_USER_HEADERS, ERROR_RESPONSES, SECURITY } from '../routeSchemas.js';
import { ListSmartChatJobQuery, ListSmartChatJobResponse } from '../../../domain/live/liveWire.js';
import { JOBS_PATH, TAGS, RoomParams, asTenant, type LiveRouteDeps } from './common.js';

export function listJobsRoute(app: FastifyInstance, deps: LiveRouteDeps): void {
  app.withTypeProvider<TypeBoxTypeProvider>().get(
    JOBS_PATH,
    {
      schema: {
        operationId: 'ListSmartChatJob',
        summary: 'List the jobs of a room, newest first',
        tags: TAGS,
        security: SECURITY,
        headers: APP_USER_HEADERS,
        params: RoomParams,
        querystring: ListSmartChatJobQuery,
        response: { 200: ListSmartChatJobResponse, ...ERROR_RESPONSES },
      },
      preValidation: asTenant(deps, false),
    },
    (request) => deps.live.listJobs(request.jobScope, request.params.room_id, request.query),
  );
}
