import type { Clock } from '../../clock.js';
import { ApiError } from '../errors.js';
import { fileBlobKey, singlePutSlot } from '../fileKinds.js';
import { newId } from '../ids.js';
import type { BlobStore, JobFile, JobRepository, JobScope, JobStore, UploadSlot, UrlSigner } from '../ports.js';
import {
  assetFileByteKinds,
  assetFileKind,
  assetFilePartKind,
  LARGE_FILE_CATEGORIES,
  LARGE_FILE_MAX_BYTES,
  MAIN_FILE_RULES,
  TENANT_FILE_CATEGORIES,
  type Asset,
  type AssetFileRecord,
} from './asset.js';
import type { AssetExtraMeta, FilesCreateReq, LargeFilesCreateReq } from './assetWire.js';
import { MEDIA_KIND_OF_ASSET, mediaMetaOf, withMediaMeta, type MediaProbe } from './mediaMeta.js';

export interface AssetFileSettings {
  uploadUrlTtlMs: number;
  /** The most bytes one PUT to an upload URL may carry (AVATARFORGE_MAX_UPLOAD_BYTES): a large file's part too. */
  maxUploadBytes: number;
}

/** States of the tenant's own asset in which files may be added (a MAIN file: CREATING or FAILED only). */
const FILE_ADDING_STATES: readonly string[] = ['CREATING', 'FAILED', 'UNACTIVED', 'ACTIVED'];

/** The API's Base64 MD5 of a stored blob (stores keep the hex digest). */
function base64Md5(hex: string): string | undefined {
  return /^[0-9a-f]{32}$/i.test(hex) ? Buffer.from(hex, 'hex').toString('base64') : undefined;
}

/** The bytes a confirmed file will have: the job file uploaded with one PUT, or a large file's parts joined into a new blob. */
interface ArrivedBytes {
  bytes: Omit<JobFile, 'jobId' | 'fileKind' | 'createdAt'>;
  /** A large file's parts (their rows and blobs go once the joined file is recorded); empty for one PUT. */
  parts: JobFile[];
}

/**
 * The files of the tenant's own assets (CreateFile, CreateLargeFile, the uploads, ConfirmFileUpload,
 * DeleteFile): CreateFile registers a file and hands out a single-use upload URL, CreateLargeFile one
 * per part; the bytes land as job files of the asset; ConfirmFileUpload checks them against what was
 * declared (a large file's parts are joined in order first). A confirmed MAIN file makes a CREATING
 * asset ACTIVED, and an image's, a sound's or a video's gets the media metadata read from it; a
 * failed one makes it FAILED.
 */
