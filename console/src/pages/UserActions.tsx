import { useLocation } from 'preact-iso';
import { useState } from 'preact/hooks';
import { ApiFailure } from '../api/http.js';
import { deleteJob, runCommand, updateJob } from '../api/tenantApi.js';
import type { Execute2dModelTrainingCommandByUserReq, Show2dModelTrainingJobResponse } from '../api/types.js';
import { forgetPlan, partCountFor, rememberUploadUrls, uploadJobFiles, useUploadRun, type FileKind } from '../api/uploads.js';
import { ErrorNotice, InfoNotice } from '../components/Notice.js';
import { UploadProgress } from '../components/ProgressBar.js';
import { useI18n } from '../i18n/i18n.js';
import type { MessageKey } from '../i18n/messages.js';
import { ANSWERABLE_STATES, canDelete, canUpdate, userCommandAllowed } from '../model/jobRules.js';
import { DOWNLOAD_FIELD, FileInputs, IDENTITY_FILE_KINDS, REQUIRED_FILE_KINDS, useFileNames } from './FileInputs.js';

type Job = Show2dModelTrainingJobResponse;

/** Runs one action, keeping its busy flag and error, and tells the page to read the job again. */
function useAction(onDone: () => void) {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>();
  const [done, setDone] = useState<string>();
  const run = async (action: () => Promise<unknown>, doneMessage?: string) => {
    setBusy(true);
    setError(undefined);
    setDone(undefined);
    try {
      await action();
      setDone(doneMessage);
      onDone();
    } catch (failure) {
      setError(failure);
    } finally {
      setBusy(false);
    }
  };
  return { busy, error, done, run };
}

/** The server's MSS.20010003 names the missing files by field ("training_video, grant_file"): say them as the form does. */
function explainMissingFiles(error: unknown, fileNames: (kinds: readonly string[]) => string, t: ReturnType<typeof useI18n>['t']): unknown {
  if (!(error instanceof ApiFailure) || error.code !== 'MSS.20010003') return error;
  const kinds = Object.keys(DOWNLOAD_FIELD).filter((kind) => new RegExp(`\\b${kind}\\b`).test(error.message));
  if (kinds.length === 0) return error;
  return new ApiFailure(error.status, error.code, t('submit.refusedMissing', { files: fileNames(kinds) }), error.requestId);
}

/**
 * Submitting a job whose files are up (WAIT_FILE_UPLOAD). The button waits for every required file,
 * naming what is missing. Whether this server requires the identity documents is not visible to
 * the console, so when only they are missing a second button submits anyway and the server decides.
 */
export function SubmitPanel({ job, onChanged }: { job: Job; onChanged: () => void }) {
  const { t } = useI18n();
  const fileNames = useFileNames();
  const action = useAction(onChanged);
  const upload = useUploadRun(job.job_id);
  if (!userCommandAllowed('SUBMITVERIFYING', job.state) || job.state !== 'WAIT_FILE_UPLOAD') return null;
  const missing = REQUIRED_FILE_KINDS.filter((kind) => typeof job[DOWNLOAD_FIELD[kind]] !== 'string');
  const onlyIdentityMissing = missing.length > 0 && missing.every((kind) => IDENTITY_FILE_KINDS.includes(kind));
  const uploading = upload?.status === 'running';
  const submit = () => action.run(() => runCommand(job.job_id, { command: 'SUBMITVERIFYING' }));
  return (
    <section class="card" aria-labelledby="submit-title">
      <h2 id="submit-title">{t('submit.title')}</h2>
      {missing.length === 0 ? (
        <p>{t('submit.ready')}</p>
      ) : (
        <p id="submit-missing" data-testid="submit-missing">
          {t('submit.missing', { files: fileNames(missing) })}
        </p>
      )}
      <ErrorNotice error={explainMissingFiles(action.error, fileNames, t)} />
      <div class="actions">
        <button
          type="button"
          class="primary"
          disabled={missing.length > 0 || action.busy || uploading}
          aria-describedby={missing.length > 0 ? 'submit-missing' : undefined}
          onClick={submit}
        >
          {t('submit.button')}
        </button>
        {onlyIdentityMissing && (
          <button type="button" disabled={action.busy || uploading} aria-describedby="submit-without-hint" onClick={submit}>
            {t('submit.withoutIdentity')}
          </button>
        )}
      </div>
      {onlyIdentityMissing && (
        <p id="submit-without-hint" class="hint">
          {t('submit.withoutIdentityHint')}
        </p>
      )}
    </section>
  );
}

/** The reasons a review gave, newest first: the failed review's log entries and the reviewers' comments. */
function reviewFindings(job: Job): string[] {
  const logs = (job.operation_logs ?? []).filter((log) => log.log_type === 'SYSTEM_VERIFY_FAILED' || log.log_type === 'ADMIN_VERIFY_FAILED');
  const last = logs.at(-1);
  const comments = (job.comment_logs ?? []).filter((comment) => comment.comment_type === 'ADMIN_COMMENT' && (!last?.operate_time || (comment.operate_time ?? '') >= last.operate_time));
  return [
    ...(last?.log_description ? [last.log_description] : []),
    ...comments.map((comment) => [comment.comment_title, comment.comment_message].filter(Boolean).join(': ')),
  ];
}

