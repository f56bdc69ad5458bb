import type { JobFile, UrlSigner } from '../ports.js';
import { ASSET_FILE_KINDS, assetFileKind, type Asset, type AssetFileRecord } from './asset.js';
import type { DigitalAssetInfo, DigitalAssetSummary } from './assetWire.js';

export interface UrlIssue {
  urls: UrlSigner;
  issuedAt: number;
  ttlMs: number;
}

/** Times on the wire: RFC 3339 in whole seconds, UTC (as the other families answer them). */
function wireTime(epochMs: number): string {
  return new Date(epochMs).toISOString().replace(/\.\d{3}Z$/, 'Z');
}

/** What an asset's files are made of: job files (the bytes) and, for the tenant's own assets, the files CreateFile registered. */
export interface AssetFileSources {
  jobFiles: readonly JobFile[];
  assetFiles: readonly AssetFileRecord[];
}

interface ViewedFile {
  fileId: string;
  fileName: string;
  fileMd5: string | undefined;
  /** Undefined for a large file without a declared size, until it is confirmed. */
  fileSize: number | undefined;
  fileType: string;
  category: string;
  state: string;
  reason: string | null;
  bytes: JobFile | undefined;
}

/** The asset's files: a made asset's job files by kind, a tenant asset's registered files with their bytes once uploaded. */
export function assetFiles(asset: Asset, sources: AssetFileSources): ViewedFile[] {
  if (asset.sourceJobId === null || asset.assetState === 'DELETED') return [];
  const bytesOf = (kind: string) => sources.jobFiles.find((candidate) => candidate.jobId === asset.sourceJobId && candidate.fileKind === kind);
  if (asset.origin === 'TENANT') {
    return sources.assetFiles
      .filter((file) => file.assetId === asset.assetId)
      .map((file) => ({
        fileId: file.fileId,
        fileName: file.fileName,
        fileMd5: file.fileMd5 ?? undefined,
        fileSize: file.fileSize ?? undefined,
        fileType: file.fileType,
        category: file.category,
        state: file.state,
        reason: file.reason,
        bytes: file.state === 'CREATED' ? bytesOf(assetFileKind(file.fileId)) : undefined,
      }));
  }
  // An uploaded audio file keeps the name it was created with (its extension as its type).
  const extension = /\.([A-Za-z0-9]{1,16})$/.exec(asset.assetName)?.[1]?.toLowerCase();
  const named = asset.origin === 'AUDIO_FILE' && extension !== undefined ? { fileName: asset.assetName, fileType: extension } : {};
  return ASSET_FILE_KINDS[asset.origin].flatMap((kind) => {
    const file = bytesOf(kind.fileKind);
    return file
      ? [{ fileId: file.fileVersion, fileName: kind.fileName, fileMd5: base64Md5(file.etag), fileSize: file.size, fileType: kind.fileType, category: kind.category, state: 'CREATED', reason: null, bytes: file, ...named }]
      : [];
  });
}

/** The API's file_md5 is the Base64 of the MD5 digest; stores keep it as hex (an object store's multipart ETag is no MD5: left out). */
function base64Md5(etag: string): string | undefined {
  return /^[0-9a-f]{32}$/i.test(etag) ? Buffer.from(etag, 'hex').toString('base64') : undefined;
}

/** DigitalAssetInfo: List's items, and Show's and Update's answer. */
export function assetView(asset: Asset, files: AssetFileSources, issue: UrlIssue): DigitalAssetInfo {
  return {
    project_id: asset.projectId,
    asset_id: asset.assetId,
    asset_name: asset.assetName,
    ...(asset.assetDescription !== null && { asset_description: asset.assetDescription }),
    ...(asset.appUserId !== null && { app_user_id: asset.appUserId }),
    create_time: wireTime(asset.createTime),
    update_time: wireTime(asset.updateTime),
    asset_type: asset.assetType,
    asset_state: asset.assetState,
    ...(asset.reason !== null && { reason: asset.reason }),
    tags: asset.tags,
    ...(asset.extraMeta !== null && { asset_extra_meta: asset.extraMeta }),
    ...(asset.systemProperties !== null && { system_properties: asset.systemProperties }),
    files: assetFiles(asset, files).map((file) => ({
      file_id: file.fileId,
      file_name: file.fileName,
      ...(file.fileMd5 !== undefined && { file_md5: file.fileMd5 }),
      ...(file.fileSize !== undefined && { file_size: file.fileSize }),
      file_type: file.fileType,
      asset_file_category: file.category,
      ...(file.bytes && { download_url: issue.urls.downloadUrl(file.bytes, issue.issuedAt, issue.issuedAt + issue.ttlMs) }),
      state: file.state,
      ...(file.reason !== null && { reason: file.reason }),
    })),
    asset_order: asset.assetOrder,
    ...(asset.supportedService !== null && { supported_service: asset.supportedService }),
  };
}

/** DigitalAssetSummary: ListAssetSummary's items; the cover stands as thumbnail too. */
export function assetSummaryView(asset: Asset, files: AssetFileSources, issue: UrlIssue): DigitalAssetSummary {
  const cover = assetFiles(asset, files).find((file) => file.category === 'COVER' && file.bytes !== undefined);
  const coverUrl = cover && issue.urls.downloadUrl(cover.bytes!, issue.issuedAt, issue.issuedAt + issue.ttlMs);
  return {
    asset_id: asset.assetId,
    asset_name: asset.assetName,
    asset_state: asset.assetState,
    asset_type: asset.assetType,
    ...(coverUrl !== undefined && { cover_url: coverUrl, thumbnail_url: coverUrl }),
  };
}
