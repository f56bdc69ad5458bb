import type { FastifyInstance } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { CreateFileResponse, FilesCreateReq } from '../../../domain/assets/assetWire.js';
import { APP_USER_HEADERS, ERROR_RESPONSES, SECURITY } from '../routeSchemas.js';
import { FILES_PATH, TAGS, ProjectParams, asTenant, type AssetRouteDeps } from './common.js';

export function createFileRoute(app: FastifyInstance, deps: AssetRouteDeps): void {
  app.withTypeProvider<TypeBoxTypeProvider>().post(
    FILES_PATH,
    {
      schema: {
        operationId: 'CreateFile',
        summary: 'Register a file of one of your assets and get its upload URL',
        tags: TAGS,
        security: SECURITY,
        headers: APP_USER_HEADERS,
        params: ProjectParams,
        body: FilesCreateReq,
        response: { 200: CreateFileResponse, ...ERROR_RESPONSES },
      },
      preValidation: asTenant(deps, true),
    },
    (request) => deps.assetFiles.createFile(request.jobScope, request.body),
  );
}
