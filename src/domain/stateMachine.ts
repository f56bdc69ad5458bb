import { JOB_STATES, type JobState, type LogType, type OperateUser } from './enums.js';

/**
 * Who may cause a transition. WORKER (pipeline stages) and EMULATOR (developer control) appear on
 * the wire as operate_user SYSTEM.
 */
export type Actor = 'USER' | 'SYSTEM' | 'ADMIN' | 'WORKER' | 'EMULATOR';

export interface Transition {
  event: string;
  from: readonly JobState[];
  to: JobState;
  actors: readonly Actor[];
  /**
   * The operation-log entry appended in the same transaction as the state change; null where the
   * API has no log type for the move (suspend and resume) or another entry tells it already.
   */
  logType: LogType | null;
}

const REVIEW_RETRY_STATES = ['WAIT_FILE_UPLOAD', 'AUTO_VERIFY_FAILED', 'MANUAL_VERIFY_FAILED'] as const;
const PIPELINE_ACTORS = ['WORKER', 'SYSTEM', 'EMULATOR'] as const;
const REVIEW_ACTORS = ['ADMIN', 'EMULATOR'] as const;

/** The moves of a job through review, the pipeline and the acceptance gates (spec §3.3, inferred). */
const BACKBONE: readonly Transition[] = [
  // Submission and review.
  { event: 'SUBMIT', from: REVIEW_RETRY_STATES, to: 'AUTO_VERIFYING', actors: ['USER'], logType: 'USER_VERIFYING_SUBMITTED' },
  { event: 'AUTO_VERIFY_PASS', from: ['AUTO_VERIFYING'], to: 'MANUAL_VERIFYING', actors: PIPELINE_ACTORS, logType: 'SYSTEM_VERIFY_SUCCESS' },
  { event: 'AUTO_VERIFY_FAIL', from: ['AUTO_VERIFYING'], to: 'AUTO_VERIFY_FAILED', actors: PIPELINE_ACTORS, logType: 'SYSTEM_VERIFY_FAILED' },
  { event: 'ADMIN_APPROVE', from: ['MANUAL_VERIFYING'], to: 'MANUAL_VERIFY_SUCCESS', actors: REVIEW_ACTORS, logType: 'ADMIN_VERIFY_SUCCESS' },
  { event: 'ADMIN_REJECT', from: ['MANUAL_VERIFYING'], to: 'MANUAL_VERIFY_FAILED', actors: REVIEW_ACTORS, logType: 'ADMIN_VERIFY_FAILED' },

  // Training-data preprocessing.
  // Queued at once after approval (no log entry: the start of preprocessing logs it).
  { event: 'QUEUE_TRAINING_DATA_PREPROCESS', from: ['MANUAL_VERIFY_SUCCESS'], to: 'WAIT_TRAINING_DATA_PREPROCESS', actors: PIPELINE_ACTORS, logType: null },
  { event: 'START_TRAINING_DATA_PREPROCESS', from: ['WAIT_TRAINING_DATA_PREPROCESS'], to: 'TRAINING_DATA_PREPROCESSING', actors: PIPELINE_ACTORS, logType: 'SYSTEM_TRAIN_DATA_PREPROCESSING' },
  { event: 'TRAINING_DATA_PREPROCESS_SUCCEEDED', from: ['TRAINING_DATA_PREPROCESSING'], to: 'TRAINING_DATA_PREPROCESS_SUCCESS', actors: PIPELINE_ACTORS, logType: 'SYSTEM_TRAIN_DATA_PREPROCESS_SUCCESS' },
  { event: 'TRAINING_DATA_PREPROCESS_FAILED', from: ['TRAINING_DATA_PREPROCESSING'], to: 'TRAINING_DATA_PREPROCESS_FAILED', actors: PIPELINE_ACTORS, logType: 'SYSTEM_TRAIN_DATA_PREPROCESS_FAILED' },
  { event: 'STOP_TRAINING_DATA_PREPROCESS', from: ['WAIT_TRAINING_DATA_PREPROCESS', 'TRAINING_DATA_PREPROCESSING'], to: 'MANUAL_STOP_TRAINING_DATA_PREPROCESS', actors: ['ADMIN'], logType: 'ADMIN_STOP_TRAINING_DATA_PREPROCESS' },

  // Training.
  { event: 'START_TRAINING', from: ['TRAINING_DATA_PREPROCESS_SUCCESS'], to: 'TRAINING', actors: PIPELINE_ACTORS, logType: 'SYSTEM_TRAINING' },
  { event: 'TRAINING_SUCCEEDED', from: ['TRAINING'], to: 'TRAIN_SUCCESS', actors: PIPELINE_ACTORS, logType: 'SYSTEM_TRAIN_SUCCESS' },
  { event: 'TRAINING_FAILED', from: ['TRAINING'], to: 'TRAIN_FAILED', actors: PIPELINE_ACTORS, logType: 'SYSTEM_TRAIN_FAILED' },
  { event: 'STOP_TRAINING', from: ['TRAINING_DATA_PREPROCESS_SUCCESS', 'TRAINING'], to: 'MANUAL_STOP_TRAIN', actors: ['ADMIN'], logType: 'ADMIN_STOP_TRAIN' },

  // Inference-data preprocessing.
  { event: 'START_INFERENCE_DATA_PREPROCESS', from: ['TRAIN_SUCCESS'], to: 'INFERENCE_DATA_PREPROCESSING', actors: PIPELINE_ACTORS, logType: 'SYSTEM_INFERENCE_DATA_PREPROCESSING' },
  { event: 'INFERENCE_DATA_PREPROCESS_SUCCEEDED', from: ['INFERENCE_DATA_PREPROCESSING'], to: 'WAIT_COMPILE', actors: PIPELINE_ACTORS, logType: 'SYSTEM_INFERENCE_DATA_PREPROCESS_SUCCESS' },
  { event: 'INFERENCE_DATA_PREPROCESS_FAILED', from: ['INFERENCE_DATA_PREPROCESSING'], to: 'INFERENCE_DATA_PREPROCESS_FAILED', actors: PIPELINE_ACTORS, logType: 'SYSTEM_INFERENCE_DATA_PREPROCESS_FAILED' },
  { event: 'STOP_INFERENCE_DATA_PREPROCESS', from: ['TRAIN_SUCCESS', 'INFERENCE_DATA_PREPROCESSING'], to: 'MANUAL_STOP_INFERENCE_DATA_PREPROCESS', actors: ['ADMIN'], logType: 'ADMIN_STOP_INFERENCE_DATA_PREPROCESS' },

  // Compile.
  { event: 'START_COMPILE', from: ['WAIT_COMPILE'], to: 'COMPILING', actors: PIPELINE_ACTORS, logType: 'SYSTEM_EXECUTE_COMPILE' },
  { event: 'COMPILE_SUCCEEDED', from: ['COMPILING'], to: 'WAIT_TEST_VIDEO_CHECK', actors: PIPELINE_ACTORS, logType: 'SYSTEM_COMPILE_SUCCESS' },
  { event: 'COMPILE_FAILED', from: ['COMPILING'], to: 'COMPILE_FAILED', actors: PIPELINE_ACTORS, logType: 'SYSTEM_COMPILE_FAILED' },
  { event: 'STOP_COMPILE', from: ['WAIT_COMPILE', 'COMPILING'], to: 'COMPILE_FAILED', actors: ['ADMIN'], logType: 'STOP_COMPILE' },

  // Test-video check (the spec leaves its place open: here, between compile and the admin's confirmation).
  { event: 'START_TEST_VIDEO_CHECK', from: ['WAIT_TEST_VIDEO_CHECK'], to: 'TEST_VIDEO_CHECK_PROCESSING', actors: PIPELINE_ACTORS, logType: 'TEST_VIDEO_CHECK_PROCESSING' },
  { event: 'TEST_VIDEO_CHECK_SUCCEEDED_AWAIT_ADMIN', from: ['TEST_VIDEO_CHECK_PROCESSING'], to: 'WAIT_ADMIN_CONFIRM', actors: PIPELINE_ACTORS, logType: 'TEST_VIDEO_CHECK_SUCCESS' },
  { event: 'TEST_VIDEO_CHECK_SUCCEEDED', from: ['TEST_VIDEO_CHECK_PROCESSING'], to: 'TEST_VIDEO_CHECK_SUCCESS', actors: PIPELINE_ACTORS, logType: 'TEST_VIDEO_CHECK_SUCCESS' },
  { event: 'TEST_VIDEO_CHECK_FAILED', from: ['TEST_VIDEO_CHECK_PROCESSING'], to: 'TEST_VIDEO_CHECK_FAILED', actors: PIPELINE_ACTORS, logType: 'TEST_VIDEO_CHECK_FAILED' },
  { event: 'STOP_TEST_VIDEO_CHECK', from: ['WAIT_TEST_VIDEO_CHECK', 'TEST_VIDEO_CHECK_PROCESSING'], to: 'TEST_VIDEO_CHECK_FAILED', actors: ['ADMIN'], logType: 'TEST_VIDEO_CHECK_FAILED' },
  { event: 'SKIP_TEST_VIDEO_CHECK', from: ['WAIT_TEST_VIDEO_CHECK', 'TEST_VIDEO_CHECK_FAILED'], to: 'WAIT_ASSET_SYNC', actors: ['ADMIN'], logType: 'SKIP_TEST_VIDEO_CHECK' },

  // Admin confirmation, asset sync.
  // Queued at once after a passed test video (no log entry: the test video's success tells it).
  { event: 'QUEUE_ASSET_SYNC', from: ['TEST_VIDEO_CHECK_SUCCESS'], to: 'WAIT_ASSET_SYNC', actors: PIPELINE_ACTORS, logType: null },
  { event: 'ADMIN_ACCEPT', from: ['WAIT_ADMIN_CONFIRM'], to: 'WAIT_ASSET_SYNC', actors: REVIEW_ACTORS, logType: 'ADMIN_ACCEPT' },
  { event: 'ASSET_SYNCED', from: ['WAIT_ASSET_SYNC'], to: 'JOB_SUCCESS', actors: PIPELINE_ACTORS, logType: 'SYSTEM_JOB_SUCCESS' },
  { event: 'ASSET_SYNCED_AWAIT_USER', from: ['WAIT_ASSET_SYNC'], to: 'WAIT_USER_CONFIRM', actors: PIPELINE_ACTORS, logType: 'SYSTEM_JOB_SUCCESS' },

  // User acceptance gate (NA tenants) and repairs.
  { event: 'USER_ACCEPT', from: ['WAIT_USER_CONFIRM'], to: 'JOB_FINISH', actors: ['USER'], logType: 'SYSTEM_JOB_SUCCESS' },
  { event: 'USER_REJECT', from: ['WAIT_USER_CONFIRM'], to: 'JOB_REJECT', actors: ['USER'], logType: 'USER_REPAIR' },
  { event: 'USER_SUSPEND', from: ['WAIT_USER_CONFIRM', 'JOB_REJECT'], to: 'JOB_PENDING', actors: ['USER'], logType: null },
  { event: 'USER_RESUME_TO_WAIT_USER_CONFIRM', from: ['JOB_PENDING'], to: 'WAIT_USER_CONFIRM', actors: ['USER'], logType: null },
  { event: 'USER_RESUME_TO_JOB_REJECT', from: ['JOB_PENDING'], to: 'JOB_REJECT', actors: ['USER'], logType: null },
  { event: 'USER_REPAIR', from: ['JOB_SUCCESS', 'JOB_REJECT'], to: 'WAIT_TRAINING_DATA_PREPROCESS', actors: ['USER'], logType: 'USER_REPAIR' },

  // Admin retries of a failed or stopped stage.
  { event: 'REDO_TRAINING_DATA_PREPROCESS', from: ['TRAINING_DATA_PREPROCESS_FAILED', 'MANUAL_STOP_TRAINING_DATA_PREPROCESS'], to: 'WAIT_TRAINING_DATA_PREPROCESS', actors: ['ADMIN'], logType: 'REDO_TRAINING_PREPROCESSING' },
  { event: 'REDO_TRAINING', from: ['TRAIN_FAILED', 'MANUAL_STOP_TRAIN'], to: 'TRAINING_DATA_PREPROCESS_SUCCESS', actors: ['ADMIN'], logType: 'REDO_TRAINING' },
  { event: 'REDO_INFERENCE_DATA_PREPROCESS', from: ['INFERENCE_DATA_PREPROCESS_FAILED', 'MANUAL_STOP_INFERENCE_DATA_PREPROCESS'], to: 'TRAIN_SUCCESS', actors: ['ADMIN'], logType: 'REDO_INFERENCE_PREPROCESSING' },
  { event: 'REDO_COMPILE', from: ['COMPILE_FAILED'], to: 'WAIT_COMPILE', actors: ['ADMIN'], logType: 'TIME_OUT_RETRY' },
  { event: 'REDO_TEST_VIDEO_CHECK', from: ['TEST_VIDEO_CHECK_FAILED'], to: 'WAIT_TEST_VIDEO_CHECK', actors: ['ADMIN'], logType: 'RESTART_TEST_VIDEO_CHECK' },
];

