import { useI18n } from '../i18n/i18n.js';

/** "Up to date at 10:42:17 · refreshes by itself": that the data shown is current. */
export function LiveStamp({ checkedAt, loading }: { checkedAt?: Date; loading: boolean }) {
  const { t, formatClock } = useI18n();
  return (
    <p class="live-stamp small muted">
      {loading && !checkedAt ? t('live.loading') : checkedAt ? t('live.checked', { time: formatClock(checkedAt) }) : ''}
    </p>
  );
}
