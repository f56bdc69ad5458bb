import type { AssetState } from '../api/types.js';
import { useI18n } from '../i18n/i18n.js';
import { ASSET_STATE_TONE } from '../model/assetKinds.js';

/** An asset's state in words (and a colour that is never the only sign); the raw state on hover. */
export function AssetStateBadge({ state }: { state: AssetState | undefined }) {
  const { tOr } = useI18n();
  if (!state) return null;
  return (
    <span class={`badge tone-${ASSET_STATE_TONE[state] ?? 'neutral'}`} title={state} data-state={state}>
      {tOr(`assetState.${state}`, state)}
    </span>
  );
}
