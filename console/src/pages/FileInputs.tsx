import type { FileKind } from '../api/uploads.js';
import { useI18n } from '../i18n/i18n.js';
import type { MessageKey } from '../i18n/messages.js';

const INPUTS: Array<{ kind: FileKind; accept: string; hint: MessageKey }> = [
  { kind: 'training_video', accept: 'video/mp4,.mp4,video/*', hint: 'files.videoHint' },
  { kind: 'id_card_image1', accept: 'image/*', hint: 'files.idHint' },
  { kind: 'id_card_image2', accept: 'image/*', hint: 'files.idHint' },
  { kind: 'grant_file', accept: 'application/pdf,.pdf,image/*', hint: 'files.grantHint' },
];

/** The job's files to pick: the training video, both sides of the ID card, the authorization letter. */
export function FileInputs({
  files,
  onChange,
  kinds = INPUTS.map((input) => input.kind),
  videoRequired = false,
  legend,
}: {
  files: Partial<Record<FileKind, File>>;
  onChange: (files: Partial<Record<FileKind, File>>) => void;
  kinds?: FileKind[];
  videoRequired?: boolean;
  legend?: string;
}) {
  const { t, formatBytes } = useI18n();
  return (
    <fieldset>
      <legend>{legend ?? t('files.legend')}</legend>
      {INPUTS.filter((input) => kinds.includes(input.kind)).map(({ kind, accept, hint }) => (
        <div class="file-input" key={kind}>
          <label class="field-label" for={`file-${kind}`}>
            {t(`file.${kind}` as MessageKey)} {kind === 'training_video' && videoRequired && <span aria-hidden="true">*</span>}
          </label>
          <input
            id={`file-${kind}`}
            name={kind}
            type="file"
            accept={accept}
            required={kind === 'training_video' && videoRequired}
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
            {t(hint)}
            {files[kind] && ` · ${files[kind]!.name}, ${formatBytes(files[kind]!.size)}`}
          </p>
        </div>
      ))}
    </fieldset>
  );
}
