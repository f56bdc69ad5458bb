import type { StageName } from '../../domain/pipelineStages.js';
import type { StageHandler } from '../stageHandler.js';
import { autoVerify } from './autoVerify.js';
import { assetSync, compile, inferenceDataPreprocess, testVideoCheck, training, trainingDataPreprocess, videoRender } from './trainingStages.js';

/** What the in-process runner does for each stage by default. */
export const DEFAULT_STAGE_HANDLERS: Record<StageName, StageHandler> = {
  auto_verify: autoVerify,
  training_data_preprocess: trainingDataPreprocess,
  training,
  inference_data_preprocess: inferenceDataPreprocess,
  compile,
  test_video_check: testVideoCheck,
  asset_sync: assetSync,
  video_render: videoRender,
};
