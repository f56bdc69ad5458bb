import crypto from 'node:crypto';
import type { FastifyError, FastifyInstance, FastifyReply } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import type { Clock } from '../../../clock.js';
import { issueToken } from '../../../auth/authenticator.js';
import { sha256Hex } from '../../../auth/credentials.js';
import type { FailedLoginThrottle } from '../../../auth/failedLogins.js';
import type { SecretBox } from '../../../auth/secretBox.js';
import type { CredentialStore } from '../../../store/credentialStore.js';
import { sendError } from '../../plugins/errors.js';
import { ApiError } from '../../../domain/errors.js';
import { parseJsonBody } from '../../plugins/jsonBody.js';
import { GATEWAY_RESPONSES } from '../routeSchemas.js';

export interface IamRouteDeps {
  credentials: CredentialStore;
  secretBox: SecretBox;
  clock: Clock;
  tokenTtlMs: number;
  /** Refuses addresses and keys that keep failing, as the API's authentication does. */
  throttle?: FailedLoginThrottle | undefined;
}

const Named = Type.Object({ id: Type.Optional(Type.String()), name: Type.Optional(Type.String()) });

const TokenRequest = Type.Object({
  auth: Type.Object({
    identity: Type.Object({
      methods: Type.Array(Type.String(), { minItems: 1, description: '"password" (user name = access key, password = secret key) or "token".' }),
      password: Type.Optional(
        Type.Object({
          user: Type.Object({
            name: Type.String({ description: 'The access key (AK).' }),
            password: Type.String({ description: 'The secret key (SK).' }),
            domain: Type.Optional(Named),
          }),
        }),
      ),
      token: Type.Optional(Type.Object({ id: Type.String({ description: 'A valid token to re-scope.' }) })),
    }),
    scope: Type.Optional(Type.Object({ project: Type.Optional(Named), domain: Type.Optional(Named) })),
  }),
});

const KeystoneError = Type.Object({ error: Type.Object({ code: Type.Integer(), title: Type.String(), message: Type.String() }) });
const GatewayError = Type.Object({ error_code: Type.String(), error_msg: Type.String(), request_id: Type.String() });

/** IAM's error shape (Keystone), which the SDK cores map to errorCode/errorMsg. */
function keystoneError(reply: FastifyReply, code: 400 | 401, message: string): FastifyReply {
  return reply.status(code).send({ error: { code, title: code === 400 ? 'Bad Request' : 'Unauthorized', message } });
}

/** IAM times carry microseconds: 2024-01-02T12:00:00.000000Z. */
const iamTime = (epochMs: number): string => new Date(epochMs).toISOString().replace(/Z$/, '000Z');

/**
 * An IAM-compatible `POST /v3/auth/tokens`: 201 with the token in `X-Subject-Token` and IAM's body.
 * With the password method, the user name is an access key and the password its secret key.
 */
