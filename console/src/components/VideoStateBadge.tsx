import { useI18n } from '../i18n/i18n.js';
import { VIDEO_STATE_TONE } from '../model/videoStates.js';

/** A video job's state in words (and a colour that is never the only sign); the raw state on hover. */
export function VideoStateBadge({ state }: { state: string }) {
  const { tOr } = useI18n();
  const tone = VIDEO_STATE_TONE[state as keyof typeof VIDEO_STATE_TONE] ?? 'neutral';
  return (
    <span class={`badge tone-${tone}`} title={state} data-state={state}>
      {tOr(`videoState.${state}`, state)}
    </span>
  );
}
