import crypto from 'node:crypto';

/**
 * Ids of jobs, projects, uploads, files, work items and request ids: 32 lower-case hex digits, the
 * shape of the cloud's ids, safe in every SDK's path encoding. randomUUID draws from a cached
 * entropy pool (cheaper per call than randomBytes); 122 random bits.
 */
export function newId(): string {
  return crypto.randomUUID().replaceAll('-', '');
}
