import { useLocation } from 'preact-iso';
import { useState } from 'preact/hooks';
import { useLiveResource } from '../api/live.js';
import type { DigitalHumanVideo, ListVideosResponse } from '../api/types.js';
import { videoListPath } from '../api/videoApi.js';
import { CoverThumbnail } from '../components/Media.js';
import { ErrorNotice } from '../components/Notice.js';
import { Pager } from '../components/Pager.js';
import { VideoStateBadge } from '../components/VideoStateBadge.js';
import { useI18n } from '../i18n/i18n.js';
import { JobKindTabs } from './JobKindTabs.js';
import { LiveStamp } from './LiveStamp.js';
import { usePageTitle } from './pageTitle.js';
import { videoName, VideoOutcome } from './VideoOutcome.js';

const PAGE_SIZE = 20;

/**
 * The user's video jobs, newest first, refreshed live: state, name, length, when asked for; a row
 * opens to play the video (or to read why it failed, or to cancel it while it waits or renders).
 */
export function VideoList() {
  const { t } = useI18n();
  usePageTitle(t('videos.title'));
  const location = useLocation();
  const offset = Number(location.query.offset) || 0;
  const list = useLiveResource<ListVideosResponse>(videoListPath({ limit: PAGE_SIZE, offset }));
  const videos = list.data?.jobs ?? [];
  const [open, setOpen] = useState<string>();
  const toggle = (jobId: string) => setOpen(open === jobId ? undefined : jobId);

  return (
    <section aria-labelledby="videos-title">
      <JobKindTabs current="videos" />
      <div class="page-head">
        <h1 id="videos-title">{t('videos.title')}</h1>
      </div>
      <p class="hint">{t('videos.intro')}</p>
      <ErrorNotice error={list.error} />
      <LiveStamp checkedAt={list.checkedAt} loading={list.loading} />
      {list.data && videos.length === 0 && <p class="empty">{t('videos.empty')}</p>}
      {videos.length > 0 && (
        <div class="table-wrap">
          <table class="jobs videos">
            <caption class="visually-hidden">{t('videos.caption')}</caption>
            <thead>
              <tr>
                <th scope="col">{t('videos.column.cover')}</th>
                <th scope="col">{t('videos.column.name')}</th>
                <th scope="col">{t('videos.column.status')}</th>
                <th scope="col" class="number">
                  {t('videos.column.duration')}
                </th>
                <th scope="col">{t('videos.column.created')}</th>
                <th scope="col">
                  <span class="visually-hidden">{t('videos.column.details')}</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {videos.map((video) => (
                <VideoRows key={video.job_id} video={video} open={open === video.job_id} onToggle={() => toggle(video.job_id)} onChanged={list.refresh} />
              ))}
            </tbody>
          </table>
        </div>
      )}
      {list.data && (
        <Pager count={list.data.count} offset={offset} limit={PAGE_SIZE} onOffset={(next) => location.route(next > 0 ? `/console/videos?offset=${next}` : '/console/videos')} />
      )}
    </section>
  );
}

/** One video's row and, when opened, the row under it with the player or the error. */
function VideoRows({ video, open, onToggle, onChanged }: { video: DigitalHumanVideo; open: boolean; onToggle: () => void; onChanged: () => void }) {
  const { t, formatTime, formatSeconds } = useI18n();
  const detailsId = `video-details-${video.job_id}`;
  const cover = video.state === 'SUCCEED' ? video.output_asset_config?.cover_url : undefined;
  const toggleLabel = open ? t('videos.hide') : video.state === 'SUCCEED' ? t('videos.play') : video.state === 'FAILED' ? t('videos.showError') : t('videos.details');
  return (
    <>
      <tr data-video-job-id={video.job_id}>
        <td class="cover-cell">{cover ? <CoverThumbnail src={cover} /> : <span class="no-cover" aria-hidden="true" />}</td>
        <td class="video-name">{videoName(video)}</td>
        <td>
          <VideoStateBadge state={video.state} />
        </td>
        <td class="number">{video.duration !== undefined ? formatSeconds(Math.round(video.duration * 10) / 10) : ''}</td>
        <td>
          <time dateTime={video.create_time}>{formatTime(video.create_time)}</time>
        </td>
        <td>
          <button type="button" class="link-button" aria-expanded={open} aria-controls={open ? detailsId : undefined} onClick={onToggle}>
            {toggleLabel}
          </button>
        </td>
      </tr>
      {open && (
        <tr id={detailsId} class="video-details">
          <td colSpan={6}>
            <VideoOutcome video={video} onChanged={onChanged} />
          </td>
        </tr>
      )}
    </>
  );
}