/** The states of the graph above, in the API's order: the states a job can be in. */
export const GRAPH_STATES: readonly JobState[] = JOB_STATES.filter((state) =>
  BACKBONE.some((transition) => transition.to === state || transition.from.includes(state)),
);

/** A delivered model: admins do not reset it (the user may still repair a JOB_SUCCESS). */
export const FINAL_STATES: readonly JobState[] = ['JOB_SUCCESS', 'JOB_FINISH'];

/** Where an admin may send a job back to, to run the following steps again (our design: no admin API is published). */
export const ADMIN_RESET_TARGETS = [
  'WAIT_FILE_UPLOAD',
  'MANUAL_VERIFYING',
  'WAIT_TRAINING_DATA_PREPROCESS',
  'TRAINING_DATA_PREPROCESS_SUCCESS',
  'TRAIN_SUCCESS',
  'WAIT_COMPILE',
  'WAIT_TEST_VIDEO_CHECK',
] as const satisfies readonly JobState[];
export type AdminResetTarget = (typeof ADMIN_RESET_TARGETS)[number];

export function adminResetEvent(target: AdminResetTarget): string {
  return `ADMIN_RESET_TO_${target}`;
}

/** One reset row per target: from every state of the graph that is not final (nor the target itself). */
const ADMIN_RESETS: readonly Transition[] = ADMIN_RESET_TARGETS.map((target) => ({
  event: adminResetEvent(target),
  from: GRAPH_STATES.filter((state) => state !== target && !FINAL_STATES.includes(state)),
  to: target,
  actors: ['ADMIN'],
  logType: 'ADMIN_RESET',
}));

