import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import readline from 'node:readline';
import { pipeline } from 'node:stream/promises';
import * as tar from 'tar';
import { systemClock } from '../clock.js';
import { ConfigError, type Config } from '../config.js';
import { onTrainerStderr } from '../pipeline/trainerCommand.js';
import { openServices } from '../server.js';
import { openCachedModel, type CachedModel } from './modelCache.js';

export interface RenderOptions {
  job?: string;
  model?: string;
  audio?: string;
  text?: string;
  voice?: string;
  resolution: string;
  output: string;
}

/**
 * `avatarforge render`: a model speaks new audio or text, into an MP4. The model is a directory
 * (docs/model-format.md) or a job's compiled model, read from the configured database and store and
 * unpacked into the model cache (modelCache.ts), where the next render of it finds it. The reference
 * trainer's renderer does the work; its progress goes to stderr (see run). The report printed on
 * stdout times the whole command: its real-time factor includes start-up (loading, unpacking, the
 * voice), the renderer's own is `render_real_time_factor`.
 */
export async function renderVideo(options: RenderOptions, config: Config): Promise<number> {
  if ((options.job === undefined) === (options.model === undefined)) throw new ConfigError('render needs either --job ID or --model DIR');
  if ((options.audio === undefined) === (options.text === undefined)) throw new ConfigError('render needs either --audio FILE or --text "…"');
  const model = options.model !== undefined ? { directory: path.resolve(options.model), release: () => undefined } : await cachedJobModel(options.job!, config);
  try {
    const source = options.audio !== undefined ? ['--audio', path.resolve(options.audio)] : ['--text', options.text!, ...voiceArguments(options.voice)];
    return await run(config.referenceTrainer, ['render', '--model', model.directory, ...source, '--resolution', options.resolution, '-o', path.resolve(options.output)], wholeCommandReport);
  } finally {
    model.release();
  }
}

/** The model cache of `render --job`, in the data dir (docs/model-format.md). */
function modelCacheDir(config: Config): string {
  return path.join(config.dataDir, 'render-cache');
}

/** The job's compiled model, from the model cache, unpacked there first when it is not in it. */
async function cachedJobModel(jobId: string, config: Config): Promise<CachedModel> {
  const services = await openServices(config, systemClock);
  try {
    const file = await services.jobs.findFile(jobId, 'compiled_model');
    if (!file) {
      const job = await services.jobs.findJobById(jobId);
      throw new ConfigError(job ? `job ${jobId} has no compiled model yet (state ${job.state})` : `there is no job ${jobId}`);
    }
    // A new model of the job (a repair, a redo) is another file version: another entry.
    const model = await openCachedModel(modelCacheDir(config), `${file.jobId}-${file.fileVersion}`, config.renderCacheModels, async (directory) => {
      const opened = await services.blobs.read(file.blobKey);
      if (!opened) throw new ConfigError(`the compiled model of job ${jobId} is missing from the store`);
      await pipeline(opened.stream, tar.x({ cwd: directory }));
    });
    process.stderr.write(`${model.unpacked ? 'unpacked the model into' : 'the model, unpacked before, from'} ${model.directory}\n`);
    return model;
  } finally {
    await services.db.destroy();
  }
}

/**
 * The renderer's report with the whole command's time: elapsed_seconds and real_time_factor count
 * from this process's start; the renderer's own figures stay as render_elapsed_seconds and
 * render_real_time_factor.
 */
function wholeCommandReport(line: string): string {
  let report: Record<string, unknown>;
  try {
    report = JSON.parse(line) as Record<string, unknown>;
  } catch {
    return line;
  }
  if (typeof report.seconds !== 'number' || report.seconds <= 0) return line;
  const elapsed = performance.now() / 1000;
  const { elapsed_seconds: renderElapsed, real_time_factor: renderRealTime, ...rest } = report;
  return JSON.stringify({
    ...rest,
    elapsed_seconds: round(elapsed, 2),
    real_time_factor: round(elapsed / report.seconds, 3),
    render_elapsed_seconds: renderElapsed,
    render_real_time_factor: renderRealTime,
  });
}

function round(value: number, digits: number): number {
  return Number(value.toFixed(digits));
}

/** `avatarforge voices`: the voices that can say text (docs/voices.md), one JSON object a line. */
export function listVoices(config: Config): Promise<number> {
  return run(config.referenceTrainer, ['voices']);
}

/** `avatarforge say`: text spoken by a voice, into a WAV (no model involved). */
export function sayText(options: { text: string; voice?: string; output: string }, config: Config): Promise<number> {
  return run(config.referenceTrainer, ['say', '--text', options.text, ...voiceArguments(options.voice), '-o', path.resolve(options.output)]);
}

/** The trainer's --voice, when one is named (without it, the model's own voice for the text's language speaks). */
function voiceArguments(voice: string | undefined): string[] {
  return voice !== undefined ? ['--voice', voice] : [];
}

/**
 * Runs the reference trainer: its stdout as it comes (line by line through `rewriteStdoutLine`
 * when given), its progress lines (stderr, "progress: …")
 * without the prefix. Should it fail, the user sees its last line, the reason; its other lines (a
 * bug's traceback) go to a log file whose path is printed, never to the terminal.
 */
function run(command: string, args: string[], rewriteStdoutLine?: (line: string) => string): Promise<number> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { stdio: ['ignore', rewriteStdoutLine ? 'pipe' : 'inherit', 'pipe'] });
    if (rewriteStdoutLine) {
      readline.createInterface({ input: child.stdout!, crlfDelay: Infinity }).on('line', (line) => process.stdout.write(`${rewriteStdoutLine(line)}\n`));
    }
    const output: string[] = [];
    onTrainerStderr(
      child.stderr!,
      (message) => process.stderr.write(`${message}\n`),
      (line) => output.push(line),
    );
    child.on('error', reject);
    child.on('close', (code) => {
      const lines = output.filter((line) => line.trim() !== '');
      if (code === 0) {
        if (lines.length > 0) process.stderr.write(`${lines.join('\n')}\n`);
        return resolve(0);
      }
      process.stderr.write(`${lines.at(-1) ?? `the trainer ended with ${code ?? 'a signal'}`}\n`);
      if (lines.length > 1) {
        const log = path.join(os.tmpdir(), `avatarforge-trainer-${new Date().toISOString().replace(/[:.]/g, '-')}.log`);
        fs.writeFileSync(log, `${[command, ...args].join(' ')}\n${lines.join('\n')}\n`);
        process.stderr.write(`(the trainer's whole output: ${log})\n`);
      }
      resolve(code ?? 1);
    });
  });
}
