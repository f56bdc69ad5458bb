import type { FastifyInstance } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { APP_USER_HEADERS, ERROR_RESPONSES, SECURITY } from '../routeSchemas.js';
import { CreateSmartChatRoomReq, CreateSmartChatRoomResponse } from '../../../domain/live/liveWire.js';
import { ROOMS_PATH, TAGS, ProjectParams, asTenant, type LiveRouteDeps } from './common.js';

export function createRoomRoute(app: FastifyInstance, deps: LiveRouteDeps): void {
  app.withTypeProvider<TypeBoxTypeProvider>().post(
    ROOMS_PATH,
    {
      schema: {
        operationId: 'CreateSmartChatRoom',
        summary: 'Create a room: a finished 2D model, its voices, video size, subtitle box and concurrency',
        tags: TAGS,
        security: SECURITY,
        headers: APP_USER_HEADERS,
        params: ProjectParams,
        body: CreateSmartChatRoomReq,
        response: { 200: CreateSmartChatRoomResponse, ...ERROR_RESPONSES },
      },
      preValidation: asTenant(deps, true),
    },
    (request) => deps.live.createRoom(request.jobScope, request.body),
  );
}
