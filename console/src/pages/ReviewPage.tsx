import { useRoute } from 'preact-iso';
import { useState } from 'preact/hooks';
import { acceptModel, adminModelPath, adminShowPath, resetJob, review, runStageAction, type AdminJobDetail } from '../api/adminApi.js';
import { ApiFailure } from '../api/http.js';
import { useLiveResource } from '../api/live.js';
import type { AdminActionResult, AdminStageAction } from '../api/types.js';
import { FieldList } from '../components/FieldList.js';
import { DocumentView, ImageView, useStableUrl } from '../components/Media.js';
import { ErrorNotice, InfoNotice } from '../components/Notice.js';
import { StatusBadge } from '../components/StatusBadge.js';
import { Timeline } from '../components/Timeline.js';
import { useI18n } from '../i18n/i18n.js';
import type { MessageKey } from '../i18n/messages.js';
import { adminStageActionAllowed, canAdminAccept, resetTargetsFrom } from '../model/jobRules.js';
import { DeliveredModel } from './DeliveredModel.js';
import { JobFields, JobMedia } from './JobFields.js';
import { LiveStamp } from './LiveStamp.js';
import { usePageTitle } from './pageTitle.js';

const VIDEOS = ['training_video_download_url', 'verify_video_download_url', 'markable_video_download_url'] as const;
type VideoField = (typeof VIDEOS)[number];

/**
 * A reviewer's page for one job: the video beside the ID card images and the letter, what the
 * automatic review measured, the history; approve or reject; the compiled model and its test video;
 * stop, redo, skip or reset the pipeline, confirm the model.
 */
export function ReviewPage() {
  const { t, formatTime } = useI18n();
  const { params } = useRoute();
  const jobId = params.id!;
  const shown = useLiveResource<AdminJobDetail>(adminShowPath(jobId));
  const job = shown.data;
  usePageTitle(job ? t('review.titleOf', { name: job.name }) : t('review.title'));

  if (shown.error instanceof ApiFailure && shown.error.status === 404) {
    return (
      <section>
        <h1>{t('job.notFound')}</h1>
        <a href="/console/review">{t('review.backToQueue')}</a>
      </section>
    );
  }
  return (
    <article aria-labelledby="review-title" data-job-id={jobId}>
      <p class="breadcrumb">
        <a href="/console/review">{t('nav.queue')}</a> / <span>{job?.name ?? jobId}</span>
      </p>
      <div class="page-head">
        <h1 id="review-title">{job ? t('review.titleOf', { name: job.name }) : t('review.title')}</h1>
        {job && <StatusBadge state={job.state} showState />}
      </div>
      <ErrorNotice error={shown.error} />
      <LiveStamp checkedAt={shown.checkedAt} loading={shown.loading} />
      {job && (
        <>
          <FieldList
            rows={[
              [t('field.project_id'), <code>{job.project_id}</code>, 'project_id'],
              [t('field.job_id'), <code>{job.job_id}</code>, 'job_id'],
              [t('field.last_update_time'), <time dateTime={job.last_update_time}>{formatTime(job.last_update_time)}</time>, 'last_update_time'],
            ]}
          />
          <div class="review-layout">
            <ReviewVideo job={job} />
            <section class="card identity" aria-labelledby="identity-title">
              <h2 id="identity-title">{t('review.identity')}</h2>
              {job.id_card_image1_download_url ? <ImageView src={job.id_card_image1_download_url} label={t('file.id_card_image1')} /> : <p class="muted">{t('review.missing', { what: t('file.id_card_image1') })}</p>}
              {job.id_card_image2_download_url ? <ImageView src={job.id_card_image2_download_url} label={t('file.id_card_image2')} /> : <p class="muted">{t('review.missing', { what: t('file.id_card_image2') })}</p>}
              {job.grant_file_download_url ? <DocumentView src={job.grant_file_download_url} label={t('file.grant_file')} /> : <p class="muted">{t('review.missing', { what: t('file.grant_file') })}</p>}
            </section>
          </div>
          <AutoReviewFindings job={job} />
          <DecisionForm job={job} onDone={shown.refresh} />
          {/* The test video beside the pipeline's buttons: what the reviewer confirms, redoes or skips the check by. */}
          <div class="delivery-layout">
            <DeliveredModel job={job} path={adminModelPath(jobId)} />
            <PipelineControls job={job} onDone={shown.refresh} />
          </div>
          <StageWork job={job} />
          <section class="card" aria-labelledby="review-history-title">
            <h2 id="review-history-title">{t('job.history')}</h2>
            <Timeline operationLogs={job.operation_logs} commentLogs={job.comment_logs} />
          </section>
          <section class="card" aria-labelledby="review-products-title">
            <h2 id="review-products-title">{t('review.otherFiles')}</h2>
            <JobMedia job={job} exclude={[...VIDEOS, 'id_card_image1_download_url', 'id_card_image2_download_url', 'grant_file_download_url']} />
          </section>
          <details class="card">
            <summary>{t('review.allFields')}</summary>
            <JobFields job={job} />
          </details>
        </>
      )}
    </article>
  );
}

