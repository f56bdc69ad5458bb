import type { FastifyInstance } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { APP_USER_HEADERS, ERROR_RESPONSES, SECURITY } from '../routeSchemas.js';
import { CreateOnceCodeResponse } from '../../../domain/live/liveWire.js';
import { ONCE_CODE_PATH, TAGS, ProjectParams, asTenant, type LiveRouteDeps } from './common.js';

export function createOnceCodeRoute(app: FastifyInstance, deps: LiveRouteDeps): void {
  app.withTypeProvider<TypeBoxTypeProvider>().post(
    ONCE_CODE_PATH,
    {
      schema: {
        operationId: 'CreateOnceCode',
        summary: 'A one-time code for the command channel (5 minutes, single use)',
        tags: TAGS,
        security: SECURITY,
        headers: APP_USER_HEADERS,
        params: ProjectParams,
        response: { 200: CreateOnceCodeResponse, ...ERROR_RESPONSES },
      },
      preValidation: asTenant(deps, false),
    },
    (request) => deps.live.createOnceCode(request.jobScope),
  );
}
