import type { Duplex } from 'node:stream';
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { ApiError } from '../../domain/errors.js';
import { newId } from '../../domain/ids.js';

/**
 * The one renderer of errors. API errors answer `{error_code, error_msg}`; gateway errors (routing,
 * size, authentication) also carry `request_id`, as the cloud's API gateway does. Every answer is
 * JSON and carries X-Request-Id (set in app.ts).
 */
export function sendError(request: FastifyRequest, reply: FastifyReply, error: ApiError): FastifyReply {
  const body: Record<string, string> = { error_code: error.code, error_msg: error.message };
  if (error.kind === 'gateway') body.request_id = request.id;
  return reply.status(error.status).type('application/json; charset=utf-8').send(body);
}

/**
 * Requests Node's HTTP parser refuses (an unknown method, a malformed request line or header, headers
 * too large, a request too slow) never reach Fastify: they are answered on the socket, in the
 * gateway's shape and with a request id like every other answer, and the connection is closed.
 */
export function answerClientError(error: NodeJS.ErrnoException, socket: Duplex): void {
  if (error.code === 'ECONNRESET' || socket.destroyed) return;
  const apiError = new ApiError(
    error.code === 'ERR_HTTP_REQUEST_TIMEOUT' ? 'REQUEST_TIMEOUT' : error.code === 'HPE_HEADER_OVERFLOW' ? 'HEADERS_TOO_LARGE' : 'MALFORMED_REQUEST',
  );
  const requestId = newId();
  const body = JSON.stringify({ error_code: apiError.code, error_msg: apiError.message, request_id: requestId });
  if (socket.writable) {
    socket.write(
      `HTTP/1.1 ${apiError.status} ${apiError.status === 400 ? 'Bad Request' : apiError.status === 408 ? 'Request Timeout' : 'Request Header Fields Too Large'}\r\n` +
        `Content-Type: application/json; charset=utf-8\r\nContent-Length: ${Buffer.byteLength(body)}\r\nX-Request-Id: ${requestId}\r\nConnection: close\r\n\r\n${body}`,
    );
  }
  socket.destroy();
}

/** Matches the API's own paths, to tell "wrong method" from "no such API" (both 404 at the gateway). */
const KNOWN_PATHS = [
  /^\/v1\/[^/]+\/digital-human-training-manage\/user\/jobs\/?$/,
  /^\/v1\/[^/]+\/digital-human-training-manage\/user\/jobs\/[^/]+\/?$/,
  /^\/v1\/[^/]+\/digital-human-training-manage\/user\/jobs\/[^/]+\/(command|model)\/?$/,
  /^\/v1\/[^/]+\/2d-digital-human-videos(\/[^/]+(\/cancel)?)?\/?$/,
  /^\/v1\/[^/]+\/2d-digital-human-videos\/audio-files\/[^/]+\/?$/,
  /^\/v1\/[^/]+\/digital-human-videos\/?$/,
  /^\/v1\/[^/]+\/digital-assets(\/[^/]+(\/restore)?)?\/?$/,
  /^\/v1\/[^/]+\/files(\/[^/]+(\/complete)?)?\/?$/,
  /^\/v1\/[^/]+\/smart-chat-rooms(\/[^/]+)?\/?$/,
  /^\/v1\/[^/]+\/digital-human-chat\/smart-chat-rooms\/[^/]+\/smart-chat-jobs(\/[^/]+\/(state|stop))?\/?$/,
  /^\/v1\/[^/]+\/digital-human-chat\/(create-dialog-url|once-code)\/?$/,
  /^\/v1\/admin\/training-jobs(\/[^/]+(\/(review|stop|reset|flexus-retry-count|accept))?)?\/?$/,
  /^\/v1\/worker\/(claims|work\/[^/]+\/(heartbeat|complete|fail))\/?$/,
  /^\/v3\/auth\/tokens\/?$/,
];

/** The gateway's 404: "does not exist" for a wrong method on a known path, else "not published". */
function sendNotFound(request: FastifyRequest, reply: FastifyReply): FastifyReply {
  const path = request.url.split('?')[0]!;
  return sendError(request, reply, new ApiError(KNOWN_PATHS.some((pattern) => pattern.test(path)) ? 'METHOD_NOT_ALLOWED' : 'ROUTE_NOT_FOUND'));
}

export function registerErrorHandling(app: FastifyInstance): void {
  app.setNotFoundHandler(sendNotFound);

  app.setErrorHandler((error: FastifyError, request, reply) => {
    if (error instanceof ApiError) return sendError(request, reply, error);
    // A method no route has (e.g. QUERY) fails the body checks of the not-found route: it is still not found.
    if (request.is404) return sendNotFound(request, reply);
    if (error.validation) {
      const context = error.validationContext;
      if (context === 'body') {
        if (request.body === undefined || request.body === null) {
          return sendError(request, reply, new ApiError('INVALID_BODY', 'a JSON object body is required'));
        }
        return sendError(request, reply, new ApiError('PARAMETER_VALIDATION', describeValidation(error, 'body')));
      }
      return sendError(request, reply, new ApiError('INVALID_PARAMETER', describeValidation(error, context ?? 'request')));
    }
    switch (error.code) {
      case 'FST_ERR_CTP_BODY_TOO_LARGE':
        return sendError(request, reply, new ApiError('BODY_TOO_LARGE'));
      case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
      case 'FST_ERR_CTP_EMPTY_JSON_BODY':
      case 'FST_ERR_CTP_INVALID_CONTENT_LENGTH':
        return sendError(request, reply, new ApiError('REQUEST_JSON_EXCEPTION', error.message));
    }
    if (error.statusCode && error.statusCode >= 400 && error.statusCode < 500) {
      return sendError(request, reply, new ApiError('INVALID_PARAMETER', error.message));
    }
    request.log.error({ err: error }, 'unhandled error');
    return sendError(request, reply, new ApiError('INTERNAL_ERROR'));
  });
}

/** "body.video_multipart_count must be <= 1000" — Ajv's first complaint, with the field named. */
function describeValidation(error: FastifyError, context: string): string {
  const first = error.validation![0]!;
  const field = first.instancePath
    ? `${context}${first.instancePath.replaceAll('/', '.')}`
    : first.params && 'missingProperty' in first.params
      ? `${context}.${String(first.params.missingProperty)}`
      : context;
  const allowed = first.params && 'allowedValues' in first.params ? ` (${(first.params.allowedValues as unknown[]).join(', ')})` : '';
  return `${field} ${first.message ?? 'is invalid'}${allowed}`;
}
