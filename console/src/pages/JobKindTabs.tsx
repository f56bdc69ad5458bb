import { useI18n } from '../i18n/i18n.js';

/** The user's two kinds of jobs, one page each: training jobs (models) and video jobs (videos made with them). */
export function JobKindTabs({ current }: { current: 'training' | 'videos' }) {
  const { t } = useI18n();
  return (
    <nav class="tabs" aria-label={t('jobs.kinds')}>
      <a href="/console/jobs" aria-current={current === 'training' ? 'page' : undefined}>
        {t('jobs.tab.training')}
      </a>
      <a href="/console/videos" aria-current={current === 'videos' ? 'page' : undefined}>
        {t('jobs.tab.videos')}
      </a>
    </nav>
  );
}
