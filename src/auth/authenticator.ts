import crypto from 'node:crypto';
import type { Clock } from '../clock.js';
import { ApiError } from '../domain/errors.js';
import type { AccessKeyRow, CredentialStore } from '../store/credentialStore.js';
import type { ChangeStamp } from '../store/database.js';
import { parseAuthorization, verifyAkSkSignature, canonicalRequest, type ParsedAuthorization, type ReceivedRequest } from './akskSignature.js';
import { sha256Hex, type CredentialRole } from './credentials.js';
import type { FailedLoginThrottle } from './failedLogins.js';
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
  /** When the database has one, access keys read from it are kept while it stays unchanged. */
  changeStamp?: ChangeStamp | undefined;
  /** Refuses addresses and keys that keep failing (failedLogins.ts). */
  throttle?: FailedLoginThrottle | undefined;
}

/**
 * One authenticator per scheme behind a single entry point: an `Authorization` header means AK/SK
 * (SDK-HMAC-SHA256 and friends), otherwise `X-Auth-Token` means a token from POST /v3/auth/tokens.
 * Every failure is an ApiError with the gateway's 401 codes.
 */
export function createAuthenticator(options: AuthenticatorOptions) {
  const { credentials, secretBox, clock } = options;
  // Decrypting a secret on every request cost as much as the HMAC; a ciphertext always opens to the
  // same secret.
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
  const keys = createAccessKeyCache(options.changeStamp);

  async function findAccessKey(accessKey: string): Promise<AccessKeyRow | undefined> {
    // The stamp is read before the database is: a key read under an older stamp is not kept.
    const stamp = keys.stamp();
    const cached = keys.recall(accessKey, stamp);
    if (cached) return cached;
    const key = await credentials.findAccessKey(accessKey);
    if (key) keys.remember(key, stamp);
    return key;
  }

  /** The checks after the key lookup: the key is live, the signature holds, X-Project-Id is the key's. */
  function verifyWithKey(request: ReceivedRequest, authorization: ParsedAuthorization, key: AccessKeyRow | undefined): Principal {
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
    // X-Project-Id names the project the caller acts in; it must be the key's.
    const projectHeader = headerText(request.headers['x-project-id']);
    if (projectHeader !== undefined && projectHeader !== key.projectId) {
      throw new ApiError('PROJECT_MISMATCH', 'X-Project-Id is not the access key\'s project');
    }
    return { projectId: key.projectId, accessKey: key.accessKey, role: key.role, method: 'aksk' };
  }

  async function authenticateAkSk(request: ReceivedRequest, authorization: ReturnType<typeof parseAuthorization>): Promise<Principal> {
    if ('error' in authorization) throw new ApiError('AUTH_MALFORMED', authorization.error);
    return verifyWithKey(request, authorization, await findAccessKey(authorization.accessKey));
  }

  async function authenticateToken(token: string): Promise<Principal> {
    // Tokens are looked up by their SHA-256, so no comparison of the token text happens at all.
    const stored = await credentials.findToken(sha256Hex(token));
    if (!stored) throw new ApiError('AUTH_TOKEN_INVALID');
    if (stored.expiresAt <= clock.now().getTime()) {
      throw new ApiError('AUTH_TOKEN_EXPIRED', `token expires, expires_at: ${new Date(stored.expiresAt).toISOString()}`);
    }
    const key = await findAccessKey(stored.accessKey);
    if (!key || key.revokedAt !== null) throw new ApiError('AUTH_TOKEN_INVALID');
    return { projectId: stored.projectId, accessKey: key.accessKey, role: key.role, method: 'token' };
  }

  /** `authorization`: the parsed Authorization header, when the request has one. */
  async function authenticateOnce(request: ReceivedRequest, authorization: ReturnType<typeof parseAuthorization> | undefined): Promise<Principal> {
    if (authorization) return authenticateAkSk(request, authorization);
    const token = headerText(request.headers['x-auth-token']);
    if (token) return authenticateToken(token);
    throw new ApiError('AUTH_MISSING', 'send an SDK-HMAC-SHA256 Authorization header or an X-Auth-Token');
  }

  async function authenticate(request: ReceivedRequest): Promise<Principal> {
    const authorizationHeader = headerText(request.headers['authorization']);
    // Parsed once: the throttle counts by its access key, the AK/SK check verifies it.
    const authorization = authorizationHeader ? parseAuthorization(authorizationHeader) : undefined;
    const accessKey = authorization && !('error' in authorization) ? authorization.accessKey : undefined;
    const refusal = options.throttle?.refusal(accessKey, request.remoteAddress);
    if (refusal) throw refusal;
    try {
      return await authenticateOnce(request, authorization);
    } catch (error) {
      if (error instanceof ApiError && error.status === 401) options.throttle?.recordFailure(accessKey, request.remoteAddress);
      throw error;
    }
  }

  /**
   * The same AK/SK checks, without waiting: the principal when the request's key is in the cache and
   * every check passes, otherwise undefined (the caller then takes the full path, which gives the
   * error or reads the key). `stamp` is the database's change stamp, just read by the caller.
   */
  function authenticateFromCache(request: ReceivedRequest, stamp: string): Principal | undefined {
    const authorizationHeader = headerText(request.headers['authorization']);
    if (!authorizationHeader) return undefined;
    const authorization = parseAuthorization(authorizationHeader);
    if ('error' in authorization) return undefined;
    const key = keys.recall(authorization.accessKey, stamp);
    // A refused key takes the full path, which answers the refusal: even its right secret must not show.
    if (!key || options.throttle?.refusal(authorization.accessKey, request.remoteAddress)) return undefined;
    try {
      return verifyWithKey(request, authorization, key);
    } catch {
      return undefined;
    }
  }

  return Object.assign(authenticate, { fromCache: authenticateFromCache });
}

/**
 * Access keys as last read, kept while the database's change stamp holds: a revocation, even by
 * the CLI in another process, moves the stamp and empties the cache. Without a stamp, nothing is kept.
 */
function createAccessKeyCache(changeStamp: ChangeStamp | undefined, limit = 10_000) {
  const keys = new Map<string, AccessKeyRow>();
  let keysStamp: string | undefined;
  const current = (stamp = changeStamp?.()): string | undefined => {
    if (stamp !== keysStamp) {
      keys.clear();
      keysStamp = stamp;
    }
    return stamp;
  };
  return {
    stamp: current,
    recall(accessKey: string, stamp = changeStamp?.()): AccessKeyRow | undefined {
      return current(stamp) === undefined ? undefined : keys.get(accessKey);
    },
    remember(key: AccessKeyRow, readAt: string | undefined): void {
      if (readAt === undefined || current() !== readAt) return;
      if (keys.size >= limit) keys.clear();
      keys.set(key.accessKey, key);
    },
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
