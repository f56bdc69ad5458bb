import type { FileProgress } from '../api/uploads.js';
import { useI18n } from '../i18n/i18n.js';

/** One file's upload progress: a labelled progress bar, its bytes and (for the video) its parts. */
export function UploadProgress({ file, label }: { file: FileProgress; label: string }) {
  const { t, formatBytes } = useI18n();
  const percent = file.total === 0 ? 100 : Math.floor((file.sent / file.total) * 100);
  const id = `progress-${file.kind}`;
  return (
    <div class={`upload-progress status-${file.status}`} data-kind={file.kind}>
      <label for={id}>
        {label} <span class="muted">({file.fileName})</span>
      </label>
      <progress id={id} max={100} value={percent} aria-valuetext={`${percent}%`}>
        {percent}%
      </progress>
      <span class="small">
        {percent}% · {formatBytes(file.sent)} / {formatBytes(file.total)}
        {file.partsTotal !== undefined && (
          <>
            {' · '}
            {file.currentPart !== undefined && file.status === 'uploading'
              ? t('upload.partProgress', { part: file.currentPart, parts: file.partsTotal })
              : t('upload.partsDone', { done: file.partsDone ?? 0, parts: file.partsTotal })}
          </>
        )}
        {' · '}
        {t(`upload.status.${file.status}`)}
      </span>
    </div>
  );
}