/** The video to judge; the verify video (first 30 s at 720p) and the markable proxy are one choice away. */
function ReviewVideo({ job }: { job: AdminJobDetail }) {
  const { t, formatSeconds } = useI18n();
  const available = VIDEOS.filter((field) => typeof job[field] === 'string');
  const [chosen, setChosen] = useState<VideoField | undefined>(available[0]);
  const [measured, setMeasured] = useState<{ width: number; height: number; seconds: number }>();
  const field = chosen && available.includes(chosen) ? chosen : available[0];
  const src = useStableUrl(field && job[field]);
  return (
    <section class="card player" aria-labelledby="video-title">
      <h2 id="video-title">{t('review.video')}</h2>
      {available.length > 1 && (
        <div role="radiogroup" aria-label={t('review.chooseVideo')} class="segmented">
          {available.map((candidate) => (
            <label>
              <input type="radio" name="review-video" checked={candidate === field} onChange={() => setChosen(candidate)} /> {t(`field.${candidate}` as MessageKey)}
            </label>
          ))}
        </div>
      )}
      {field ? (
        <>
          <video
            id="review-video"
            key={field}
            src={src}
            controls
            preload="metadata"
            playsInline
            aria-label={t(`field.${field}` as MessageKey)}
            onLoadedMetadata={(event) => {
              const video = event.currentTarget;
              setMeasured({ width: video.videoWidth, height: video.videoHeight, seconds: video.duration });
            }}
          />
          {measured && (
            <p class="small muted" data-testid="measured">
              {t('review.measured', { width: measured.width, height: measured.height, duration: formatSeconds(Math.round(measured.seconds * 10) / 10) })}
            </p>
          )}
        </>
      ) : (
        <p class="muted">{t('review.noVideo')}</p>
      )}
    </section>
  );
}

/** The measurements the automatic review logs on a pass: "resolution 1920x1080 (h264), duration 185.0 s, audio present". */
const MEASUREMENTS = /^resolution (.+), duration (.+), audio (present|absent)$/;

/** What the automatic review found (its last verdict in the log: what it measured, or the problems). */
function AutoReviewFindings({ job }: { job: AdminJobDetail }) {
  const { t, formatTime } = useI18n();
  const verdict = (job.operation_logs ?? []).filter((log) => log.log_type === 'SYSTEM_VERIFY_SUCCESS' || log.log_type === 'SYSTEM_VERIFY_FAILED').at(-1);
  const text = verdict?.log_description?.replace(/^automatic review (passed|failed): /, '') ?? '';
  const measured = MEASUREMENTS.exec(text);
  const problems = measured ? [] : text.split(/; (?=the )/).filter(Boolean);
  return (
    <section class="card" aria-labelledby="findings-title">
      <h2 id="findings-title">{t('review.findings')}</h2>
      {!verdict ? (
        <p class="muted">{t('review.noFindings')}</p>
      ) : (
        <>
          <p>
            <span class={`badge tone-${verdict.log_type === 'SYSTEM_VERIFY_SUCCESS' ? 'success' : 'danger'}`}>
              {verdict.log_type === 'SYSTEM_VERIFY_SUCCESS' ? t('review.autoPassed') : t('review.autoFailed')}
            </span>{' '}
            <time dateTime={verdict.operate_time} class="muted small">
              {formatTime(verdict.operate_time)}
            </time>
            {verdict.error_code && (
              <span class="small">
                {' '}
                · {t('timeline.errorCode')} <code>{verdict.error_code}</code>
              </span>
            )}
          </p>
          {measured && (
            <div data-testid="findings">
              <FieldList
                rows={[
                  [t('findings.resolution'), measured[1], 'resolution'],
                  [t('findings.duration'), measured[2], 'duration'],
                  [t('findings.audio'), measured[3] === 'present' ? t('findings.audioPresent') : t('findings.audioAbsent'), 'audio'],
                ]}
              />
            </div>
          )}
          {problems.length > 0 && (
            <ul class="findings" data-testid="findings">
              {problems.map((problem) => (
                <li>{problem}</li>
              ))}
            </ul>
          )}
        </>
      )}
    </section>
  );
}