/** After a failed review: read why, change the job and its files (Update), and submit it again. */
export function ResubmitPanel({ job, onChanged }: { job: Job; onChanged: () => void }) {
  const { t } = useI18n();
  const action = useAction(onChanged);
  const [name, setName] = useState(job.name);
  const [contact, setContact] = useState(job.contact ?? '');
  const [batchName, setBatchName] = useState(job.batch_name ?? '');
  const [tags, setTags] = useState((job.tags ?? []).join(', '));
  const [files, setFiles] = useState<Partial<Record<FileKind, File>>>({});
  const upload = useUploadRun(job.job_id);
  if (!canUpdate(job.state)) return null;
  const findings = reviewFindings(job);

  const submit = (event: Event) => {
    event.preventDefault();
    const video = files.training_video;
    void action.run(async () => {
      const tagList = tags.split(/[,，]/).map((tag) => tag.trim()).filter(Boolean);
      const answer = await updateJob(job.job_id, {
        name: name.trim(),
        contact: contact.trim() || undefined,
        batch_name: batchName.trim() || undefined,
        tags: tagList,
        ...(video && { command_message: 'UPDATE_VIDEO' as const, video_multipart_count: partCountFor(video.size) }),
      });
      rememberUploadUrls(job.job_id, answer, video);
      if (Object.keys(files).length > 0) await uploadJobFiles(job.job_id, files);
      await runCommand(job.job_id, { command: 'SUBMITVERIFYING' });
      setFiles({});
    }, t('resubmit.done'));
  };

  return (
    <section class="card" aria-labelledby="resubmit-title">
      <h2 id="resubmit-title">{t('resubmit.title')}</h2>
      {findings.length > 0 && (
        <div class="notice notice-error" role="note">
          <strong>{t('resubmit.why')}</strong>
          <ul>
            {findings.map((finding) => (
              <li>{finding}</li>
            ))}
          </ul>
        </div>
      )}
      <form class="form" onSubmit={submit}>
        <fieldset>
          <legend>{t('resubmit.fields')}</legend>
          <label class="field-label" for="update-name">
            {t('field.name')}
          </label>
          <input id="update-name" required maxLength={64} value={name} onInput={(event) => setName(event.currentTarget.value)} />
          <label class="field-label" for="update-contact">
            {t('field.contact')}
          </label>
          <input id="update-contact" maxLength={64} value={contact} onInput={(event) => setContact(event.currentTarget.value)} />
          <label class="field-label" for="update-batch">
            {t('field.batch_name')}
          </label>
          <input id="update-batch" maxLength={64} value={batchName} onInput={(event) => setBatchName(event.currentTarget.value)} />
          <label class="field-label" for="update-tags">
            {t('field.tags')}
          </label>
          <input id="update-tags" value={tags} onInput={(event) => setTags(event.currentTarget.value)} />
        </fieldset>
        <FileInputs files={files} onChange={setFiles} legend={t('resubmit.files')} />
        {upload && upload.status !== 'done' && (
          <div class="progress-list" aria-live="polite">
            {upload.files.map((file) => (
              <UploadProgress key={file.kind} file={file} label={t(`file.${file.kind}` as MessageKey)} />
            ))}
          </div>
        )}
        <ErrorNotice error={action.error} />
        <button type="submit" class="primary" disabled={action.busy}>
          {action.busy ? t('resubmit.busy') : t('resubmit.button')}
        </button>
      </form>
    </section>
  );
}

/**
 * The user's confirmation commands (the cloud's NA tenants; here when the server's user-confirm gate
 * is on): accept or reject the delivered model, reply, suspend and resume, ask for a repair.
 */
