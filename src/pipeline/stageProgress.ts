/** Progress is shown in the job at every tenth of a stage's work: at most nine entries a run. */
const STEP_PERCENT = 10;

/** "… 42 % …" or "… 42% …": the share of the stage's work done, as the message states it. */
const PERCENT = /(\d+(?:\.\d+)?)\s?%/;

/**
 * Picks, from one stage run's progress messages, those the job's operation log shows: the first
 * message to state a percentage at or past each step of STEP_PERCENT (10 %, 20 %, … 90 %). Messages
 * without a percentage, and 100 % (the stage's success entry says it), go to the worker's log only.
 */
export function progressMilestones(): (message: string) => boolean {
  let shownStep = 0;
  return (message) => {
    const match = PERCENT.exec(message);
    if (!match) return false;
    const step = Math.floor(Number(match[1]) / STEP_PERCENT);
    if (step <= shownStep || Number(match[1]) >= 100) return false;
    shownStep = step;
    return true;
  };
}

/** "42 %" of `done` out of `total`, floored, so 100 % means all of it. */
export function percentOf(done: number, total: number): string {
  return `${total > 0 ? Math.min(100, Math.floor((100 * done) / total)) : 0} %`;
}