/** Approve or reject a job in manual review, with an opinion, an optional comment and attachment. */
function DecisionForm({ job, onDone }: { job: AdminJobDetail; onDone: () => void }) {
  const { t } = useI18n();
  const [opinion, setOpinion] = useState('');
  const [commentTitle, setCommentTitle] = useState('');
  const [commentMessage, setCommentMessage] = useState('');
  const [attachment, setAttachment] = useState<File>();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>();
  const [result, setResult] = useState<{ decision: 'approve' | 'reject'; answer: AdminActionResult }>();
  if (job.state !== 'MANUAL_VERIFYING') {
    return result ? (
      <InfoNotice tone="success">{t(result.decision === 'approve' ? 'review.approved' : 'review.rejected', { state: result.answer.state })}</InfoNotice>
    ) : null;
  }

  const decide = async (decision: 'approve' | 'reject') => {
    setBusy(true);
    setError(undefined);
    try {
      const withComment = commentTitle.trim() || commentMessage.trim() || attachment;
      const answer = await review(job.job_id, {
        decision,
        ...(opinion.trim() && { opinion: opinion.trim() }),
        ...(withComment && {
          comment: {
            ...(commentTitle.trim() && { comment_title: commentTitle.trim() }),
            ...(commentMessage.trim() && { comment_message: commentMessage.trim() }),
            ...(attachment && { attachment_name: [attachment.name] }),
          },
        }),
      });
      const url = answer.attachment_upload_url?.[0];
      if (attachment && url) {
        const response = await fetch(url, { method: 'PUT', body: attachment });
        if (!response.ok) throw new Error(t('confirm.attachmentFailed'));
      }
      setResult({ decision, answer });
      onDone();
    } catch (failure) {
      setError(failure);
    } finally {
      setBusy(false);
    }
  };

  return (
    <section class="card decision" aria-labelledby="decision-title">
      <h2 id="decision-title">{t('review.decision')}</h2>
      <form onSubmit={(event) => event.preventDefault()}>
        <label class="field-label" for="review-opinion">
          {t('review.opinion')}
        </label>
        <textarea id="review-opinion" rows={3} maxLength={1024} value={opinion} onInput={(event) => setOpinion(event.currentTarget.value)} aria-describedby="review-opinion-hint" />
        <p id="review-opinion-hint" class="hint">
          {t('review.opinionHint')}
        </p>
        <details>
          <summary>{t('review.comment')}</summary>
          <label class="field-label" for="review-comment-title">
            {t('review.commentTitle')}
          </label>
          <input id="review-comment-title" value={commentTitle} onInput={(event) => setCommentTitle(event.currentTarget.value)} />
          <label class="field-label" for="review-comment-message">
            {t('review.commentMessage')}
          </label>
          <textarea id="review-comment-message" rows={3} value={commentMessage} onInput={(event) => setCommentMessage(event.currentTarget.value)} />
          <label class="field-label" for="review-attachment">
            {t('review.attachment')}
          </label>
          <input id="review-attachment" type="file" onChange={(event) => setAttachment(event.currentTarget.files?.[0])} />
        </details>
        <ErrorNotice error={error} />
        <div class="actions">
          <button type="button" class="primary" disabled={busy} onClick={() => decide('approve')}>
            {t('review.approve')}
          </button>
          <button type="button" class="danger" disabled={busy || !opinion.trim()} onClick={() => decide('reject')} aria-describedby="review-opinion-hint">
            {t('review.reject')}
          </button>
        </div>
      </form>
    </section>
  );
}

/** The stage buttons, each shown where the transition table has a row of its action for the job's state. */
const STAGE_BUTTONS: ReadonlyArray<{ action: AdminStageAction; label: MessageKey; done: MessageKey; tone?: 'primary' | 'danger' }> = [
  { action: 'redo', label: 'controls.redo', done: 'controls.redone', tone: 'primary' },
  { action: 'skip', label: 'controls.skip', done: 'controls.skipped' },
  { action: 'stop', label: 'controls.stop', done: 'controls.stopped', tone: 'danger' },
];

