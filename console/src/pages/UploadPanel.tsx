import { useEffect, useState } from 'preact/hooks';
import type { Show2dModelTrainingJobResponse } from '../api/types.js';
import { loadPlan, retryUpload, uploadJobFiles, useUploadRun, UploadProblem, type FileKind, type SingleFileKind } from '../api/uploads.js';
import { ErrorNotice, InfoNotice } from '../components/Notice.js';
import { UploadProgress } from '../components/ProgressBar.js';
import { useI18n } from '../i18n/i18n.js';
import type { MessageKey } from '../i18n/messages.js';
import { DOWNLOAD_FIELD, FileInputs } from './FileInputs.js';

/**
 * The job's uploads: the progress of the one running, and what is left to upload with the URLs
 * kept in this browser. After a reload the person picks the video again and the upload resumes
 * where the server's parts end.
 */
export function UploadPanel({ job, onUploaded }: { job: Show2dModelTrainingJobResponse; onUploaded: () => void }) {
  const { t, formatBytes } = useI18n();
  const run = useUploadRun(job.job_id);
  const [files, setFiles] = useState<Partial<Record<FileKind, File>>>({});
  const [error, setError] = useState<unknown>();
  const running = run?.status === 'running';

  useEffect(() => {
    if (run?.status === 'done') onUploaded();
  }, [run?.status]);

  const plan = loadPlan(job.job_id);
  const pendingVideo = plan?.video?.file;
  const has = (kind: FileKind) => typeof job[DOWNLOAD_FIELD[kind]] === 'string';
  // Still to upload: what has URLs kept here and is not on the job yet (a video in parts may be half there).
  const pendingKinds: FileKind[] = [
    ...(pendingVideo ? (['training_video'] as const) : []),
    ...(Object.keys(plan?.singles ?? {}) as SingleFileKind[]).filter((kind) => !has(kind)),
  ];
  const missing = (Object.keys(DOWNLOAD_FIELD) as FileKind[]).filter((kind) => !has(kind));

  async function resume(event: Event) {
    event.preventDefault();
    setError(undefined);
    try {
      await uploadJobFiles(job.job_id, files);
      setFiles({});
    } catch (failure) {
      setError(failure instanceof UploadProblem && failure.reason === 'different_file' ? new Error(t('upload.differentFile', { name: pendingVideo?.name ?? '' })) : failure);
    }
  }

  return (
    <section class="card upload-panel" aria-labelledby="upload-title">
      <h2 id="upload-title">{t('upload.title')}</h2>
      {run && (
        <div class="progress-list" aria-live="polite">
          {run.files.map((file) => (
            <UploadProgress key={file.kind} file={file} label={t(`file.${file.kind}` as MessageKey)} />
          ))}
          {run.status === 'done' && <InfoNotice tone="success">{t('upload.done')}</InfoNotice>}
          {run.status === 'failed' && (
            <InfoNotice tone="warning">
              {t('upload.interrupted')} {run.error && <span class="muted">({run.error})</span>}{' '}
              <button type="button" onClick={() => retryUpload(job.job_id)?.catch(setError)}>
                {t('upload.retry')}
              </button>
            </InfoNotice>
          )}
        </div>
      )}
      {!running && pendingKinds.length > 0 && (
        <form onSubmit={resume}>
          {pendingVideo && (
            <p>
              {t('upload.resumeVideo', { name: pendingVideo.name, size: formatBytes(pendingVideo.size) })}
            </p>
          )}
          <FileInputs files={files} onChange={setFiles} kinds={pendingKinds} legend={t('upload.pendingLegend')} />
          <ErrorNotice error={error} />
          <button type="submit" class="primary" disabled={Object.keys(files).length === 0}>
            {pendingVideo ? t('upload.resume') : t('upload.upload')}
          </button>
        </form>
      )}
      {!running && pendingKinds.length === 0 && missing.length > 0 && <p class="muted">{t('upload.noUrls')}</p>}
      <ul class="file-checklist">
        {(Object.keys(DOWNLOAD_FIELD) as FileKind[]).map((kind) => (
          <li data-kind={kind} data-present={has(kind)}>
            <span aria-hidden="true">{has(kind) ? '✔' : '○'}</span> {t(`file.${kind}` as MessageKey)}: {has(kind) ? t('upload.present') : t('upload.missing')}
          </li>
        ))}
      </ul>
    </section>
  );
}
