import { currentSession, callWithSession } from './session.js';
import type { AssetState, DigitalAssetInfo, UpdateDigitalAssetRequestBody } from './types.js';

/**
 * The tenant's asset library (docs/assets.md): ListAssets, UpdateDigitalAsset, DeleteAsset (to the
 * recycle bin, or for good with mode=force) and RestoreAsset, for the signed-in project.
 */
function assetsPath(assetId?: string): string {
  const base = `/v1/${encodeURIComponent(currentSession()?.projectId ?? '-')}/digital-assets`;
  return assetId === undefined ? base : `${base}/${encodeURIComponent(assetId)}`;
}

/** Newest first; `types` and `states` as List takes them (comma-separated). */
export function assetListPath(query: { types: readonly string[]; states: readonly AssetState[]; limit: number; offset: number }): string {
  const parameters = new URLSearchParams({
    asset_state: query.states.join(','),
    sort_key: 'create_time',
    sort_dir: 'desc',
    limit: String(query.limit),
    offset: String(query.offset),
  });
  if (query.types.length > 0) parameters.set('asset_type', query.types.join(','));
  return `${assetsPath()}?${parameters}`;
}

export async function updateAsset(assetId: string, request: UpdateDigitalAssetRequestBody): Promise<DigitalAssetInfo> {
  return (await callWithSession<DigitalAssetInfo>(assetsPath(assetId), { method: 'PUT', body: request })).body!;
}

/** To the recycle bin (restorable for 7 days), or with `forGood` deleted at once with its files. */
export async function deleteAsset(assetId: string, { forGood = false } = {}): Promise<void> {
  await callWithSession(forGood ? `${assetsPath(assetId)}?mode=force` : assetsPath(assetId), { method: 'DELETE' });
}

export async function restoreAsset(assetId: string): Promise<void> {
  await callWithSession(`${assetsPath(assetId)}/restore`, { method: 'POST' });
}
