/** The wire types, taken from the server's own schemas (types only: nothing of the server is bundled). */
import type { Static } from '@sinclair/typebox';
import type { Create2DDigitalHumanVideoResponse, ListDigitalHumanVideoResponse } from '../../../src/domain/videoJobWire.js';
import type { ListAssetsResponse } from '../../../src/domain/assets/assetWire.js';

export type {
  CommentData,
  Create2dModelTrainingJobReq,
  Create2dModelTrainingJobResponse,
  Execute2dModelTrainingCommandByUserReq,
  Execute2dModelTrainingCommandByUserResponse,
  List2dModelTrainingJobQuery,
  List2dModelTrainingJobResponse,
  OperationLogInfo,
  CommentLogInfo,
  Show2dModelTrainingJobResponse,
  TrainingJobBasicInfo,
  Update2dModelTrainingJobReq,
} from '../../../src/domain/wireSchemas.js';
export type { AdminActionResult, AdminJobDetail, AdminJobList, ReviewRequest, StageWorkInfo } from '../../../src/domain/adminSchemas.js';
export type { PipelineSummary } from '../../../src/domain/pipelineSummary.js';
export type { ShowTrainingJobModelResponse, TestVideoReport } from '../../../src/domain/deliveredModel.js';
export type { AdminStageAction } from '../../../src/domain/stateMachine.js';
export type { Create2DDigitalHumanVideoReq, DigitalHumanVideo, Show2DDigitalHumanVideoResponse, VideoJobState } from '../../../src/domain/videoJobWire.js';
export type { AssetState, AssetType, DigitalAssetInfo, UpdateDigitalAssetRequestBody } from '../../../src/domain/assets/assetWire.js';

/** The video jobs' answers that the server declares as schemas only. */
export type CreateVideoResponse = Static<typeof Create2DDigitalHumanVideoResponse>;
export type ListVideosResponse = Static<typeof ListDigitalHumanVideoResponse>;
export type ListAssetsAnswer = Static<typeof ListAssetsResponse>;
