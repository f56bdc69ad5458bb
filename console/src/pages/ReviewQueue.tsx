import { useLocation } from 'preact-iso';
import { useState } from 'preact/hooks';
import { adminListPath, type AdminJobList } from '../api/adminApi.js';
import { useLiveResource } from '../api/live.js';
import { ErrorNotice } from '../components/Notice.js';
import { Pager } from '../components/Pager.js';
import { StatusBadge } from '../components/StatusBadge.js';
import { useI18n } from '../i18n/i18n.js';
import type { MessageKey } from '../i18n/messages.js';
import { STATUS_GROUPS, statesOfGroup, type StatusGroup } from '../model/statusGroups.js';
import { LiveStamp } from './LiveStamp.js';
import { usePageTitle } from './pageTitle.js';

const REVIEW_QUEUE = 'review';
const PAGE_SIZE = 20;

/** How long ago, roughly: "3 min", "2 h 5 min", "4 d". */
function waitedFor(since: string | undefined, now: number): { minutes: number } | undefined {
  if (!since) return undefined;
  return { minutes: Math.max(0, Math.floor((now - Date.parse(since)) / 60_000)) };
}

/**
 * The reviewers' queue: jobs of every project waiting for a human review, the longest waiting
 * first. Other views (by status group) show the jobs a reviewer may stop or reset.
 */
export function ReviewQueue() {
  const { t, formatTime } = useI18n();
  const location = useLocation();
  const view = location.query.view ?? REVIEW_QUEUE;
  const projectId = location.query.project_id ?? '';
  const offset = Number(location.query.offset) || 0;
  const [projectDraft, setProjectDraft] = useState(projectId);
  usePageTitle(t('queue.title'));
  const states = view === REVIEW_QUEUE ? 'MANUAL_VERIFYING' : statesOfGroup(view as StatusGroup).join(',');
  const list = useLiveResource<AdminJobList>(adminListPath({ state: states, project_id: projectId || undefined, offset, limit: PAGE_SIZE }));
  const show = (next: { view?: string; project_id?: string; offset?: number }) => {
    const query = new URLSearchParams();
    const nextView = next.view ?? view;
    const nextProject = next.project_id ?? projectId;
    if (nextView !== REVIEW_QUEUE) query.set('view', nextView);
    if (nextProject) query.set('project_id', nextProject);
    if (next.offset) query.set('offset', String(next.offset));
    location.route(`/console/review${query.size > 0 ? `?${query}` : ''}`);
  };
  const now = Date.now();

  return (
    <section aria-labelledby="queue-title">
      <div class="page-head">
        <h1 id="queue-title">{view === REVIEW_QUEUE ? t('queue.title') : t('queue.jobsTitle')}</h1>
      </div>
      <form
        class="filters card"
        role="search"
        aria-label={t('queue.filters')}
        onSubmit={(event) => {
          event.preventDefault();
          show({ project_id: projectDraft.trim(), offset: 0 });
        }}
      >
        <div class="filter-grid">
          <div>
            <label for="queue-view">{t('queue.view')}</label>
            <select id="queue-view" value={view} onChange={(event) => show({ view: event.currentTarget.value, offset: 0 })}>
              <option value={REVIEW_QUEUE}>{t('queue.awaitingReview')}</option>
              {STATUS_GROUPS.map((group) => (
                <option value={group}>{t(`group.${group}` as MessageKey)}</option>
              ))}
            </select>
          </div>
          <div>
            <label for="queue-project">{t('queue.project')}</label>
            <input id="queue-project" value={projectDraft} onInput={(event) => setProjectDraft(event.currentTarget.value)} placeholder={t('queue.allProjects')} />
          </div>
        </div>
        <div class="actions">
          <button type="submit">{t('jobs.filter.apply')}</button>
        </div>
      </form>
      <ErrorNotice error={list.error} />
      <LiveStamp checkedAt={list.checkedAt} loading={list.loading} />
      {list.data && list.data.jobs.length === 0 && <p class="empty">{view === REVIEW_QUEUE ? t('queue.empty') : t('jobs.empty')}</p>}
      {list.data && list.data.jobs.length > 0 && (
        <div class="table-wrap">
          <table class="jobs">
            <caption class="visually-hidden">{t('queue.caption')}</caption>
            <thead>
              <tr>
                <th scope="col">{t('jobs.column.name')}</th>
                <th scope="col">{t('jobs.column.status')}</th>
                <th scope="col">{t('queue.column.project')}</th>
                <th scope="col">{t('queue.column.waiting')}</th>
                <th scope="col">{t('jobs.column.created')}</th>
              </tr>
            </thead>
            <tbody>
              {list.data.jobs.map((job) => {
                const waited = waitedFor(job.last_update_time, now);
                return (
                  <tr key={job.job_id} data-job-id={job.job_id}>
                    <td>
                      <a href={`/console/review/${job.job_id}`}>{job.name}</a>
                    </td>
                    <td>
                      <StatusBadge state={job.state} showState />
                    </td>
                    <td>
                      <code>{job.project_id}</code>
                    </td>
                    <td>
                      <time dateTime={job.last_update_time}>{formatTime(job.last_update_time)}</time>
                      {waited && <span class="muted small"> · {t('queue.waited', { minutes: waited.minutes })}</span>}
                    </td>
                    <td>
                      <time dateTime={job.create_time}>{formatTime(job.create_time)}</time>
                    </td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        </div>
      )}
      {list.data && <Pager count={list.data.count} offset={offset} limit={PAGE_SIZE} onOffset={(next) => show({ offset: next })} />}
    </section>
  );
}
