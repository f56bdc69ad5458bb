import { spawn } from 'node:child_process';
import fs from 'node:fs';
import fsp from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import * as tar from 'tar';
import { systemClock } from '../clock.js';
import { ConfigError, type Config } from '../config.js';
import { onTrainerStderr } from '../pipeline/trainerCommand.js';
import { openServices } from '../server.js';

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
 * (docs/model-format.md) or a job's compiled model, read from the configured database and store.
 * The reference trainer's renderer does the work; its progress goes to stderr (see run).
 */
export async function renderVideo(options: RenderOptions, config: Config): Promise<number> {
  if ((options.job === undefined) === (options.model === undefined)) throw new ConfigError('render needs either --job ID or --model DIR');
  if ((options.audio === undefined) === (options.text === undefined)) throw new ConfigError('render needs either --audio FILE or --text "…"');
  const scratch = await fsp.mkdtemp(path.join(os.tmpdir(), 'avatarforge-render-'));
  try {
    const modelDir = options.model !== undefined ? path.resolve(options.model) : await unpackJobModel(options.job!, config, scratch);
    const source = options.audio !== undefined ? ['--audio', path.resolve(options.audio)] : ['--text', options.text!, ...voiceArguments(options.voice)];
    return await run(config.referenceTrainer, ['render', '--model', modelDir, ...source, '--resolution', options.resolution, '-o', path.resolve(options.output)]);
  } finally {
    await fsp.rm(scratch, { recursive: true, force: true });
  }
}

/** The job's compiled model, unpacked into `scratch`. */
async function unpackJobModel(jobId: string, config: Config, scratch: string): Promise<string> {
  const services = await openServices(config, systemClock);
  try {
    const file = await services.jobs.findFile(jobId, 'compiled_model');
    const opened = file && (await services.blobs.read(file.blobKey));
    if (!opened) {
      const job = await services.jobs.findJobById(jobId);
      throw new ConfigError(job ? `job ${jobId} has no compiled model yet (state ${job.state})` : `there is no job ${jobId}`);
    }
    const archive = path.join(scratch, 'compiled_model.tar.gz');
    await pipeline(opened.stream, fs.createWriteStream(archive));
    const modelDir = path.join(scratch, 'model');
    await fsp.mkdir(modelDir);
    await tar.x({ file: archive, cwd: modelDir });
    return modelDir;
  } finally {
    await services.db.destroy();
  }
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
 * Runs the reference trainer: its stdout as it comes, its progress lines (stderr, "progress: …")
 * without the prefix. Should it fail, the user sees its last line, the reason; its other lines (a
 * bug's traceback) go to a log file whose path is printed, never to the terminal.
 */
function run(command: string, args: string[]): Promise<number> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { stdio: ['ignore', 'inherit', 'pipe'] });
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
