import fs from 'node:fs';
import fsp from 'node:fs/promises';
import path from 'node:path';
import { newId } from '../../domain/ids.js';
import { OUTPUT_FILE_NAMES, type TrainerStage } from '../../domain/trainerStages.js';
import { outputFile, placeInput, runTrainerCommand, writeJobFile } from '../trainerCommand.js';
import type { StageContext, StageHandler } from '../stageHandler.js';
import type { StageOutcome } from '../../domain/stageWorkService.js';
import { VIDEO_MODEL_KIND, VIDEO_OUTPUT_KINDS } from '../../domain/videoJob.js';

/**
 * The stages after review run a trainer: the reference trainer (trainer/, Python) by default, or
 * the configured trainer command for the stages of AVATARFORGE_TRAINER_STAGES, through the same
 * contract (trainerCommand.ts).
 */

interface TrainerStageFiles {
  /** Inputs the stage needs; `optional` ones are passed when the job has them. */
  inputs: readonly string[];
  optional?: readonly string[];
  outputs: readonly string[];
}

const TRAINER_STAGE_FILES: Record<Exclude<TrainerStage, 'video_render'>, TrainerStageFiles> = {
  training_data_preprocess: { inputs: ['training_video'], optional: ['audio'], outputs: ['training_data'] },
  training: { inputs: ['training_data'], outputs: ['model_package'] },
  inference_data_preprocess: { inputs: ['training_video'], optional: ['audio'], outputs: ['inference_data'] },
  compile: { inputs: ['model_package', 'inference_data'], outputs: ['compiled_model'] },
  test_video_check: { inputs: ['compiled_model', 'training_data'], outputs: ['test_video', 'test_video_report'] },
};

export const trainingDataPreprocess = trainerStage('training_data_preprocess');
export const training = trainerStage('training');
export const inferenceDataPreprocess = trainerStage('inference_data_preprocess');
export const compile = trainerStage('compile');

/**
 * The test video and its quality check: the trainer renders the held-out part of the training
 * range from its audio re-voiced (as another person's recording would drive the model), measures
 * the rendered mouth against the real one, and renders a standard sentence; a correlation below
 * AVATARFORGE_TEST_VIDEO_MIN_CORRELATION fails the check, saying what the user can change. The
 * floor is written into the stored report beside the figure.
 */
export const TEST_VIDEO_ADVICE =
  'To do better, train on more speech (3 minutes or more of talking, with pauses), filmed with a steady camera, ' +
  'in even light, with the face large in the frame (at least a third of its height) and the mouth unobstructed.';

export const testVideoCheck: StageHandler = async (context) => {
  const outcome = await trainerStage('test_video_check')(context);
  if (outcome.outcome !== 'succeeded') return outcome;
  const reportFile = path.join(context.workDir, 'output', OUTPUT_FILE_NAMES.test_video_report!);
  const report = JSON.parse(await fsp.readFile(reportFile, 'utf8')) as Record<string, unknown>;
  const correlation = report.mouth_correlation;
  const floor = context.settings.testVideoMinCorrelation;
  if (typeof correlation !== 'number') return { outcome: 'failed', reason: 'the test-video report has no mouth_correlation figure' };
  if (correlation < floor) {
    return {
      outcome: 'failed',
      reason:
        `the rendered mouth follows the real one with r = ${correlation.toFixed(2)} on the held-out speech in another voice, ` +
        `below the floor of ${floor.toFixed(2)} (AVATARFORGE_TEST_VIDEO_MIN_CORRELATION). ${TEST_VIDEO_ADVICE}`,
    };
  }
  await fsp.writeFile(reportFile, JSON.stringify({ ...report, floor }, null, 2));
  return outcome;
};

/** Registers the compiled model as the job's model asset. */
export const assetSync: StageHandler = async (context) => {
  const compiled = await context.fetchFile('compiled_model');
  if (!compiled) return { outcome: 'failed', reason: 'no compiled model to register' };
  const assetId = newId();
  return { outcome: 'succeeded', attributes: { asset_id: assetId }, logDescription: `model asset ${assetId}` };
};

function trainerStage(stage: Exclude<TrainerStage, 'video_render'>): StageHandler {
  return (context) => {
    const files = TRAINER_STAGE_FILES[stage];
    const inputs = [
      ...files.inputs.map((kind) => ({ kind, required: true })),
      ...(files.optional ?? []).map((kind) => ({ kind, required: false })),
    ];
    return runTrainer(context, stage, { jobId: context.job.jobId, settings: context.job.attributes, inputs, outputs: files.outputs });
  };
}

/**
 * A video job's render: the model of the training job says the job's scripts (its render plan in
 * job.json; the audio of AUDIO scripts as `script_audio_<n>` inputs) into the video, its cover and
 * the renderer's report.
 */
export const videoRender: StageHandler = (context) => {
  const video = context.video;
  if (!video) throw new Error('video_render works on video jobs only');
  const inputs = [
    { kind: VIDEO_MODEL_KIND, ownerJobId: context.job.jobId, required: true },
    ...video.request.render_plan.scripts.flatMap((script) => ('audio' in script ? [{ kind: script.audio, required: true }] : [])),
  ];
  return runTrainer(context, 'video_render', { jobId: video.jobId, settings: { render_plan: video.request.render_plan }, inputs, outputs: VIDEO_OUTPUT_KINDS });
};

/** Runs the trainer command for one stage of one job (docs/pipeline.md): inputs in, outputs back as the stage's files. */
async function runTrainer(
  context: StageContext,
  stage: TrainerStage,
  run: { jobId: string; settings: Record<string, unknown>; inputs: Array<{ kind: string; ownerJobId?: string; required: boolean }>; outputs: readonly string[] },
): Promise<StageOutcome> {
  const inputDir = path.join(context.workDir, 'input');
  const outputDir = path.join(context.workDir, 'output');
  await fsp.mkdir(outputDir, { recursive: true });
  await writeJobFile(inputDir, run.jobId, run.settings);
  for (const input of run.inputs) {
    const fetched = await context.fetchFile(input.kind, input.ownerJobId ?? run.jobId);
    if (fetched) await placeInput(fetched, input.kind, inputDir);
    else if (input.required) throw new Error(input.kind === VIDEO_MODEL_KIND ? 'the model has no compiled model to render with' : `the job has no ${input.kind}`);
  }
  const plugged = context.settings.trainerCommand !== undefined && context.settings.trainerStages.includes(stage);
  const command = plugged ? context.settings.trainerCommand! : context.settings.referenceTrainer;
  const summary = await runTrainerCommand(command, { stage, jobId: run.jobId, inputDir, outputDir, signal: context.signal }, context.progress);
  const stored = await Promise.all(run.outputs.map(async (fileKind) => ({ fileKind, file: await outputFile(fileKind, outputDir, context.workDir) })));
  return {
    outcome: 'succeeded',
    logDescription: `${stage} by ${plugged ? command : 'the reference trainer'}${summary ? `: ${summary}` : ''}`,
    files: stored.map(({ fileKind, file }) => ({ fileKind, open: () => fs.createReadStream(file) })),
  };
}
