import type { FastifyRequest } from 'fastify';
import { ApiError } from '../../domain/errors.js';

/** Parses a raw JSON body (kept raw until then because the signature covers the bytes). */
export function parseJsonBody(request: FastifyRequest, rawBody: Buffer): unknown {
  if (rawBody.length === 0) return undefined;
  const contentType = request.headers['content-type'] ?? '';
  if (!/^application\/json\b/i.test(contentType)) {
    throw new ApiError('REQUEST_JSON_EXCEPTION', 'Content-Type must be application/json');
  }
  try {
    return JSON.parse(rawBody.toString('utf8'));
  } catch (error) {
    throw new ApiError('REQUEST_JSON_EXCEPTION', (error as Error).message);
  }
}
