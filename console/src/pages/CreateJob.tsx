import { useLocation } from 'preact-iso';
import { useState } from 'preact/hooks';
import { createJob } from '../api/tenantApi.js';
import { partCountFor, rememberUploadUrls, uploadJobFiles, type FileKind } from '../api/uploads.js';
import { ErrorNotice } from '../components/Notice.js';
import { useI18n } from '../i18n/i18n.js';
import { FileInputs, REQUIRED_FILE_KINDS, useFileNames } from './FileInputs.js';
import { usePageTitle } from './pageTitle.js';

const splitTags = (text: string) =>
  text
    .split(/[,，]/)
    .map((tag) => tag.trim())
    .filter(Boolean);

/**
 * Create a job and upload its files: the training video in parts (the part count follows from its
 * size), the ID card images and the authorization letter. The upload goes on on the job's page,
 * where the job is then submitted for review.
 */
export function CreateJob() {
  const { t } = useI18n();
  usePageTitle(t('create.title'));
  const location = useLocation();
  const [name, setName] = useState('');
  const [contact, setContact] = useState('');
  const [batchName, setBatchName] = useState('');
  const [tags, setTags] = useState('');
  const [modelVersion, setModelVersion] = useState<'V3.2' | 'V3.3'>('V3.2');
  const [backgroundReplacement, setBackgroundReplacement] = useState(true);
  const [files, setFiles] = useState<Partial<Record<FileKind, File>>>({});
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>();

  const fileNames = useFileNames();
  // Every file is chosen here: the job is submitted for review once they are up (see REQUIRED_FILE_KINDS).
  const missing = REQUIRED_FILE_KINDS.filter((kind) => !files[kind]);

  async function submit(event: Event) {
    event.preventDefault();
    const video = files.training_video;
    if (!video || missing.length > 0) return;
    setBusy(true);
    setError(undefined);
    try {
      const created = await createJob({
        name: name.trim(),
        ...(contact.trim() && { contact: contact.trim() }),
        ...(batchName.trim() && { batch_name: batchName.trim() }),
        ...(splitTags(tags).length > 0 && { tags: splitTags(tags) }),
        model_version: modelVersion,
        is_background_replacement: backgroundReplacement,
        video_multipart_count: partCountFor(video.size),
      });
      const jobId = created.job_id!;
      rememberUploadUrls(jobId, created, video);
      // The upload runs on; its progress shows on the job's page, which a reload brings back to.
      uploadJobFiles(jobId, files).catch(() => undefined);
      location.route(`/console/jobs/${jobId}`);
    } catch (failure) {
      setError(failure);
      setBusy(false);
    }
  }

  return (
    <section aria-labelledby="create-title">
      <h1 id="create-title">{t('create.title')}</h1>
      <form class="card form" onSubmit={submit}>
        <fieldset>
          <legend>{t('create.about')}</legend>
          <label class="field-label" for="job-name">
            {t('field.name')} <span aria-hidden="true">*</span>
          </label>
          <input id="job-name" name="name" required maxLength={64} value={name} onInput={(event) => setName(event.currentTarget.value)} aria-describedby="job-name-hint" />
          <p id="job-name-hint" class="hint">
            {t('create.nameHint')}
          </p>
          <label class="field-label" for="job-contact">
            {t('field.contact')}
          </label>
          <input id="job-contact" name="contact" maxLength={64} value={contact} onInput={(event) => setContact(event.currentTarget.value)} />
          <label class="field-label" for="job-batch">
            {t('field.batch_name')}
          </label>
          <input id="job-batch" name="batch_name" maxLength={64} value={batchName} onInput={(event) => setBatchName(event.currentTarget.value)} />
          <label class="field-label" for="job-tags">
            {t('field.tags')}
          </label>
          <input id="job-tags" name="tags" value={tags} onInput={(event) => setTags(event.currentTarget.value)} aria-describedby="job-tags-hint" />
          <p id="job-tags-hint" class="hint">
            {t('create.tagsHint')}
          </p>
          <label class="field-label" for="job-model-version">
            {t('field.model_version')}
          </label>
          <select id="job-model-version" name="model_version" value={modelVersion} onChange={(event) => setModelVersion(event.currentTarget.value as 'V3.2' | 'V3.3')}>
            <option value="V3.2">{t('create.modelV32')}</option>
            <option value="V3.3">{t('create.modelV33')}</option>
          </select>
          <label class="checkbox">
            <input type="checkbox" name="is_background_replacement" checked={backgroundReplacement} onChange={(event) => setBackgroundReplacement(event.currentTarget.checked)} />{' '}
            {t('field.is_background_replacement')}
          </label>
        </fieldset>
        <FileInputs files={files} onChange={setFiles} required={REQUIRED_FILE_KINDS} />
        <ErrorNotice error={error} />
        {missing.length > 0 && (
          <p id="create-missing" class="hint" data-testid="create-missing">
            {t('create.missing', { files: fileNames(missing) })}
          </p>
        )}
        <div class="actions">
          <button type="submit" class="primary" disabled={busy || missing.length > 0} aria-describedby={missing.length > 0 ? 'create-missing' : undefined}>
            {busy ? t('create.busy') : t('create.submit')}
          </button>
          <a class="button" href="/console/jobs">
            {t('common.cancel')}
          </a>
        </div>
      </form>
    </section>
  );
}
