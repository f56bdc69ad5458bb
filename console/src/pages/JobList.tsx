import { useLocation } from 'preact-iso';
import { useState } from 'preact/hooks';
import { useLiveResource } from '../api/live.js';
import { listPath } from '../api/tenantApi.js';
import type { List2dModelTrainingJobResponse } from '../api/types.js';
import { CoverThumbnail } from '../components/Media.js';
import { ErrorNotice } from '../components/Notice.js';
import { Pager } from '../components/Pager.js';
import { StatusBadge } from '../components/StatusBadge.js';
import { dayBoundary, useI18n } from '../i18n/i18n.js';
import type { MessageKey } from '../i18n/messages.js';
import { STATUS_GROUPS, statesOfGroup, type StatusGroup } from '../model/statusGroups.js';
import { JobKindTabs } from './JobKindTabs.js';
import { LiveStamp } from './LiveStamp.js';
import { usePageTitle } from './pageTitle.js';

/** The filters, as they stand in the page's URL (so a reload or a shared link shows the same list). */
interface Filters {
  group: string;
  batch_name: string;
  tag: string;
  name: string;
  created_from: string;
  created_to: string;
  updated_from: string;
  updated_to: string;
  sort_key: string;
  sort_dir: string;
  limit: string;
  offset: string;
}

const DEFAULTS: Filters = {
  group: '',
  batch_name: '',
  tag: '',
  name: '',
  created_from: '',
  created_to: '',
  updated_from: '',
  updated_to: '',
  sort_key: 'create_time',
  sort_dir: 'desc',
  limit: '20',
  offset: '0',
};

function filtersFrom(query: Record<string, string>): Filters {
  return Object.fromEntries(Object.entries(DEFAULTS).map(([name, fallback]) => [name, query[name] ?? fallback])) as unknown as Filters;
}

