import type { FastifyInstance } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { APP_USER_HEADERS, ERROR_RESPONSES, SECURITY } from '../routeSchemas.js';
import { SmartChatJobsReq, StartSmartChatJobQuery, StartSmartChatJobResponse } from '../../../domain/live/liveWire.js';
import { JOBS_PATH, TAGS, RoomParams, asTenantWithOptionalBody, type LiveRouteDeps } from './common.js';

export function startJobRoute(app: FastifyInstance, deps: LiveRouteDeps): void {
  app.withTypeProvider<TypeBoxTypeProvider>().post(
    JOBS_PATH,
    {
      schema: {
        operationId: 'StartSmartChatJob',
        summary: "Start a job in a room (WAITING; no media yet), within the room's concurrency",
        tags: TAGS,
        security: SECURITY,
        headers: APP_USER_HEADERS,
        params: RoomParams,
        querystring: StartSmartChatJobQuery,
        body: SmartChatJobsReq,
        response: { 200: StartSmartChatJobResponse, ...ERROR_RESPONSES },
      },
      preValidation: asTenantWithOptionalBody(deps),
    },
    (request) => deps.live.startJob(request.jobScope, request.params.room_id, request.query.robot_id, request.body),
  );
}
