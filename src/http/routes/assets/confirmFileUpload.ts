import type { FastifyInstance } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { ConfirmFileUploadRequestBody } from '../../../domain/assets/assetWire.js';
import { APP_USER_HEADERS, ERROR_RESPONSES, SECURITY } from '../routeSchemas.js';
import { FILE_PATH, TAGS, EmptyResponse, FileParams, asTenant, type AssetRouteDeps } from './common.js';

export function confirmFileUploadRoute(app: FastifyInstance, deps: AssetRouteDeps): void {
  app.withTypeProvider<TypeBoxTypeProvider>().post(
    `${FILE_PATH}/complete`,
    {
      schema: {
        operationId: 'ConfirmFileUpload',
        summary: "Say how a file's upload went; CREATED checks the bytes and makes a MAIN file's asset ACTIVED",
        tags: TAGS,
        security: SECURITY,
        headers: APP_USER_HEADERS,
        params: FileParams,
        body: ConfirmFileUploadRequestBody,
        response: { 200: EmptyResponse, ...ERROR_RESPONSES },
      },
      preValidation: asTenant(deps, true),
    },
    async (request) => {
      await deps.assetFiles.confirmFileUpload(request.jobScope, request.params.file_id, request.body.state);
      return {};
    },
  );
}
