import type { FastifyInstance } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { ListDigitalHumanVideoQuery, ListDigitalHumanVideoResponse } from '../../../domain/videoJobWire.js';
import { APP_USER_HEADERS, ERROR_RESPONSES, SECURITY } from '../routeSchemas.js';
import { TAGS, ProjectParams, asTenant, type VideoJobRouteDeps } from './common.js';

export function listVideoJobsRoute(app: FastifyInstance, deps: VideoJobRouteDeps): void {
  app.withTypeProvider<TypeBoxTypeProvider>().get(
    '/v1/:project_id/digital-human-videos',
    {
      schema: {
        operationId: 'ListDigitalHumanVideo',
        summary: 'List video jobs (the last month unless create_since or create_until is given)',
        tags: TAGS,
        security: SECURITY,
        headers: APP_USER_HEADERS,
        params: ProjectParams,
        querystring: ListDigitalHumanVideoQuery,
        response: { 200: ListDigitalHumanVideoResponse, ...ERROR_RESPONSES },
      },
      preValidation: asTenant(deps, false),
    },
    (request) => deps.videoJobs.list(request.jobScope, request.query),
  );
}
