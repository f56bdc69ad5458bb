import { useEffect, useState } from 'preact/hooks';
import { useLiveResource } from '../api/live.js';
import type { Create2DDigitalHumanVideoReq, Show2DDigitalHumanVideoResponse, ShowTrainingJobModelResponse } from '../api/types.js';
import { createVideo, uploadAudio, videoShowPath } from '../api/videoApi.js';
import { ErrorNotice } from '../components/Notice.js';
import { VideoStateBadge } from '../components/VideoStateBadge.js';
import { useI18n } from '../i18n/i18n.js';
import { VIDEO_RESOLUTIONS, videoRunning, type VideoResolution } from '../model/videoStates.js';
import { LiveStamp } from './LiveStamp.js';
import { VideoOutcome } from './VideoOutcome.js';
import { VoicePicker } from './VoicePicker.js';

type Source = 'text' | 'audio';

/** The one script of the video: the typed text, or the uploaded audio's URL. */
function shootScript(source: Source, text: string, audioUrl: string | undefined): Create2DDigitalHumanVideoReq['shoot_scripts'][number] {
  return {
    sequence_no: 0,
    shoot_script:
      source === 'text' ? { script_type: 'TEXT', text_config: { text } } : { script_type: 'AUDIO', audio_drive_file_external_url: audioUrl },
  };
}

/**
 * "Make a video" with a finished job's model: the person types a sentence or uploads audio, picks
 * the size and a name, and the console creates a video job (uploading the audio first, when it is
 * audio), then follows it (Show every two seconds until it ends) and plays the result.
 */
