import { INTERNAL_ATTRIBUTES, type TrainingJob } from './trainingJob.js';
import type { CommentLogEntry, OperationLogEntry } from './ports.js';
import type {
  CommentLogInfo,
  OperationLogInfo,
  Show2dModelTrainingJobResponse,
  TrainingJobBasicInfo,
} from './wireSchemas.js';

/** RFC 3339 in UTC without fractions, as the API's examples write times ("2020-07-30T10:43:17Z"). */
export function rfc3339(epochMs: number): string {
  return new Date(epochMs).toISOString().replace(/\.\d{3}Z$/, 'Z');
}

/** Fields of TrainingJobBasicInfo (List items) besides the identity, state and times. */
const BASIC_INFO_ATTRIBUTES = [
  'asset_id',
  'contact',
  'batch_name',
  'tags',
  'model_version',
  'matting_type',
  'model_resolution',
  'is_flexus',
  'is_live_copy',
  'is_fast_flexus',
  'is_only_human_model',
  'optional_training_location',
  'is_background_replacement',
  'is_ondemand_resource',
] as const;

export function toBasicInfo(job: TrainingJob, coverDownloadUrl: string | undefined): TrainingJobBasicInfo {
  const info: TrainingJobBasicInfo = {
    job_id: job.jobId,
    name: job.name,
    state: job.state,
    project_id: job.projectId,
    create_time: rfc3339(job.createTime),
    last_update_time: rfc3339(job.lastUpdateTime),
  };
  for (const field of BASIC_INFO_ATTRIBUTES) {
    if (job.attributes[field] !== undefined) (info as Record<string, unknown>)[field] = job.attributes[field];
  }
  if (job.appUserId !== null) info.app_user_id = job.appUserId;
  if (coverDownloadUrl) info.cover_download_url = coverDownloadUrl;
  return info;
}

export function toShowResponse(
  job: TrainingJob,
  operationLogs: OperationLogEntry[],
  commentLogs: CommentLogInfo[],
  downloadUrls: Record<string, string>,
): Show2dModelTrainingJobResponse {
  const attributes: Record<string, unknown> = { ...job.attributes };
  for (const internal of INTERNAL_ATTRIBUTES) delete attributes[internal];
  return {
    ...attributes,
    ...toBasicInfo(job, undefined),
    ...downloadUrls,
    operation_logs: operationLogs.map(toOperationLogInfo),
    comment_logs: commentLogs,
  };
}

function toOperationLogInfo(entry: OperationLogEntry): OperationLogInfo {
  return {
    operate_time: rfc3339(entry.operateTime),
    log_type: entry.logType,
    operate_user: entry.operateUser,
    ...(entry.logDescription !== undefined && { log_description: entry.logDescription }),
    ...(entry.errorCode !== undefined && { error_code: entry.errorCode }),
    ...(entry.redoReasons !== undefined && { redo_reasons: entry.redoReasons }),
  };
}

export function toCommentLogInfo(entry: CommentLogEntry, attachmentDownloadUrls: string[]): CommentLogInfo {
  return {
    operate_time: rfc3339(entry.operateTime),
    comment_type: entry.commentType,
    ...(entry.commentTitle !== undefined && { comment_title: entry.commentTitle }),
    ...(entry.commentMessage !== undefined && { comment_message: entry.commentMessage }),
    attachment_download_url: attachmentDownloadUrls,
  };
}
