import type { FastifyInstance } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { DeleteAssetQuery } from '../../../domain/assets/assetWire.js';
import { APP_USER_HEADERS, ERROR_RESPONSES, SECURITY } from '../routeSchemas.js';
import { ASSET_PATH, TAGS, AssetParams, EmptyResponse, asTenant, type AssetRouteDeps } from './common.js';

export function deleteAssetRoute(app: FastifyInstance, deps: AssetRouteDeps): void {
  app.withTypeProvider<TypeBoxTypeProvider>().delete(
    ASSET_PATH,
    {
      schema: {
        operationId: 'DeleteAsset',
        summary: 'Move an asset to the recycle bin (restorable for 7 days), or with mode=force delete it for good',
        tags: TAGS,
        security: SECURITY,
        headers: APP_USER_HEADERS,
        params: AssetParams,
        querystring: DeleteAssetQuery,
        response: { 200: EmptyResponse, ...ERROR_RESPONSES },
      },
      preValidation: asTenant(deps, false),
    },
    async (request) => {
      await deps.assets.delete(request.jobScope, request.params.asset_id, request.query.mode === 'force');
      return {};
    },
  );
}
