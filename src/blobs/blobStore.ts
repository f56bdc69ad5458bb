/** The byte-storage interface is the domain's (domain/ports.ts); implementations live in this folder. */
export type { BlobStore, StoredBlob } from '../domain/ports.js';

export class BlobTooLargeError extends Error {
  constructor(readonly maxBytes: number) {
    super(`body exceeds ${maxBytes} bytes`);
  }
}

export class BlobIncompleteError extends Error {}

export { BlobPartsTooSmallError } from '../domain/ports.js';
