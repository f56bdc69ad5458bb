import type { FastifyInstance } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { Create2DDigitalHumanVideoReq, Create2DDigitalHumanVideoResponse } from '../../../domain/videoJobWire.js';
import { APP_USER_HEADERS, ERROR_RESPONSES, SECURITY } from '../routeSchemas.js';
import { VIDEOS_PATH, TAGS, ProjectParams, asTenant, type VideoJobRouteDeps } from './common.js';

export function createVideoJobRoute(app: FastifyInstance, deps: VideoJobRouteDeps): void {
  app.withTypeProvider<TypeBoxTypeProvider>().post(
    VIDEOS_PATH,
    {
      schema: {
        operationId: 'Create2DDigitalHumanVideo',
        summary: 'Create a video job: a finished model says the scripts (text or audio)',
        tags: TAGS,
        security: SECURITY,
        headers: APP_USER_HEADERS,
        params: ProjectParams,
        body: Create2DDigitalHumanVideoReq,
        response: { 200: Create2DDigitalHumanVideoResponse, ...ERROR_RESPONSES },
      },
      preValidation: asTenant(deps, true),
    },
    (request) => deps.videoJobs.create(request.jobScope, request.body, request.headers.host),
  );
}
