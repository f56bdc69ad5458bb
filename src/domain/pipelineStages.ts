import type { JobState, LogType } from './enums.js';

/**
 * The pipeline's stages, as data. A job that enters a stage's waiting state gets a work item for it,
 * in the same transaction; a worker claims the item, applies `startEvent` (waiting → running state),
 * does the work, and applies `successEvent` or `failureEvent`. All events are rows of the transition
 * table (stateMachine.ts).
 */
export interface StageDefinition {
  stage: StageName;
  waitingState: JobState;
  /** Absent when the waiting state is already the running state (the work just happens in it). */
  startEvent?: string;
  runningState: JobState;
  successEvent: string;
  /** With this gate on, success waits for a confirmation instead: `event` replaces `successEvent`. */
  gatedSuccess?: { gate: ConfirmationGate; event: string };
  /**
   * Logged (operate_user SYSTEM) whenever the job enters the waiting state and the stage's work is
   * queued, for a stage whose waiting is a step of its own on the wire (WAIT_TEST_VIDEO_CHECK).
   */
  queuedLogType?: LogType;
  /**
   * The entry under which the running stage's progress is logged (its `log_description` says how
   * far it is, in percent and frames or seconds), at every tenth of the work (stageProgress.ts).
   * Absent: the stage's progress goes to the worker's log only.
   */
  progressLogType?: LogType;
  /** Absent for a stage that cannot fail for good (it is retried until it succeeds or an admin acts). */
  failureEvent?: string;
  /** Claims allowed before a stage whose leases keep expiring fails for good. */
  maxAttempts: number;
  /** The job's files the stage reads (external workers get a signed download URL for each that exists). */
  inputs: readonly string[];
  /** The files the stage writes (external workers get a signed upload URL for each). */
  outputs: readonly string[];
}

/**
 * Optional human confirmations: an admin confirms the model by its test video (WAIT_ADMIN_CONFIRM)
 * before it is synced, and a user (the cloud's NA tenants) accepts or rejects the result
 * (WAIT_USER_CONFIRM).
 */
export type ConfirmationGate = 'adminConfirm' | 'userConfirm';
export type ConfirmationGates = Record<ConfirmationGate, boolean>;

/**
 * Every kind of pipeline work: the training stages below, and `video_render`, a video job's render
 * (domain/videoWork.ts), which has no training-job states and so no definition here.
 */
export const STAGE_NAMES = ['auto_verify', 'training_data_preprocess', 'training', 'inference_data_preprocess', 'compile', 'test_video_check', 'asset_sync', 'video_render'] as const;
export type StageName = (typeof STAGE_NAMES)[number];

