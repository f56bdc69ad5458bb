import type { FastifyInstance } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { DigitalAssetInfo, UpdateDigitalAssetRequestBody } from '../../../domain/assets/assetWire.js';
import { APP_USER_HEADERS, ERROR_RESPONSES, SECURITY } from '../routeSchemas.js';
import { ASSET_PATH, TAGS, AssetParams, asTenant, type AssetRouteDeps } from './common.js';

export function updateAssetRoute(app: FastifyInstance, deps: AssetRouteDeps): void {
  app.withTypeProvider<TypeBoxTypeProvider>().put(
    ASSET_PATH,
    {
      schema: {
        operationId: 'UpdateDigitalAsset',
        summary: 'Change an asset: name, description, tags, order, services, properties; activate or deactivate it',
        tags: TAGS,
        security: SECURITY,
        headers: APP_USER_HEADERS,
        params: AssetParams,
        body: UpdateDigitalAssetRequestBody,
        response: { 200: DigitalAssetInfo, ...ERROR_RESPONSES },
      },
      preValidation: asTenant(deps, true),
    },
    (request) => deps.assets.update(request.jobScope, request.params.asset_id, request.body),
  );
}
