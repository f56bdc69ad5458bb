import type { FastifyInstance } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { DigitalAssetInfo } from '../../../domain/assets/assetWire.js';
import { APP_USER_HEADERS, ERROR_RESPONSES, SECURITY } from '../routeSchemas.js';
import { ASSET_PATH, TAGS, AssetParams, asTenant, type AssetRouteDeps } from './common.js';

export function showAssetRoute(app: FastifyInstance, deps: AssetRouteDeps): void {
  app.withTypeProvider<TypeBoxTypeProvider>().get(
    ASSET_PATH,
    {
      schema: {
        operationId: 'ShowAsset',
        summary: 'Show an asset, with 24-hour download URLs of its files',
        tags: TAGS,
        security: SECURITY,
        headers: APP_USER_HEADERS,
        params: AssetParams,
        response: { 200: DigitalAssetInfo, ...ERROR_RESPONSES },
      },
      preValidation: asTenant(deps, false),
      ...deps.readCache?.hooks,
    },
    async (request) => {
      // Kept no longer than the recycle bin's next deletion for good, which no write announces.
      const { answer, changesAt } = await deps.assets.show(request.jobScope, request.params.asset_id);
      deps.readCache?.keepUntil(request, changesAt);
      return answer;
    },
  );
}
