import type { StageOutcome } from '../domain/stageWorkService.js';
import type { StageWork } from '../domain/ports.js';
import type { TrainingJob } from '../domain/trainingJob.js';
import type { VideoJob } from '../domain/videoJob.js';
import type { TrainerStage } from '../domain/trainerStages.js';
import type { MediaTools } from './mediaTools.js';

export interface PipelineSettings {
  /** Accepted training-video length (the API documents 3 to 10 minutes). */
  videoMinSeconds: number;
  videoMaxSeconds: number;
  /** Whether automatic review requires the ID card images and the authorization letter. */
  requireIdentityFiles: boolean;
  /** A plugged-in trainer: `<command> <input dir> <output dir>`, for the stages of `trainerStages`. */
  trainerCommand: string | undefined;
  trainerStages: readonly TrainerStage[];
  /** The reference trainer's command, for every other trainer stage. */
  referenceTrainer: string;
  /** The test-video check fails below this correlation of rendered and real mouth opening. */
  testVideoMinCorrelation: number;
}

export interface StageContext {
  /** The job the stage works on; for a video job's render, the training job whose model renders it. */
  job: TrainingJob;
  /** Present for a video job's render (stage video_render). */
  video?: VideoJob;
  work: StageWork;
  /** A private scratch directory, removed when the stage ends. */
  workDir: string;
  /** Copies one of the job's files (or another job's: a video job's) into the work dir; undefined when there is none of that kind. */
  fetchFile(fileKind: string, ownerJobId?: string): Promise<string | undefined>;
  tools: MediaTools;
  settings: PipelineSettings;
  /**
   * Reports progress of long work: the worker's log, and for a stage with progress entries
   * (pipelineStages.ts) the job's operation log at every tenth, when the message states its percent.
   */
  progress(message: string): void;
  /** Aborted when the lease is lost (the job was stopped, reset or deleted): stop work at once. */
  signal: AbortSignal;
}

/** The work of one stage. Heavy work runs in child processes; the handler only orchestrates. */
export type StageHandler = (context: StageContext) => Promise<StageOutcome>;
