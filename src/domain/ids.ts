import crypto from 'node:crypto';

/** Ids of jobs, uploads, files and comments: 32 lower-case hex digits, safe in every SDK's path encoding. */
export function newId(): string {
  return crypto.randomBytes(16).toString('hex');
}
