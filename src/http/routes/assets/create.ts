import type { FastifyInstance } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { CreateDigitalAssetRequestBody, CreateDigitalAssetResponse } from '../../../domain/assets/assetWire.js';
import { APP_USER_HEADERS, ERROR_RESPONSES, SECURITY } from '../routeSchemas.js';
import { ASSETS_PATH, TAGS, ProjectParams, asTenant, type AssetRouteDeps } from './common.js';

export function createAssetRoute(app: FastifyInstance, deps: AssetRouteDeps): void {
  app.withTypeProvider<TypeBoxTypeProvider>().post(
    ASSETS_PATH,
    {
      schema: {
        operationId: 'CreateDigitalAsset',
        summary: 'Create an asset of your own (CREATING until its MAIN file is uploaded)',
        tags: TAGS,
        security: SECURITY,
        headers: APP_USER_HEADERS,
        params: ProjectParams,
        body: CreateDigitalAssetRequestBody,
        response: { 200: CreateDigitalAssetResponse, ...ERROR_RESPONSES },
      },
      preValidation: asTenant(deps, true),
    },
    (request) => deps.assets.create(request.jobScope, request.body),
  );
}
