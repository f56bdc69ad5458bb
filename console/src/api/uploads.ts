import { useEffect, useState } from 'preact/hooks';
import { ApiFailure } from './http.js';
import { runCommand } from './tenantApi.js';
import type { Create2dModelTrainingJobResponse } from './types.js';

/**
 * Uploads a job's files to the signed, single-use URLs that Create and Update answer. The training
 * video goes up in parts, one after the other, each a PUT of the raw bytes with its progress shown.
 * The URLs are kept in localStorage until used, so that after a page reload (or a lost connection)
 * the person picks the same file again and only the parts the server has not got are sent: the
 * server tells which ones through the GET_MULTIPART_UPLOADED command.
 */

export const SINGLE_FILE_KINDS = ['id_card_image1', 'id_card_image2', 'grant_file'] as const;
export type SingleFileKind = (typeof SINGLE_FILE_KINDS)[number];
export type FileKind = 'training_video' | SingleFileKind;

/** Parts of at least 5 MiB (as object stores want them), at most 1000 (the API's limit). */
export const MIN_PART_BYTES = 5 * 1024 * 1024;
export const MAX_PARTS = 1000;

export function partCountFor(size: number): number {
  return Math.max(1, Math.ceil(size / partSizeFor(size)));
}

function partSizeFor(size: number): number {
  return Math.max(MIN_PART_BYTES, Math.ceil(size / MAX_PARTS));
}

interface FileFingerprint {
  name: string;
  size: number;
  lastModified: number;
}

/** What a job still has to upload, with the URLs to upload it to. */
interface UploadPlan {
  jobId: string;
  /** The training video's part URLs and the file they were cut for. */
  video?: { urls: string[]; partSize: number; file: FileFingerprint };
  /** Unused single-file URLs (each works once: dropped when used). */
  singles: Partial<Record<SingleFileKind, string>>;
}

const planKey = (jobId: string) => `avatarforge.upload.${jobId}`;

export function loadPlan(jobId: string): UploadPlan | undefined {
  try {
    const stored = localStorage.getItem(planKey(jobId));
    return stored ? (JSON.parse(stored) as UploadPlan) : undefined;
  } catch {
    return undefined;
  }
}

function savePlan(plan: UploadPlan): void {
  if (!plan.video && Object.keys(plan.singles).length === 0) localStorage.removeItem(planKey(plan.jobId));
  else localStorage.setItem(planKey(plan.jobId), JSON.stringify(plan));
}

export function forgetPlan(jobId: string): void {
  localStorage.removeItem(planKey(jobId));
}

const fingerprintOf = (file: File): FileFingerprint => ({ name: file.name, size: file.size, lastModified: file.lastModified });
const sameFile = (a: FileFingerprint, b: FileFingerprint) => a.name === b.name && a.size === b.size && a.lastModified === b.lastModified;

/**
 * Keeps the URLs of a Create or Update answer. `video` is the file the part URLs were asked for
 * (its size chose the part count); without it the answer's video URLs are not kept.
 */
export function rememberUploadUrls(jobId: string, answer: Create2dModelTrainingJobResponse, video?: File): void {
  const singles: UploadPlan['singles'] = {};
  for (const kind of SINGLE_FILE_KINDS) {
    const url = answer[`${kind}_upload_url`];
    if (url) singles[kind] = url;
  }
  const urls = answer.training_video_upload_url;
  const plan: UploadPlan = { jobId, singles };
  if (video && urls && urls.length > 0) plan.video = { urls, partSize: partSizeFor(video.size), file: fingerprintOf(video) };
  savePlan(plan);
}

/** What the upload panel shows: per file, bytes sent of its total, and how it stands. */
export interface FileProgress {
  kind: FileKind;
  fileName: string;
  total: number;
  sent: number;
  status: 'waiting' | 'uploading' | 'done' | 'failed';
  partsTotal?: number;
  partsDone?: number;
  /** The part being sent now (1-based). */
  currentPart?: number;
}

export interface UploadRun {
  jobId: string;
  files: FileProgress[];
  status: 'running' | 'done' | 'failed';
  error?: string;
}

// Runs live outside the pages: moving between pages does not stop an upload.
const runs = new Map<string, UploadRun>();
/** The files of each job's last run, to retry with after a failure (gone after a reload: then they are picked again). */
const runFiles = new Map<string, Partial<Record<FileKind, File>>>();
const listeners = new Set<() => void>();
const publish = (run: UploadRun) => {
  runs.set(run.jobId, { ...run, files: run.files.map((file) => ({ ...file })) });
  for (const listener of listeners) listener();
};

export function useUploadRun(jobId: string | undefined): UploadRun | undefined {
  const [run, setRun] = useState(jobId ? runs.get(jobId) : undefined);
  useEffect(() => {
    const update = () => setRun(jobId ? runs.get(jobId) : undefined);
    update();
    listeners.add(update);
    return () => void listeners.delete(update);
  }, [jobId]);
  return run;
}

export class UploadProblem extends Error {
  constructor(readonly reason: 'different_file' | 'no_urls' | 'expired', message: string) {
    super(message);
  }
}

