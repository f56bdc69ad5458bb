import { useI18n } from '../i18n/i18n.js';
import type { MessageKey } from '../i18n/messages.js';

/** Previous / next over `count` items, `limit` per page, starting at `offset`; `position` names the items (jobs by default). */
export function Pager({
  count,
  offset,
  limit,
  onOffset,
  position = 'pager.position',
}: {
  count: number;
  offset: number;
  limit: number;
  onOffset: (offset: number) => void;
  position?: MessageKey;
}) {
  const { t } = useI18n();
  const page = Math.floor(offset / limit) + 1;
  const pages = Math.max(1, Math.ceil(count / limit));
  return (
    <nav class="pager" aria-label={t('pager.label')}>
      <button type="button" disabled={offset === 0} onClick={() => onOffset(Math.max(0, offset - limit))}>
        {t('pager.previous')}
      </button>
      <span aria-live="polite">{t(position, { page, pages, count })}</span>
      <button type="button" disabled={offset + limit >= count} onClick={() => onOffset(offset + limit)}>
        {t('pager.next')}
      </button>
    </nav>
  );
}