export function ConfirmationPanel({ job, onChanged }: { job: Job; onChanged: () => void }) {
  const { t } = useI18n();
  const action = useAction(onChanged);
  const [reason, setReason] = useState('');
  const [attachment, setAttachment] = useState<File>();
  const can = {
    accept: userCommandAllowed('CONFIRM_ACCEPT', job.state),
    reject: userCommandAllowed('CONFIRM_REJECT', job.state),
    answer: ANSWERABLE_STATES.includes(job.state),
    suspend: userCommandAllowed('CONFIRM_PENDING', job.state),
    resume: userCommandAllowed('CONFIRM_ACTIVE', job.state),
    repair: userCommandAllowed('CONFIRM_REPAIR', job.state) && (!job.is_flexus || (job.flexus_retry_count ?? 0) > 0),
  };
  if (!Object.values(can).some(Boolean)) return null;

  /** A command with the typed text as its reason and comment, the attachment uploaded to the URL it answers. */
  const send = (command: Execute2dModelTrainingCommandByUserReq['command'], withComment: boolean, doneKey: MessageKey) =>
    action.run(async () => {
      const text = reason.trim();
      const answer = await runCommand(job.job_id, {
        command,
        ...(text && { operation_reason: text }),
        ...(withComment && (text || attachment) && {
          comment_data: { ...(text && { comment_message: text }), ...(attachment && { attachment_name: [attachment.name] }) },
        }),
      });
      const url = answer.attachment_upload_url?.[0];
      if (attachment && url) {
        const response = await fetch(url, { method: 'PUT', body: attachment });
        if (!response.ok) throw new Error(t('confirm.attachmentFailed'));
      }
      setReason('');
      setAttachment(undefined);
    }, t(doneKey));

  return (
    <section class="card" aria-labelledby="confirm-title">
      <h2 id="confirm-title">{job.state === 'WAIT_USER_CONFIRM' ? t('confirm.title') : t('confirm.deliveredTitle')}</h2>
      <p>{job.state === 'WAIT_USER_CONFIRM' ? t('confirm.waiting') : job.state === 'JOB_PENDING' ? t('confirm.suspended') : t('confirm.intro')}</p>
      {(can.reject || can.answer || can.repair) && (
        <>
          <label class="field-label" for="confirm-reason">
            {t('confirm.reason')}
          </label>
          <textarea id="confirm-reason" rows={3} value={reason} onInput={(event) => setReason(event.currentTarget.value)} />
          {(can.reject || can.answer) && (
            <>
              <label class="field-label" for="confirm-attachment">
                {t('confirm.attachment')}
              </label>
              <input id="confirm-attachment" type="file" onChange={(event) => setAttachment(event.currentTarget.files?.[0])} />
            </>
          )}
        </>
      )}
      {can.repair && <p class="hint">{t('confirm.repairHint')}</p>}
      <ErrorNotice error={action.error} />
      {action.done && <InfoNotice tone="success">{action.done}</InfoNotice>}
      <div class="actions">
        {can.accept && (
          <button type="button" class="primary" disabled={action.busy} onClick={() => send('CONFIRM_ACCEPT', false, 'confirm.accepted')}>
            {t('confirm.accept')}
          </button>
        )}
        {can.reject && (
          <button type="button" class="danger" disabled={action.busy || !reason.trim()} onClick={() => send('CONFIRM_REJECT', true, 'confirm.rejected')}>
            {t('confirm.reject')}
          </button>
        )}
        {can.answer && (
          <button type="button" disabled={action.busy || (!reason.trim() && !attachment)} onClick={() => send('CONFIRM_ANSWER', true, 'confirm.answered')}>
            {t('confirm.answer')}
          </button>
        )}
        {can.suspend && (
          <button type="button" disabled={action.busy} onClick={() => send('CONFIRM_PENDING', false, 'confirm.suspendedDone')}>
            {t('confirm.suspend')}
          </button>
        )}
        {can.resume && (
          <button type="button" class="primary" disabled={action.busy} onClick={() => send('CONFIRM_ACTIVE', false, 'confirm.resumed')}>
            {t('confirm.resume')}
          </button>
        )}
        {can.repair && (
          <button type="button" disabled={action.busy} onClick={() => send('CONFIRM_REPAIR', false, 'confirm.repairing')}>
            {job.is_flexus ? t('confirm.repairFlexus', { n: job.flexus_retry_count ?? 0 }) : t('confirm.repair')}
          </button>
        )}
      </div>
    </section>
  );
}

/** Deleting the job (in the states the API allows it), or only its videos once it is delivered. */
export function DeletePanel({ job, onChanged }: { job: Job; onChanged: () => void }) {
  const { t } = useI18n();
  const location = useLocation();
  const action = useAction(onChanged);
  const completed = ['JOB_SUCCESS', 'JOB_FINISH', 'WAIT_USER_CONFIRM', 'JOB_REJECT'].includes(job.state);
  const hasVideos = typeof job.training_video_download_url === 'string';
  if (!canDelete(job.state) && !(completed && hasVideos)) return null;
  return (
    <section class="card" aria-labelledby="delete-title">
      <h2 id="delete-title">{t('delete.title')}</h2>
      <ErrorNotice error={action.error} />
      <div class="actions">
        {completed && hasVideos && (
          <button
            type="button"
            disabled={action.busy}
            onClick={() => confirm(t('delete.videosConfirm')) && action.run(() => runCommand(job.job_id, { command: 'DELETE_JOB_VIDEO' }))}
          >
            {t('delete.videos')}
          </button>
        )}
        {canDelete(job.state) && (
          <button
            type="button"
            class="danger"
            disabled={action.busy}
            onClick={() =>
              confirm(t('delete.confirm', { name: job.name })) &&
              action.run(async () => {
                await deleteJob(job.job_id);
                forgetPlan(job.job_id);
                location.route('/console/jobs');
              })
            }
          >
            {t('delete.job')}
          </button>
        )}
      </div>
    </section>
  );
}
