import type { ComponentChildren } from 'preact';
import type { Show2dModelTrainingJobResponse } from '../api/types.js';
import { FieldList } from '../components/FieldList.js';
import { DocumentView, ImageView, VideoView } from '../components/Media.js';
import { StatusBadge } from '../components/StatusBadge.js';
import { useI18n, type I18n } from '../i18n/i18n.js';

type Job = Show2dModelTrainingJobResponse & Record<string, unknown>;

/** Show's fields by topic; any field not named here still shows, under "Other fields". */
const SECTIONS: Array<{ title: string; fields: string[] }> = [
  {
    title: 'section.overview',
    fields: ['name', 'job_id', 'state', 'asset_id', 'project_id', 'app_user_id', 'create_time', 'last_update_time', 'contact', 'batch_name', 'tags'],
  },
  {
    title: 'section.model',
    fields: [
      'model_version',
      'model_resolution',
      'matting_type',
      'is_background_replacement',
      'supported_service',
      'audio_source_type',
      'voice_properties',
      'is_flexus',
      'is_fast_flexus',
      'flexus_retry_count',
      'is_live_copy',
      'is_only_human_model',
      'is_ondemand_resource',
      'optional_training_location',
      'worker_type',
      'voice_train_job_id',
      'allocated_resource',
      'beauty_level',
      'is_mask_file_uploaded',
      'train_video_rotation_state',
      'action_video_rotation_state',
    ],
  },
  {
    title: 'section.marks',
    fields: [
      'traning_video_mark_info',
      'inference_data_process_video_mark_info',
      'inference_data_process_action_mark_info',
      'inference_data_process_chat_action_mark_info',
      'inference_data_process_eye_correction_mark_info',
      'verify_video_matting_info',
      'samples',
      'sub_training_job_info',
    ],
  },
];

/** Fields shown elsewhere on the page: the files and products, the logs. */
const SHOWN_ELSEWHERE = (field: string) =>
  field.endsWith('_download_url') || field.endsWith('_upload_url') || field === 'operation_logs' || field === 'comment_logs' || field === 'stage_work';

export function JobFields({ job }: { job: Job }) {
  const i18n = useI18n();
  const named = new Set(SECTIONS.flatMap((section) => section.fields));
  const others = Object.keys(job).filter((field) => !named.has(field) && !SHOWN_ELSEWHERE(field));
  const sections = [...SECTIONS, ...(others.length > 0 ? [{ title: 'section.other', fields: others }] : [])];
  return (
    <>
      {sections.map((section) => {
        const rows = section.fields.map((field): [string, ComponentChildren, string] => [i18n.tOr(`field.${field}`, field), renderField(i18n, field, job[field]), field]);
        if (!rows.some(([, value]) => value !== undefined)) return null;
        return (
          <section class="card" aria-labelledby={`fields-${section.title}`}>
            <h2 id={`fields-${section.title}`}>{i18n.tOr(section.title, section.title)}</h2>
            <FieldList rows={rows} />
          </section>
        );
      })}
    </>
  );
}

function renderField(i18n: I18n, field: string, value: unknown): ComponentChildren {
  if (value === undefined || value === null) return undefined;
  if (field === 'state') return <StatusBadge state={String(value)} showState />;
  return renderValue(i18n, field, value);
}

/** A wire value for a person: yes/no, times in the browser's zone, lists, small tables for object lists. */
export function renderValue(i18n: I18n, field: string, value: unknown): ComponentChildren {
  const { t, tOr, formatTime } = i18n;
  if (value === undefined || value === null) return undefined;
  if (typeof value === 'boolean') return value ? t('common.yes') : t('common.no');
  if (typeof value === 'number') return field.endsWith('_time') ? formatTime(value) : i18n.formatNumber(value);
  if (typeof value === 'string') {
    if (field.endsWith('_time') && /^\d{4}-\d{2}-\d{2}T/.test(value)) return <time dateTime={value}>{formatTime(value)}</time>;
    if (field.endsWith('_id')) return <code>{value}</code>;
    return tOr(`value.${value}`, value);
  }
  if (Array.isArray(value)) {
    if (value.length === 0) return t('common.none');
    if (value.every((item) => typeof item !== 'object' || item === null)) return value.map((item) => tOr(`value.${String(item)}`, String(item))).join(', ');
    const columns = [...new Set(value.flatMap((item) => Object.keys(item as object)))];
    return (
      <div class="table-wrap">
        <table class="compact">
          <thead>
            <tr>
              {columns.map((column) => (
                <th scope="col">{tOr(`field.${column}`, column)}</th>
              ))}
            </tr>
          </thead>
          <tbody>
            {value.map((item) => (
              <tr>
                {columns.map((column) => {
                  const cell = (item as Record<string, unknown>)[column];
                  return (
                    <td>
                      {column.endsWith('_download_url') && typeof cell === 'string' ? (
                        <a href={cell} target="_blank" rel="noreferrer">
                          {t('media.open')}
                        </a>
                      ) : (
                        renderValue(i18n, column, cell)
                      )}
                    </td>
                  );
                })}
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    );
  }
  if (typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>);
    if (entries.length === 0) return t('common.none');
    return <FieldList rows={entries.map(([key, item]): [string, ComponentChildren, string] => [tOr(`field.${key}`, key), renderValue(i18n, key, item), key])} />;
  }
  return String(value);
}

const MEDIA: Array<{ field: string; kind: 'video' | 'image' | 'document' | 'link' }> = [
  { field: 'training_video_download_url', kind: 'video' },
  { field: 'cover_download_url', kind: 'image' },
  { field: 'markable_video_download_url', kind: 'video' },
  { field: 'verify_video_download_url', kind: 'video' },
  { field: 'action_video_download_url', kind: 'video' },
  { field: 'markable_action_video_download_url', kind: 'video' },
  { field: 'id_card_image1_download_url', kind: 'image' },
  { field: 'id_card_image2_download_url', kind: 'image' },
  { field: 'grant_file_download_url', kind: 'document' },
  { field: 'pre_beauty_image_download_url', kind: 'image' },
  { field: 'post_beauty_image_download_url', kind: 'image' },
];

/** The job's files and products, played or shown inline through their signed download URLs. */
export function JobMedia({ job, exclude = [] }: { job: Job; exclude?: string[] }) {
  const { t, tOr } = useI18n();
  const known = new Set(MEDIA.map((media) => media.field));
  const present = MEDIA.filter((media) => typeof job[media.field] === 'string' && !exclude.includes(media.field));
  const links = Object.keys(job).filter((field) => field.endsWith('_download_url') && !known.has(field) && typeof job[field] === 'string' && !exclude.includes(field));
  if (present.length === 0 && links.length === 0) return <p class="muted">{t('media.none')}</p>;
  return (
    <>
      <div class="media-grid">
        {present.map(({ field, kind }) => {
          const src = job[field] as string;
          const label = tOr(`field.${field}`, field);
          if (kind === 'video') return <VideoView key={field} src={src} label={label} id={`media-${field.replace(/_download_url$/, '')}`} />;
          if (kind === 'image') return <ImageView key={field} src={src} label={label} />;
          return <DocumentView key={field} src={src} label={label} />;
        })}
      </div>
      {links.length > 0 && (
        <ul class="file-links">
          {links.map((field) => (
            <li>
              <a href={job[field] as string} target="_blank" rel="noreferrer">
                {tOr(`field.${field}`, field)}
              </a>
            </li>
          ))}
        </ul>
      )}
    </>
  );
}
