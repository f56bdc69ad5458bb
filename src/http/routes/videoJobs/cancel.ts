import type { FastifyInstance } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import { APP_USER_HEADERS, ERROR_RESPONSES, SECURITY } from '../routeSchemas.js';
import { VIDEO_PATH, TAGS, VideoParams, asTenant, type VideoJobRouteDeps } from './common.js';

export function cancelVideoJobRoute(app: FastifyInstance, deps: VideoJobRouteDeps): void {
  app.withTypeProvider<TypeBoxTypeProvider>().post(
    `${VIDEO_PATH}/cancel`,
    {
      schema: {
        operationId: 'Cancel2DDigitalHumanVideo',
        summary: 'Cancel a WAITING or PROCESSING video job',
        tags: TAGS,
        security: SECURITY,
        headers: APP_USER_HEADERS,
        params: VideoParams,
        response: { 200: Type.Object({}, { description: 'Always `{}`.' }), ...ERROR_RESPONSES },
      },
      // The SDKs send no body (Content-Length: 0) with a JSON content type.
      preValidation: asTenant(deps, false),
    },
    async (request) => {
      await deps.videoJobs.cancel(request.jobScope, request.params.job_id);
      return {};
    },
  );
}
