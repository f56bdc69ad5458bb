import type { FastifyRequest } from 'fastify';
import type { Authenticate, Principal } from '../../auth/authenticator.js';
import { ApiError } from '../../domain/errors.js';
import type { JobScope } from '../../domain/ports.js';
import { parseJsonBody } from './jsonBody.js';

declare module 'fastify' {
  interface FastifyRequest {
    /** Whose jobs this request may see and change; set once authentication passed. */
    jobScope: JobScope;
    principal: Principal;
  }
}

/** Third-party user ids: printable ASCII only (the API forbids Chinese characters), at most 64. */
const APP_USER_ID = /^[\x21-\x7e]{1,64}$/;

/**
 * The tenant API's pre-validation step, in the gateway's order: authenticate over the raw bytes
 * (the signature covers them), check the project and the app user, and only then parse the JSON
 * body so that schema validation sees it.
 */
export function tenantAuthentication(authenticate: Authenticate, expectsBody: boolean) {
  return async function authenticateTenant(request: FastifyRequest): Promise<void> {
    const rawBody = Buffer.isBuffer(request.body) ? request.body : Buffer.alloc(0);
    const principal = await authenticate({
      method: request.method,
      rawUrl: request.raw.url ?? request.url,
      headers: request.headers,
      body: rawBody,
    });
    if (principal.role !== 'tenant') throw new ApiError('AUTH_ROLE_FORBIDDEN', `a ${principal.role} credential cannot call the tenant API`);
    const { project_id: projectId } = request.params as { project_id: string };
    if (projectId !== principal.projectId) throw new ApiError('PROJECT_MISMATCH');

    const appUserHeader = request.headers['x-app-userid'];
    let appUserId: string | undefined;
    if (appUserHeader !== undefined) {
      appUserId = Array.isArray(appUserHeader) ? appUserHeader[0] : appUserHeader;
      if (appUserId === undefined || !APP_USER_ID.test(appUserId)) {
        throw new ApiError('INVALID_PARAMETER', 'X-App-UserId must be 1-64 printable ASCII characters (no Chinese characters, no spaces)');
      }
    }
    request.principal = principal;
    request.jobScope = { projectId, ...(appUserId !== undefined && { appUserId }) };
    request.body = expectsBody ? parseJsonBody(request, rawBody) : undefined;
  };
}
