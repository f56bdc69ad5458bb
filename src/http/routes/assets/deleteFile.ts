import type { FastifyInstance } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { APP_USER_HEADERS, ERROR_RESPONSES, SECURITY } from '../routeSchemas.js';
import { FILE_PATH, TAGS, EmptyResponse, FileParams, asTenant, type AssetRouteDeps } from './common.js';

export function deleteFileRoute(app: FastifyInstance, deps: AssetRouteDeps): void {
  app.withTypeProvider<TypeBoxTypeProvider>().delete(
    FILE_PATH,
    {
      schema: {
        operationId: 'DeleteFile',
        summary: "Delete a file of one of your assets with its bytes (an asset without its MAIN file is CREATING again)",
        tags: TAGS,
        security: SECURITY,
        headers: APP_USER_HEADERS,
        params: FileParams,
        response: { 200: EmptyResponse, ...ERROR_RESPONSES },
      },
      preValidation: asTenant(deps, false),
    },
    async (request) => {
      await deps.assetFiles.deleteFile(request.jobScope, request.params.file_id);
      return {};
    },
  );
}
