import { spawn } from 'node:child_process';
import fs from 'node:fs';
import fsp from 'node:fs/promises';
import path from 'node:path';
import * as tar from 'tar';
import { ARCHIVE_KINDS, OUTPUT_FILE_NAMES, TRAINER_JOB_FIELDS } from '../domain/trainerStages.js';
import { ownWorkRoot } from './workDirs.js';

/**
 * The trainer-command contract (docs/pipeline.md, "Plugging a trainer in"), as the in-process
 * runner and external workers both keep it: `<command> <input dir> <output dir>` with
 * AVATARFORGE_STAGE and AVATARFORGE_JOB_ID set; the input dir holds `job.json` and the stage's
 * inputs (archives unpacked into `<kind>/`, single files as `<kind>`); the output dir receives the
 * outputs (an archive output is the whole dir, a single file is OUTPUT_FILE_NAMES[kind]).
 */

/** Writes `<input dir>/job.json`: the job id and the settings a trainer reads. */
export async function writeJobFile(inputDir: string, jobId: string, attributes: Record<string, unknown>): Promise<void> {
  const settings = Object.fromEntries(TRAINER_JOB_FIELDS.filter((field) => attributes[field] !== undefined).map((field) => [field, attributes[field]]));
  await fsp.mkdir(inputDir, { recursive: true });
  await fsp.writeFile(path.join(inputDir, 'job.json'), JSON.stringify({ job_id: jobId, ...settings }, null, 2));
}

/** Moves a fetched input into the input dir: an archive unpacked into `<kind>/`, a file as `<kind>`. */
export async function placeInput(fetched: string, kind: string, inputDir: string): Promise<void> {
  if (ARCHIVE_KINDS.has(kind)) {
    await fsp.mkdir(path.join(inputDir, kind), { recursive: true });
    await tar.x({ file: fetched, cwd: path.join(inputDir, kind) });
    await fsp.rm(fetched);
  } else {
    await fsp.rename(fetched, path.join(inputDir, kind));
  }
}

/** The file to store as output `kind`: the output dir packed (archives, into `workDir`), or one file of it. */
export async function outputFile(kind: string, outputDir: string, workDir: string): Promise<string> {
  if (ARCHIVE_KINDS.has(kind)) {
    const archive = path.join(workDir, `${kind}.tar.gz`);
    await tar.c({ gzip: true, file: archive, cwd: outputDir }, await fsp.readdir(outputDir));
    return archive;
  }
  const file = path.join(outputDir, OUTPUT_FILE_NAMES[kind] ?? kind);
  if (!fs.existsSync(file)) throw new Error(`the trainer wrote no ${path.basename(file)} into its output directory`);
  return file;
}

/**
 * What kind of failure: a reason the user can act on, a trainer bug (the reference trainer's last
 * line says "internal error"), or a command killed by a signal.
 */
export type TrainerFailureKind = 'reason' | 'internal_error' | 'signal';

/**
 * A trainer command's failure: the message holds its reason (the last line it wrote to stderr, which
 * users see); `output` its last stderr lines (a traceback, a tool's messages), for the server log only.
 */
export class TrainerFailure extends Error {
  constructor(
    message: string,
    readonly output: string[],
    readonly kind: TrainerFailureKind = 'reason',
  ) {
    super(message);
  }
}

const PROGRESS_PREFIX = 'progress:';

/** A trainer's stderr line by line: "progress: …" lines (without the prefix) to `onProgress`, the others to `onOutput`. */
export function onTrainerStderr(stream: NodeJS.ReadableStream, onProgress: (message: string) => void, onOutput: (line: string) => void): void {
  onLines(stream, (line) => (line.startsWith(PROGRESS_PREFIX) ? onProgress(line.slice(PROGRESS_PREFIX.length).trim()) : onOutput(line)));
}

/** How long a trainer run may take to end after SIGTERM before its process group is killed. */
const TERMINATE_GRACE_MS = 5000;

/**
 * Runs the command. Its stderr lines that start with "progress:" go to `onProgress`; the last line
 * of its stdout is returned as the stage's summary; on failure the last other stderr line is the
 * reason (a TrainerFailure).
 *
 * The run gets a process group of its own: an abort ends the whole group (the command and every
 * process it started), SIGTERM first, SIGKILL after TERMINATE_GRACE_MS. It learns this process's pid
 * (AVATARFORGE_PARENT_PID), so it can end itself should this process die without a word (the
 * reference trainer does: trainer/avatarforge_trainer/lifetime.py), and its TMPDIR is this process's
 * work root, which the next start sweeps if this process dies (workDirs.ts).
 */
export function runTrainerCommand(
  command: string,
  run: { stage: string; jobId: string; inputDir: string; outputDir: string; signal: AbortSignal; env?: Record<string, string> },
  onProgress: (message: string) => void,
): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn('/bin/sh', ['-c', `${command} "$1" "$2"`, 'trainer', run.inputDir, run.outputDir], {
      detached: true,
      env: {
        ...process.env,
        ...run.env,
        AVATARFORGE_STAGE: run.stage,
        AVATARFORGE_JOB_ID: run.jobId,
        AVATARFORGE_PARENT_PID: String(process.pid),
        TMPDIR: ownWorkRoot(),
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const signalGroup = (signal: NodeJS.Signals) => {
      try {
        if (child.pid !== undefined) process.kill(-child.pid, signal);
      } catch {
        // The group has ended already.
      }
    };
    let killer: NodeJS.Timeout | undefined;
    const abort = () => {
      signalGroup('SIGTERM');
      killer = setTimeout(() => signalGroup('SIGKILL'), TERMINATE_GRACE_MS);
    };
    if (run.signal.aborted) abort();
    else run.signal.addEventListener('abort', abort, { once: true });
    const stdout: string[] = [];
    const stderr: string[] = [];
    onLines(child.stdout, (line) => stdout.push(line));
    onTrainerStderr(child.stderr, onProgress, (line) => {
      if (stderr.push(line) > 50) stderr.shift();
    });
    child.on('error', reject);
    child.on('close', (code, signal) => {
      run.signal.removeEventListener('abort', abort);
      clearTimeout(killer);
      if (run.signal.aborted) return reject(run.signal.reason instanceof Error ? run.signal.reason : new Error('aborted'));
      if (code === 0) return resolve(stdout.filter((line) => line.trim() !== '').at(-1)?.trim() ?? '');
      const output = stderr.filter((line) => line.trim() !== '');
      const reason = output.at(-1)?.trim();
      const kind = signal !== null ? 'signal' : reason?.includes('internal error') ? 'internal_error' : 'reason';
      reject(new TrainerFailure(`trainer failed (${run.stage}): ${reason ?? `exit ${code ?? signal}`}`, output, kind));
    });
  });
}

function onLines(stream: NodeJS.ReadableStream, onLine: (line: string) => void): void {
  let pending = '';
  stream.setEncoding('utf8');
  stream.on('data', (chunk: string) => {
    const parts = (pending + chunk).split('\n');
    pending = parts.pop() ?? '';
    parts.forEach(onLine);
  });
  stream.on('end', () => {
    if (pending) onLine(pending);
  });
}
