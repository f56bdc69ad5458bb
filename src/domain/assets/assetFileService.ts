import type { Clock } from '../../clock.js';
import { ApiError } from '../errors.js';
import { newId } from '../ids.js';
import type { BlobStore, JobRepository, JobScope, JobStore, UrlSigner } from '../ports.js';
import { assetFileKind, MAIN_FILE_RULES, TENANT_FILE_CATEGORIES, type Asset, type AssetFileRecord } from './asset.js';
import type { FilesCreateReq } from './assetWire.js';

export interface AssetFileSettings {
  uploadUrlTtlMs: number;
}

/** States of the tenant's own asset in which files may be added (a MAIN file: CREATING or FAILED only). */
const FILE_ADDING_STATES: readonly string[] = ['CREATING', 'FAILED', 'UNACTIVED', 'ACTIVED'];

/** The API's Base64 MD5 of a stored blob (stores keep the hex digest). */
function base64Md5(hex: string): string | undefined {
  return /^[0-9a-f]{32}$/i.test(hex) ? Buffer.from(hex, 'hex').toString('base64') : undefined;
}

/**
 * The files of the tenant's own assets (CreateFile, the upload, ConfirmFileUpload, DeleteFile):
 * CreateFile registers a file and hands out a single-use upload URL; the bytes land as a job file
 * of the asset; ConfirmFileUpload checks them against the declared size and MD5. A confirmed MAIN
 * file makes a CREATING asset ACTIVED; a failed one makes it FAILED.
 */
export function createAssetFileService(deps: { jobs: JobStore; blobs: BlobStore; urls: UrlSigner; clock: Clock; settings: AssetFileSettings }) {
  const { jobs, blobs, urls, clock, settings } = deps;
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

  /** Drops a file's bytes (and unused upload URL) inside the transaction; returns the blob to delete after it. */
  async function dropBytes(repository: JobRepository, file: AssetFileRecord): Promise<string[]> {
    await repository.deleteUnusedUploadSlots(file.assetId, [assetFileKind(file.fileId)]);
    return (await repository.deleteFiles(file.assetId, [assetFileKind(file.fileId)])).map((stored) => stored.blobKey);
  }

  const freeBlobs = (keys: string[]) => Promise.all(keys.map((key) => blobs.delete(key).catch(() => undefined)));

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
      };
      const slotId = newId();
      const expiresAt = at + settings.uploadUrlTtlMs;
      await jobs.transaction(async (repository) => {
        const asset = await ownAsset(repository, scope, request.asset_id);
        if (asset.origin !== 'TENANT') throw new ApiError('INVALID_PARAMETER', `asset ${asset.assetId} is made by the product (a ${asset.assetType}); its files are its own`);
        if (!FILE_ADDING_STATES.includes(asset.assetState)) {
          throw new ApiError('ASSET_STATE_NOT_ALLOWED', `the asset is ${asset.assetState}; files can be added in ${FILE_ADDING_STATES.join(', ')}`);
        }
        if (category === 'MAIN') {
          const existing = (await repository.listAssetFiles([asset.assetId])).find((other) => other.category === 'MAIN' && (other.state === 'CREATING' || other.state === 'CREATED'));
          if (existing) throw new ApiError('ASSET_MAIN_FILE_EXISTS', `file ${existing.fileId} (${existing.state}); DeleteFile it first`);
          const rules = MAIN_FILE_RULES[asset.assetType];
          if (rules && !rules.formats.includes(file.fileType)) {
            throw new ApiError('INVALID_PARAMETER', `file_type ${JSON.stringify(file.fileType.slice(0, 16))}: a MAIN file of a ${asset.assetType} asset is one of ${rules.formats.join(', ')}`);
          }
          if (rules && file.fileSize > rules.maxBytes) {
            throw new ApiError('INVALID_PARAMETER', `file_size ${file.fileSize}: a MAIN file of a ${asset.assetType} asset has at most ${rules.maxBytes} bytes`);
          }
          if (asset.assetState === 'FAILED') await setAsset(repository, asset, { assetState: 'CREATING', reason: null });
        }
        await repository.insertAssetFile(file);
        await repository.insertUploadSlots([
          { slotId, jobId: asset.assetId, fileKind: assetFileKind(file.fileId), uploadId: null, partNumber: null, contentType: 'application/octet-stream', expiresAt, usedAt: null, directKey: null },
        ]);
      });
      return { file_id: file.fileId, upload_url: urls.uploadUrl(slotId, expiresAt) };
    },

    /** The caller says how the upload went: CREATED (checked against the declared size and MD5), FAILED or CANCELLED. */
    async confirmFileUpload(scope: JobScope, fileId: string, state: 'CREATED' | 'FAILED' | 'CANCELLED'): Promise<void> {
      const freed = await jobs.transaction(async (repository) => {
        const { file, asset } = await visibleFile(repository, scope, fileId);
        if (file.state !== 'CREATING') throw new ApiError('ASSET_STATE_NOT_ALLOWED', `the file is ${file.state}; only a CREATING file's upload is confirmed`);
        if (asset.assetState === 'DELETING') throw new ApiError('ASSET_STATE_NOT_ALLOWED', 'the asset is in the recycle bin; restore it first');
        if (state !== 'CREATED') {
          const reason = state === 'FAILED' ? 'the upload failed' : null;
          await repository.updateAssetFile({ ...file, state, reason });
          if (file.category === 'MAIN' && state === 'FAILED' && asset.assetState === 'CREATING') await setAsset(repository, asset, { assetState: 'FAILED', reason: 'the MAIN file\'s upload failed' });
          return dropBytes(repository, file);
        }
        const stored = await repository.findFile(file.assetId, assetFileKind(file.fileId));
        if (!stored) throw new ApiError('INVALID_PARAMETER', `no bytes have arrived for file ${file.fileId} yet: PUT them to its upload_url first`);
        const problem =
          stored.size !== file.fileSize
            ? `${stored.size} bytes arrived; file_size says ${file.fileSize}`
            : base64Md5(stored.etag) !== file.fileMd5
              ? `the bytes' MD5 is ${base64Md5(stored.etag) ?? 'unknown'}; file_md5 says ${file.fileMd5}`
              : undefined;
        if (problem) throw new ApiError('INVALID_PARAMETER', `file ${file.fileId}: ${problem}; nothing was confirmed (CreateFile again for a new upload URL, after DeleteFile of this one)`);
        await repository.updateAssetFile({ ...file, state: 'CREATED', reason: null });
        if (file.category === 'MAIN' && asset.assetState === 'CREATING') await setAsset(repository, asset, { assetState: 'ACTIVED', reason: null });
        return [];
      });
      await freeBlobs(freed);
    },

    /** Deletes a file and its bytes; an asset that loses its MAIN file is CREATING again. */
    async deleteFile(scope: JobScope, fileId: string): Promise<void> {
      const freed = await jobs.transaction(async (repository) => {
        const { file, asset } = await visibleFile(repository, scope, fileId);
        if (asset.assetState === 'DELETING') throw new ApiError('ASSET_STATE_NOT_ALLOWED', 'the asset is in the recycle bin; restore it first');
        const keys = await dropBytes(repository, file);
        await repository.deleteAssetFile(file.fileId);
        if (file.category === 'MAIN' && file.state === 'CREATED' && ['ACTIVED', 'UNACTIVED'].includes(asset.assetState)) await setAsset(repository, asset, { assetState: 'CREATING' });
        return keys;
      });
      await freeBlobs(freed);
    },
  };
}

export type AssetFileService = ReturnType<typeof createAssetFileService>;
