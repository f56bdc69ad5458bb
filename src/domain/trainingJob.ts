import type { JobState } from './enums.js';
import type {
  Create2dModelTrainingJobReq,
  Show2dModelTrainingJobResponse,
} from './wireSchemas.js';

/**
 * A training job as the domain holds it: identity, owner, state and times, plus `attributes`, the
 * job's other wire fields under their wire names (so Show can answer them as they are).
 */
export interface TrainingJob {
  jobId: string;
  projectId: string;
  appUserId: string | null;
  name: string;
  state: JobState;
  /** Epoch milliseconds. */
  createTime: number;
  /** Last time the user changed the job (create, update, resubmission), epoch milliseconds. */
  lastUpdateTime: number;
  version: number;
  attributes: JobAttributes;
}

type ComputedShowField =
  | 'job_id' | 'name' | 'state' | 'create_time' | 'last_update_time' | 'app_user_id' | 'project_id'
  | 'operation_logs' | 'comment_logs' | `${string}_download_url` | 'action_mark_file_upload_url';

export type JobAttributes = Omit<Partial<Show2dModelTrainingJobResponse>, ComputedShowField> &
  Pick<Create2dModelTrainingJobReq, 'video_multipart_count' | 'action_video_multipart_count' | 'command_message'> & {
    /** Not on the wire: where the job was before CONFIRM_PENDING suspended it. */
    suspended_from?: JobState;
    train_location?: string;
  };

/** Attributes that are kept internal and never answered on the wire. */
export const INTERNAL_ATTRIBUTES = ['suspended_from', 'video_multipart_count', 'action_video_multipart_count', 'command_message', 'train_location'] as const;
