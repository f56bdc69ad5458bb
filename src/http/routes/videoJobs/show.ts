import type { FastifyInstance } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { Show2DDigitalHumanVideoResponse, ShowDigitalHumanVideoQuery } from '../../../domain/videoJobWire.js';
import { APP_USER_HEADERS, ERROR_RESPONSES, SECURITY } from '../routeSchemas.js';
import { VIDEO_PATH, TAGS, VideoParams, asTenant, type VideoJobRouteDeps } from './common.js';

export function showVideoJobRoute(app: FastifyInstance, deps: VideoJobRouteDeps): void {
  app.withTypeProvider<TypeBoxTypeProvider>().get(
    VIDEO_PATH,
    {
      schema: {
        operationId: 'Show2DDigitalHumanVideo',
        summary: 'Show a video job; when it SUCCEEDed, 24-hour URLs of the video and its cover',
        tags: TAGS,
        security: SECURITY,
        headers: APP_USER_HEADERS,
        params: VideoParams,
        querystring: ShowDigitalHumanVideoQuery,
        response: { 200: Show2DDigitalHumanVideoResponse, ...ERROR_RESPONSES },
      },
      preValidation: asTenant(deps, false),
    },
    (request) => deps.videoJobs.show(request.jobScope, request.params.job_id, request.query.show_script === true),
  );
}