/**
 * The single transition table over the job states (docs/state-machine.md renders it). Nothing writes
 * a job's state except `applyTransition` with an event from this table.
 */
export const TRANSITIONS: readonly Transition[] = [...BACKBONE, ...ADMIN_RESETS];

/**
 * The admin's moves that the job's state picks, by the prefix of their rows: stop the stage a job is
 * in or waits for (STOP_*), run a failed or stopped stage again (REDO_*), skip an optional stage
 * (SKIP_*).
 */
export type AdminStageAction = 'stop' | 'redo' | 'skip';

const adminRowsOf = (action: AdminStageAction) =>
  TRANSITIONS.filter((transition) => transition.event.startsWith(`${action.toUpperCase()}_`) && transition.actors.includes('ADMIN'));

/** The states in which an admin can take the action. */
export function adminActionStates(action: AdminStageAction): readonly JobState[] {
  return adminRowsOf(action).flatMap((transition) => transition.from);
}

/** The states in which an admin can stop a job. */
export const ADMIN_STOPPABLE_STATES: readonly JobState[] = adminActionStates('stop');

/** The event of the action for a job in `state`, if an admin can take it there. */
export function adminActionEventIn(action: AdminStageAction, state: JobState): string | undefined {
  return adminRowsOf(action).find((transition) => transition.from.includes(state))?.event;
}

