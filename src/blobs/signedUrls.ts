import crypto from 'node:crypto';
import type { UrlSigner } from '../domain/ports.js';

/*
 * Signed, expiring URLs for the bytes of a job, served by this server. The signature covers the
 * method, the path and the expiry; it is checked in constant time.
 */

export const UPLOAD_ROUTE_PREFIX = '/v1/files/upload';
export const DOWNLOAD_ROUTE_PREFIX = '/v1/files/download';

export function createUrlSigner(publicUrl: string, key: Buffer): UrlSigner {
  const sign = (method: string, routePath: string, expires: string): string =>
    crypto.createHmac('sha256', key).update(`${method}\n${routePath}\n${expires}`).digest('hex');

  const signedUrl = (method: string, routePath: string, expiresAtMs: number): string => {
    const expires = String(Math.floor(expiresAtMs / 1000));
    return `${publicUrl}${routePath}?expires=${expires}&signature=${sign(method, routePath, expires)}`;
  };

  return {
    uploadUrl: (slotId, expiresAtMs) => signedUrl('PUT', `${UPLOAD_ROUTE_PREFIX}/${slotId}`, expiresAtMs),
    downloadUrl: (jobId, fileKind, fileVersion, expiresAtMs) =>
      signedUrl('GET', `${DOWNLOAD_ROUTE_PREFIX}/${jobId}/${fileKind}/${fileVersion}`, expiresAtMs),
    verify(method, routePath, query, nowMs) {
      const { expires, signature } = query;
      if (!expires || !signature || !/^\d{1,12}$/.test(expires) || !/^[0-9a-f]{64}$/.test(signature)) return 'invalid';
      const expected = Buffer.from(sign(method, routePath, expires), 'hex');
      if (!crypto.timingSafeEqual(expected, Buffer.from(signature, 'hex'))) return 'invalid';
      return Number(expires) * 1000 <= nowMs ? 'expired' : 'ok';
    },
  };
}
