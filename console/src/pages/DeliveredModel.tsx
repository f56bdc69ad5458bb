import { ApiFailure } from '../api/http.js';
import { useLiveResource } from '../api/live.js';
import type { ShowTrainingJobModelResponse, TestVideoReport } from '../api/types.js';
import { VideoView } from '../components/Media.js';
import { ErrorNotice } from '../components/Notice.js';
import { useI18n } from '../i18n/i18n.js';
import { hasCompiledModel, testVideoPending } from '../model/jobRules.js';

/** GET …/model before compile has made a model (MODEL_NOT_COMPILED): nothing to show yet. */
const NOT_COMPILED = 'MSS.20010008';

/**
 * A job's compiled model, once it has one: the test video made with it, what the test-video check
 * measured, and the model file to download. `path` is the owner's model endpoint or its admin twin.
 * The answer changes only when the job moves on (the test video, the asset), so it is read again
 * on a change of state rather than polled.
 */
export function DeliveredModel({ job, path }: { job: { name: string; state: string }; path: string }) {
  const { t } = useI18n();
  const compiled = hasCompiledModel(job.state);
  const model = useLiveResource<ShowTrainingJobModelResponse>(compiled ? path : undefined, { live: false, readAgainOn: job.state });
  const notCompiled = model.error instanceof ApiFailure && model.error.code === NOT_COMPILED;
  if (!compiled || notCompiled || (!model.data && !model.error)) return null;
  const delivered = model.data;
  return (
    <section class="card delivered-model" aria-labelledby="model-title">
      <h2 id="model-title">{t('model.title')}</h2>
      <ErrorNotice error={model.error} />
      {delivered && (
        <>
          {/* The model first, its download beside it; then the test video made with it. */}
          <div class="model-file">
            <p>
              <strong>{t('model.file')}</strong> <span class="muted small">{t('model.format', { format: delivered.model_format })}</span>
            </p>
            <a class="button primary" href={delivered.model_download_url} download={`${job.name}-model.tar.gz`}>
              {t('model.download')}
            </a>
          </div>
          <p class="hint">{t('model.renderHint')}</p>
          <pre class="command">
            <code>{`mkdir model && tar -xzf "${job.name}-model.tar.gz" -C model\nnpx avatarforge render --model model --text "…" -o hello.mp4`}</code>
          </pre>
          {delivered.test_video_download_url ? (
            <VideoView id="test-video" src={delivered.test_video_download_url} label={t('model.testVideo')} downloadAs={`${job.name}-test-video.mp4`} />
          ) : (
            <p class="muted">{testVideoPending(job.state) ? t('model.testVideoPending') : t('model.noTestVideo')}</p>
          )}
          {delivered.test_video_report && <QualityFigure report={delivered.test_video_report} />}
        </>
      )}
    </section>
  );
}

/** The test-video check's figure, stated plainly: how closely the rendered mouth follows the real one, on how much speech. */
function QualityFigure({ report }: { report: TestVideoReport }) {
  const { t, formatSeconds } = useI18n();
  const measured = {
    r: report.mouth_correlation.toFixed(2),
    seconds: formatSeconds(Math.round(report.held_out_seconds)),
    percent: Math.round(report.face_found_ratio * 100),
  };
  return (
    <div class="quality-figure" data-testid="quality-figure">
      <p>{report.floor === undefined ? t('model.figure', measured) : t('model.figureWithFloor', { ...measured, floor: report.floor.toFixed(2) })}</p>
      <p class="muted small">{t('model.sentence', { sentence: report.sentence })}</p>
    </div>
  );
}
