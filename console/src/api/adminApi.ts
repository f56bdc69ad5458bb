import { callWithSession } from './session.js';
import type { AdminActionResult, AdminJobDetail, AdminJobList, PipelineSummary, ReviewRequest } from './types.js';

/** The admin (reviewer) API: jobs of every project, review decisions, stop and reset, the pipeline summary. */
const ADMIN_JOBS = '/v1/admin/training-jobs';
const jobPath = (jobId: string) => `${ADMIN_JOBS}/${encodeURIComponent(jobId)}`;

export function adminListPath(query: { state?: string; project_id?: string; offset?: number; limit?: number }): string {
  const parameters = new URLSearchParams();
  for (const [name, value] of Object.entries(query)) if (value !== undefined && value !== '') parameters.set(name, String(value));
  return `${ADMIN_JOBS}?${parameters}`;
}

export const adminShowPath = jobPath;
export const PIPELINE_SUMMARY_PATH = '/v1/admin/pipeline/summary';

async function post(path: string, body: unknown): Promise<AdminActionResult> {
  return (await callWithSession<AdminActionResult>(path, { method: 'POST', body })).body!;
}

export const review = (jobId: string, request: ReviewRequest) => post(`${jobPath(jobId)}/review`, request);
export const stopJob = (jobId: string, reason?: string) => post(`${jobPath(jobId)}/stop`, reason ? { reason } : {});
export const resetJob = (jobId: string, toState: string, reason?: string) =>
  post(`${jobPath(jobId)}/reset`, { to_state: toState, ...(reason && { reason }) });

export type { AdminJobDetail, AdminJobList, PipelineSummary };
