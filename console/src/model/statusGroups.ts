import { JOB_STATES, type JobState } from '../../../src/domain/enums.js';

/**
 * The statuses a person sees instead of the 61 raw states: the console grouping that the API
 * reference documents (spec §3.1). States the reference lists without a group follow the spec's
 * suggestion: video analysis is platform review, the rest is training.
 */
export const STATUS_GROUPS = [
  'pending_submission',
  'platform_review',
  'review_failed',
  'training',
  'awaiting_acceptance',
  'rejected_by_user',
  'completed',
  'suspended',
] as const;
export type StatusGroup = (typeof STATUS_GROUPS)[number];

const GROUP_OF_STATE: Record<JobState, StatusGroup> = {
  WAIT_FILE_UPLOAD: 'pending_submission',

  AUTO_VERIFYING: 'platform_review',
  MANUAL_VERIFYING: 'platform_review',
  VIDEO_ANALYZE_PROCESSING: 'platform_review',
  VIDEO_ANALYZE_SUCCESS: 'platform_review',
  VIDEO_ANALYZE_FAILED: 'platform_review',

  AUTO_VERIFY_FAILED: 'review_failed',
  MANUAL_VERIFY_FAILED: 'review_failed',

  MANUAL_VERIFY_SUCCESS: 'training',
  WAIT_TRAINING_DATA_PREPROCESS: 'training',
  TRAINING_DATA_PREPROCESSING: 'training',
  TRAINING_DATA_PREPROCESS_FAILED: 'training',
  TRAINING_DATA_PREPROCESS_SUCCESS: 'training',
  TRAINING: 'training',
  TRAIN_FAILED: 'training',
  TRAIN_SUCCESS: 'training',
  INFERENCE_DATA_PREPROCESSING: 'training',
  INFERENCE_DATA_PREPROCESS_FAILED: 'training',
  WAIT_MASK_UPLOAD: 'training',
  WAIT_MAIN_FILE_UPLOAD: 'training',
  MANUAL_STOP_INFERENCE_DATA_PREPROCESS: 'training',
  MANUAL_STOP_TRAIN: 'training',
  MANUAL_STOP_TRAINING_DATA_PREPROCESS: 'training',
  MANUAL_STOP_BEAUTY_PREPROCESS: 'training',
  WAIT_ASSET_SYNC: 'training',
  WAIT_ADMIN_CONFIRM: 'training',
  COMPILING: 'training',
  WAIT_COMPILE: 'training',
  COMPILE_FAILED: 'training',
  WAIT_BEAUTY: 'training',
  WAIT_GENERATE_ACTION: 'training',
  WAIT_ARRANGE: 'training',
  ACTION_GENERATE_DATA_PROCESSING: 'training',
  MANUAL_STOP_ACTION_GENERATE_DATA_PROCESSING: 'training',
  MANUAL_STOP_ACTION_GENERATE_ORI_PROCESSING: 'training',
  ACTION_GENERATE_ORI_PROCESSING: 'training',
  ACTION_GENERATE_DATA_FAILED: 'training',
  ACTION_GENERATE_ORI_FAILED: 'training',
  ACTION_GENERATE_ORI_SUCCESS: 'training',
  GENERATE_ACTION_PREPROCESS_FAILED: 'training',
  WAIT_ADMIN_CALIBRATION: 'training',
  BEAUTY_VIDEO_FILE_UPLOADED: 'training',
  BEAUTYFACE_SUCCESS: 'training',
  BEAUTYFACE_FAILED: 'training',
  WAIT_BEAUTY_VIDEO_FILE_UPLOAD: 'training',
  BEAUTYFACE_ROCESSING: 'training',
  WAIT_TEST_VIDEO_CHECK: 'training',
  TEST_VIDEO_CHECK_PROCESSING: 'training',
  TEST_VIDEO_CHECK_SUCCESS: 'training',
  TEST_VIDEO_CHECK_FAILED: 'training',
  ACTION_MARKING: 'training',
  ACTION_MARK_SUCCESS: 'training',
  ACTION_MARK_FAILED: 'training',
  ACTION_MARK_UPLOADED: 'training',
  WAIT_GENERATE_ACTION_MARK: 'training',
  MANUL_STOP_ACTION_MARK: 'training',

  WAIT_USER_CONFIRM: 'awaiting_acceptance',
  JOB_REJECT: 'rejected_by_user',
  JOB_SUCCESS: 'completed',
  JOB_FINISH: 'completed',
  JOB_PENDING: 'suspended',
};

export function statusGroupOf(state: string): StatusGroup | undefined {
  return GROUP_OF_STATE[state as JobState];
}

/** The raw states of a group, in the API's order: what List's `state` filter takes for it. */
export function statesOfGroup(group: StatusGroup): JobState[] {
  return JOB_STATES.filter((state) => GROUP_OF_STATE[state] === group);
}

/** A colour family per group, for the badge (the text always says the status too). */
export const GROUP_TONE: Record<StatusGroup, 'neutral' | 'progress' | 'danger' | 'success' | 'attention'> = {
  pending_submission: 'neutral',
  platform_review: 'progress',
  review_failed: 'danger',
  training: 'progress',
  awaiting_acceptance: 'attention',
  rejected_by_user: 'danger',
  completed: 'success',
  suspended: 'neutral',
};
