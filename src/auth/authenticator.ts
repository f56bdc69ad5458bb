import crypto from 'node:crypto';
import type { Clock } from '../clock.js';
import { ApiError } from '../domain/errors.js';
import type { CredentialStore } from '../store/credentialStore.js';
import { parseAuthorization, verifyAkSkSignature, canonicalRequest, type ReceivedRequest } from './akskSignature.js';
import { sha256Hex, type CredentialRole } from './credentials.js';
import type { SecretBox } from './secretBox.js';

/** Who a request is from, once its signature or token checked out. */
export interface Principal {
  projectId: string;
  accessKey: string;
  role: CredentialRole;
  method: 'aksk' | 'token';
}

export interface AuthenticatorOptions {
  credentials: CredentialStore;
  secretBox: SecretBox;
  clock: Clock;
  signatureMaxSkewMs: number;
  /** Put the canonical request into mismatch messages (a help for people writing their own signer). */
  debugSignatures: boolean;
}

/**
 * One authenticator per scheme behind a single entry point: an `Authorization` header means AK/SK
 * (SDK-HMAC-SHA256 and friends), otherwise `X-Auth-Token` means a token from POST /v3/auth/tokens.
 * Every failure is an ApiError with the gateway's 401 codes.
 */
export function createAuthenticator(options: AuthenticatorOptions) {
  const { credentials, secretBox, clock } = options;
  // Decrypting a secret on every request cost as much as the HMAC; a ciphertext always opens to the
  // same secret, and revocation is still read from the store on every request.
  const openedSecrets = new Map<string, string>();
  const openSecret = (sealed: string): string => {
    let secret = openedSecrets.get(sealed);
    if (secret === undefined) {
      secret = secretBox.open(sealed);
      if (openedSecrets.size >= 1000) openedSecrets.clear();
      openedSecrets.set(sealed, secret);
    }
    return secret;
  };

  async function authenticateAkSk(request: ReceivedRequest, authorizationHeader: string): Promise<Principal> {
    const authorization = parseAuthorization(authorizationHeader);
    if ('error' in authorization) throw new ApiError('AUTH_MALFORMED', authorization.error);
    const key = await credentials.findAccessKey(authorization.accessKey);
    if (!key || key.revokedAt !== null) {
      throw new ApiError('AUTH_UNKNOWN_ACCESS_KEY', `Get secretKey failed,ak:${authorization.accessKey},err:ak not exist`);
    }
    const verdict = verifyAkSkSignature(request, authorization, openSecret(key.secretCiphertext), clock.now(), options.signatureMaxSkewMs);
    if (!verdict.ok) {
      if (verdict.reason === 'expired') throw new ApiError('AUTH_SIGNATURE_EXPIRED', verdict.message);
      if (verdict.reason === 'malformed') throw new ApiError('AUTH_MALFORMED', verdict.message);
      const hint = options.debugSignatures
        ? `, canonicalRequest:${canonicalRequest(request, authorization.signedHeaders, authorization.algorithm === 'SDK-HMAC-SM3' ? 'sm3' : 'sha256').replaceAll('\n', '|')}`
        : '';
      throw new ApiError('AUTH_SIGNATURE_MISMATCH', `${verdict.message}${hint}`);
    }
    return { projectId: key.projectId, accessKey: key.accessKey, role: key.role, method: 'aksk' };
  }

  async function authenticateToken(token: string): Promise<Principal> {
    // Tokens are looked up by their SHA-256, so no comparison of the token text happens at all.
    const stored = await credentials.findToken(sha256Hex(token));
    if (!stored) throw new ApiError('AUTH_TOKEN_INVALID');
    if (stored.expiresAt <= clock.now().getTime()) {
      throw new ApiError('AUTH_TOKEN_EXPIRED', `token expires, expires_at: ${new Date(stored.expiresAt).toISOString()}`);
    }
    const key = await credentials.findAccessKey(stored.accessKey);
    if (!key || key.revokedAt !== null) throw new ApiError('AUTH_TOKEN_INVALID');
    return { projectId: stored.projectId, accessKey: key.accessKey, role: key.role, method: 'token' };
  }

  return async function authenticate(request: ReceivedRequest): Promise<Principal> {
    const authorizationHeader = headerText(request.headers['authorization']);
    if (authorizationHeader) {
      const principal = await authenticateAkSk(request, authorizationHeader);
      const projectHeader = headerText(request.headers['x-project-id']);
      // X-Project-Id names the project the caller acts in; it must be the key's.
      if (projectHeader !== undefined && projectHeader !== principal.projectId) {
        throw new ApiError('PROJECT_MISMATCH', 'X-Project-Id is not the access key\'s project');
      }
      return principal;
    }
    const token = headerText(request.headers['x-auth-token']);
    if (token) return authenticateToken(token);
    throw new ApiError('AUTH_MISSING', 'send an SDK-HMAC-SHA256 Authorization header or an X-Auth-Token');
  };
}

export type Authenticate = ReturnType<typeof createAuthenticator>;

function headerText(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}

export interface IssuedToken {
  token: string;
  issuedAt: number;
  expiresAt: number;
}

/**
 * Issues an opaque token: 32 random bytes; only its SHA-256 is stored. `notAfter` caps its expiry
 * (a re-scoped token keeps the expiry of the token it came from, so tokens cannot be renewed forever).
 */
export async function issueToken(
  credentials: CredentialStore,
  grant: { accessKey: string; projectId: string; methods: string[] },
  now: number,
  ttlMs: number,
  notAfter = Number.POSITIVE_INFINITY,
): Promise<IssuedToken> {
  const token = `AF${crypto.randomBytes(32).toString('base64url')}`;
  const issued = { issuedAt: now, expiresAt: Math.min(now + ttlMs, notAfter) };
  await credentials.insertToken(sha256Hex(token), { ...grant, ...issued });
  return { token, ...issued };
}
