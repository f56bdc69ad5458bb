import { Type } from '@sinclair/typebox';
import type { FastifyRequest } from 'fastify';
import type { Authenticate } from '../../../auth/authenticator.js';
import type { LiveSessionService } from '../../../domain/live/liveSessionService.js';
import { authenticateAs } from '../../plugins/authentication.js';

export interface LiveRouteDeps {
  live: LiveSessionService;
  authenticate: Authenticate;
}

/** Two prefixes, as the cloud has them (spec §1.1): rooms alone, and everything about jobs. */
export const ROOMS_PATH = '/v1/:project_id/smart-chat-rooms';
export const ROOM_PATH = `${ROOMS_PATH}/:room_id`;
export const JOBS_PATH = '/v1/:project_id/digital-human-chat/smart-chat-rooms/:room_id/smart-chat-jobs';
export const JOB_STATE_PATH = `${JOBS_PATH}/:job_id/state`;
export const JOB_STOP_PATH = `${JOBS_PATH}/:job_id/stop`;
export const DIALOG_URL_PATH = '/v1/:project_id/digital-human-chat/create-dialog-url';
export const ONCE_CODE_PATH = '/v1/:project_id/digital-human-chat/once-code';
export const TAGS = ['Intelligent interaction'];

export const ProjectParams = Type.Object({ project_id: Type.String({ description: "Tenant's project ID (must be the credential's project)." }) });
export const RoomParams = Type.Object({ ...ProjectParams.properties, room_id: Type.String({ description: 'Room ID (CreateSmartChatRoom).', minLength: 1, maxLength: 64 }) });
export const JobParams = Type.Object({ ...RoomParams.properties, job_id: Type.String({ description: 'Job ID (StartSmartChatJob).', minLength: 1, maxLength: 64 }) });

/** An empty answer: the header-only operations (Delete room, Stop job) answer `{}` with X-Request-Id. */
export const EmptyResponse = Type.Object({}, { description: 'Always `{}`; X-Request-Id is the answer.' });

/** Tenant authentication; the SDKs send the GETs, Delete, Stop and CreateOnceCode without a body (Content-Type JSON all the same). */
export const asTenant = (deps: LiveRouteDeps, expectsBody: boolean) => authenticateAs('tenant', deps.authenticate, { expectsBody });

/** Tenant authentication for a POST whose body may be left out (StartSmartChatJob): none is `{}`. */
export function asTenantWithOptionalBody(deps: LiveRouteDeps) {
  const authenticate = asTenant(deps, true);
  return async (request: FastifyRequest): Promise<void> => {
    await authenticate(request);
    request.body ??= {};
  };
}
