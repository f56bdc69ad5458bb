import { callWithSession } from './session.js';
import type { AdminActionResult, AdminJobDetail, AdminJobList, AdminStageAction, PipelineSummary, ReviewRequest, ShowTrainingJobModelResponse } from './types.js';

/** The admin (reviewer) API: jobs of every project and their models, review decisions, stop, redo, skip, reset and accept, the pipeline summary. */
const ADMIN_JOBS = '/v1/admin/training-jobs';
const jobPath = (jobId: string) => `${ADMIN_JOBS}/${encodeURIComponent(jobId)}`;

export function adminListPath(query: { state?: string; project_id?: string; offset?: number; limit?: number }): string {
  const parameters = new URLSearchParams();
  for (const [name, value] of Object.entries(query)) if (value !== undefined && value !== '') parameters.set(name, String(value));
  return `${ADMIN_JOBS}?${parameters}`;
}

export const adminShowPath = jobPath;
export const adminModelPath = (jobId: string) => `${jobPath(jobId)}/model`;
export const PIPELINE_SUMMARY_PATH = '/v1/admin/pipeline/summary';

async function post(path: string, body: unknown): Promise<AdminActionResult> {
  return (await callWithSession<AdminActionResult>(path, { method: 'POST', body })).body!;
}

export const review = (jobId: string, request: ReviewRequest) => post(`${jobPath(jobId)}/review`, request);
/** Stop the stage of a job, run it again (redo) or skip it: POST …/stop, …/redo or …/skip, with the reason for the log. */
export const runStageAction = (action: AdminStageAction, jobId: string, reason?: string) => post(`${jobPath(jobId)}/${action}`, reason ? { reason } : {});
export const acceptModel = (jobId: string) => post(`${jobPath(jobId)}/accept`, undefined);
export const resetJob = (jobId: string, toState: string, reason?: string) =>
  post(`${jobPath(jobId)}/reset`, { to_state: toState, ...(reason && { reason }) });

export type { AdminJobDetail, AdminJobList, PipelineSummary, ShowTrainingJobModelResponse };