export function createTokenRoute(app: FastifyInstance, deps: IamRouteDeps): void {
  app.withTypeProvider<TypeBoxTypeProvider>().post(
    '/v3/auth/tokens',
    {
      schema: {
        summary: 'Obtain a token (IAM-compatible); send it back as X-Auth-Token',
        tags: ['IAM'],
        body: TokenRequest,
        querystring: Type.Object({ nocatalog: Type.Optional(Type.String()) }),
        response: {
          ...GATEWAY_RESPONSES,
          201: Type.Object(
            { token: Type.Object({}, { additionalProperties: true, description: 'expires_at, issued_at, methods, project, user, roles (and catalog unless nocatalog).' }) },
            { description: 'The token is in the X-Subject-Token header.' },
          ),
          400: { ...KeystoneError, description: 'A malformed request (IAM\'s Keystone shape).' },
          401: { ...KeystoneError, description: 'Wrong access key or secret, or no access to the project (Keystone shape).' },
          413: { ...GatewayError, description: 'Body over the limit (APIG.0201).' },
          429: { ...GatewayError, description: 'Too many failed authentications from this address (APIG.0308).' },
          500: { ...KeystoneError, description: 'Internal error.' },
        },
      },
      preValidation: async (request) => {
        const rawBody = Buffer.isBuffer(request.body) ? request.body : Buffer.alloc(0);
        // Schema validation runs next and checks the parsed value.
        request.body = (rawBody.length === 0 ? undefined : parseJsonBody(request, rawBody)) as typeof request.body;
      },
      errorHandler: (error: FastifyError, request, reply) => {
        // The body limit is the gateway's, as on every route.
        if (error.code === 'FST_ERR_CTP_BODY_TOO_LARGE') return sendError(request, reply, new ApiError('BODY_TOO_LARGE'));
        if (error instanceof ApiError && error.kind === 'gateway') return sendError(request, reply, error);
        if (error instanceof ApiError && error.status === 400) return keystoneError(reply, 400, error.message);
        if (error.validation || error.statusCode === 400 || error.statusCode === 415) return keystoneError(reply, 400, error.message);
        request.log.error({ err: error }, 'token request failed');
        return reply.status(500).send({ error: { code: 500, title: 'Internal Server Error', message: 'internal error' } });
      },
    },
    async (request, reply) => {
      const { identity, scope } = request.body.auth;
      let grant: { accessKey: string; projectId: string; notAfter?: number } | undefined;
      const accessKey = identity.methods.includes('password') ? identity.password?.user.name : undefined;
      const refusal = deps.throttle?.refusal(accessKey, request.ip);
      if (refusal) throw refusal;
      if (identity.methods.includes('password') && identity.password) {
        const key = await deps.credentials.findAccessKey(identity.password.user.name);
        const secret = key && key.revokedAt === null ? deps.secretBox.open(key.secretCiphertext) : '';
        // Compare fixed-length digests so the comparison takes the same time whatever the input.
        const matches = crypto.timingSafeEqual(
          Buffer.from(sha256Hex(secret), 'hex'),
          Buffer.from(sha256Hex(identity.password.user.password), 'hex'),
        );
        if (key && secret !== '' && matches) grant = { accessKey: key.accessKey, projectId: key.projectId };
      } else if (identity.methods.includes('token') && identity.token) {
        const stored = await deps.credentials.findToken(sha256Hex(identity.token.id));
        if (stored && stored.expiresAt > deps.clock.now().getTime()) {
          grant = { accessKey: stored.accessKey, projectId: stored.projectId, notAfter: stored.expiresAt };
        }
      } else {
        return keystoneError(reply, 400, 'identity.methods must include "password" (with identity.password) or "token" (with identity.token)');
      }
      if (!grant) {
        deps.throttle?.recordFailure(accessKey, request.ip);
        return keystoneError(reply, 401, 'The username or password is wrong.');
      }

      const project = await deps.credentials.findProject(grant.projectId);
      const wanted = scope?.project;
      if (!project || (wanted?.id !== undefined && wanted.id !== project.projectId) || (wanted?.name !== undefined && wanted.name !== project.name)) {
        return keystoneError(reply, 401, 'The credential has no access to the requested project.');
      }
      const issued = await issueToken(
        deps.credentials,
        { accessKey: grant.accessKey, projectId: grant.projectId, methods: identity.methods },
        deps.clock.now().getTime(),
        deps.tokenTtlMs,
        grant.notAfter,
      );
      const domain = { id: project.projectId, name: project.name };
      reply.status(201);
      // On Node's response, which keeps the name's case (Fastify lower-cases its headers).
      reply.raw.setHeader('X-Subject-Token', issued.token);
      return {
        token: {
          expires_at: iamTime(issued.expiresAt),
          issued_at: iamTime(issued.issuedAt),
          methods: identity.methods,
          ...(request.query.nocatalog === undefined && { catalog: [] }),
          project: { id: project.projectId, name: project.name, domain },
          user: { id: grant.accessKey, name: grant.accessKey, password_expires_at: '', domain },
          roles: [{ id: '0', name: 'te_admin' }],
        },
      };
    },
  );
}
