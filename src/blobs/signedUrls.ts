import crypto from 'node:crypto';
import type { DirectUploads, UrlSigner } from '../domain/ports.js';

/*
 * Signed, expiring URLs for the bytes of a job, served by this server, and for pages that take a
 * signed query (a live session's dialog page). The signature covers the method, the path (with the
 * page's own query, in the order it was signed) and the expiry; it is checked in constant time.
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
    signedPageUrl(routePath, params, expiresAtMs) {
      const expires = String(Math.floor(expiresAtMs / 1000));
      const query = new URLSearchParams(params).toString();
      return `${publicUrl}${routePath}?${query}&expires=${expires}&signature=${sign('GET', `${routePath}?${query}`, expires)}`;
    },
    uploadUrl: (slotId, expiresAtMs) => signedUrl('PUT', `${UPLOAD_ROUTE_PREFIX}/${slotId}`, expiresAtMs),
    downloadUrl: (file, _issuedAtMs, expiresAtMs) =>
      signedUrl('GET', `${DOWNLOAD_ROUTE_PREFIX}/${file.jobId}/${file.fileKind}/${file.fileVersion}`, expiresAtMs),
    verify(method, routePath, query, nowMs) {
      const { expires, signature } = query;
      if (!expires || !signature || !/^\d{1,12}$/.test(expires) || !/^[0-9a-f]{64}$/.test(signature)) return 'invalid';
      const expected = Buffer.from(sign(method, routePath, expires), 'hex');
      if (!crypto.timingSafeEqual(expected, Buffer.from(signature, 'hex'))) return 'invalid';
      return Number(expires) * 1000 <= nowMs ? 'expired' : 'ok';
    },
  };
}

/**
 * With an object store, download URLs are the store's own presigned GETs; upload URLs that this
 * server takes (worker outputs, review attachments) and their checks stay the server's.
 */
export function withStoreDownloads(signer: UrlSigner, direct: DirectUploads): UrlSigner {
  return {
    ...signer,
    downloadUrl: (file, issuedAtMs, expiresAtMs) => direct.presignGet(file.blobKey, issuedAtMs, expiresAtMs),
  };
}
