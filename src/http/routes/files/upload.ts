import type { FastifyInstance } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import type { Clock } from '../../../clock.js';
import { BlobIncompleteError, BlobTooLargeError } from '../../../blobs/blobStore.js';
import { UPLOAD_ROUTE_PREFIX } from '../../../blobs/signedUrls.js';
import { ApiError } from '../../../domain/errors.js';
import type { UrlSigner } from '../../../domain/ports.js';
import type { TrainingJobService } from '../../../domain/trainingJobService.js';
import { GATEWAY_RESPONSES } from '../routeSchemas.js';

export interface FileRouteDeps {
  trainingJobs: TrainingJobService;
  urls: UrlSigner;
  clock: Clock;
}

const SignedQuery = Type.Object({ expires: Type.Optional(Type.String()), signature: Type.Optional(Type.String()) });

/**
 * PUT of raw bytes to a signed, single-use upload URL (what Create and Update hand out). The URL is
 * its own authorization; the body streams to storage and is never held in memory.
 */
/** The error body of the signed-URL routes. */
export const URL_ERROR = Type.Object({ error_code: Type.String(), error_msg: Type.String() });

export function uploadFileRoute(app: FastifyInstance, deps: FileRouteDeps): void {
  app.withTypeProvider<TypeBoxTypeProvider>().put(
    `${UPLOAD_ROUTE_PREFIX}/:slot_id`,
    {
      schema: {
        summary: 'Upload a file to a signed upload URL',
        tags: ['Files'],
        params: Type.Object({ slot_id: Type.String() }),
        querystring: SignedQuery,
        response: {
          ...GATEWAY_RESPONSES,
          200: Type.Object({}, { description: 'Stored; the ETag header is the MD5 of the bytes.' }),
          400: { ...URL_ERROR, description: 'The body ended before all bytes arrived (MSS.20020005), or the URL is unreadable (APIG.0201).' },
          403: { ...URL_ERROR, description: 'Signature wrong (MSS.20020001), URL expired (MSS.20020002) or already used (MSS.20020003).' },
          413: { ...URL_ERROR, description: "Over the size limit (MSS.20020004), or an audio file past the project's stored-audio limit (MSS.20040012)." },
        },
      },
    },
    async (request, reply) => {
      const routePath = `${UPLOAD_ROUTE_PREFIX}/${request.params.slot_id}`;
      const verdict = deps.urls.verify('PUT', routePath, request.query, deps.clock.now().getTime());
      if (verdict !== 'ok') throw new ApiError(verdict === 'expired' ? 'URL_EXPIRED' : 'URL_SIGNATURE_INVALID');
      try {
        const { etag } = await deps.trainingJobs.receiveUpload(request.params.slot_id, request.raw);
        reply.header('ETag', etag);
        return {};
      } catch (error) {
        // The service's own refusals (a URL used meanwhile, a full audio store) come after the whole body was read.
        if (error instanceof ApiError) throw error;
        if (error instanceof BlobTooLargeError) throw new ApiError('UPLOAD_TOO_LARGE', `at most ${error.maxBytes} bytes`);
        // A client that gives up mid-upload (its connection reset or closed) is an incomplete upload, not a server fault.
        const code = (error as NodeJS.ErrnoException).code;
        if (error instanceof BlobIncompleteError || code === 'ERR_STREAM_PREMATURE_CLOSE' || code === 'ECONNRESET' || request.raw.destroyed) {
          throw new ApiError('UPLOAD_INCOMPLETE');
        }
        throw error;
      }
    },
  );
}
