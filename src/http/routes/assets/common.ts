import { Type } from '@sinclair/typebox';
import type { Authenticate } from '../../../auth/authenticator.js';
import type { AssetService } from '../../../domain/assets/assetService.js';
import type { AssetFileService } from '../../../domain/assets/assetFileService.js';
import { authenticateAs } from '../../plugins/authentication.js';
import type { ReadCache } from '../../readCache.js';

export interface AssetRouteDeps {
  assets: AssetService;
  assetFiles: AssetFileService;
  authenticate: Authenticate;
  /** Keeps Show and List answers for repeated reads, when the database allows (see readCache.ts). */
  readCache?: ReadCache | undefined;
}

export const ASSETS_PATH = '/v1/:project_id/digital-assets';
export const ASSET_PATH = `${ASSETS_PATH}/:asset_id`;
export const TAGS = ['Asset library'];
export const FILES_PATH = '/v1/:project_id/files';
export const FILE_PATH = `${FILES_PATH}/:file_id`;
export const LARGE_FILES_PATH = '/v1/:project_id/large-files';

export const ProjectParams = Type.Object({ project_id: Type.String({ description: "Tenant's project ID (must be the credential's project)." }) });
export const AssetParams = Type.Object({ ...ProjectParams.properties, asset_id: Type.String({ description: 'Asset ID.', minLength: 1, maxLength: 64 }) });

export const FileParams = Type.Object({ ...ProjectParams.properties, file_id: Type.String({ description: 'File ID (from CreateFile).', minLength: 1, maxLength: 64 }) });

/** An empty answer: the header-only operations (Delete, Restore) answer `{}` with X-Request-Id. */
export const EmptyResponse = Type.Object({}, { description: 'Always `{}`; X-Request-Id is the answer.' });

/** Tenant authentication; the SDKs send the GETs, Delete and Restore without a body. */
export const asTenant = (deps: AssetRouteDeps, expectsBody: boolean) => authenticateAs('tenant', deps.authenticate, { expectsBody });