export const PIPELINE_STAGES: readonly StageDefinition[] = [
  {
    stage: 'auto_verify',
    waitingState: 'AUTO_VERIFYING',
    runningState: 'AUTO_VERIFYING',
    successEvent: 'AUTO_VERIFY_PASS',
    failureEvent: 'AUTO_VERIFY_FAIL',
    progressLogType: 'VIDEO_ANALYZE_PROCESSING',
    maxAttempts: 3,
    inputs: ['training_video', 'id_card_image1', 'id_card_image2', 'grant_file', 'audio', 'cover'],
    outputs: ['cover', 'markable_video', 'verify_video'],
  },
  {
    stage: 'training_data_preprocess',
    waitingState: 'WAIT_TRAINING_DATA_PREPROCESS',
    startEvent: 'START_TRAINING_DATA_PREPROCESS',
    runningState: 'TRAINING_DATA_PREPROCESSING',
    successEvent: 'TRAINING_DATA_PREPROCESS_SUCCEEDED',
    failureEvent: 'TRAINING_DATA_PREPROCESS_FAILED',
    progressLogType: 'SYSTEM_TRAIN_DATA_PREPROCESSING',
    maxAttempts: 3,
    inputs: ['training_video', 'audio'],
    outputs: ['training_data'],
  },
  {
    stage: 'training',
    waitingState: 'TRAINING_DATA_PREPROCESS_SUCCESS',
    startEvent: 'START_TRAINING',
    runningState: 'TRAINING',
    successEvent: 'TRAINING_SUCCEEDED',
    failureEvent: 'TRAINING_FAILED',
    maxAttempts: 3,
    inputs: ['training_data'],
    outputs: ['model_package'],
  },
  {
    stage: 'inference_data_preprocess',
    waitingState: 'TRAIN_SUCCESS',
    startEvent: 'START_INFERENCE_DATA_PREPROCESS',
    runningState: 'INFERENCE_DATA_PREPROCESSING',
    successEvent: 'INFERENCE_DATA_PREPROCESS_SUCCEEDED',
    failureEvent: 'INFERENCE_DATA_PREPROCESS_FAILED',
    progressLogType: 'SYSTEM_INFERENCE_DATA_PREPROCESSING',
    maxAttempts: 3,
    inputs: ['training_video', 'audio'],
    outputs: ['inference_data'],
  },
  {
    stage: 'compile',
    waitingState: 'WAIT_COMPILE',
    startEvent: 'START_COMPILE',
    runningState: 'COMPILING',
    successEvent: 'COMPILE_SUCCEEDED',
    failureEvent: 'COMPILE_FAILED',
    maxAttempts: 3,
    inputs: ['model_package', 'inference_data'],
    outputs: ['compiled_model'],
  },
  {
    // Renders a test video with the compiled model and measures it; the admin gate judges the model by it.
    stage: 'test_video_check',
    waitingState: 'WAIT_TEST_VIDEO_CHECK',
    queuedLogType: 'WAIT_TEST_VIDEO_CHECK',
    startEvent: 'START_TEST_VIDEO_CHECK',
    runningState: 'TEST_VIDEO_CHECK_PROCESSING',
    successEvent: 'TEST_VIDEO_CHECK_SUCCEEDED',
    gatedSuccess: { gate: 'adminConfirm', event: 'TEST_VIDEO_CHECK_SUCCEEDED_AWAIT_ADMIN' },
    failureEvent: 'TEST_VIDEO_CHECK_FAILED',
    maxAttempts: 3,
    inputs: ['compiled_model', 'training_data'],
    outputs: ['test_video', 'test_video_report'],
  },
  {
    stage: 'asset_sync',
    waitingState: 'WAIT_ASSET_SYNC',
    runningState: 'WAIT_ASSET_SYNC',
    successEvent: 'ASSET_SYNCED',
    gatedSuccess: { gate: 'userConfirm', event: 'ASSET_SYNCED_AWAIT_USER' },
    maxAttempts: 10,
    inputs: ['compiled_model'],
    outputs: [],
  },
];

/** The event a stage's success applies, given which confirmation gates are on. */
export function successEventOf(definition: StageDefinition, gates: ConfirmationGates): string {
  return definition.gatedSuccess && gates[definition.gatedSuccess.gate] ? definition.gatedSuccess.event : definition.successEvent;
}

export function stageByName(stage: string): StageDefinition | undefined {
  return PIPELINE_STAGES.find((definition) => definition.stage === stage);
}

/** The stage whose work a job waits for when it enters `state`, if any. */
export function stageWaitingIn(state: JobState): StageDefinition | undefined {
  return PIPELINE_STAGES.find((definition) => definition.waitingState === state);
}

/**
 * Moves the system makes at once when a job enters a state (no work to wait for): a job whose
 * review passed is queued for preprocessing, a model whose test video passed for asset sync, in the
 * same transaction.
 */
export const AUTOMATIC_FOLLOW_UPS: Partial<Record<JobState, string>> = {
  MANUAL_VERIFY_SUCCESS: 'QUEUE_TRAINING_DATA_PREPROCESS',
  TEST_VIDEO_CHECK_SUCCESS: 'QUEUE_ASSET_SYNC',
};
