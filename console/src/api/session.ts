import { useEffect, useState } from 'preact/hooks';
import { ApiFailure, callApi } from './http.js';

/**
 * Who is signed in. The console keeps a token only (from POST /v3/auth/tokens), in this tab's
 * sessionStorage: the secret key is sent once to get it and never stored. A tenant key sees its
 * project's jobs; an admin (reviewer) key sees the review queue of every project.
 */
export interface Session {
  token: string;
  expiresAt: string;
  projectId: string;
  projectName: string;
  /** The access key the token was issued to (not a secret). */
  accessKey: string;
  role: 'tenant' | 'admin';
}

const STORAGE_KEY = 'avatarforge.session';
const listeners = new Set<() => void>();
let current: Session | undefined = readStored();
/** Why the last session ended, when it was not the person's choice (shown on the sign-in page). */
let endReason: 'expired' | undefined;

function readStored(): Session | undefined {
  try {
    const stored = sessionStorage.getItem(STORAGE_KEY);
    const session = stored ? (JSON.parse(stored) as Session) : undefined;
    return session && Date.parse(session.expiresAt) > Date.now() ? session : undefined;
  } catch {
    return undefined;
  }
}

function setSession(session: Session | undefined): void {
  current = session;
  if (session) sessionStorage.setItem(STORAGE_KEY, JSON.stringify(session));
  else sessionStorage.removeItem(STORAGE_KEY);
  for (const listener of listeners) listener();
}

export const currentSession = (): Session | undefined => current;

export function useSession(): Session | undefined {
  const [session, setState] = useState(current);
  useEffect(() => {
    const update = () => setState(current);
    listeners.add(update);
    return () => void listeners.delete(update);
  }, []);
  return session;
}

interface TokenBody {
  token: { expires_at: string; project: { id: string; name: string }; user: { name: string } };
}

/** Signs in with an access key and its secret key (IAM's password method: user name = AK, password = SK). */
export function signInWithKeys(accessKey: string, secretKey: string): Promise<Session> {
  return requestToken({
    identity: { methods: ['password'], password: { user: { name: accessKey.trim(), password: secretKey, domain: { name: 'avatarforge' } } } },
  });
}

/** Signs in with a token someone already holds: it is exchanged for a fresh one of the same key (IAM's token method). */
export function signInWithToken(token: string): Promise<Session> {
  return requestToken({ identity: { methods: ['token'], token: { id: token.trim() } } });
}

async function requestToken(auth: object): Promise<Session> {
  const answer = await callApi<TokenBody>('/v3/auth/tokens?nocatalog=true', { method: 'POST', body: { auth } });
  const token = answer.headers.get('X-Subject-Token');
  if (!token || !answer.body) throw new ApiFailure(500, 'IAM.NO_TOKEN', 'the server answered no token');
  const { expires_at: expiresAt, project, user } = answer.body.token;
  const role = await roleOf(token, project.id);
  const session: Session = { token, expiresAt, projectId: project.id, projectName: project.name, accessKey: user.name, role };
  endReason = undefined;
  setSession(session);
  return session;
}

/**
 * The tenant API answers a tenant key only; the admin API an admin key only (worker keys neither).
 * No route answers both, so one probe may be refused: the tenant API is asked first, so that the
 * people who sign in most (tenants) see no refused request in the browser's console; admins' 403
 * there is expected. Both probes are a one-row list.
 */
async function roleOf(token: string, projectId: string): Promise<Session['role']> {
  try {
    await callApi(`/v1/${encodeURIComponent(projectId)}/digital-human-training-manage/user/jobs?limit=1`, { token });
    return 'tenant';
  } catch (error) {
    if (!(error instanceof ApiFailure) || error.status !== 403) throw error;
  }
  try {
    await callApi(`/v1/admin/training-jobs?limit=1`, { token });
    return 'admin';
  } catch (error) {
    if (error instanceof ApiFailure && error.status === 403) throw new ApiFailure(403, 'CONSOLE.WORKER_KEY', 'worker key');
    throw error;
  }
}

export function signOut(reason?: 'expired'): void {
  endReason = reason;
  setSession(undefined);
}

export const lastEndReason = (): 'expired' | undefined => endReason;

/** A call with the session's token; an expired or revoked token ends the session. */
export async function callWithSession<T>(path: string, request: Parameters<typeof callApi>[1] = {}) {
  const session = current;
  if (!session) throw new ApiFailure(401, 'CONSOLE.SIGNED_OUT', 'signed out');
  try {
    return await callApi<T>(path, { ...request, token: session.token });
  } catch (error) {
    if (error instanceof ApiFailure && error.status === 401 && current === session) signOut('expired');
    throw error;
  }
}
