import type { FastifyInstance } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { APP_USER_HEADERS, ERROR_RESPONSES, SECURITY } from '../routeSchemas.js';
import { ROOM_PATH, TAGS, RoomParams, EmptyResponse, asTenant, type LiveRouteDeps } from './common.js';

export function deleteRoomRoute(app: FastifyInstance, deps: LiveRouteDeps): void {
  app.withTypeProvider<TypeBoxTypeProvider>().delete(
    ROOM_PATH,
    {
      schema: {
        operationId: 'DeleteSmartChatRoom',
        summary: 'Delete a room and its ended jobs (refused while a job has not ended)',
        tags: TAGS,
        security: SECURITY,
        headers: APP_USER_HEADERS,
        params: RoomParams,
        response: { 200: EmptyResponse, ...ERROR_RESPONSES },
      },
      preValidation: asTenant(deps, false),
    },
    async (request) => {
      await deps.live.deleteRoom(request.jobScope, request.params.room_id);
      return {};
    },
  );
}
