import fs from 'node:fs';
import fsp from 'node:fs/promises';
import path from 'node:path';
import { newId } from '../../domain/ids.js';
import { OUTPUT_FILE_NAMES, type TrainerStage } from '../../domain/trainerStages.js';
import { outputFile, placeInput, runTrainerCommand, writeJobFile } from '../trainerCommand.js';
import type { StageHandler } from '../stageHandler.js';

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

const TRAINER_STAGE_FILES: Record<TrainerStage, TrainerStageFiles> = {
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
 * range from its audio, measures the rendered mouth against the real one, and renders a standard
 * sentence; a correlation below AVATARFORGE_TEST_VIDEO_MIN_CORRELATION fails the check. The floor
 * is written into the stored report beside the figure.
 */
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
      reason: `the rendered mouth follows the real one with r = ${correlation.toFixed(2)} on the held-out speech, below the floor of ${floor.toFixed(2)} (AVATARFORGE_TEST_VIDEO_MIN_CORRELATION)`,
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

function trainerStage(stage: TrainerStage): StageHandler {
  return async (context) => {
    const files = TRAINER_STAGE_FILES[stage];
    const inputDir = path.join(context.workDir, 'input');
    const outputDir = path.join(context.workDir, 'output');
    await fsp.mkdir(outputDir, { recursive: true });
    await writeJobFile(inputDir, context.job.jobId, context.job.attributes);
    for (const kind of [...files.inputs, ...(files.optional ?? [])]) {
      const fetched = await context.fetchFile(kind);
      if (fetched) await placeInput(fetched, kind, inputDir);
      else if (files.inputs.includes(kind)) throw new Error(`the job has no ${kind}`);
    }
    const plugged = context.settings.trainerCommand !== undefined && context.settings.trainerStages.includes(stage);
    const command = plugged ? context.settings.trainerCommand! : context.settings.referenceTrainer;
    const summary = await runTrainerCommand(command, { stage, jobId: context.job.jobId, inputDir, outputDir, signal: context.signal }, context.progress);
    const stored = await Promise.all(files.outputs.map(async (fileKind) => ({ fileKind, file: await outputFile(fileKind, outputDir, context.workDir) })));
    return {
      outcome: 'succeeded',
      logDescription: `${stage} by ${plugged ? command : 'the reference trainer'}${summary ? `: ${summary}` : ''}`,
      files: stored.map(({ fileKind, file }) => ({ fileKind, open: () => fs.createReadStream(file) })),
    };
  };
}
