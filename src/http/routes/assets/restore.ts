import type { FastifyInstance } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { APP_USER_HEADERS, ERROR_RESPONSES, SECURITY } from '../routeSchemas.js';
import { ASSET_PATH, TAGS, AssetParams, EmptyResponse, asTenant, type AssetRouteDeps } from './common.js';

export function restoreAssetRoute(app: FastifyInstance, deps: AssetRouteDeps): void {
  app.withTypeProvider<TypeBoxTypeProvider>().post(
    `${ASSET_PATH}/restore`,
    {
      schema: {
        operationId: 'RestoreAsset',
        summary: 'Take an asset out of the recycle bin, back to the state it was deleted in',
        tags: TAGS,
        security: SECURITY,
        headers: APP_USER_HEADERS,
        params: AssetParams,
        response: { 200: EmptyResponse, ...ERROR_RESPONSES },
      },
      // The SDKs send no body (Content-Length: 0) with a JSON content type.
      preValidation: asTenant(deps, false),
    },
    async (request) => {
      await deps.assets.restore(request.jobScope, request.params.asset_id);
      return {};
    },
  );
}
