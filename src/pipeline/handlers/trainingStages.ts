import { execFile } from 'node:child_process';
import fs from 'node:fs';
import fsp from 'node:fs/promises';
import path from 'node:path';
import * as tar from 'tar';
import type { StageOutcome } from '../../domain/stageWorkService.js';
import { runTool } from '../mediaTools.js';
import type { StageContext, StageHandler } from '../stageHandler.js';
import { newId } from '../../domain/ids.js';

/**
 * The default work of the stages after review. Preprocessing really cuts the marked ranges of the
 * videos into frames and audio with ffmpeg. Training and compiling run the configured trainer
 * command; without one, the built-in reference trainer packages the data with a manifest. That is
 * a packaging step, not a neural model: plug a real trainer in with AVATARFORGE_TRAINER_COMMAND.
 */

/** Frames per second kept from the marked range, and their height. */
const FRAME_RATE = 5;
const FRAME_HEIGHT = 512;

export const trainingDataPreprocess: StageHandler = async (context) => {
  const marks = context.job.attributes.traning_video_mark_info;
  const data = await cutVideo(context, 'training_video', marks?.video_start_time, marks?.video_end_time);
  return packaged(context, data, 'training_data', `frames and audio of the marked range (${describeRange(marks?.video_start_time, marks?.video_end_time)})`);
};

export const inferenceDataPreprocess: StageHandler = async (context) => {
  const marks = context.job.attributes.inference_data_process_video_mark_info;
  const data = await cutVideo(context, 'training_video', marks?.video_start_time, marks?.video_end_time);
  const actions = context.job.attributes.inference_data_process_action_mark_info?.action_info ?? [];
  await fsp.writeFile(path.join(data, 'actions.json'), JSON.stringify(actions, null, 2));
  return packaged(context, data, 'inference_data', `frames, audio and ${actions.length} action marks (${describeRange(marks?.video_start_time, marks?.video_end_time)})`);
};

export const training: StageHandler = (context) => trainOrCompile(context, 'training', ['training_data'], 'model_package');

export const compile: StageHandler = (context) => trainOrCompile(context, 'compile', ['model_package', 'inference_data'], 'compiled_model');

/** Registers the compiled model as the job's model asset. */
export const assetSync: StageHandler = async (context) => {
  const compiled = await context.fetchFile('compiled_model');
  if (!compiled) return { outcome: 'failed', reason: 'no compiled model to register' };
  const assetId = newId();
  return { outcome: 'succeeded', attributes: { asset_id: assetId }, logDescription: `model asset ${assetId}` };
};

async function cutVideo(context: StageContext, fileKind: string, start: string | undefined, end: string | undefined): Promise<string> {
  const video = await context.fetchFile(fileKind);
  if (!video) throw new Error(`the job has no ${fileKind}`);
  const out = path.join(context.workDir, 'data');
  await fsp.mkdir(path.join(out, 'frames'), { recursive: true });
  const range = [...(start ? ['-ss', toSeconds(start)] : []), ...(end ? ['-to', toSeconds(end)] : [])];
  const ffmpeg = (args: string[]) => runTool(context.tools.ffmpegPath, ['-v', 'error', '-y', ...range, '-i', video, ...args], { signal: context.signal, timeoutMs: 60 * 60_000 });
  await ffmpeg(['-vf', `fps=${FRAME_RATE},scale=-2:${FRAME_HEIGHT}`, '-q:v', '3', path.join(out, 'frames', '%06d.jpg')]);
  if (context.job.attributes.audio_source_type !== 'AUDIO') {
    await ffmpeg(['-vn', '-ac', '1', '-ar', '16000', path.join(out, 'audio.wav')]);
  } else {
    const audio = await context.fetchFile('audio');
    if (audio) await fsp.copyFile(audio, path.join(out, 'audio.zip'));
  }
  const frames = (await fsp.readdir(path.join(out, 'frames'))).length;
  if (frames === 0) throw new Error(`the marked range ${describeRange(start, end)} holds no frames`);
  await fsp.writeFile(path.join(out, 'manifest.json'), JSON.stringify({ job_id: context.job.jobId, frames, frame_rate: FRAME_RATE, range: { start, end } }, null, 2));
  return out;
}

async function trainOrCompile(context: StageContext, stage: 'training' | 'compile', inputs: string[], outputKind: string): Promise<StageOutcome> {
  const inputDir = path.join(context.workDir, 'input');
  const outputDir = path.join(context.workDir, 'output');
  await fsp.mkdir(outputDir, { recursive: true });
  for (const kind of inputs) {
    const archive = await context.fetchFile(kind);
    if (!archive) throw new Error(`the job has no ${kind}`);
    await fsp.mkdir(path.join(inputDir, kind), { recursive: true });
    await tar.x({ file: archive, cwd: path.join(inputDir, kind) });
  }
  const trainer = context.settings.trainerCommand;
  if (trainer) {
    await runTrainer(trainer, stage, inputDir, outputDir, context.signal);
  } else {
    // The reference trainer: the data itself, with a manifest saying what it is.
    await fsp.cp(inputDir, path.join(outputDir, 'data'), { recursive: true });
    await fsp.writeFile(
      path.join(outputDir, 'manifest.json'),
      JSON.stringify({ job_id: context.job.jobId, stage, trainer: 'avatarforge reference packager', note: 'packages the preprocessed data; not a neural model', inputs }, null, 2),
    );
  }
  return packaged(context, outputDir, outputKind, trainer ? `${stage} by ${trainer}` : `${stage} by the reference packager (not a neural model)`);
}

/** Runs the configured trainer: `<command> <input dir> <output dir>`, with AVATARFORGE_STAGE set. */
function runTrainer(command: string, stage: string, inputDir: string, outputDir: string, signal: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    execFile(
      '/bin/sh',
      ['-c', `${command} "$1" "$2"`, 'trainer', inputDir, outputDir],
      { signal, env: { ...process.env, AVATARFORGE_STAGE: stage }, maxBuffer: 16 * 1024 * 1024 },
      (error, _stdout, stderr) => {
        if (error) reject(new Error(`trainer failed (${stage}): ${stderr.trim().split('\n').slice(-3).join(' | ') || error.message}`));
        else resolve();
      },
    );
  });
}

async function packaged(context: StageContext, directory: string, fileKind: string, description: string): Promise<StageOutcome> {
  const archive = path.join(context.workDir, `${fileKind}.tar.gz`);
  await tar.c({ gzip: true, file: archive, cwd: directory }, await fsp.readdir(directory));
  return { outcome: 'succeeded', logDescription: description, files: [{ fileKind, open: () => fs.createReadStream(archive) }] };
}

/** "HH:MM:SS.mmm" as ffmpeg takes it; rejects anything else rather than guess. */
function toSeconds(time: string): string {
  const match = /^(\d{1,2}):(\d{2}):(\d{2})(\.\d{1,3})?$/.exec(time);
  if (!match) throw new Error(`invalid mark time ${time}, expected HH:MM:SS.mmm`);
  return String(Number(match[1]) * 3600 + Number(match[2]) * 60 + Number(match[3]) + Number(match[4] ?? 0));
}

function describeRange(start: string | undefined, end: string | undefined): string {
  return start || end ? `${start ?? 'start'} to ${end ?? 'end'}` : 'the whole video';
}
