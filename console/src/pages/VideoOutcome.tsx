import { useState } from 'preact/hooks';
import { ApiFailure } from '../api/http.js';
import type { DigitalHumanVideo } from '../api/types.js';
import { cancelVideo } from '../api/videoApi.js';
import { ImageView, VideoView } from '../components/Media.js';
import { ErrorNotice, InfoNotice } from '../components/Notice.js';
import { useI18n } from '../i18n/i18n.js';
import { canCancelVideo } from '../model/videoStates.js';

/** The name a video is known by: its output asset name, else its job id. */
export const videoName = (video: DigitalHumanVideo): string => video.output_asset_config?.asset_name || video.job_id;

/**
 * Where a video job stands, shown for what it is: while it waits or renders, that (with Cancel);
 * when it succeeded, the video in a player with its download link, and its cover; when it failed,
 * the error's code and message; when it was canceled, that.
 */
export function VideoOutcome({ video, onChanged }: { video: DigitalHumanVideo; onChanged: () => void }) {
  const { t, formatTime, formatSeconds } = useI18n();
  const [cancelling, setCancelling] = useState(false);
  const [cancelError, setCancelError] = useState<unknown>();
  const output = video.output_asset_config;

  const cancel = async () => {
    setCancelling(true);
    setCancelError(undefined);
    try {
      await cancelVideo(video.job_id);
      onChanged();
    } catch (error) {
      setCancelError(error);
    } finally {
      setCancelling(false);
    }
  };

  return (
    <div class="video-outcome" data-video-job-id={video.job_id} data-state={video.state}>
      {canCancelVideo(video.state) && (
        <div class="video-running">
          <p role="status">
            <progress aria-label={t('makeVideo.progress')} />{' '}
            {video.state === 'PROCESSING' && video.start_time ? t('makeVideo.processing', { time: formatTime(video.start_time) }) : t('makeVideo.waiting')}
          </p>
          <button type="button" disabled={cancelling} onClick={() => void cancel()}>
            {t('makeVideo.cancel')}
          </button>
          <ErrorNotice error={cancelError} />
        </div>
      )}
      {video.state === 'SUCCEED' && output?.preview_video_url && (
        <div class="video-result">
          <VideoView src={output.preview_video_url} label={t('makeVideo.video')} downloadAs={`${videoName(video)}.mp4`} />
          {output.cover_url && <ImageView src={output.cover_url} label={t('makeVideo.cover')} />}
          {video.duration !== undefined && (
            <p class="muted small video-duration">{t('makeVideo.duration', { duration: formatSeconds(Math.round(video.duration * 10) / 10) })}</p>
          )}
        </div>
      )}
      {video.state === 'FAILED' && (
        <ErrorNotice
          title={t('makeVideo.failed')}
          error={new ApiFailure(0, video.error_info?.error_code ?? '', video.error_info?.error_msg || t('makeVideo.noReason'))}
        />
      )}
      {video.state === 'CANCELED' && <InfoNotice>{t('makeVideo.canceled')}</InfoNotice>}
    </div>
  );
}