/** The user's jobs: status groups instead of raw states, filters, sorting and paging, refreshed live. */
export function JobList() {
  const { t, formatTime } = useI18n();
  usePageTitle(t('jobs.title'));
  const location = useLocation();
  const filters = filtersFrom(location.query);
  const [draft, setDraft] = useState(filters);
  const limit = Number(filters.limit) || 20;
  const offset = Number(filters.offset) || 0;
  const path = listPath({
    state: filters.group ? statesOfGroup(filters.group as StatusGroup).join(',') : undefined,
    batch_name: filters.batch_name || undefined,
    tag: filters.tag || undefined,
    name: filters.name || undefined,
    create_since: dayBoundary(filters.created_from, 'start'),
    create_until: dayBoundary(filters.created_to, 'end'),
    update_since: dayBoundary(filters.updated_from, 'start'),
    update_until: dayBoundary(filters.updated_to, 'end'),
    sort_key: filters.sort_key as 'create_time' | 'update_time',
    sort_dir: filters.sort_dir as 'asc' | 'desc',
    limit,
    offset,
  });
  const list = useLiveResource<List2dModelTrainingJobResponse>(path);
  const jobs = list.data?.jobs ?? [];
  const count = list.data?.count ?? 0;

  const show = (next: Filters) => {
    const query = new URLSearchParams(Object.entries(next).filter(([name, value]) => value !== DEFAULTS[name as keyof Filters]));
    location.route(`/console/jobs${query.size > 0 ? `?${query}` : ''}`);
  };
  const apply = (event: Event) => {
    event.preventDefault();
    show({ ...draft, offset: '0' });
  };
  const field = (name: keyof Filters) => ({
    id: `filter-${name}`,
    name,
    value: draft[name],
    onInput: (event: Event) => setDraft({ ...draft, [name]: (event.currentTarget as HTMLInputElement).value }),
  });

  return (
    <section aria-labelledby="jobs-title">
      <JobKindTabs current="training" />
      <div class="page-head">
        <h1 id="jobs-title">{t('jobs.title')}</h1>
        <a class="button primary" href="/console/jobs/new">
          {t('jobs.create')}
        </a>
      </div>

      <form class="filters card" role="search" aria-label={t('jobs.filters')} onSubmit={apply}>
        <div class="filter-grid">
          <div>
            <label for="filter-group">{t('jobs.filter.status')}</label>
            <select {...field('group')} onChange={(event) => setDraft({ ...draft, group: event.currentTarget.value })}>
              <option value="">{t('jobs.filter.allStatuses')}</option>
              {STATUS_GROUPS.map((group) => (
                <option value={group}>{t(`group.${group}` as MessageKey)}</option>
              ))}
            </select>
          </div>
          <div>
            <label for="filter-name">{t('jobs.filter.name')}</label>
            <input {...field('name')} />
          </div>
          <div>
            <label for="filter-batch_name">{t('jobs.filter.batch')}</label>
            <input {...field('batch_name')} />
          </div>
          <div>
            <label for="filter-tag">{t('jobs.filter.tag')}</label>
            <input {...field('tag')} />
          </div>
          <div>
            <label for="filter-created_from">{t('jobs.filter.createdFrom')}</label>
            <input type="date" {...field('created_from')} />
          </div>
          <div>
            <label for="filter-created_to">{t('jobs.filter.createdTo')}</label>
            <input type="date" {...field('created_to')} />
          </div>
          <div>
            <label for="filter-updated_from">{t('jobs.filter.updatedFrom')}</label>
            <input type="date" {...field('updated_from')} />
          </div>
          <div>
            <label for="filter-updated_to">{t('jobs.filter.updatedTo')}</label>
            <input type="date" {...field('updated_to')} />
          </div>
          <div>
            <label for="filter-sort_key">{t('jobs.sort.by')}</label>
            <select {...field('sort_key')} onChange={(event) => setDraft({ ...draft, sort_key: event.currentTarget.value })}>
              <option value="create_time">{t('jobs.sort.created')}</option>
              <option value="update_time">{t('jobs.sort.updated')}</option>
            </select>
          </div>
          <div>
            <label for="filter-sort_dir">{t('jobs.sort.direction')}</label>
            <select {...field('sort_dir')} onChange={(event) => setDraft({ ...draft, sort_dir: event.currentTarget.value })}>
              <option value="desc">{t('jobs.sort.newest')}</option>
              <option value="asc">{t('jobs.sort.oldest')}</option>
            </select>
          </div>
          <div>
            <label for="filter-limit">{t('jobs.pageSize')}</label>
            <select {...field('limit')} onChange={(event) => setDraft({ ...draft, limit: event.currentTarget.value })}>
              {['10', '20', '50', '100'].map((size) => (
                <option value={size}>{size}</option>
              ))}
            </select>
          </div>
        </div>
        <div class="actions">
          <button type="submit" class="primary">
            {t('jobs.filter.apply')}
          </button>
          <button
            type="button"
            onClick={() => {
              setDraft(DEFAULTS);
              show(DEFAULTS);
            }}
          >
            {t('jobs.filter.reset')}
          </button>
        </div>
      </form>

      <ErrorNotice error={list.error} />
      <LiveStamp checkedAt={list.checkedAt} loading={list.loading} />
      {list.data && jobs.length === 0 && <p class="empty">{t('jobs.empty')}</p>}
      {jobs.length > 0 && (
        <div class="table-wrap">
          <table class="jobs">
            <caption class="visually-hidden">{t('jobs.caption')}</caption>
            <thead>
              <tr>
                <th scope="col">{t('jobs.column.cover')}</th>
                <th scope="col">{t('jobs.column.name')}</th>
                <th scope="col">{t('jobs.column.status')}</th>
                <th scope="col">{t('jobs.column.batch')}</th>
                <th scope="col">{t('jobs.column.tags')}</th>
                <th scope="col">{t('jobs.column.created')}</th>
                <th scope="col">{t('jobs.column.updated')}</th>
              </tr>
            </thead>
            <tbody>
              {jobs.map((job) => (
                <tr key={job.job_id} data-job-id={job.job_id}>
                  <td class="cover-cell">{job.cover_download_url ? <CoverThumbnail src={job.cover_download_url} /> : <span class="no-cover" aria-hidden="true" />}</td>
                  <td>
                    <a href={`/console/jobs/${job.job_id}`}>{job.name}</a>
                  </td>
                  <td>
                    <StatusBadge state={job.state} />
                  </td>
                  <td>{job.batch_name ?? ''}</td>
                  <td>{(job.tags ?? []).join(', ')}</td>
                  <td>
                    <time dateTime={job.create_time}>{formatTime(job.create_time)}</time>
                  </td>
                  <td>
                    <time dateTime={job.last_update_time}>{formatTime(job.last_update_time)}</time>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {list.data && <Pager count={count} offset={offset} limit={limit} onOffset={(next) => show({ ...filters, offset: String(next) })} />}
    </section>
  );
}
