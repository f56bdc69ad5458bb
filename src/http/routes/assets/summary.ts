import type { FastifyInstance } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { ListAssetSummarysReq, ListAssetSummaryResponse } from '../../../domain/assets/assetWire.js';
import { APP_USER_HEADERS, ERROR_RESPONSES, SECURITY } from '../routeSchemas.js';
import { ASSETS_PATH, TAGS, ProjectParams, asTenant, type AssetRouteDeps } from './common.js';

export function listAssetSummaryRoute(app: FastifyInstance, deps: AssetRouteDeps): void {
  app.withTypeProvider<TypeBoxTypeProvider>().post(
    // `summarys` (sic) is the API's spelling.
    `${ASSETS_PATH}/summarys`,
    {
      schema: {
        operationId: 'ListAssetSummary',
        summary: 'Name, type, state and cover of several assets at once',
        tags: TAGS,
        security: SECURITY,
        headers: APP_USER_HEADERS,
        params: ProjectParams,
        body: ListAssetSummarysReq,
        response: { 200: ListAssetSummaryResponse, ...ERROR_RESPONSES },
      },
      preValidation: asTenant(deps, true),
    },
    (request) => deps.assets.summaries(request.jobScope, request.body.asset_ids),
  );
}
