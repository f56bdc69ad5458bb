import type { Show2dModelTrainingJobResponse } from '../api/types.js';
import type { FileKind } from '../api/uploads.js';
import { useI18n } from '../i18n/i18n.js';
import type { MessageKey } from '../i18n/messages.js';

const INPUTS: Array<{ kind: FileKind; accept: string; hint: MessageKey }> = [
  { kind: 'training_video', accept: 'video/mp4,.mp4,video/*', hint: 'files.videoHint' },
  { kind: 'id_card_image1', accept: 'image/*', hint: 'files.idFrontHint' },
  { kind: 'id_card_image2', accept: 'image/*', hint: 'files.idBackHint' },
  { kind: 'grant_file', accept: 'application/pdf,.pdf,image/*', hint: 'files.grantHint' },
];

/**
 * The files a job needs before it is submitted for review, in the order the form shows them. The
 * server can be run with AVATARFORGE_REQUIRE_IDENTITY_FILES=false (then only the video is needed),
 * but no API tells the console so: it asks for all four, and the server's answer to a submission
 * stands (see SubmitPanel).
 */
export const REQUIRED_FILE_KINDS: readonly FileKind[] = INPUTS.map((input) => input.kind);
export const IDENTITY_FILE_KINDS: readonly FileKind[] = ['id_card_image1', 'id_card_image2', 'grant_file'];

/** Where Show answers each file (its signed download URL): a file is on the job when its URL is there. */
export const DOWNLOAD_FIELD: Record<FileKind, keyof Show2dModelTrainingJobResponse> = {
  training_video: 'training_video_download_url',
  id_card_image1: 'id_card_image1_download_url',
  id_card_image2: 'id_card_image2_download_url',
  grant_file: 'grant_file_download_url',
};

/** The files' names as a person reads them, joined for a sentence ("ID card, back; Authorization letter"). */
export function useFileNames(): (kinds: readonly string[]) => string {
  const { t, tOr } = useI18n();
  return (kinds) => kinds.map((kind) => tOr(`file.${kind}`, kind)).join(t('files.separator'));
}

/** The job's files to pick: the training video, both sides of the ID card, the authorization letter. */
export function FileInputs({
  files,
  onChange,
  kinds = INPUTS.map((input) => input.kind),
  required = [],
  legend,
}: {
  files: Partial<Record<FileKind, File>>;
  onChange: (files: Partial<Record<FileKind, File>>) => void;
  kinds?: readonly FileKind[];
  /** The kinds marked required (an asterisk and "Required." before the hint). */
  required?: readonly FileKind[];
  legend?: string;
}) {
  const { t, formatBytes } = useI18n();
  return (
    <fieldset>
      <legend>{legend ?? t('files.legend')}</legend>
      {INPUTS.filter((input) => kinds.includes(input.kind)).map(({ kind, accept, hint }) => {
        const isRequired = required.includes(kind);
        return (
          <div class="file-input" key={kind} data-kind={kind}>
            <label class="field-label" for={`file-${kind}`}>
              {t(`file.${kind}` as MessageKey)} {isRequired && <span aria-hidden="true">*</span>}
            </label>
            <input
              id={`file-${kind}`}
              name={kind}
              type="file"
              accept={accept}
              required={isRequired}
              aria-describedby={`file-${kind}-hint`}
              onChange={(event) => {
                const file = event.currentTarget.files?.[0];
                const next = { ...files };
                if (file) next[kind] = file;
                else delete next[kind];
                onChange(next);
              }}
            />
            <p id={`file-${kind}-hint`} class="hint">
              {isRequired && <strong>{t('files.required')} </strong>}
              {t(hint)}
              {files[kind] && ` · ${files[kind]!.name}, ${formatBytes(files[kind]!.size)}`}
            </p>
          </div>
        );
      })}
    </fieldset>
  );
}