/** One PUT of raw bytes to a signed URL, reporting bytes sent. */
export function putBytes(url: string, body: Blob, onProgress: (sent: number) => void): Promise<void> {
  return new Promise((resolve, reject) => {
    const request = new XMLHttpRequest();
    request.open('PUT', url);
    request.setRequestHeader('Content-Type', 'application/octet-stream');
    request.upload.onprogress = (event) => onProgress(event.loaded);
    request.onload = () => {
      if (request.status === 200) return resolve();
      let code = `HTTP.${request.status}`;
      let message = request.statusText;
      try {
        const body = JSON.parse(request.responseText) as { error_code?: string; error_msg?: string };
        code = body.error_code ?? code;
        message = body.error_msg ?? message;
      } catch {
        // not JSON
      }
      reject(new ApiFailure(request.status, code, message));
    };
    request.onerror = () => reject(new ApiFailure(0, 'NETWORK', 'the connection was lost'));
    request.onabort = () => reject(new ApiFailure(0, 'NETWORK', 'the upload was cancelled'));
    request.send(body);
  });
}

/**
 * Uploads what `files` holds for the job, skipping the video parts the server already has, then
 * confirms the video. Safe to call again after a failure or a reload, with the same files.
 */
export async function uploadJobFiles(jobId: string, files: Partial<Record<FileKind, File>>): Promise<void> {
  const plan = loadPlan(jobId);
  const video = files.training_video;
  if (video && !plan?.video) throw new UploadProblem('no_urls', 'no upload URLs for the training video');
  if (video && plan?.video && !sameFile(plan.video.file, fingerprintOf(video))) {
    throw new UploadProblem('different_file', `choose ${plan.video.file.name} (${plan.video.file.size} bytes)`);
  }
  const singles = SINGLE_FILE_KINDS.filter((kind) => files[kind]);
  for (const kind of singles) if (!plan?.singles[kind]) throw new UploadProblem('no_urls', `no upload URL for ${kind}`);

  runFiles.set(jobId, files);
  const run: UploadRun = {
    jobId,
    status: 'running',
    files: [
      ...(video ? [{ kind: 'training_video' as const, fileName: video.name, total: video.size, sent: 0, status: 'waiting' as const, partsTotal: plan!.video!.urls.length, partsDone: 0 }] : []),
      ...singles.map((kind) => ({ kind, fileName: files[kind]!.name, total: files[kind]!.size, sent: 0, status: 'waiting' as const })),
    ],
  };
  publish(run);
  const progressOf = (kind: FileKind) => run.files.find((file) => file.kind === kind)!;
  try {
    if (video) await uploadVideo(jobId, video, plan!, progressOf('training_video'), () => publish(run));
    for (const kind of singles) {
      const progress = progressOf(kind);
      progress.status = 'uploading';
      publish(run);
      await putBytes(plan!.singles[kind]!, files[kind]!, (sent) => {
        progress.sent = sent;
        publish(run);
      });
      delete plan!.singles[kind];
      savePlan(plan!);
      progress.sent = progress.total;
      progress.status = 'done';
      publish(run);
    }
    run.status = 'done';
    publish(run);
  } catch (error) {
    for (const file of run.files) if (file.status === 'uploading') file.status = 'failed';
    run.status = 'failed';
    run.error = error instanceof Error ? error.message : String(error);
    publish(run);
    throw error;
  }
}

async function uploadVideo(jobId: string, video: File, plan: UploadPlan, progress: FileProgress, changed: () => void): Promise<void> {
  const { urls, partSize } = plan.video!;
  const uploaded = await runCommand(jobId, { command: 'GET_MULTIPART_UPLOADED' });
  const received = new Set((uploaded.multipart_data ?? []).map((part) => Number(part.part_number)));
  const partRange = (index: number) => [index * partSize, Math.min(video.size, (index + 1) * partSize)] as const;
  const sizeOf = (index: number) => partRange(index)[1] - partRange(index)[0];
  let sentBefore = 0;
  for (let index = 0; index < urls.length; index++) if (received.has(index + 1)) sentBefore += sizeOf(index);
  progress.partsDone = received.size;
  progress.sent = sentBefore;
  progress.status = 'uploading';
  changed();
  for (let index = 0; index < urls.length; index++) {
    if (received.has(index + 1)) continue;
    progress.currentPart = index + 1;
    changed();
    const [start, end] = partRange(index);
    await putBytes(urls[index]!, video.slice(start, end), (sent) => {
      progress.sent = sentBefore + sent;
      changed();
    });
    sentBefore += end - start;
    progress.sent = sentBefore;
    progress.partsDone = (progress.partsDone ?? 0) + 1;
    changed();
  }
  progress.currentPart = undefined;
  await runCommand(jobId, { command: 'CONFIRM_MULTIPART_UPLOADED' });
  plan.video = undefined;
  savePlan(plan);
  progress.sent = progress.total;
  progress.status = 'done';
  changed();
}

/** Runs the job's last upload again with the same files (what the server has is not sent again). */
export function retryUpload(jobId: string): Promise<void> | undefined {
  const files = runFiles.get(jobId);
  return files ? uploadJobFiles(jobId, files) : undefined;
}
