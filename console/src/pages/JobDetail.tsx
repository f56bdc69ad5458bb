import { useRoute } from 'preact-iso';
import { ApiFailure } from '../api/http.js';
import { useLiveResource } from '../api/live.js';
import { modelPath, showPath } from '../api/tenantApi.js';
import type { Show2dModelTrainingJobResponse } from '../api/types.js';
import { useUploadRun } from '../api/uploads.js';
import { ErrorNotice } from '../components/Notice.js';
import { StatusBadge } from '../components/StatusBadge.js';
import { Timeline } from '../components/Timeline.js';
import { useI18n } from '../i18n/i18n.js';
import { canMakeVideo } from '../model/jobRules.js';
import { DeliveredModel } from './DeliveredModel.js';
import { JobFields, JobMedia } from './JobFields.js';
import { LiveStamp } from './LiveStamp.js';
import { MakeVideo } from './MakeVideo.js';
import { usePageTitle } from './pageTitle.js';
import { UploadPanel } from './UploadPanel.js';
import { ConfirmationPanel, DeletePanel, ResubmitPanel, SubmitPanel } from './UserActions.js';

/** One job for its owner: status, what to do next, the delivered model and its test video, making videos with a finished model, files and products, every field, the history. */
export function JobDetail() {
  const { t } = useI18n();
  const { params } = useRoute();
  const jobId = params.id!;
  const shown = useLiveResource<Show2dModelTrainingJobResponse>(showPath(jobId));
  const upload = useUploadRun(jobId);
  const job = shown.data;
  usePageTitle(job?.name ?? t('job.title'));

  if (shown.error instanceof ApiFailure && shown.error.status === 404) {
    return (
      <section>
        <h1>{t('job.notFound')}</h1>
        <a href="/console/jobs">{t('job.backToList')}</a>
      </section>
    );
  }
  return (
    <article aria-labelledby="job-title" data-job-id={jobId}>
      <p class="breadcrumb">
        <a href="/console/jobs">{t('nav.jobs')}</a> / <span>{job?.name ?? jobId}</span>
      </p>
      <div class="page-head">
        <h1 id="job-title">{job?.name ?? t('job.title')}</h1>
        {job && <StatusBadge state={job.state} showState />}
      </div>
      <ErrorNotice error={shown.error} />
      <LiveStamp checkedAt={shown.checkedAt} loading={shown.loading} />
      {job && (
        <>
          {(job.state === 'WAIT_FILE_UPLOAD' || (upload && upload.status !== 'done')) && <UploadPanel job={job} onUploaded={shown.refresh} />}
          <SubmitPanel job={job} onChanged={shown.refresh} />
          <ResubmitPanel key={`${job.job_id}-${job.state}`} job={job} onChanged={shown.refresh} />
          {/* The test video beside the accept and reject buttons: what the user judges the model by. */}
          <div class="delivery-layout">
            <DeliveredModel job={job} path={modelPath(jobId)} />
            <ConfirmationPanel job={job} onChanged={shown.refresh} />
          </div>
          {canMakeVideo(job) && <MakeVideo modelAssetId={job.asset_id} jobName={job.name} modelPath={modelPath(jobId)} />}
          <section class="card" aria-labelledby="media-title">
            <h2 id="media-title">{t('job.media')}</h2>
            <JobMedia job={job} />
          </section>
          <section class="card" aria-labelledby="history-title">
            <h2 id="history-title">{t('job.history')}</h2>
            <Timeline operationLogs={job.operation_logs} commentLogs={job.comment_logs} />
          </section>
          <JobFields job={job} />
          <DeletePanel job={job} onChanged={shown.refresh} />
        </>
      )}
    </article>
  );
}
