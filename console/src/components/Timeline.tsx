import { PIPELINE_STAGES } from '../../../src/domain/pipelineStages.js';
import type { CommentLogInfo, OperationLogInfo } from '../api/types.js';
import { useI18n } from '../i18n/i18n.js';

/** The entries under which running stages log how far they are (the server's stage table). */
const PROGRESS_LOG_TYPES = new Set<string>(PIPELINE_STAGES.flatMap((stage) => (stage.progressLogType ? [stage.progressLogType] : [])));

/** A stage's progress entry: its description says how far it is, in percent. */
const isProgress = (log: OperationLogInfo | undefined): boolean =>
  log !== undefined && PROGRESS_LOG_TYPES.has(log.log_type ?? '') && /\d\s?%/.test(log.log_description ?? '');

/** The log without progress entries that a newer one of the same stage follows: only how far it is now, or got. */
function latestProgressOnly(logs: OperationLogInfo[]): OperationLogInfo[] {
  return logs.filter((log, index) => !(isProgress(log) && isProgress(logs[index + 1]) && logs[index + 1]!.log_type === log.log_type));
}

type Entry =
  | { at: string; order: number; kind: 'operation'; log: OperationLogInfo }
  | { at: string; order: number; kind: 'comment'; comment: CommentLogInfo };

/** The job's operation log and comments as one timeline, in the order they happened. */
export function Timeline({ operationLogs = [], commentLogs = [] }: { operationLogs?: OperationLogInfo[]; commentLogs?: CommentLogInfo[] }) {
  const { t, tOr, formatTime } = useI18n();
  const entries: Entry[] = [
    ...latestProgressOnly(operationLogs).map((log, order) => ({ at: log.operate_time ?? '', order, kind: 'operation' as const, log })),
    ...commentLogs.map((comment, order) => ({ at: comment.operate_time ?? '', order: order + 0.5, kind: 'comment' as const, comment })),
  ].sort((a, b) => a.at.localeCompare(b.at) || a.order - b.order);
  if (entries.length === 0) return <p class="muted">{t('timeline.empty')}</p>;
  return (
    <ol class="timeline">
      {entries.map((entry) =>
        entry.kind === 'operation' ? (
          <li class={`timeline-entry actor-${(entry.log.operate_user ?? 'SYSTEM').toLowerCase()}`} data-log-type={entry.log.log_type}>
            <time dateTime={entry.at}>{formatTime(entry.at)}</time>
            <span class="actor">{tOr(`actor.${entry.log.operate_user}`, entry.log.operate_user ?? '')}</span>
            <span class="what">
              {isProgress(entry.log) ? t('timeline.progress') : tOr(`log.${entry.log.log_type}`, entry.log.log_type ?? '')} <code class="muted small">{entry.log.log_type}</code>
            </span>
            {entry.log.log_description && <p class="description">{entry.log.log_description}</p>}
            {entry.log.error_code && (
              <p class="small">
                {t('timeline.errorCode')} <code>{entry.log.error_code}</code>
              </p>
            )}
            {entry.log.redo_reasons && entry.log.redo_reasons.length > 0 && <p class="small">{entry.log.redo_reasons.join('; ')}</p>}
          </li>
        ) : (
          <li class="timeline-entry comment" data-comment-type={entry.comment.comment_type}>
            <time dateTime={entry.at}>{formatTime(entry.at)}</time>
            <span class="actor">{tOr(`comment.${entry.comment.comment_type}`, entry.comment.comment_type ?? '')}</span>
            {entry.comment.comment_title && <strong class="what">{entry.comment.comment_title}</strong>}
            {entry.comment.comment_message && <p class="description">{entry.comment.comment_message}</p>}
            {entry.comment.attachment_download_url && entry.comment.attachment_download_url.length > 0 && (
              <ul class="attachments">
                {entry.comment.attachment_download_url.map((url, index) => (
                  <li>
                    <a href={url} target="_blank" rel="noreferrer">
                      {t('timeline.attachment', { n: index + 1 })}
                    </a>
                  </li>
                ))}
              </ul>
            )}
          </li>
        ),
      )}
    </ol>
  );
}
