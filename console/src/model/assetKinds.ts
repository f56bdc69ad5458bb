import type { AssetState, AssetType } from '../api/types.js';

/**
 * The asset library's views: one per kind of asset (its types in List's `asset_type`), each listing
 * the assets out of the recycle bin, and the recycle bin itself (every type, DELETING).
 */
export const ASSET_KINDS = {
  models: ['HUMAN_MODEL_2D'],
  videos: ['VIDEO'],
  audio: ['AUDIO', 'MUSIC'],
  images: ['IMAGE'],
} as const satisfies Record<string, readonly AssetType[]>;
export type AssetKind = keyof typeof ASSET_KINDS;
export type AssetView = AssetKind | 'bin';
export const ASSET_VIEWS: readonly AssetView[] = ['models', 'videos', 'audio', 'images', 'bin'];

/** What a kind's view lists: every state but the recycle bin's (DELETING) and DELETED, which List never answers. */
const OUT_OF_THE_BIN: readonly AssetState[] = ['CREATING', 'FAILED', 'UNACTIVED', 'ACTIVED', 'BLOCK', 'WAITING_DELETE'];

export function assetViewQuery(view: AssetView): { types: readonly AssetType[]; states: readonly AssetState[] } {
  return view === 'bin' ? { types: [], states: ['DELETING'] } : { types: ASSET_KINDS[view], states: OUT_OF_THE_BIN };
}

/** Every asset state has a tone (never the only sign: the badge says the state in words), or the console does not compile. */
export const ASSET_STATE_TONE: Record<AssetState, 'neutral' | 'progress' | 'danger' | 'success' | 'attention'> = {
  CREATING: 'progress',
  FAILED: 'danger',
  UNACTIVED: 'neutral',
  ACTIVED: 'success',
  DELETING: 'attention',
  DELETED: 'neutral',
  BLOCK: 'danger',
  WAITING_DELETE: 'attention',
};
