import type { JobState } from '../../../src/domain/enums.js';
import {
  ADMIN_RESET_TARGETS,
  adminActionEventIn,
  DELETABLE_STATES,
  TRANSITIONS,
  UPDATABLE_STATES,
  type AdminStageAction,
} from '../../../src/domain/stateMachine.js';

/**
 * What a person may do to a job in its current state, read from the server's own transition table
 * (src/domain/stateMachine.ts), so the console offers exactly the moves the API accepts.
 */

/** The user commands that move a job, by the transition-table event each applies. */
const COMMAND_EVENTS = {
  SUBMITVERIFYING: ['SUBMIT'],
  CONFIRM_ACCEPT: ['USER_ACCEPT'],
  CONFIRM_REJECT: ['USER_REJECT'],
  CONFIRM_PENDING: ['USER_SUSPEND'],
  CONFIRM_ACTIVE: ['USER_RESUME_TO_WAIT_USER_CONFIRM', 'USER_RESUME_TO_JOB_REJECT'],
  CONFIRM_REPAIR: ['USER_REPAIR'],
} as const;
export type MovingCommand = keyof typeof COMMAND_EVENTS;

const rowAllows = (event: string, actor: 'USER' | 'ADMIN', state: string) =>
  TRANSITIONS.some((row) => row.event === event && row.actors.includes(actor) && row.from.includes(state as JobState));

export function userCommandAllowed(command: MovingCommand, state: string): boolean {
  return COMMAND_EVENTS[command].some((event) => rowAllows(event, 'USER', state));
}

/** CONFIRM_ANSWER adds a comment without moving the job (server: WAIT_USER_CONFIRM and JOB_REJECT). */
export const ANSWERABLE_STATES: readonly string[] = ['WAIT_USER_CONFIRM', 'JOB_REJECT'];

export const canUpdate = (state: string): boolean => UPDATABLE_STATES.includes(state as JobState);
export const canDelete = (state: string): boolean => DELETABLE_STATES.includes(state as JobState);

/** Whether an admin may stop the stage of a job in `state`, run it again (redo) or skip it: its STOP_*, REDO_* or SKIP_* row. */
export const adminStageActionAllowed = (action: AdminStageAction, state: string): boolean => adminActionEventIn(action, state as JobState) !== undefined;

/** Whether an admin may confirm the model of a job in `state` (WAIT_ADMIN_CONFIRM, once its test video passed). */
export const canAdminAccept = (state: string): boolean => rowAllows('ADMIN_ACCEPT', 'ADMIN', state);

/** Where an admin may reset a job in `state` to (every target but the state itself; never from a delivered model). */
export function resetTargetsFrom(state: string): string[] {
  return ADMIN_RESET_TARGETS.filter((target) =>
    TRANSITIONS.some((row) => row.to === target && row.actors.includes('ADMIN') && row.event.startsWith('ADMIN_RESET_TO_') && row.from.includes(state as JobState)),
  );
}

/** The moves that start the pipeline over (an admin's reset, the user's repair): a job that made them waits for a new model. */
const startsOver = (event: string) => event.startsWith('ADMIN_RESET_TO_') || event === 'USER_REPAIR';

/** Every state reached from `start` by the table's moves that do not start the pipeline over. */
function statesOnFrom(start: JobState): Set<JobState> {
  const reached = new Set<JobState>([start]);
  for (const state of reached) {
    for (const row of TRANSITIONS) if (row.from.includes(state) && !startsOver(row.event)) reached.add(row.to);
  }
  return reached;
}

const compiledState = TRANSITIONS.find((row) => row.event === 'COMPILE_SUCCEEDED')!.to;
const modelStates = statesOnFrom(compiledState);

/** Whether a job in `state` has a compiled model (GET …/model answers it): from compile's success on, up to a reset or repair. */
export const hasCompiledModel = (state: string): boolean => modelStates.has(state as JobState);

/** Whether the test-video check of a job in `state` is still to run or running (its test video is being made). */
export const testVideoPending = (state: string): boolean =>
  TRANSITIONS.some((row) => row.event === 'START_TEST_VIDEO_CHECK' && (row.from.includes(state as JobState) || row.to === state));

/** Whether a job's model can make videos: a finished job with its model asset (video Create refuses a model not in JOB_SUCCESS). */
export const canMakeVideo = <Job extends { state: string; asset_id?: string }>(job: Job): job is Job & { asset_id: string } =>
  job.state === 'JOB_SUCCESS' && typeof job.asset_id === 'string' && job.asset_id !== '';
