import type { JobState } from '../../../src/domain/enums.js';
import {
  ADMIN_RESET_TARGETS,
  ADMIN_STOPPABLE_STATES,
  DELETABLE_STATES,
  TRANSITIONS,
  UPDATABLE_STATES,
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

export function userCommandAllowed(command: MovingCommand, state: string): boolean {
  const events: readonly string[] = COMMAND_EVENTS[command];
  return TRANSITIONS.some((row) => events.includes(row.event) && row.actors.includes('USER') && row.from.includes(state as JobState));
}

/** CONFIRM_ANSWER adds a comment without moving the job (server: WAIT_USER_CONFIRM and JOB_REJECT). */
export const ANSWERABLE_STATES: readonly string[] = ['WAIT_USER_CONFIRM', 'JOB_REJECT'];

export const canUpdate = (state: string): boolean => UPDATABLE_STATES.includes(state as JobState);
export const canDelete = (state: string): boolean => DELETABLE_STATES.includes(state as JobState);
export const canStop = (state: string): boolean => ADMIN_STOPPABLE_STATES.includes(state as JobState);

/** Where an admin may reset a job in `state` to (every target but the state itself; never from a delivered model). */
export function resetTargetsFrom(state: string): string[] {
  return ADMIN_RESET_TARGETS.filter((target) =>
    TRANSITIONS.some((row) => row.to === target && row.actors.includes('ADMIN') && row.event.startsWith('ADMIN_RESET_TO_') && row.from.includes(state as JobState)),
  );
}
