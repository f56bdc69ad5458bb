import type { FastifyInstance } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { CreateLargeFileResponse, LargeFilesCreateReq } from '../../../domain/assets/assetWire.js';
import { APP_USER_HEADERS, ERROR_RESPONSES, SECURITY } from '../routeSchemas.js';
import { LARGE_FILES_PATH, TAGS, ProjectParams, asTenant, type AssetRouteDeps } from './common.js';

export function createLargeFileRoute(app: FastifyInstance, deps: AssetRouteDeps): void {
  app.withTypeProvider<TypeBoxTypeProvider>().post(
    LARGE_FILES_PATH,
    {
      schema: {
        operationId: 'CreateLargeFile',
        summary: 'Register a file of one of your assets uploaded in parts, and get an upload URL per part',
        tags: TAGS,
        security: SECURITY,
        headers: APP_USER_HEADERS,
        params: ProjectParams,
        body: LargeFilesCreateReq,
        response: { 200: CreateLargeFileResponse, ...ERROR_RESPONSES },
      },
      preValidation: asTenant(deps, true),
    },
    (request) => deps.assetFiles.createLargeFile(request.jobScope, request.body),
  );
}
