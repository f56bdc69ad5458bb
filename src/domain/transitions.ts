import { ApiError } from './errors.js';
import { checkTransition, operateUserOf, type Actor } from './stateMachine.js';
import type { JobRepository } from './ports.js';
import type { TrainingJob } from './trainingJob.js';

export interface TransitionLogDetails {
  logDescription?: string;
  errorCode?: string;
  redoReasons?: string[];
}

/**
 * The one function that moves a job's state. It checks the move against the transition table,
 * writes the new state only if the job is still at the version that was read (optimistic
 * concurrency), and appends the operation-log entry, all inside the caller's transaction.
 * `changes` are other fields written together with the move.
 */
export async function applyTransition(
  repository: JobRepository,
  job: TrainingJob,
  event: string,
  actor: Actor,
  now: number,
  details: TransitionLogDetails = {},
  changes: Partial<Pick<TrainingJob, 'attributes' | 'lastUpdateTime'>> = {},
): Promise<TrainingJob> {
  const check = checkTransition(event, job.state, actor);
  if (!check.ok) throw new ApiError('STATE_NOT_ALLOWED', check.reason);
  const moved: TrainingJob = { ...job, ...changes, state: check.transition.to, version: job.version + 1 };
  if (!(await repository.updateJob(moved, job.version))) throw new ApiError('STATE_CHANGED_CONCURRENTLY');
  if (check.transition.logType) {
    await repository.appendOperationLog(job.jobId, {
      operateTime: now,
      logType: check.transition.logType,
      operateUser: operateUserOf(actor),
      ...details,
    });
  }
  return moved;
}
