import { Type } from '@sinclair/typebox';
import type { Authenticate } from '../../../auth/authenticator.js';
import type { TrainingJobService } from '../../../domain/trainingJobService.js';
import { ErrorResponse } from '../../../domain/wireSchemas.js';

export interface TrainingJobRouteDeps {
  trainingJobs: TrainingJobService;
  authenticate: Authenticate;
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

/** Error bodies: `request_id` appears on gateway (routing and authentication) errors only. */
const ErrorBody = Type.Object({
  ...ErrorResponse.properties,
  request_id: Type.Optional(Type.String({ description: 'Request ID (gateway errors only).' })),
});

export const ERROR_RESPONSES = {
  400: { ...ErrorBody, description: 'Invalid request, or not allowed in the job\'s state.' },
  401: { ...ErrorBody, description: 'Missing or failed authentication.' },
  403: { ...ErrorBody, description: 'The credential may not call this API.' },
  404: { ...ErrorBody, description: 'No such job (or not visible to this caller), or no such API.' },
  409: { ...ErrorBody, description: 'The job changed while the request ran.' },
  413: { ...ErrorBody, description: 'Body too large.' },
  500: { ...ErrorBody, description: 'Internal error.' },
};

/** The security requirement every tenant route declares in the OpenAPI document. */
export const SECURITY: Array<Record<string, string[]>> = [{ akskAuth: [] }, { tokenAuth: [] }];
