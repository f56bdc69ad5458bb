import crypto from 'node:crypto';

/** Roles are separate credentials: a tenant key never reaches the admin or worker APIs. */
export const CREDENTIAL_ROLES = ['tenant', 'admin', 'worker'] as const;
export type CredentialRole = (typeof CREDENTIAL_ROLES)[number];

const ACCESS_KEY_ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789';
const SECRET_KEY_ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';

function randomString(alphabet: string, length: number): string {
  let text = '';
  for (let index = 0; index < length; index++) text += alphabet[crypto.randomInt(alphabet.length)];
  return text;
}

/** 20 upper-case letters and digits, like the cloud's access key ids. */
export function newAccessKey(): string {
  return randomString(ACCESS_KEY_ALPHABET, 20);
}

/** 40 letters and digits, like the cloud's secret keys. */
export function newSecretKey(): string {
  return randomString(SECRET_KEY_ALPHABET, 40);
}


export function sha256Hex(text: string): string {
  return crypto.createHash('sha256').update(text).digest('hex');
}
