import crypto from 'node:crypto';
import { Transform, type Readable } from 'node:stream';
import type { StoredBlob } from '../domain/ports.js';

/** The byte-storage interface is the domain's (domain/ports.ts); implementations live in this folder. */
export type { BlobStore, StoredBlob } from '../domain/ports.js';

export class BlobTooLargeError extends Error {
  constructor(readonly maxBytes: number) {
    super(`body exceeds ${maxBytes} bytes`);
  }
}

export class BlobIncompleteError extends Error {}

export { BlobPartsTooSmallError } from '../domain/ports.js';

/**
 * Counts and hashes an upload body on its way to storage: `meter` goes into the pipeline (it fails
 * past `maxBytes`); after the pipeline, `finish` throws when the client broke the body off, else
 * tells what was stored.
 */
export function meterUpload(body: Readable, maxBytes: number): { meter: Transform; finish(): StoredBlob } {
  const hash = crypto.createHash('md5');
  let size = 0;
  let aborted = false;
  body.once('aborted', () => (aborted = true));
  const meter = new Transform({
    transform(chunk: Buffer, _encoding, callback) {
      size += chunk.length;
      if (size > maxBytes) return callback(new BlobTooLargeError(maxBytes));
      hash.update(chunk);
      callback(null, chunk);
    },
  });
  return {
    meter,
    finish() {
      if (aborted || (body as { complete?: boolean }).complete === false) throw new BlobIncompleteError('upload aborted');
      return { size, md5: hash.digest('hex') };
    },
  };
}
