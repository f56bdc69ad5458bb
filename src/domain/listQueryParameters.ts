import { JOB_STATES, type JobState } from './enums.js';
import { ApiError } from './errors.js';

/** A `state` filter: job states separated by commas (tenant List and the admin review queue). */
export function parseStates(text: string): JobState[] {
  const states = text.split(',').map((state) => state.trim()).filter((state) => state !== '');
  const unknown = states.filter((state) => !(JOB_STATES as readonly string[]).includes(state));
  if (states.length === 0 || unknown.length > 0) {
    throw new ApiError('INVALID_PARAMETER', `state must be job states separated by commas; unknown: ${unknown.join(', ') || '(empty)'}`);
  }
  return states as JobState[];
}

const RFC3339 = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,9})?(Z|[+-]\d{2}:\d{2})$/i;

/**
 * Time filters are RFC 3339 (the format the API answers times in). Times are answered in whole
 * seconds, so an inclusive upper bound without fractions covers its whole second: a job shown as
 * created at 10:43:17Z is "at or before" 10:43:17Z even if it was created at 10:43:17.6.
 */
export function parseTimeParameter(name: string, text: string | undefined, bound: 'lower' | 'upper' = 'lower'): number | undefined {
  if (text === undefined) return undefined;
  const match = RFC3339.exec(text);
  const time = Date.parse(text);
  if (!match || Number.isNaN(time)) {
    throw new ApiError('INVALID_PARAMETER', `${name} must be an RFC 3339 time such as 2024-03-01T08:00:00Z`);
  }
  return bound === 'upper' && match[1] === undefined ? time + 999 : time;
}
