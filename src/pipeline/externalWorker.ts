import fs from 'node:fs';
import fsp from 'node:fs/promises';
import path from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { ExternalClaim } from '../domain/externalWorkService.js';
import { outputFile, placeInput, runTrainerCommand, TrainerFailure, writeJobFile } from './trainerCommand.js';
import { makeWorkDir, sweepDeadRuns } from './workDirs.js';

export interface ExternalWorkerOptions {
  /** Base URL of the avatarforge server, e.g. http://10.0.0.5:8080. */
  serverUrl: string;
  accessKey: string;
  secretKey: string;
  stages: string[];
  /** Run as `<command> <input dir> <output dir>`, with AVATARFORGE_STAGE and AVATARFORGE_JOB_ID set. */
  command: string;
  workerId: string;
  pollIntervalMs: number;
  log: (message: string) => void;
  /** Stops the loop when aborted (the current item is finished first). */
  signal: AbortSignal;
}

/**
 * The stages a generic external worker can run: each writes one archive output, single files
 * (OUTPUT_FILE_NAMES), or nothing. Automatic review makes three media products of its own and stays with
 * the in-process runner.
 */
export const EXTERNAL_STAGES = ['training_data_preprocess', 'training', 'inference_data_preprocess', 'compile', 'test_video_check', 'asset_sync', 'video_render'] as const;


/**
 * An external worker: logs in with its worker credential, claims work of its stages through the
 * worker API, downloads the inputs, runs the command, uploads the output and completes the work,
 * renewing the lease all along. The command's failure fails the stage with its last stderr lines.
 */
export async function runExternalWorker(options: ExternalWorkerOptions): Promise<void> {
  const removed = await sweepDeadRuns();
  if (removed.length > 0) options.log(`removed the scratch space that stopped processes left behind: ${removed.join(', ')}`);
  let token = await login(options);
  while (!options.signal.aborted) {
    const response = await api(options, token, 'POST', '/v1/worker/claims', { worker_id: options.workerId, stages: options.stages });
    if (response.status === 401) {
      token = await login(options);
      continue;
    }
    if (response.status === 204) {
      await sleep(options.pollIntervalMs, options.signal);
      continue;
    }
    if (response.status !== 200) throw new Error(`claim failed: ${response.status} ${await response.text()}`);
    const claim = (await response.json()) as ExternalClaim;
    options.log(`claimed ${claim.stage} of job ${claim.job.job_id} (attempt ${claim.attempt})`);
    await work(options, token, claim);
  }
}

async function work(options: ExternalWorkerOptions, token: string, claim: ExternalClaim): Promise<void> {
  const workDir = await makeWorkDir(`worker-${claim.stage}`);
  const controller = new AbortController();
  const heartbeat = setInterval(() => {
    api(options, token, 'POST', `/v1/worker/work/${claim.work_id}/heartbeat`, { lease_token: claim.lease_token })
      .then((response) => {
        if (response.status === 409) controller.abort(new Error('lease lost'));
      })
      .catch(() => undefined);
  }, Math.max(1000, (claim.heartbeat_timeout_seconds * 1000) / 3));
  try {
    const inputDir = path.join(workDir, 'input');
    const outputDir = path.join(workDir, 'output');
    await fsp.mkdir(outputDir, { recursive: true });
    await writeJobFile(inputDir, claim.job.job_id, claim.job.attributes);
    for (const [kind, url] of Object.entries(claim.inputs)) await download(url, kind, inputDir, workDir);
    const summary = await runTrainerCommand(options.command, { stage: claim.stage, jobId: claim.job.job_id, inputDir, outputDir, signal: controller.signal }, (message) => options.log(`${claim.stage} of job ${claim.job.job_id}: ${message}`));
    for (const [kind, url] of Object.entries(claim.outputs)) await upload(url, kind, outputDir, workDir);
    await finish(options, token, claim, 'complete', { log_description: `${claim.stage} by ${options.workerId}${summary ? `: ${summary}` : ''}` });
    options.log(`completed ${claim.stage} of job ${claim.job.job_id}`);
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    if (controller.signal.aborted) {
      options.log(`abandoned ${claim.stage} of job ${claim.job.job_id}: lease lost`);
    } else {
      options.log(`failed ${claim.stage} of job ${claim.job.job_id}: ${reason}`);
      if (error instanceof TrainerFailure) options.log(`the trainer's last output:\n${error.output.join('\n')}`);
      await finish(options, token, claim, 'fail', { reason });
    }
  } finally {
    clearInterval(heartbeat);
    await fsp.rm(workDir, { recursive: true, force: true });
  }
}

async function download(url: string, kind: string, inputDir: string, workDir: string): Promise<void> {
  const response = await fetch(url);
  if (!response.ok || !response.body) throw new Error(`could not download input ${kind}: ${response.status}`);
  const file = path.join(workDir, `download-${kind}`);
  await pipeline(Readable.fromWeb(response.body as import('node:stream/web').ReadableStream), fs.createWriteStream(file));
  await placeInput(file, kind, inputDir);
}

async function upload(url: string, kind: string, outputDir: string, workDir: string): Promise<void> {
  const file = await outputFile(kind, outputDir, workDir);
  const { size } = await fsp.stat(file);
  const response = await fetch(url, {
    method: 'PUT',
    body: Readable.toWeb(fs.createReadStream(file)) as unknown as BodyInit,
    headers: { 'Content-Length': String(size) },
    duplex: 'half',
  } as RequestInit);
  if (!response.ok) throw new Error(`could not upload output ${kind}: ${response.status} ${await response.text()}`);
}

async function finish(options: ExternalWorkerOptions, token: string, claim: ExternalClaim, action: 'complete' | 'fail', body: object): Promise<void> {
  const response = await api(options, token, 'POST', `/v1/worker/work/${claim.work_id}/${action}`, { lease_token: claim.lease_token, ...body });
  if (!response.ok) options.log(`${action} of ${claim.work_id} refused: ${response.status} ${await response.text()}`);
}

async function login(options: ExternalWorkerOptions): Promise<string> {
  const response = await fetch(`${options.serverUrl}/v3/auth/tokens`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ auth: { identity: { methods: ['password'], password: { user: { name: options.accessKey, password: options.secretKey } } } } }),
  });
  const token = response.headers.get('x-subject-token');
  if (response.status !== 201 || !token) throw new Error(`login to ${options.serverUrl} failed: ${response.status} ${await response.text()}`);
  return token;
}

function api(options: ExternalWorkerOptions, token: string, method: string, route: string, body: object): Promise<Response> {
  return fetch(`${options.serverUrl}${route}`, {
    method,
    headers: { 'Content-Type': 'application/json', 'X-Auth-Token': token },
    body: JSON.stringify(body),
  });
}

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(resolve, ms);
    signal.addEventListener('abort', () => {
      clearTimeout(timer);
      resolve();
    }, { once: true });
  });
}
