import { currentSession, callWithSession } from './session.js';
import type {
  Create2dModelTrainingJobReq,
  Create2dModelTrainingJobResponse,
  Execute2dModelTrainingCommandByUserReq,
  Execute2dModelTrainingCommandByUserResponse,
  List2dModelTrainingJobQuery,
  List2dModelTrainingJobResponse,
  Show2dModelTrainingJobResponse,
  Update2dModelTrainingJobReq,
} from './types.js';

/** The tenant's training-job API (the six MetaStudio operations), for the signed-in project. */
function jobsPath(jobId?: string): string {
  const projectId = currentSession()?.projectId ?? '-';
  const base = `/v1/${encodeURIComponent(projectId)}/digital-human-training-manage/user/jobs`;
  return jobId === undefined ? base : `${base}/${encodeURIComponent(jobId)}`;
}

export function listPath(query: List2dModelTrainingJobQuery): string {
  const parameters = new URLSearchParams();
  for (const [name, value] of Object.entries(query)) if (value !== undefined && value !== '') parameters.set(name, String(value));
  return `${jobsPath()}?${parameters}`;
}

export const showPath = (jobId: string): string => jobsPath(jobId);
/** The delivered model, its test video and the check's report (an avatarforge extension). */
export const modelPath = (jobId: string): string => `${jobsPath(jobId)}/model`;

export async function createJob(request: Create2dModelTrainingJobReq): Promise<Create2dModelTrainingJobResponse> {
  return (await callWithSession<Create2dModelTrainingJobResponse>(jobsPath(), { method: 'POST', body: request })).body!;
}

export async function updateJob(jobId: string, request: Update2dModelTrainingJobReq): Promise<Create2dModelTrainingJobResponse> {
  return (await callWithSession<Create2dModelTrainingJobResponse>(jobsPath(jobId), { method: 'PUT', body: request })).body!;
}

export async function deleteJob(jobId: string): Promise<void> {
  await callWithSession(jobsPath(jobId), { method: 'DELETE' });
}

export async function showJob(jobId: string): Promise<Show2dModelTrainingJobResponse> {
  return (await callWithSession<Show2dModelTrainingJobResponse>(jobsPath(jobId))).body!;
}

export async function runCommand(jobId: string, request: Execute2dModelTrainingCommandByUserReq): Promise<Execute2dModelTrainingCommandByUserResponse> {
  const answer = (await callWithSession<Execute2dModelTrainingCommandByUserResponse>(`${jobsPath(jobId)}/command`, { method: 'POST', body: request })).body!;
  if (answer.commond_result === 'EXCUTE_FAILED') {
    throw new Error(answer.excute_failed_msg ?? answer.error_info?.error_msg ?? 'command failed');
  }
  return answer;
}

export type { List2dModelTrainingJobResponse, Show2dModelTrainingJobResponse };
