import { PassThrough, type Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import {
  AbortMultipartUploadCommand,
  CompleteMultipartUploadCommand,
  CreateBucketCommand,
  CreateMultipartUploadCommand,
  DeleteObjectCommand,
  DeleteObjectsCommand,
  GetObjectCommand,
  HeadBucketCommand,
  HeadObjectCommand,
  ListMultipartUploadsCommand,
  ListObjectsV2Command,
  ListPartsCommand,
  S3Client,
  S3ServiceException,
} from '@aws-sdk/client-s3';
import { Upload } from '@aws-sdk/lib-storage';
import type { S3Settings } from '../config.js';
import type { DirectUploads, StoredPart } from '../domain/ports.js';
import { BlobPartsTooSmallError, meterUpload, type BlobStore, type StoredBlob } from './blobStore.js';
import { presignS3Url } from './s3Presign.js';

/**
 * Blobs as objects of one bucket in an S3-compatible store (MinIO, Ceph RGW, Huawei OBS, AWS S3).
 * An object appears only when its upload completes (S3 semantics), so a reader never sees half a
 * blob. Clients send and fetch bytes with the store's own presigned URLs (`direct`): the server
 * only signs, and learns of an upload by looking at the store.
 */
export async function createS3BlobStore(settings: S3Settings): Promise<BlobStore & { direct: DirectUploads }> {
  const client = new S3Client({
    endpoint: settings.endpoint,
    region: settings.region,
    forcePathStyle: settings.forcePathStyle,
    credentials: { accessKeyId: settings.accessKeyId, secretAccessKey: settings.secretAccessKey },
  });
  const Bucket = settings.bucket;
  await ensureBucket(client, Bucket);
  const presignTarget = { ...settings, endpoint: settings.publicEndpoint };
  const presign = (method: 'GET' | 'PUT', key: string, issuedAtMs: number, expiresAtMs: number, query?: Record<string, string>) =>
    presignS3Url(presignTarget, { method, key, query, signedAt: new Date(issuedAtMs), expiresInSeconds: (expiresAtMs - issuedAtMs) / 1000 });

  async function put(key: string, body: Readable, maxBytes: number) {
    const { meter, finish } = meterUpload(body, maxBytes);
    const metered = new PassThrough();
    // lib-storage sends a body of unknown length in 5 MiB parts and aborts the multipart upload
    // when the body fails, so nothing of an interrupted upload stays in the bucket.
    let stored: StoredBlob;
    const upload = new Upload({ client, params: { Bucket, Key: key, Body: metered }, leavePartsOnError: false });
    const uploaded = upload.done();
    uploaded.catch(() => undefined); // awaited below; the body's failure may come first
    try {
      await pipeline(body, meter, metered);
      stored = finish();
    } catch (error) {
      await upload.abort().catch(() => undefined);
      await client.send(new DeleteObjectCommand({ Bucket, Key: key })).catch(() => undefined);
      throw error;
    }
    await uploaded;
    return stored;
  }

  async function stat(key: string) {
    try {
      const head = await client.send(new HeadObjectCommand({ Bucket, Key: key }));
      return { size: head.ContentLength ?? 0, etag: unquote(head.ETag) };
    } catch (error) {
      if (isNotFound(error)) return undefined;
      throw error;
    }
  }

  const direct: DirectUploads = {
    presignPut: (key, issuedAtMs, expiresAtMs) => presign('PUT', key, issuedAtMs, expiresAtMs),
    presignGet: (key, issuedAtMs, expiresAtMs) => presign('GET', key, issuedAtMs, expiresAtMs),
    presignPart: (key, storeUploadId, partNumber, issuedAtMs, expiresAtMs) =>
      presign('PUT', key, issuedAtMs, expiresAtMs, { partNumber: String(partNumber), uploadId: storeUploadId }),

    async openMultipart(key, contentType) {
      const created = await client.send(new CreateMultipartUploadCommand({ Bucket, Key: key, ContentType: contentType }));
      if (!created.UploadId) throw new Error(`the store opened no multipart upload for ${key}`);
      return created.UploadId;
    },

    async listParts(key, storeUploadId) {
      const parts: StoredPart[] = [];
      let marker: string | undefined;
      try {
        do {
          const page = await client.send(new ListPartsCommand({ Bucket, Key: key, UploadId: storeUploadId, PartNumberMarker: marker }));
          for (const part of page.Parts ?? []) parts.push({ partNumber: part.PartNumber!, size: part.Size ?? 0, etag: unquote(part.ETag) });
          marker = page.IsTruncated ? page.NextPartNumberMarker : undefined;
        } while (marker !== undefined);
      } catch (error) {
        if (isNotFound(error)) return []; // completed or aborted meanwhile
        throw error;
      }
      return parts.sort((a, b) => a.partNumber - b.partNumber);
    },

    async completeMultipart(key, storeUploadId, parts) {
      await client.send(
        new CompleteMultipartUploadCommand({
          Bucket,
          Key: key,
          UploadId: storeUploadId,
          MultipartUpload: { Parts: parts.map((part) => ({ PartNumber: part.partNumber, ETag: `"${part.etag}"` })) },
        }),
      ).catch((error: unknown) => {
        if (error instanceof S3ServiceException && error.name === 'EntityTooSmall') throw new BlobPartsTooSmallError(error.message);
        throw error;
      });
      const stored = await stat(key);
      if (!stored) throw new Error(`the store completed ${key} but does not show it`);
      return stored;
    },

    async abortMultipart(key, storeUploadId) {
      try {
        await client.send(new AbortMultipartUploadCommand({ Bucket, Key: key, UploadId: storeUploadId }));
      } catch (error) {
        if (!isNotFound(error)) throw error;
      }
    },

    stat,
  };

  return {
    direct,
    put,

    async concat(sourceKeys, key) {
      const joined = new PassThrough();
      const feeding = (async () => {
        for (const sourceKey of sourceKeys) {
          const object = await client.send(new GetObjectCommand({ Bucket, Key: sourceKey }));
          await pipeline(object.Body as Readable, joined, { end: false });
        }
        joined.end();
      })();
      feeding.catch((error: Error) => joined.destroy(error));
      return put(key, joined, Number.MAX_SAFE_INTEGER);
    },

    async read(key, range) {
      try {
        const object = await client.send(
          new GetObjectCommand({ Bucket, Key: key, ...(range && { Range: `bytes=${range.start}-${range.end}` }) }),
        );
        return { stream: object.Body as Readable, size: object.ContentLength ?? 0 };
      } catch (error) {
        if (isNotFound(error)) return undefined;
        throw error;
      }
    },

    async size(key) {
      return (await stat(key))?.size;
    },

    async delete(key) {
      await client.send(new DeleteObjectCommand({ Bucket, Key: key }));
    },

    async deletePrefix(prefix) {
      let token: string | undefined;
      do {
        const page = await client.send(new ListObjectsV2Command({ Bucket, Prefix: prefix, ContinuationToken: token }));
        const keys = (page.Contents ?? []).map((object) => ({ Key: object.Key! }));
        if (keys.length > 0) await client.send(new DeleteObjectsCommand({ Bucket, Delete: { Objects: keys, Quiet: true } }));
        token = page.IsTruncated ? page.NextContinuationToken : undefined;
      } while (token !== undefined);
      // Multipart uploads still open under the prefix hold parts that no listing of objects shows.
      const open = await client.send(new ListMultipartUploadsCommand({ Bucket, Prefix: prefix }));
      for (const upload of open.Uploads ?? []) await direct.abortMultipart(upload.Key!, upload.UploadId!);
    },
  };
}

/** Creates the bucket on first use, so that a new MinIO needs no manual step; several nodes may race to. */
async function ensureBucket(client: S3Client, bucket: string): Promise<void> {
  try {
    await client.send(new HeadBucketCommand({ Bucket: bucket }));
  } catch (error) {
    if (!isNotFound(error)) throw new Error(`object store: cannot reach bucket ${bucket}: ${describe(error)}`);
    try {
      await client.send(new CreateBucketCommand({ Bucket: bucket }));
    } catch (createError) {
      // Another node, starting at the same time, created it first.
      if (!(createError instanceof S3ServiceException && createError.name === 'BucketAlreadyOwnedByYou')) throw createError;
    }
  }
}

function isNotFound(error: unknown): boolean {
  return (
    error instanceof S3ServiceException &&
    (error.$metadata.httpStatusCode === 404 || ['NoSuchKey', 'NotFound', 'NoSuchUpload', 'NoSuchBucket'].includes(error.name))
  );
}

function describe(error: unknown): string {
  return error instanceof S3ServiceException ? `${error.name} (HTTP ${error.$metadata.httpStatusCode})` : String(error);
}

function unquote(etag: string | undefined): string {
  return (etag ?? '').replace(/^"|"$/g, '');
}