export function MakeVideo({ modelAssetId, jobName, modelPath }: { modelAssetId: string; jobName: string; modelPath: string }) {
  const { t, formatBytes } = useI18n();
  // The model's own voices (the stock voices nearest to the person) speak when no voice is chosen.
  const modelVoices = useLiveResource<ShowTrainingJobModelResponse>(modelPath, { live: false }).data?.test_video_report?.voices;
  const [source, setSource] = useState<Source>('text');
  const [text, setText] = useState('');
  const [voice, setVoice] = useState('');
  const [audio, setAudio] = useState<File>();
  const [resolution, setResolution] = useState<VideoResolution>('1080p');
  const [name, setName] = useState('');
  const [busy, setBusy] = useState(false);
  const [audioSent, setAudioSent] = useState<number>();
  const [error, setError] = useState<unknown>();
  const [videoJobId, setVideoJobId] = useState<string>();

  const submit = async (event: Event) => {
    event.preventDefault();
    setBusy(true);
    setError(undefined);
    try {
      let audioUrl: string | undefined;
      if (source === 'audio' && audio) {
        setAudioSent(0);
        audioUrl = await uploadAudio(audio, setAudioSent);
      }
      const created = await createVideo({
        model_asset_id: modelAssetId,
        video_config: { codec: 'H264', ...VIDEO_RESOLUTIONS[resolution] },
        ...(source === 'text' && voice ? { voice_config: { voice_asset_id: voice } } : {}),
        shoot_scripts: [shootScript(source, text.trim(), audioUrl)],
        // Unnamed videos are named after the model and the time (sv-SE writes the local time as YYYY-MM-DD hh:mm).
        output_asset_config: { asset_name: name.trim() || `${jobName} ${new Date().toLocaleString('sv-SE').slice(0, 16)}` },
      });
      setVideoJobId(created.job_id);
    } catch (failure) {
      setError(failure);
    } finally {
      setBusy(false);
      setAudioSent(undefined);
    }
  };

  return (
    <section class="card make-video" aria-labelledby="make-video-title">
      <h2 id="make-video-title">{t('makeVideo.title')}</h2>
      <p class="hint">{t('makeVideo.intro')}</p>
      <form class="form" onSubmit={(event) => void submit(event)}>
        <fieldset>
          <legend>{t('makeVideo.source')}</legend>
          <div class="segmented">
            <label>
              <input type="radio" name="video-source" value="text" checked={source === 'text'} onChange={() => setSource('text')} /> {t('makeVideo.typeText')}
            </label>
            <label>
              <input type="radio" name="video-source" value="audio" checked={source === 'audio'} onChange={() => setSource('audio')} /> {t('makeVideo.uploadAudio')}
            </label>
          </div>
          {source === 'text' ? (
            <>
              <label class="field-label" for="video-text">
                {t('makeVideo.text')}
              </label>
              <textarea
                id="video-text"
                required
                rows={3}
                maxLength={10000}
                value={text}
                aria-describedby="video-text-hint"
                onInput={(event) => setText(event.currentTarget.value)}
              />
              <p id="video-text-hint" class="hint">
                {t('makeVideo.textHint')}
              </p>
              <VoicePicker value={voice} onChange={setVoice} text={text} modelVoices={modelVoices} />
            </>
          ) : (
            <>
              <label class="field-label" for="video-audio">
                {t('makeVideo.audio')}
              </label>
              <input
                id="video-audio"
                type="file"
                required
                accept="audio/*,.wav,.mp3,.m4a,.aac,.flac,.ogg"
                aria-describedby="video-audio-hint"
                onChange={(event) => setAudio(event.currentTarget.files?.[0])}
              />
              <p id="video-audio-hint" class="hint">
                {t('makeVideo.audioHint')}
                {audio && ` · ${audio.name}, ${formatBytes(audio.size)}`}
              </p>
            </>
          )}
        </fieldset>
        <div class="make-video-settings">
          <div>
            <label class="field-label" for="video-resolution">
              {t('makeVideo.resolution')}
            </label>
            <select id="video-resolution" value={resolution} onChange={(event) => setResolution(event.currentTarget.value as VideoResolution)}>
              <option value="1080p">{t('makeVideo.1080p')}</option>
              <option value="720p">{t('makeVideo.720p')}</option>
            </select>
          </div>
          <div>
            <label class="field-label" for="video-name">
              {t('makeVideo.name')}
            </label>
            <input id="video-name" maxLength={256} value={name} aria-describedby="video-name-hint" onInput={(event) => setName(event.currentTarget.value)} />
            <p id="video-name-hint" class="hint">
              {t('makeVideo.nameHint')}
            </p>
          </div>
        </div>
        {audioSent !== undefined && audio && (
          <div class="upload-progress">
            <label for="video-audio-progress">{t('makeVideo.uploading')}</label>
            <progress id="video-audio-progress" max={audio.size || 1} value={audioSent} />
          </div>
        )}
        <ErrorNotice error={error} />
        <div class="actions">
          <button type="submit" class="primary" disabled={busy}>
            {busy ? t('makeVideo.busy') : t('makeVideo.submit')}
          </button>
          <a href="/console/videos">{t('makeVideo.allVideos')}</a>
        </div>
      </form>
      {videoJobId && <MadeVideo key={videoJobId} jobId={videoJobId} />}
    </section>
  );
}

/** The video just asked for: read every two seconds while it waits or renders, then once more no longer. */
function MadeVideo({ jobId }: { jobId: string }) {
  const { t } = useI18n();
  const [ended, setEnded] = useState(false);
  const shown = useLiveResource<Show2DDigitalHumanVideoResponse>(videoShowPath(jobId), { live: !ended });
  const video = shown.data;
  const running = !video || videoRunning(video.state);
  useEffect(() => setEnded(!running), [running]);
  return (
    <div class="made-video" aria-live="polite">
      <h3 class="made-video-head">
        <span>{video?.output_asset_config?.asset_name ?? t('makeVideo.current')}</span>
        {video && <VideoStateBadge state={video.state} />}
      </h3>
      <ErrorNotice error={shown.error} />
      {running && <LiveStamp checkedAt={shown.checkedAt} loading={shown.loading} />}
      {video && <VideoOutcome video={video} onChanged={shown.refresh} />}
    </div>
  );
}
