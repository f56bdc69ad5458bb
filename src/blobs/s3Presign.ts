import crypto from 'node:crypto';

/**
 * AWS Signature Version 4 presigned URLs for an S3-compatible store (query-string signing with
 * UNSIGNED-PAYLOAD, the form every S3-compatible store accepts), computed synchronously: a List
 * answer signs hundreds of download URLs, and the AWS SDK's presigner is asynchronous only because
 * it resolves credentials, which here are fixed. test/blobs checks the result against the SDK's own
 * signer, and the store itself verifies every URL the tests use.
 */
export interface PresignTarget {
  /** The store's base URL as clients reach it, e.g. http://127.0.0.1:9000. */
  endpoint: string;
  bucket: string;
  region: string;
  accessKeyId: string;
  secretAccessKey: string;
  forcePathStyle: boolean;
}

export interface PresignRequest {
  method: 'GET' | 'PUT';
  key: string;
  /** Extra query parameters that the signature covers (partNumber, uploadId, response-*). */
  query?: Record<string, string>;
  signedAt: Date;
  expiresInSeconds: number;
}

/** The longest validity SigV4 allows for a presigned URL: 7 days. */
export const MAX_PRESIGN_SECONDS = 7 * 24 * 3600;

export function presignS3Url(target: PresignTarget, request: PresignRequest): string {
  const base = new URL(target.endpoint);
  const host = target.forcePathStyle ? base.host : `${target.bucket}.${base.host}`;
  const canonicalUri = target.forcePathStyle ? `/${uriEncode(target.bucket)}/${encodeKey(request.key)}` : `/${encodeKey(request.key)}`;
  const amzDate = request.signedAt.toISOString().replace(/[-:]/g, '').replace(/\.\d{3}/, '');
  const day = amzDate.slice(0, 8);
  const scope = `${day}/${target.region}/s3/aws4_request`;
  const query: Record<string, string> = {
    ...request.query,
    'X-Amz-Algorithm': 'AWS4-HMAC-SHA256',
    'X-Amz-Credential': `${target.accessKeyId}/${scope}`,
    'X-Amz-Date': amzDate,
    'X-Amz-Expires': String(Math.max(1, Math.min(MAX_PRESIGN_SECONDS, Math.floor(request.expiresInSeconds)))),
    'X-Amz-SignedHeaders': 'host',
  };
  const canonicalQuery = Object.keys(query)
    .sort()
    .map((name) => `${uriEncode(name)}=${uriEncode(query[name]!)}`)
    .join('&');
  const canonicalRequest = [request.method, canonicalUri, canonicalQuery, `host:${host}`, '', 'host', 'UNSIGNED-PAYLOAD'].join('\n');
  const stringToSign = ['AWS4-HMAC-SHA256', amzDate, scope, sha256Hex(canonicalRequest)].join('\n');
  const signature = crypto.createHmac('sha256', signingKey(target.secretAccessKey, day, target.region)).update(stringToSign).digest('hex');
  return `${base.protocol}//${host}${canonicalUri}?${canonicalQuery}&X-Amz-Signature=${signature}`;
}

function signingKey(secret: string, day: string, region: string): Buffer {
  const hmac = (key: string | Buffer, data: string) => crypto.createHmac('sha256', key).update(data).digest();
  return hmac(hmac(hmac(hmac(`AWS4${secret}`, day), region), 's3'), 'aws4_request');
}

function sha256Hex(text: string): string {
  return crypto.createHash('sha256').update(text).digest('hex');
}

/** RFC 3986 encoding as SigV4 wants it: everything but unreserved characters, upper-case hex. */
function uriEncode(text: string): string {
  return encodeURIComponent(text).replace(/[!'()*]/g, (char) => `%${char.charCodeAt(0).toString(16).toUpperCase()}`);
}

function encodeKey(key: string): string {
  return key.split('/').map(uriEncode).join('/');
}
