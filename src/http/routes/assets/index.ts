import type { FastifyInstance } from 'fastify';
import type { AssetRouteDeps } from './common.js';
import { createAssetRoute } from './create.js';
import { deleteAssetRoute } from './delete.js';
import { listAssetsRoute } from './list.js';
import { restoreAssetRoute } from './restore.js';
import { showAssetRoute } from './show.js';
import { listAssetSummaryRoute } from './summary.js';
import { updateAssetRoute } from './update.js';
import { createFileRoute } from './createFile.js';
import { createLargeFileRoute } from './createLargeFile.js';
import { confirmFileUploadRoute } from './confirmFileUpload.js';
import { deleteFileRoute } from './deleteFile.js';

/** MetaStudio's asset library (资产库): the tenant's assets and those the product made (models, videos), and the files of the tenant's own. */
export function registerAssetRoutes(app: FastifyInstance, deps: AssetRouteDeps): void {
  listAssetsRoute(app, deps);
  createAssetRoute(app, deps);
  showAssetRoute(app, deps);
  updateAssetRoute(app, deps);
  deleteAssetRoute(app, deps);
  restoreAssetRoute(app, deps);
  listAssetSummaryRoute(app, deps);
  createFileRoute(app, deps);
  createLargeFileRoute(app, deps);
  confirmFileUploadRoute(app, deps);
  deleteFileRoute(app, deps);
}
