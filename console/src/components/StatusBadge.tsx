import { useI18n } from '../i18n/i18n.js';
import type { MessageKey } from '../i18n/messages.js';
import { GROUP_TONE, statusGroupOf } from '../model/statusGroups.js';

/**
 * A job's status as a person reads it: its console group (spec §3.1), never the raw state alone.
 * The raw state shows on hover (title) and, with `showState`, next to the group.
 */
export function StatusBadge({ state, showState = false }: { state: string; showState?: boolean }) {
  const { t, tOr } = useI18n();
  const group = statusGroupOf(state);
  const label = group ? t(`group.${group}` as MessageKey) : state;
  const description = tOr(`state.${state}`, '');
  return (
    <span class="status">
      <span class={`badge tone-${group ? GROUP_TONE[group] : 'neutral'}`} title={description ? `${state}: ${description}` : state} data-state={state}>
        {label}
      </span>
      {showState && (
        <span class="raw-state">
          <code>{state}</code>
          {description && <span> · {description}</span>}
        </span>
      )}
    </span>
  );
}
