import type { FastifyInstance } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { APP_USER_HEADERS, ERROR_RESPONSES, SECURITY } from '../routeSchemas.js';
import { CreateDialogUrlReq, CreateDialogUrlResponse } from '../../../domain/live/liveWire.js';
import { DIALOG_URL_PATH, TAGS, ProjectParams, asTenant, type LiveRouteDeps } from './common.js';

export function createDialogUrlRoute(app: FastifyInstance, deps: LiveRouteDeps): void {
  app.withTypeProvider<TypeBoxTypeProvider>().post(
    DIALOG_URL_PATH,
    {
      schema: {
        operationId: 'CreateDialogUrl',
        summary: "A signed URL of the console's dialog page for one session in a room (15 minutes)",
        tags: TAGS,
        security: SECURITY,
        headers: APP_USER_HEADERS,
        params: ProjectParams,
        body: CreateDialogUrlReq,
        response: { 200: CreateDialogUrlResponse, ...ERROR_RESPONSES },
      },
      preValidation: asTenant(deps, true),
    },
    (request) => deps.live.createDialogUrl(request.jobScope, request.body),
  );
}
