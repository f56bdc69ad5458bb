import { Type } from '@sinclair/typebox';
import type { Authenticate } from '../../../auth/authenticator.js';
import type { ExternalWorkService } from '../../../domain/externalWorkService.js';
import { STAGE_NAMES } from '../../../domain/pipelineStages.js';

export interface WorkerRouteDeps {
  work: ExternalWorkService;
  authenticate: Authenticate;
}

export const WORK_PATH = '/v1/worker/work/:work_id';
export const TAGS = ['Worker'];

export const WorkParams = Type.Object({ work_id: Type.String({ description: 'Work item ID (from the claim).' }) });

export const LeaseBody = Type.Object({ lease_token: Type.String({ minLength: 1, maxLength: 64, description: 'The lease token from the claim.' }) });

export const StageNameSchema = Type.Unsafe<(typeof STAGE_NAMES)[number]>({ type: 'string', enum: [...STAGE_NAMES], description: 'Pipeline stage.' });

export const ClaimRequest = Type.Object({
  worker_id: Type.String({ minLength: 1, maxLength: 128, description: 'A name for this worker (shown in logs and retry entries).' }),
  stages: Type.Array(StageNameSchema, { minItems: 1, maxItems: STAGE_NAMES.length, description: 'The stages this worker can run.' }),
});

export const ClaimResponse = Type.Object({
  work_id: Type.String(),
  lease_token: Type.String(),
  stage: StageNameSchema,
  attempt: Type.Integer({ description: 'Which claim of this work item this is (1 for the first).' }),
  job: Type.Object({
    job_id: Type.String(),
    project_id: Type.String(),
    name: Type.String(),
    state: Type.String(),
    attributes: Type.Record(Type.String(), Type.Unknown(), { description: "The job's settings (wire names), e.g. mark infos." }),
  }),
  inputs: Type.Record(Type.String(), Type.String(), { description: 'Signed download URLs of the inputs the job has, by file kind.' }),
  outputs: Type.Record(Type.String(), Type.String(), { description: 'Single-use upload URLs (PUT raw bytes) for the outputs, by file kind.' }),
  heartbeat_timeout_seconds: Type.Integer({ description: 'Renew the lease well within this time.' }),
  lease_expires_at: Type.String({ format: 'date-time', description: 'The lease ends then whatever the heartbeats.' }),
});

export const WorkAccepted = Type.Object({ result: Type.Literal('ok') });
