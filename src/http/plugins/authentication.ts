import type { FastifyRequest } from 'fastify';
import type { Authenticate, Principal } from '../../auth/authenticator.js';
import type { CredentialRole } from '../../auth/credentials.js';
import { ApiError } from '../../domain/errors.js';
import type { JobScope } from '../../domain/ports.js';
import { parseJsonBody } from './jsonBody.js';

declare module 'fastify' {
  interface FastifyRequest {
    /** Whose jobs a tenant request may see and change; set once authentication passed (tenant routes only). */
    jobScope: JobScope;
    principal: Principal;
  }
}

/** Third-party user ids: printable ASCII only (the API forbids Chinese characters), at most 64. */
const APP_USER_ID = /^[\x21-\x7e]{1,64}$/;

const API_OF_ROLE: Record<CredentialRole, string> = { tenant: 'the tenant API', admin: 'the admin API', worker: 'the worker API' };

/**
 * The pre-validation step of every authenticated route, in the gateway's order: authenticate over
 * the raw bytes (the signature covers them), require the route's credential role, for tenants check
 * the project and the app user, and only then parse the JSON body so that schema validation sees it.
 */
export function authenticateAs(role: CredentialRole, authenticate: Authenticate, { expectsBody }: { expectsBody: boolean }) {
  return async function authenticateRequest(request: FastifyRequest): Promise<void> {
    const rawBody = Buffer.isBuffer(request.body) ? request.body : Buffer.alloc(0);
    const principal = await authenticate({
      method: request.method,
      rawUrl: request.raw.url ?? request.url,
      headers: request.headers,
      body: rawBody,
      remoteAddress: request.ip,
    });
    if (principal.role !== role) throw new ApiError('AUTH_ROLE_FORBIDDEN', `a ${principal.role} credential cannot call ${API_OF_ROLE[role]}`);
    request.principal = principal;
    // Tenants act inside their project; admins and workers act across projects.
    if (role === 'tenant') request.jobScope = tenantScope(request, principal);
    request.body = expectsBody ? parseJsonBody(request, rawBody) : undefined;
  };
}

/** The path's project must be the credential's; X-App-UserId, when sent, narrows to that app user. */
function tenantScope(request: FastifyRequest, principal: Principal): JobScope {
  const { project_id: projectId } = request.params as { project_id: string };
  if (projectId !== principal.projectId) throw new ApiError('PROJECT_MISMATCH');
  const appUserHeader = request.headers['x-app-userid'];
  if (appUserHeader === undefined) return { projectId };
  const appUserId = Array.isArray(appUserHeader) ? appUserHeader[0] : appUserHeader;
  if (appUserId === undefined || !APP_USER_ID.test(appUserId)) {
    throw new ApiError('INVALID_PARAMETER', 'X-App-UserId must be 1-64 printable ASCII characters (no Chinese characters, no spaces)');
  }
  return { projectId, appUserId };
}
