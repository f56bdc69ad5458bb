import type { Readable } from 'node:stream';

export interface StoredBlob {
  size: number;
  /** Hex MD5 of the bytes, used as the (quoted) ETag like object stores do. */
  md5: string;
}

/**
 * Byte storage behind one interface (local disk now; S3-compatible stores later). A blob becomes
 * visible under its key only when it is complete: writers go to a temporary name first.
 */
export interface BlobStore {
  /** Streams `body` to `key`; rejects with BlobTooLargeError past `maxBytes` and leaves nothing behind. */
  put(key: string, body: Readable, maxBytes: number): Promise<StoredBlob>;
  /** Writes the concatenation of `sourceKeys`, in order, to `key`. */
  concat(sourceKeys: string[], key: string): Promise<StoredBlob>;
  /** A stream of the blob's bytes (optionally a byte range, inclusive), or undefined when it does not exist. */
  read(key: string, range?: { start: number; end: number }): Promise<{ stream: Readable; size: number } | undefined>;
  size(key: string): Promise<number | undefined>;
  delete(key: string): Promise<void>;
  /** Deletes every blob whose key starts with `prefix` (a folder: ends with "/"). */
  deletePrefix(prefix: string): Promise<void>;
}

export class BlobTooLargeError extends Error {
  constructor(readonly maxBytes: number) {
    super(`body exceeds ${maxBytes} bytes`);
  }
}

export class BlobIncompleteError extends Error {}
