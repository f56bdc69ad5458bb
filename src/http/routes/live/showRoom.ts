import type { FastifyInstance } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { APP_USER_HEADERS, ERROR_RESPONSES, SECURITY } from '../routeSchemas.js';
import { SmartChatRoomDetail } from '../../../domain/live/liveWire.js';
import { ROOM_PATH, TAGS, RoomParams, asTenant, type LiveRouteDeps } from './common.js';

export function showRoomRoute(app: FastifyInstance, deps: LiveRouteDeps): void {
  app.withTypeProvider<TypeBoxTypeProvider>().get(
    ROOM_PATH,
    {
      schema: {
        operationId: 'ShowSmartChatRoom',
        summary: 'Show a room',
        tags: TAGS,
        security: SECURITY,
        headers: APP_USER_HEADERS,
        params: RoomParams,
        response: { 200: SmartChatRoomDetail, ...ERROR_RESPONSES },
      },
      preValidation: asTenant(deps, false),
    },
    (request) => deps.live.showRoom(request.jobScope, request.params.room_id),
  );
}
