/** The wire types, taken from the server's own schemas (types only: nothing of the server is bundled). */
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