/** Documented: Update is only allowed in the two review-failed states (spec §4.4). */
export const UPDATABLE_STATES: readonly JobState[] = ['AUTO_VERIFY_FAILED', 'MANUAL_VERIFY_FAILED'];

/** Documented: Delete is allowed in these states only (spec §3.3). */
export const DELETABLE_STATES: readonly JobState[] = [
  'WAIT_FILE_UPLOAD',
  'AUTO_VERIFY_FAILED',
  'MANUAL_VERIFYING',
  'MANUAL_VERIFY_FAILED',
  'TRAINING_DATA_PREPROCESS_FAILED',
  'TRAIN_FAILED',
  'INFERENCE_DATA_PREPROCESS_FAILED',
  'JOB_SUCCESS',
  'WAIT_USER_CONFIRM',
  'JOB_REJECT',
  'JOB_FINISH',
];

/** States in which files may still be uploaded and the multipart commands run. */
export const UPLOAD_STATES: readonly JobState[] = REVIEW_RETRY_STATES;

export function operateUserOf(actor: Actor): OperateUser {
  return actor === 'USER' ? 'USER' : actor === 'ADMIN' ? 'ADMIN' : 'SYSTEM';
}

export type TransitionCheck = { ok: true; transition: Transition } | { ok: false; reason: string };

/** Looks the move up in the table: the event must exist, start from the current state, and be the actor's to make. */
export function checkTransition(event: string, from: JobState, actor: Actor): TransitionCheck {
  const candidates = TRANSITIONS.filter((transition) => transition.event === event);
  if (candidates.length === 0) return { ok: false, reason: `unknown event ${event}` };
  const transition = candidates.find((candidate) => candidate.from.includes(from));
  if (!transition) {
    const allowed = [...new Set(candidates.flatMap((candidate) => candidate.from))].join(', ');
    return { ok: false, reason: `state is ${from}; allowed in ${allowed}` };
  }
  if (!transition.actors.includes(actor)) {
    return { ok: false, reason: `${actor} may not cause ${event}` };
  }
  return { ok: true, transition };
}