/**
 * Stop the stage a job is in or waits for, run a failed or stopped stage again, skip the test-video
 * check, confirm a model waiting for an admin; reset the job to an earlier state.
 */
function PipelineControls({ job, onDone }: { job: AdminJobDetail; onDone: () => void }) {
  const { t, tOr } = useI18n();
  const targets = resetTargetsFrom(job.state);
  const [reason, setReason] = useState('');
  const [target, setTarget] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>();
  const [done, setDone] = useState<string>();
  const stageButtons = STAGE_BUTTONS.filter((button) => adminStageActionAllowed(button.action, job.state));
  const canAccept = canAdminAccept(job.state);
  const anyButton = canAccept || stageButtons.length > 0;
  if (!anyButton && targets.length === 0) return null;
  const act = async (action: () => Promise<AdminActionResult>, key: MessageKey) => {
    setBusy(true);
    setError(undefined);
    setDone(undefined);
    try {
      const answer = await action();
      setDone(t(key, { state: answer.state }));
      setReason('');
      onDone();
    } catch (failure) {
      setError(failure);
    } finally {
      setBusy(false);
    }
  };
  const loggedReason = () => reason.trim() || undefined;
  const chosenTarget = targets.includes(target) ? target : targets[0];
  return (
    <section class="card" aria-labelledby="controls-title">
      <h2 id="controls-title">{t('controls.title')}</h2>
      <label class="field-label" for="controls-reason">
        {t('controls.reason')}
      </label>
      <input id="controls-reason" class="wide" maxLength={1024} value={reason} onInput={(event) => setReason(event.currentTarget.value)} />
      <ErrorNotice error={error} />
      {done && <InfoNotice tone="success">{done}</InfoNotice>}
      {anyButton && (
        <div class="actions">
          {canAccept && (
            <button type="button" class="primary" disabled={busy} onClick={() => act(() => acceptModel(job.job_id), 'controls.accepted')}>
              {t('controls.accept')}
            </button>
          )}
          {stageButtons.map((button) => (
            <button key={button.action} type="button" class={button.tone} disabled={busy} onClick={() => act(() => runStageAction(button.action, job.job_id, loggedReason()), button.done)}>
              {t(button.label)}
            </button>
          ))}
        </div>
      )}
      {targets.length > 0 && (
        <div class="actions">
          <label for="controls-target" class="inline-label">
            {t('controls.resetTo')}
          </label>
          <select id="controls-target" value={chosenTarget} onChange={(event) => setTarget(event.currentTarget.value)}>
            {/* An option holds text only: the state's label, then its raw name in brackets (as StatusBadge's title reads). */}
            {targets.map((state) => (
              <option value={state}>{`${tOr(`state.${state}`, state)} (${state})`}</option>
            ))}
          </select>
          <button type="button" disabled={busy || !chosenTarget} onClick={() => act(() => resetJob(job.job_id, chosenTarget!, loggedReason()), 'controls.reset')}>
            {t('controls.resetButton')}
          </button>
        </div>
      )}
    </section>
  );
}

/** The job's pipeline work items: stage, status, attempts, last error. */
function StageWork({ job }: { job: AdminJobDetail }) {
  const { t, tOr, formatTime } = useI18n();
  if (job.stage_work.length === 0) return null;
  return (
    <section class="card" aria-labelledby="work-title">
      <h2 id="work-title">{t('work.title')}</h2>
      <div class="table-wrap">
        <table class="compact">
          <thead>
            <tr>
              <th scope="col">{t('work.stage')}</th>
              <th scope="col">{t('work.status')}</th>
              <th scope="col">{t('work.attempts')}</th>
              <th scope="col">{t('work.lastError')}</th>
              <th scope="col">{t('work.updated')}</th>
            </tr>
          </thead>
          <tbody>
            {job.stage_work.map((work) => (
              <tr>
                <td>{tOr(`stage.${work.stage}`, work.stage)}</td>
                <td>{tOr(`work.status.${work.status}`, work.status)}</td>
                <td>
                  {work.attempts} / {work.max_attempts}
                </td>
                <td>{work.last_error ?? ''}</td>
                <td>
                  <time dateTime={work.updated_at}>{formatTime(work.updated_at)}</time>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </section>
  );
}
