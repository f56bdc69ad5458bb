import type { FastifyInstance } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import { DOWNLOAD_ROUTE_PREFIX } from '../../../blobs/signedUrls.js';
import { ApiError } from '../../../domain/errors.js';
import { GATEWAY_RESPONSES } from '../routeSchemas.js';
import { URL_ERROR, type FileRouteDeps } from './upload.js';

/**
 * GET of a file through a signed download URL (Show's *_download_url fields, valid 24 hours).
 * Streams the bytes; honours a single `Range: bytes=a-b` so players can seek in videos.
 */
export function downloadFileRoute(app: FastifyInstance, deps: FileRouteDeps): void {
  app.withTypeProvider<TypeBoxTypeProvider>().get(
    `${DOWNLOAD_ROUTE_PREFIX}/:job_id/:file_kind/:file_version`,
    {
      schema: {
        summary: 'Download a file from a signed download URL',
        tags: ['Files'],
        params: Type.Object({ job_id: Type.String(), file_kind: Type.String(), file_version: Type.String() }),
        querystring: Type.Object({ expires: Type.Optional(Type.String()), signature: Type.Optional(Type.String()) }),
        response: {
          ...GATEWAY_RESPONSES,
          200: { description: 'The file.', content: { 'application/octet-stream': { schema: Type.String({ format: 'binary' }) } } },
          206: { description: 'The requested byte range (Range: bytes=a-b).', content: { 'application/octet-stream': { schema: Type.String({ format: 'binary' }) } } },
          403: { ...URL_ERROR, description: 'Signature wrong (MSS.20020001) or URL expired (MSS.20020002).' },
          404: { ...URL_ERROR, description: 'No such file (MSS.10001004): replaced or deleted.' },
          416: { description: 'The range starts beyond the end of the file (Content-Range: bytes */size).', type: 'null' },
        },
      },
    },
    async (request, reply) => {
      const { job_id: jobId, file_kind: fileKind, file_version: fileVersion } = request.params;
      const routePath = `${DOWNLOAD_ROUTE_PREFIX}/${jobId}/${fileKind}/${fileVersion}`;
      const verdict = deps.urls.verify('GET', routePath, request.query, deps.clock.now().getTime());
      if (verdict !== 'ok') throw new ApiError(verdict === 'expired' ? 'URL_EXPIRED' : 'URL_SIGNATURE_INVALID');
      const range = parseRange(request.headers.range);
      const file = await deps.trainingJobs.openDownload(jobId, fileKind, fileVersion, range);
      if (!file) {
        if (range) {
          // The file may exist with the range beyond its end: say so the way HTTP does.
          const whole = await deps.trainingJobs.openDownload(jobId, fileKind, fileVersion);
          if (whole) {
            whole.stream.destroy();
            return reply.status(416).header('Content-Range', `bytes */${whole.totalSize}`).send();
          }
        }
        throw new ApiError('FILE_NOT_FOUND');
      }
      reply
        .header('Content-Type', file.contentType)
        .header('Content-Length', String(file.size))
        .header('ETag', file.etag)
        .header('Accept-Ranges', 'bytes');
      if (range) reply.status(206).header('Content-Range', `bytes ${file.start}-${file.start + file.size - 1}/${file.totalSize}`);
      return reply.send(file.stream);
    },
  );
}

function parseRange(header: string | undefined): { start: number; end?: number } | undefined {
  const match = header?.match(/^bytes=(\d+)-(\d*)$/);
  if (!match) return undefined;
  return { start: Number(match[1]), ...(match[2] !== '' && { end: Number(match[2]) }) };
}
