import { Type } from '@sinclair/typebox';
import type { Authenticate } from '../../../auth/authenticator.js';
import type { TrainingJobService } from '../../../domain/trainingJobService.js';
import type { ReadCache } from '../../readCache.js';

export interface TrainingJobRouteDeps {
  trainingJobs: TrainingJobService;
  authenticate: Authenticate;
  /** Keeps Show and List answers for repeated reads, when the database allows (see readCache.ts). */
  readCache?: ReadCache | undefined;
}

export const JOBS_PATH = '/v1/:project_id/digital-human-training-manage/user/jobs';
export const JOB_PATH = `${JOBS_PATH}/:job_id`;
export const TAGS = ['2D model training jobs'];

export const ProjectParams = Type.Object({
  project_id: Type.String({ description: "Tenant's project ID (must be the credential's project)." }),
});

export const JobParams = Type.Object({
  project_id: Type.String({ description: "Tenant's project ID (must be the credential's project)." }),
  job_id: Type.String({ description: 'Training job ID.' }),
});
