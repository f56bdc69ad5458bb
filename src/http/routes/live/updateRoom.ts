import type { FastifyInstance } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { APP_USER_HEADERS, ERROR_RESPONSES, SECURITY } from '../routeSchemas.js';
import { CreateSmartChatRoomReq, SmartChatRoomDetail } from '../../../domain/live/liveWire.js';
import { ROOM_PATH, TAGS, RoomParams, asTenant, type LiveRouteDeps } from './common.js';

export function updateRoomRoute(app: FastifyInstance, deps: LiveRouteDeps): void {
  app.withTypeProvider<TypeBoxTypeProvider>().put(
    ROOM_PATH,
    {
      schema: {
        operationId: 'UpdateSmartChatRoom',
        summary: "Replace a room's settings (the Create body, whole); jobs already started keep theirs",
        tags: TAGS,
        security: SECURITY,
        headers: APP_USER_HEADERS,
        params: RoomParams,
        body: CreateSmartChatRoomReq,
        response: { 200: SmartChatRoomDetail, ...ERROR_RESPONSES },
      },
      preValidation: asTenant(deps, true),
    },
    (request) => deps.live.updateRoom(request.jobScope, request.params.room_id, request.body),
  );
}