export function createAssetFileService(deps: { jobs: JobStore; blobs: BlobStore; urls: UrlSigner; media: MediaProbe; clock: Clock; settings: AssetFileSettings }) {
  const { jobs, blobs, urls, media, clock, settings } = deps;
  const now = () => clock.now().getTime();

  async function ownAsset(repository: JobRepository, scope: JobScope, assetId: string): Promise<Asset> {
    const asset = await repository.findAsset(scope, assetId);
    if (!asset || asset.assetState === 'DELETED') throw new ApiError('ASSET_NOT_FOUND', assetId);
    return asset;
  }

  /** A file of an asset the caller may see. */
  async function visibleFile(repository: JobRepository, scope: JobScope, fileId: string): Promise<{ file: AssetFileRecord; asset: Asset }> {
    const file = await repository.findAssetFile(fileId);
    const asset = file && (await repository.findAsset(scope, file.assetId));
    if (!file || !asset || asset.assetState === 'DELETED') throw new ApiError('FILE_NOT_FOUND', fileId);
    return { file, asset };
  }

  async function setAsset(repository: JobRepository, asset: Asset, changes: Partial<Asset>): Promise<void> {
    const changed: Asset = { ...asset, ...changes, updateTime: now(), version: asset.version + 1 };
    if (!(await repository.updateAsset(changed, asset.version))) throw new ApiError('STATE_CHANGED_CONCURRENTLY');
  }

  /**
   * Registers `file` with upload URLs for `slotIds` (one, or one per part), inside a transaction:
   * the asset must be the caller's own, in a state that takes files; a MAIN file must be its only
   * one, of a documented format of its type and within its size (when the size is known).
   */
  async function registerFile(scope: JobScope, file: AssetFileRecord, slots: UploadSlot[]): Promise<void> {
    await jobs.transaction(async (repository) => {
      const asset = await ownAsset(repository, scope, file.assetId);
      if (asset.origin !== 'TENANT') throw new ApiError('INVALID_PARAMETER', `asset ${asset.assetId} is made by the product (a ${asset.assetType}); its files are its own`);
      if (!FILE_ADDING_STATES.includes(asset.assetState)) {
        throw new ApiError('ASSET_STATE_NOT_ALLOWED', `the asset is ${asset.assetState}; files can be added in ${FILE_ADDING_STATES.join(', ')}`);
      }
      if (file.category === 'MAIN') {
        const existing = (await repository.listAssetFiles([asset.assetId])).find((other) => other.category === 'MAIN' && (other.state === 'CREATING' || other.state === 'CREATED'));
        if (existing) throw new ApiError('ASSET_MAIN_FILE_EXISTS', `file ${existing.fileId} (${existing.state}); DeleteFile it first`);
        const rules = MAIN_FILE_RULES[asset.assetType];
        if (rules && !rules.formats.includes(file.fileType)) {
          throw new ApiError('INVALID_PARAMETER', `file_type ${JSON.stringify(file.fileType.slice(0, 16))}: a MAIN file of a ${asset.assetType} asset is one of ${rules.formats.join(', ')}`);
        }
        if (rules && file.fileSize !== null && file.fileSize > rules.maxBytes) {
          throw new ApiError('INVALID_PARAMETER', `file_size ${file.fileSize}: a MAIN file of a ${asset.assetType} asset has at most ${rules.maxBytes} bytes`);
        }
        if (asset.assetState === 'FAILED') await setAsset(repository, asset, { assetState: 'CREATING', reason: null });
      }
      await repository.insertAssetFile(file);
      await repository.insertUploadSlots(slots);
    });
  }

  /** Drops a file's bytes (a large file's parts too) and unused upload URLs inside the transaction; returns the blobs to delete after it. */
  async function dropBytes(repository: JobRepository, file: AssetFileRecord): Promise<string[]> {
    const kinds = assetFileByteKinds(file);
    await repository.deleteUnusedUploadSlots(file.assetId, kinds);
    return (await repository.deleteFiles(file.assetId, kinds)).map((stored) => stored.blobKey);
  }

  const freeBlobs = (keys: string[]) => Promise.all(keys.map((key) => blobs.delete(key).catch(() => undefined)));

  function checkConfirmable(file: AssetFileRecord, asset: Asset): void {
    if (file.state !== 'CREATING') throw new ApiError('ASSET_STATE_NOT_ALLOWED', `the file is ${file.state}; only a CREATING file's upload is confirmed`);
    if (asset.assetState === 'DELETING') throw new ApiError('ASSET_STATE_NOT_ALLOWED', 'the asset is in the recycle bin; restore it first');
  }

  const refusal = (file: AssetFileRecord, problem: string, remedy: string) => new ApiError('INVALID_PARAMETER', `file ${file.fileId}: ${problem}; nothing was confirmed (${remedy})`);
  const startAgain = (file: AssetFileRecord) => `${file.partCount === null ? 'CreateFile' : 'CreateLargeFile'} again for new upload URLs, after DeleteFile of this one`;

  /** The bytes of a file uploaded with one PUT, checked against the declared size and MD5. */
  async function uploadedBytes(file: AssetFileRecord): Promise<ArrivedBytes> {
    const stored = await jobs.findFile(file.assetId, assetFileKind(file.fileId));
    if (!stored) throw new ApiError('INVALID_PARAMETER', `no bytes have arrived for file ${file.fileId} yet: PUT them to its upload_url first`);
    const problem =
      stored.size !== file.fileSize
        ? `${stored.size} bytes arrived; file_size says ${file.fileSize}`
        : base64Md5(stored.etag) !== file.fileMd5
          ? `the bytes' MD5 is ${base64Md5(stored.etag) ?? 'unknown'}; file_md5 says ${file.fileMd5}`
          : undefined;
    if (problem) throw refusal(file, problem, startAgain(file));
    return { bytes: stored, parts: [] };
  }

  /**
   * A large file's parts, all there and together of the declared size (and within the limits), joined
   * in part order into a new blob of the file. Refused before anything is joined: the parts stay, so a
   * missing one can still be PUT to its URL.
   */
  async function joinedParts(file: AssetFileRecord, asset: Asset): Promise<ArrivedBytes> {
    const numbers = Array.from({ length: file.partCount! }, (_, index) => index + 1);
    const stored = new Map((await jobs.listFiles([file.assetId], numbers.map((number) => assetFilePartKind(file.fileId, number)))).map((part) => [part.fileKind, part]));
    const missing = numbers.filter((number) => !stored.has(assetFilePartKind(file.fileId, number)));
    if (missing.length > 0) {
      throw refusal(file, `parts ${missing.join(', ')} of ${file.partCount} have not arrived`, 'PUT each to its URL of upload_urls, then confirm again');
    }
    const parts = numbers.map((number) => stored.get(assetFilePartKind(file.fileId, number))!);
    const total = parts.reduce((sum, part) => sum + part.size, 0);
    const mainLimit = file.category === 'MAIN' ? MAIN_FILE_RULES[asset.assetType]?.maxBytes : undefined;
    const problem =
      file.fileSize !== null && total !== file.fileSize
        ? `${total} bytes arrived in ${file.partCount} parts; file_size says ${file.fileSize}`
        : total > LARGE_FILE_MAX_BYTES
          ? `${total} bytes arrived; a large file has at most ${LARGE_FILE_MAX_BYTES}`
          : mainLimit !== undefined && total > mainLimit
            ? `${total} bytes arrived; a MAIN file of a ${asset.assetType} asset has at most ${mainLimit} bytes`
            : undefined;
    if (problem) throw refusal(file, problem, startAgain(file));
    const fileVersion = newId();
    const blobKey = fileBlobKey(file.assetId, assetFileKind(file.fileId), fileVersion);
    const joined = await blobs.concat(parts.map((part) => part.blobKey), blobKey);
    return { bytes: { fileVersion, blobKey, size: joined.size, etag: joined.md5 }, parts };
  }

  /**
   * The media metadata of a MAIN file of an image, audio, music or video asset, read from its bytes
   * (empty when they cannot be read as such); undefined for other files, whose asset keeps its meta.
   */
  async function mediaMetaOfMainFile(asset: Asset, file: AssetFileRecord, bytes: ArrivedBytes['bytes']): Promise<AssetExtraMeta | undefined> {
    const kind = file.category === 'MAIN' ? MEDIA_KIND_OF_ASSET[asset.assetType] : undefined;
    if (kind === undefined) return undefined;
    const facts = await media.probe(bytes.blobKey, kind);
    return facts ? mediaMetaOf(kind, facts, bytes.size) : {};
  }

  /**
   * ConfirmFileUpload with CREATED. The bytes are checked (and a large file's parts joined) and read
   * for media metadata before the transaction, which holds no lock meanwhile; the transaction then
   * checks the file is still unconfirmed and records it all at once.
   */
  async function confirmCreated(scope: JobScope, fileId: string): Promise<void> {
    const { file, asset } = await visibleFile(jobs, scope, fileId);
    checkConfirmable(file, asset);
    const arrived = file.partCount === null ? await uploadedBytes(file) : await joinedParts(file, asset);
    const joined = arrived.parts.length > 0;
    let freed: string[];
    try {
      const mediaMeta = await mediaMetaOfMainFile(asset, file, arrived.bytes);
      freed = await jobs.transaction(async (repository) => {
        const current = await visibleFile(repository, scope, fileId);
        checkConfirmable(current.file, current.asset);
        const leftovers = arrived.parts.map((part) => part.blobKey);
        if (joined) {
          const replaced = await repository.putFile({ jobId: file.assetId, fileKind: assetFileKind(file.fileId), ...arrived.bytes, createdAt: now() });
          if (replaced) leftovers.push(replaced.blobKey);
          await repository.deleteFiles(file.assetId, arrived.parts.map((part) => part.fileKind));
        }
        await repository.updateAssetFile({ ...current.file, state: 'CREATED', reason: null, fileSize: arrived.bytes.size, fileMd5: current.file.fileMd5 ?? base64Md5(arrived.bytes.etag) ?? null });
        if (current.file.category === 'MAIN') {
          await setAsset(repository, current.asset, {
            ...(current.asset.assetState === 'CREATING' && { assetState: 'ACTIVED', reason: null }),
            ...(mediaMeta !== undefined && { extraMeta: withMediaMeta(current.asset.extraMeta, mediaMeta) }),
          });
        }
        return leftovers;
      });
    } catch (error) {
      if (joined) await freeBlobs([arrived.bytes.blobKey]);
      throw error;
    }
    await freeBlobs(freed);
  }

  return {
    async createFile(scope: JobScope, request: FilesCreateReq): Promise<{ file_id: string; upload_url: string }> {
      const category = request.asset_file_category;
      if (!TENANT_FILE_CATEGORIES.includes(category)) {
        throw new ApiError('INVALID_PARAMETER', `asset_file_category ${JSON.stringify(category.slice(0, 32))}: one of ${TENANT_FILE_CATEGORIES.join(', ')}`);
      }
      const at = now();
      const file: AssetFileRecord = {
        fileId: newId(),
        assetId: request.asset_id,
        fileName: request.file_name,
        fileMd5: request.file_md5,
        fileSize: request.file_size,
        fileType: request.file_type.toLowerCase(),
        category,
        state: 'CREATING',
        reason: null,
        createdAt: at,
        partCount: null,
      };
      const expiresAt = at + settings.uploadUrlTtlMs;
      const slot = singlePutSlot(file.assetId, assetFileKind(file.fileId), expiresAt);
      await registerFile(scope, file, [slot]);
      return { file_id: file.fileId, upload_url: urls.uploadUrl(slot.slotId, expiresAt) };
    },

    /**
     * CreateLargeFile: a file uploaded in parts, one single-use URL each (part n to the n-th URL);
     * ConfirmFileUpload joins them in order. Each part is one upload, within the upload limit.
     */
    async createLargeFile(scope: JobScope, request: LargeFilesCreateReq): Promise<{ file_id: string; upload_urls: string[] }> {
      const category = request.asset_file_category;
      if (!LARGE_FILE_CATEGORIES.includes(category)) {
        throw new ApiError('INVALID_PARAMETER', `asset_file_category ${JSON.stringify(category.slice(0, 32))}: one of ${LARGE_FILE_CATEGORIES.join(', ')}`);
      }
      const partCount = request.file_multipart_count ?? 1;
      const declaredSize = request.file_size ?? null;
      if (declaredSize !== null && declaredSize > partCount * settings.maxUploadBytes) {
        throw new ApiError('INVALID_PARAMETER', `file_size ${declaredSize}: ${partCount} part(s) of at most ${settings.maxUploadBytes} bytes each cannot hold it; raise file_multipart_count`);
      }
      const at = now();
      const file: AssetFileRecord = {
        fileId: newId(),
        assetId: request.asset_id,
        fileName: request.file_name,
        fileMd5: null,
        fileSize: declaredSize,
        fileType: request.file_type.toLowerCase(),
        category,
        state: 'CREATING',
        reason: null,
        createdAt: at,
        partCount,
      };
      const expiresAt = at + settings.uploadUrlTtlMs;
      const slots = Array.from({ length: partCount }, (_, index) => singlePutSlot(file.assetId, assetFilePartKind(file.fileId, index + 1), expiresAt));
      await registerFile(scope, file, slots);
      return { file_id: file.fileId, upload_urls: slots.map((slot) => urls.uploadUrl(slot.slotId, expiresAt)) };
    },

    /** The caller says how the upload went: CREATED (checked against what was declared), FAILED or CANCELLED. */
    async confirmFileUpload(scope: JobScope, fileId: string, state: 'CREATED' | 'FAILED' | 'CANCELLED'): Promise<void> {
      if (state === 'CREATED') return confirmCreated(scope, fileId);
      const freed = await jobs.transaction(async (repository) => {
        const { file, asset } = await visibleFile(repository, scope, fileId);
        checkConfirmable(file, asset);
        const reason = state === 'FAILED' ? 'the upload failed' : null;
        await repository.updateAssetFile({ ...file, state, reason });
        if (file.category === 'MAIN' && state === 'FAILED' && asset.assetState === 'CREATING') await setAsset(repository, asset, { assetState: 'FAILED', reason: 'the MAIN file\'s upload failed' });
        return dropBytes(repository, file);
      });
      await freeBlobs(freed);
    },

    /** Deletes a file and its bytes; an asset that loses its MAIN file is CREATING again, without the media metadata read from it. */
    async deleteFile(scope: JobScope, fileId: string): Promise<void> {
      const freed = await jobs.transaction(async (repository) => {
        const { file, asset } = await visibleFile(repository, scope, fileId);
        if (asset.assetState === 'DELETING') throw new ApiError('ASSET_STATE_NOT_ALLOWED', 'the asset is in the recycle bin; restore it first');
        const keys = await dropBytes(repository, file);
        await repository.deleteAssetFile(file.fileId);
        if (file.category === 'MAIN' && file.state === 'CREATED') {
          await setAsset(repository, asset, {
            ...(['ACTIVED', 'UNACTIVED'].includes(asset.assetState) && { assetState: 'CREATING' }),
            extraMeta: withMediaMeta(asset.extraMeta, {}),
          });
        }
        return keys;
      });
      await freeBlobs(freed);
    },
  };
}

export type AssetFileService = ReturnType<typeof createAssetFileService>;
