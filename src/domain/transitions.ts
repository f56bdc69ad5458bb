import { ApiError } from './errors.js';
import { AUTOMATIC_FOLLOW_UPS, PIPELINE_STAGES, stageWaitingIn } from './pipelineStages.js';
import { checkTransition, operateUserOf, type Actor } from './stateMachine.js';
import type { JobRepository } from './ports.js';
import type { TrainingJob } from './trainingJob.js';
import { newId } from './ids.js';
import { recordModelAsset } from './assets/producedAssets.js';

export interface TransitionLogDetails {
  logDescription?: string;
  errorCode?: string;
  redoReasons?: string[];
}

/**
 * The one function that moves a job's state. It checks the move against the transition table,
 * writes the new state only if the job is still at the version that was read (optimistic
 * concurrency), and appends the operation-log entry, all inside the caller's transaction. Then, in
 * the same transaction: work of stages the job left is cancelled, work of the stage it now waits
 * for is queued (with the stage's `queuedLogType` entry, if it has one), and an automatic follow-up
 * move (AUTOMATIC_FOLLOW_UPS) is made.
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

  // A delivered model is an asset of the library from the moment the job succeeds.
  if (moved.state === 'JOB_SUCCESS') await recordModelAsset(repository, moved, now);

  const runningStage = PIPELINE_STAGES.find((stage) => stage.runningState === moved.state);
  await repository.cancelStageWork(job.jobId, now, runningStage?.stage);
  const followUp = AUTOMATIC_FOLLOW_UPS[moved.state];
  if (followUp) return applyTransition(repository, moved, followUp, 'SYSTEM', now);
  const waitingFor = stageWaitingIn(moved.state);
  if (waitingFor) {
    await repository.enqueueStageWork({
      workId: newId(),
      jobId: job.jobId,
      stage: waitingFor.stage,
      maxAttempts: waitingFor.maxAttempts,
      availableAt: now,
      now,
    });
    if (waitingFor.queuedLogType) {
      await repository.appendOperationLog(job.jobId, { operateTime: now, logType: waitingFor.queuedLogType, operateUser: 'SYSTEM' });
    }
  }
  return moved;
}
