import type { IncomingMessage, ServerResponse } from 'node:http';
import type { FastifyBaseLogger, FastifyReply, FastifyRequest } from 'fastify';
import type { Authenticate } from '../auth/authenticator.js';
import type { Clock } from '../clock.js';
import { newId } from '../domain/ids.js';
import type { ChangeStamp } from '../store/database.js';

/**
 * Show and List answers kept for repeated reads. Clients poll a job until it moves, and the same
 * answer is then computed again and again: the database read, the download URLs, the JSON. An
 * answer is kept under the request's target and app user, with the database's change stamp read
 * before the answer was, and is served again only while that stamp holds (any write, by any
 * process, moves it) and for at most `MAX_AGE_MS`, so its download URLs are never more than that
 * older than the answer. Only 200 answers are kept; everything else takes the full path.
 *
 * A kept answer is served straight from Node's request handler, before Fastify routes the request:
 * the same AK/SK checks run (over cached keys), and anything they cannot settle at once falls
 * through to Fastify, which then gives the answer or the error.
 */
export interface ReadCache {
  /** Route hooks of the cacheable reads: note the stamp before the handler reads, keep the 200 answer. */
  hooks: {
    onRequest: (request: FastifyRequest) => Promise<void>;
    onSend: (request: FastifyRequest, reply: FastifyReply, payload: unknown) => Promise<unknown>;
  };
  /**
   * Keeps this request's answer no later than `time` (epoch ms): for an answer that changes without
   * a write when that time comes (an asset whose recycle-bin time runs out). Undefined: no limit
   * but MAX_AGE_MS.
   */
  keepUntil(request: FastifyRequest, time: number | undefined): void;
  /** Answers the request from the cache and returns true, or returns false and does nothing. */
  serve(request: IncomingMessage, response: ServerResponse, log: FastifyBaseLogger): boolean;
}

interface CachedAnswer {
  /**
   * The JSON text. Kept as a string, Node writes the head and the body in one piece (a Buffer body
   * goes out as a second one).
   */
  body: string;
  /** The body's length in bytes. */
  bytes: number;
  /** The body's length as the Content-Length header's text. */
  length: string;
  etag: string;
  /** The project whose job or jobs the answer shows: only its credentials get it. */
  projectId: string;
  /** The template of the route that made the answer, for the request log. */
  route: string | undefined;
  answeredAt: number;
  /** Served while the clock is before this: MAX_AGE_MS after answeredAt, or earlier (keepUntil). */
  servedUntil: number;
}

/** The longest a kept answer is served (its download URLs were signed when it was made). */
export const MAX_AGE_MS = 60_000;

declare module 'fastify' {
  interface FastifyRequest {
    /** The change stamp before a cacheable read's handler ran. */
    readCacheStamp?: string | undefined;
    /** The latest time the answer may be served from the cache (ReadCache.keepUntil). */
    readCacheUntil?: number | undefined;
  }
}

const NO_BODY = Buffer.alloc(0);
const JSON_CONTENT_TYPE = 'application/json; charset=utf-8';
/** Successful reads are logged at debug (app.ts), these too. */
const LEVELS_THAT_LOG_REQUESTS = new Set(['debug', 'trace']);

export function createReadCache({
  changeStamp,
  authenticate,
  clock,
  maxBytes,
}: {
  changeStamp: ChangeStamp;
  authenticate: Authenticate;
  clock: Clock;
  /** The most body bytes kept; the oldest answers go first. */
  maxBytes: number;
}): ReadCache {
  const answers = new Map<string, CachedAnswer>();
  let answersStamp = changeStamp();
  let keptBytes = 0;

  /** The stamp now; answers kept under another one are dropped. */
  function currentStamp(): string {
    const stamp = changeStamp();
    if (stamp !== answersStamp) {
      answers.clear();
      keptBytes = 0;
      answersStamp = stamp;
    }
    return stamp;
  }

  function forget(key: string, answer: CachedAnswer): void {
    answers.delete(key);
    keptBytes -= answer.bytes;
  }

  function keep(key: string, answer: CachedAnswer): void {
    const previous = answers.get(key);
    if (previous) forget(key, previous);
    if (answer.bytes > maxBytes) return;
    for (const [oldestKey, oldest] of answers) {
      if (keptBytes + answer.bytes <= maxBytes) break;
      forget(oldestKey, oldest);
    }
    answers.set(key, answer);
    keptBytes += answer.bytes;
  }

  function recall(key: string): CachedAnswer | undefined {
    const answer = answers.get(key);
    if (!answer) return undefined;
    const now = clock.now().getTime();
    if (now >= answer.answeredAt && now < answer.servedUntil) return answer;
    forget(key, answer);
    return undefined;
  }

  return {
    hooks: {
      async onRequest(request) {
        request.readCacheStamp = currentStamp();
      },
      async onSend(request, reply, payload) {
        const readAt = request.readCacheStamp;
        const etag = reply.getHeader('etag');
        if (reply.statusCode !== 200 || typeof payload !== 'string' || typeof etag !== 'string') return payload;
        // Something was written while the answer was made: it may show either side of the write.
        if (readAt === undefined || currentStamp() !== readAt) return payload;
        const answeredAt = clock.now().getTime();
        const servedUntil = Math.min(answeredAt + MAX_AGE_MS, request.readCacheUntil ?? Number.POSITIVE_INFINITY);
        if (servedUntil <= answeredAt) return payload;
        const bytes = Buffer.byteLength(payload);
        keep(cacheKey(request.raw), {
          body: payload,
          bytes,
          length: String(bytes),
          etag,
          projectId: request.jobScope.projectId,
          route: request.routeOptions.url,
          answeredAt,
          servedUntil,
        });
        return payload;
      },
    },

    keepUntil(request, time) {
      request.readCacheUntil = time;
    },

    serve(request, response, log) {
      // Conditional and bodied requests, and everything not kept, take the full path.
      const { headers } = request;
      if (request.method !== 'GET' || headers['if-none-match'] !== undefined) return false;
      if (headers['transfer-encoding'] !== undefined || (headers['content-length'] ?? '0') !== '0') return false;
      const stamp = currentStamp();
      const answer = recall(cacheKey(request));
      if (!answer) return false;
      const principal = authenticate.fromCache({ method: 'GET', rawUrl: request.url ?? '', headers, body: NO_BODY, remoteAddress: request.socket?.remoteAddress }, stamp);
      if (principal?.role !== 'tenant' || principal.projectId !== answer.projectId) return false;

      const requestId = newId();
      const started = LEVELS_THAT_LOG_REQUESTS.has(log.level) ? performance.now() : undefined;
      request.resume();
      // The same headers as the full path's answer, X-Request-Id in the case the Java SDK looks for.
      response.writeHead(200, ['X-Request-Id', requestId, 'content-type', JSON_CONTENT_TYPE, 'etag', answer.etag, 'content-length', answer.length]);
      response.end(answer.body);
      if (started !== undefined) {
        log.debug({ reqId: requestId, method: 'GET', url: request.url, route: answer.route, statusCode: 200, ms: Math.round(performance.now() - started), kept: true }, 'request');
      }
      return true;
    },
  };
}

/**
 * The app user and the request target: the path names the project and the job, the query the
 * filters. An empty X-App-UserId (refused with 400) is not the same as none.
 */
function cacheKey(request: IncomingMessage): string {
  const appUser = request.headers['x-app-userid'];
  return `${appUser === undefined ? 'no app user' : `app user ${String(appUser)}`}\n${request.url ?? ''}`;
}
