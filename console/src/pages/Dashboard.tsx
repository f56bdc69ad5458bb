import { PIPELINE_SUMMARY_PATH, type PipelineSummary } from '../api/adminApi.js';
import { useLiveResource } from '../api/live.js';
import { ErrorNotice } from '../components/Notice.js';
import { useI18n } from '../i18n/i18n.js';
import type { MessageKey } from '../i18n/messages.js';
import { STATUS_GROUPS, statusGroupOf } from '../model/statusGroups.js';
import { LiveStamp } from './LiveStamp.js';
import { usePageTitle } from './pageTitle.js';

const WORK_STATUSES = ['queued', 'leased', 'done', 'failed', 'cancelled'] as const;

/** The pipeline at a glance: jobs per state (by status group), the review queue, stage work and durations, recent failures. */
export function Dashboard() {
  const { t, tOr, formatTime, formatSeconds, formatNumber } = useI18n();
  usePageTitle(t('dashboard.title'));
  const summary = useLiveResource<PipelineSummary>(PIPELINE_SUMMARY_PATH);
  const data = summary.data;
  const largest = Math.max(1, ...(data?.jobs_by_state.map((row) => row.count) ?? []));

  return (
    <section aria-labelledby="dashboard-title">
      <h1 id="dashboard-title">{t('dashboard.title')}</h1>
      <ErrorNotice error={summary.error} />
      <LiveStamp checkedAt={summary.checkedAt} loading={summary.loading} />
      {data && (
        <>
          <div class="tiles">
            <div class="tile card">
              <span class="tile-value">{formatNumber(data.jobs_total)}</span>
              <span class="tile-label">{t('dashboard.jobsTotal')}</span>
            </div>
            <a class="tile card" href="/console/review">
              <span class="tile-value" data-testid="queue-count">
                {formatNumber(data.review_queue.count)}
              </span>
              <span class="tile-label">{t('dashboard.queue')}</span>
              {data.review_queue.oldest_since && <span class="small muted">{t('dashboard.oldestSince', { time: formatTime(data.review_queue.oldest_since) })}</span>}
            </a>
            <div class="tile card">
              <span class="tile-value">{formatNumber(data.stages.reduce((total, stage) => total + stage.work.failed, 0))}</span>
              <span class="tile-label">{t('dashboard.failedWork')}</span>
            </div>
          </div>

          <section class="card" aria-labelledby="by-state-title">
            <h2 id="by-state-title">{t('dashboard.byState')}</h2>
            {data.jobs_by_state.length === 0 ? (
              <p class="muted">{t('dashboard.noJobs')}</p>
            ) : (
              STATUS_GROUPS.map((group) => {
                const rows = data.jobs_by_state.filter((row) => statusGroupOf(row.state) === group);
                if (rows.length === 0) return null;
                return (
                  <div class="state-group">
                    <h3>{t(`group.${group}` as MessageKey)}</h3>
                    <table class="bars">
                      <tbody>
                        {rows.map((row) => (
                          <tr data-state={row.state}>
                            <th scope="row">
                              <code>{row.state}</code>
                            </th>
                            <td>
                              <span class="bar" style={{ width: `${(row.count / largest) * 100}%` }} aria-hidden="true" />
                            </td>
                            <td class="number">{formatNumber(row.count)}</td>
                          </tr>
                        ))}
                      </tbody>
                    </table>
                  </div>
                );
              })
            )}
          </section>

          <section class="card" aria-labelledby="stages-title">
            <h2 id="stages-title">{t('dashboard.stages')}</h2>
            <div class="table-wrap">
              <table class="compact">
                <thead>
                  <tr>
                    <th scope="col">{t('work.stage')}</th>
                    {WORK_STATUSES.map((status) => (
                      <th scope="col" class="number">
                        {t(`work.status.${status}` as MessageKey)}
                      </th>
                    ))}
                    <th scope="col" class="number">
                      {t('dashboard.averageDone')}
                    </th>
                    <th scope="col" class="number">
                      {t('dashboard.longestDone')}
                    </th>
                  </tr>
                </thead>
                <tbody>
                  {data.stages.map((stage) => (
                    <tr data-stage={stage.stage}>
                      <th scope="row">{tOr(`stage.${stage.stage}`, stage.stage)}</th>
                      {WORK_STATUSES.map((status) => (
                        <td class="number">{formatNumber(stage.work[status])}</td>
                      ))}
                      <td class="number">{stage.done_seconds ? formatSeconds(stage.done_seconds.average) : '—'}</td>
                      <td class="number">{stage.done_seconds ? formatSeconds(stage.done_seconds.maximum) : '—'}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
            <p class="hint">{t('dashboard.durationHint')}</p>
          </section>

          <section class="card" aria-labelledby="failures-title">
            <h2 id="failures-title">{t('dashboard.failures')}</h2>
            {data.recent_failures.length === 0 ? (
              <p class="muted">{t('dashboard.noFailures')}</p>
            ) : (
              <ul class="failures">
                {data.recent_failures.map((failure) => (
                  <li>
                    <a href={`/console/review/${failure.job_id}`}>{failure.name}</a> · {tOr(`stage.${failure.stage}`, failure.stage)} ·{' '}
                    <time dateTime={failure.failed_at}>{formatTime(failure.failed_at)}</time>
                    {failure.error && <p class="small">{failure.error}</p>}
                  </li>
                ))}
              </ul>
            )}
          </section>
        </>
      )}
    </section>
  );
}
