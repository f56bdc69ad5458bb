import crypto from 'node:crypto';
import type { FastifyInstance } from 'fastify';

/**
 * The query of a signed download URL: this server's, or an object store's presigned one. A fresh
 * one is signed on every read (its expiry counts from that read), so it is left out of the ETag:
 * two reads of an unchanged job are the same job.
 */
const SIGNED_URL_QUERY = /\?(expires=\d+&signature=[0-9a-f]{64}|X-Amz-Algorithm=[^"?]*?X-Amz-Signature=[0-9a-f]{64})/g;

const NOT_MODIFIED = { description: 'Not Modified: If-None-Match names the ETag of the current answer. No body.', type: 'null' };

/**
 * Conditional GET for the API's reads: every 200 answer to a GET carries a weak ETag of its body,
 * and a request whose If-None-Match names it gets `304 Not Modified` without a body. Pollers (the
 * web console refreshes its lists this way) then learn "nothing changed" for a few bytes.
 */
export function registerConditionalGet(app: FastifyInstance): void {
  // Every GET route of the scope can answer 304: its OpenAPI entry says so.
  app.addHook('onRoute', (route) => {
    const methods = Array.isArray(route.method) ? route.method : [route.method];
    if (!methods.includes('GET') || route.schema?.response === undefined) return;
    route.schema.response = { ...(route.schema.response as object), 304: NOT_MODIFIED };
  });
  app.addHook('onSend', async (request, reply, payload) => {
    if (request.method !== 'GET' || reply.statusCode !== 200 || typeof payload !== 'string') return payload;
    // A weak validator needs no cryptographic strength: SHA-1 is quick, and most bodies hold no signed URL.
    const stable = payload.includes('?expires=') || payload.includes('?X-Amz-') ? payload.replace(SIGNED_URL_QUERY, '') : payload;
    const etag = `W/"${crypto.createHash('sha1').update(stable).digest('base64url')}"`;
    reply.header('ETag', etag);
    if (!ifNoneMatchNames(request.headers['if-none-match'], etag)) return payload;
    reply.code(304);
    return '';
  });
}

/** If-None-Match is `*` or a list of (weak or strong) tags; weak comparison applies to GET. */
function ifNoneMatchNames(header: string | undefined, etag: string): boolean {
  if (!header) return false;
  const opaque = (tag: string) => tag.trim().replace(/^W\//, '');
  return header.split(',').some((tag) => tag.trim() === '*' || opaque(tag) === opaque(etag));
}
