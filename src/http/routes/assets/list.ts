import type { FastifyInstance } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { ListAssetsQuery, ListAssetsResponse } from '../../../domain/assets/assetWire.js';
import { APP_USER_HEADERS, ERROR_RESPONSES, SECURITY } from '../routeSchemas.js';
import { ASSETS_PATH, TAGS, ProjectParams, asTenant, type AssetRouteDeps } from './common.js';

export function listAssetsRoute(app: FastifyInstance, deps: AssetRouteDeps): void {
  app.withTypeProvider<TypeBoxTypeProvider>().get(
    ASSETS_PATH,
    {
      schema: {
        operationId: 'ListAssets',
        summary: "List the project's assets (every state but DELETED unless asset_state says otherwise)",
        tags: TAGS,
        security: SECURITY,
        headers: APP_USER_HEADERS,
        params: ProjectParams,
        querystring: ListAssetsQuery,
        response: { 200: ListAssetsResponse, ...ERROR_RESPONSES },
      },
      preValidation: asTenant(deps, false),
      ...deps.readCache?.hooks,
    },
    async (request) => {
      // Kept no longer than the recycle bin's next deletion for good, which no write announces.
      const { answer, changesAt } = await deps.assets.list(request.jobScope, request.query);
      deps.readCache?.keepUntil(request, changesAt);
      return answer;
    },
  );
}
