import type { FastifyInstance } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { APP_USER_HEADERS, ERROR_RESPONSES, SECURITY } from '../routeSchemas.js';
import { ListSmartChatRoomsQuery, ListSmartChatRoomsResponse } from '../../../domain/live/liveWire.js';
import { ROOMS_PATH, TAGS, ProjectParams, asTenant, type LiveRouteDeps } from './common.js';

export function listRoomsRoute(app: FastifyInstance, deps: LiveRouteDeps): void {
  app.withTypeProvider<TypeBoxTypeProvider>().get(
    ROOMS_PATH,
    {
      schema: {
        operationId: 'ListSmartChatRooms',
        summary: 'List rooms, newest first, with the sums of their concurrency and terminal quotas',
        tags: TAGS,
        security: SECURITY,
        headers: APP_USER_HEADERS,
        params: ProjectParams,
        querystring: ListSmartChatRoomsQuery,
        response: { 200: ListSmartChatRoomsResponse, ...ERROR_RESPONSES },
      },
      preValidation: asTenant(deps, false),
    },
    (request) => deps.live.listRooms(request.jobScope, request.query),
  );
}
