import { sql, type Expression, type ExpressionBuilder, type Kysely, type Selectable, type SqlBool } from 'kysely';
import { numberOrNull } from '../dialect.js';
import type { Asset, AssetFileRecord, AssetOrigin, AssetRepository, ListAssetsFilter } from '../../domain/assets/asset.js';
import type { AssetExtraMeta, AssetState, AssetType, SupportedService } from '../../domain/assets/assetWire.js';
import type { AssetFilesTable, AssetsTable, DatabaseSchema } from '../schema.js';
import { contains } from '../contains.js';
import { countAtVersion, type CountCache } from '../versionedCounts.js';

/**
 * The asset library in SQL. Scoped reads filter by project, and app user when given. List walks a
 * (project, sort column, asset_id) index, or (project, state or type, create_time, asset_id) for a
 * state or type, and stops at the page; the state is in those indexes, so the rows a filter or an
 * OFFSET skips are not read (migration 0008). Its total is reused while the project's
 * assets_version (bumped by every asset write) is unchanged, as the training-job List does.
 */
export function createAssetRepository(db: Kysely<DatabaseSchema>, counts: CountCache): AssetRepository {
  const bump = (projectId: string) =>
    db.updateTable('projects').set((eb) => ({ assets_version: eb('assets_version', '+', 1) })).where('project_id', '=', projectId).execute();

  return {
    async insertAsset(asset) {
      await db.insertInto('assets').values(toRow(asset)).execute();
      await bump(asset.projectId);
    },

    async findAsset(scope, assetId) {
      let query = db.selectFrom('assets').selectAll().where('asset_id', '=', assetId).where('project_id', '=', scope.projectId);
      if (scope.appUserId !== undefined) query = query.where('app_user_id', '=', scope.appUserId);
      const row = await query.executeTakeFirst();
      return row && toAsset(row);
    },

    async findAssetAndRecycleBin(scope, assetId) {
      let query = db
        .selectFrom('assets')
        .selectAll()
        .select((eb) => oldestInRecycleBin(eb, scope.projectId).as('recycle_bin_oldest'))
        .where('asset_id', '=', assetId)
        .where('project_id', '=', scope.projectId);
      if (scope.appUserId !== undefined) query = query.where('app_user_id', '=', scope.appUserId);
      const row = await query.executeTakeFirst();
      if (!row) return { asset: undefined, recycleBinOldest: undefined };
      const { recycle_bin_oldest: oldest, ...asset } = row;
      return { asset: toAsset(asset), recycleBinOldest: oldest === null ? undefined : Number(oldest) };
    },

    async findAssetById(assetId) {
      const row = await db.selectFrom('assets').selectAll().where('asset_id', '=', assetId).executeTakeFirst();
      return row && toAsset(row);
    },

    async findAssetsBySourceJob(jobId) {
      const rows = await db.selectFrom('assets').selectAll().where('source_job_id', '=', jobId).execute();
      return rows.map(toAsset);
    },

    async updateAsset(asset, expectedVersion) {
      const { asset_id: _assetId, project_id: _projectId, create_time: _createTime, ...changes } = toRow(asset);
      const result = await db.updateTable('assets').set(changes).where('asset_id', '=', asset.assetId).where('version', '=', expectedVersion).executeTakeFirst();
      if (Number(result.numUpdatedRows) !== 1) return false;
      await bump(asset.projectId);
      return true;
    },

    async listAssets(filter) {
      const projectId = filter.scope.projectId;
      // One round trip for what the page needs besides its rows: the version its total is kept
      // under (read before the rows, see versionedCount) and the recycle bin's oldest deletion.
      const project = await db
        .selectNoFrom((eb) => [
          eb.selectFrom('projects').select('assets_version').where('project_id', '=', projectId).as('assets_version'),
          oldestInRecycleBin(eb, projectId).as('recycle_bin_oldest'),
        ])
        .executeTakeFirstOrThrow();
      const conditions = (eb: ExpressionBuilder<DatabaseSchema, 'assets'>) => eb.and(assetConditions(eb, filter));
      const [column, direction] = [SORT_COLUMNS[filter.sortKey], filter.sortDir];
      let page = db.selectFrom('assets').selectAll().where(conditions).orderBy(column, direction);
      // Equal asset_order: newest first, as documented; otherwise the id keeps pages stable.
      page = filter.sortKey === 'asset_order' ? page.orderBy('create_time', 'desc').orderBy('asset_id', 'desc') : page.orderBy('asset_id', direction);
      const rows = filter.limit === 0 ? [] : await page.limit(filter.limit).offset(filter.offset).execute();
      const version = project.assets_version === null ? undefined : Number(project.assets_version);
      return {
        count: await countAssets(db, filter, version, counts),
        assets: rows.map(toAsset),
        recycleBinOldest: project.recycle_bin_oldest === null ? undefined : Number(project.recycle_bin_oldest),
      };
    },

    async assetNameTaken(projectId, appUserId, name, exceptAssetId) {
      let query = db
        .selectFrom('assets')
        .select('asset_id')
        .where('project_id', '=', projectId)
        .where('asset_name', '=', name)
        .where('asset_state', '!=', 'DELETED')
        .where(appUserId === null ? sql<boolean>`app_user_id is null` : sql<boolean>`app_user_id = ${appUserId}`);
      if (exceptAssetId !== undefined) query = query.where('asset_id', '!=', exceptAssetId);
      return (await query.limit(1).executeTakeFirst()) !== undefined;
    },

    async listExpiredAssets(deletedBefore, projectId, limit = 100) {
      let query = db.selectFrom('assets').selectAll().where('asset_state', '=', 'DELETING').where('deleted_at', '<', deletedBefore);
      if (projectId !== undefined) query = query.where('project_id', '=', projectId);
      const rows = await query.orderBy('deleted_at').limit(limit).execute();
      return rows.map(toAsset);
    },

    async countUnfinishedVideoJobsOfModel(modelJobId) {
      const row = await db
        .selectFrom('video_jobs')
        .where('model_job_id', '=', modelJobId)
        .where('state', 'in', ['WAITING', 'PROCESSING'])
        .select((eb) => eb.fn.countAll<number>().as('count'))
        .executeTakeFirstOrThrow();
      return Number(row.count);
    },

    async insertAssetFile(file) {
      await db.insertInto('asset_files').values(toFileRow(file)).execute();
    },

    async findAssetFile(fileId) {
      const row = await db.selectFrom('asset_files').selectAll().where('file_id', '=', fileId).executeTakeFirst();
      return row && toAssetFile(row);
    },

    async listAssetFiles(assetIds) {
      if (assetIds.length === 0) return [];
      const rows = await db.selectFrom('asset_files').selectAll().where('asset_id', 'in', assetIds).orderBy('created_at').orderBy('file_id').execute();
      return rows.map(toAssetFile);
    },

    async updateAssetFile(file) {
      const { file_id: _fileId, ...changes } = toFileRow(file);
      await db.updateTable('asset_files').set(changes).where('file_id', '=', file.fileId).execute();
    },

    async deleteAssetFile(fileId) {
      await db.deleteFrom('asset_files').where('file_id', '=', fileId).execute();
    },

    async deleteAllAssets() {
      const own = await db.selectFrom('assets').select('asset_id').where('origin', '=', 'TENANT').execute();
      const ids = own.map((row) => row.asset_id);
      for (const table of ['job_files', 'upload_slots'] as const) {
        for (let start = 0; start < ids.length; start += 500) await db.deleteFrom(table).where('job_id', 'in', ids.slice(start, start + 500)).execute();
      }
      await db.deleteFrom('asset_files').execute();
      await db.deleteFrom('assets').execute();
      await db.updateTable('projects').set((eb) => ({ assets_version: eb('assets_version', '+', 1) })).execute();
      return ids;
    },
  };
}

const SORT_COLUMNS = { create_time: 'create_time', update_time: 'update_time', asset_order: 'asset_order' } as const;

function assetConditions(eb: ExpressionBuilder<DatabaseSchema, 'assets'>, filter: ListAssetsFilter): Expression<SqlBool>[] {
  const conditions: Expression<SqlBool>[] = [eb('project_id', '=', filter.scope.projectId)];
  if (filter.scope.appUserId !== undefined) conditions.push(eb('app_user_id', '=', filter.scope.appUserId));
  if (filter.appUserId !== undefined) conditions.push(eb('app_user_id', '=', filter.appUserId));
  conditions.push(filter.states ? eb('asset_state', 'in', filter.states.length > 0 ? filter.states : ['']) : eb('asset_state', '!=', 'DELETED'));
  if (filter.types) conditions.push(eb('asset_type', 'in', filter.types.length > 0 ? filter.types : ['']));
  if (filter.assetIds) conditions.push(eb('asset_id', 'in', filter.assetIds.length > 0 ? filter.assetIds : ['']));
  if (filter.createSince !== undefined) conditions.push(eb('create_time', '>=', filter.createSince));
  if (filter.createUntil !== undefined) conditions.push(eb('create_time', '<=', filter.createUntil));
  if (filter.name) {
    conditions.push(filter.name.exact ? eb('asset_name', '=', filter.name.value) : contains('asset_name', filter.name.value));
  }
  // Tags, services and properties are JSON text: a value is matched in its JSON spelling.
  if (filter.tags) {
    const matches = filter.tags.values.map((tag) => {
      const quoted = JSON.stringify(tag);
      return contains('tags', filter.tags!.exact ? quoted : quoted.slice(1, -1));
    });
    conditions.push(filter.tags.all ? eb.and(matches) : eb.or(matches));
  }
  if (filter.supportedService !== undefined) conditions.push(contains('supported_service', JSON.stringify(filter.supportedService)));
  for (const property of filter.systemProperties ?? []) {
    conditions.push(contains('system_properties', JSON.stringify(property).slice(1, -1)));
  }
  return conditions;
}

/**
 * The earliest deletion time of the project's assets in the recycle bin (null: the bin is empty),
 * one probe of the (project, state, deleted_at) index (migration 0009).
 */
function oldestInRecycleBin(eb: ExpressionBuilder<DatabaseSchema, keyof DatabaseSchema>, projectId: string) {
  return eb
    .selectFrom('assets as binned')
    .select((inner) => inner.fn.min<number | string | null>('binned.deleted_at').as('oldest'))
    .where('binned.project_id', '=', projectId)
    .where('binned.asset_state', '=', 'DELETING');
}

/** The number of assets matching a List filter, reused until one of the project's assets changes (versionedCount). */
async function countAssets(db: Kysely<DatabaseSchema>, filter: ListAssetsFilter, version: number | undefined, counts: CountCache): Promise<number> {
  const { sortKey: _sortKey, sortDir: _sortDir, offset: _offset, limit: _limit, ...counted } = filter;
  return countAtVersion(version, JSON.stringify(counted), counts, async () => {
    const row = await db
      .selectFrom('assets')
      .where((eb) => eb.and(assetConditions(eb, filter)))
      .select((eb) => eb.fn.countAll<number>().as('count'))
      .executeTakeFirstOrThrow();
    return Number(row.count);
  });
}

function toFileRow(file: AssetFileRecord): AssetFilesTable {
  return {
    file_id: file.fileId,
    asset_id: file.assetId,
    file_name: file.fileName,
    file_md5: file.fileMd5,
    file_size: file.fileSize,
    file_type: file.fileType,
    category: file.category,
    state: file.state,
    reason: file.reason,
    created_at: file.createdAt,
    part_count: file.partCount,
  };
}

function toAssetFile(row: Selectable<AssetFilesTable>): AssetFileRecord {
  return {
    fileId: row.file_id,
    assetId: row.asset_id,
    fileName: row.file_name,
    fileMd5: row.file_md5,
    fileSize: numberOrNull(row.file_size),
    fileType: row.file_type,
    category: row.category,
    state: row.state as AssetFileRecord['state'],
    reason: row.reason,
    createdAt: Number(row.created_at),
    partCount: numberOrNull(row.part_count),
  };
}

const json = (value: unknown) => (value === null ? null : JSON.stringify(value));

function toRow(asset: Asset): AssetsTable {
  return {
    asset_id: asset.assetId,
    project_id: asset.projectId,
    app_user_id: asset.appUserId,
    asset_name: asset.assetName,
    asset_description: asset.assetDescription,
    asset_type: asset.assetType,
    asset_state: asset.assetState,
    state_before_delete: asset.stateBeforeDelete,
    deleted_at: asset.deletedAt,
    reason: asset.reason,
    origin: asset.origin,
    source_job_id: asset.sourceJobId,
    asset_order: asset.assetOrder,
    tags: JSON.stringify(asset.tags),
    supported_service: json(asset.supportedService),
    system_properties: json(asset.systemProperties),
    extra_meta: json(asset.extraMeta),
    create_time: asset.createTime,
    update_time: asset.updateTime,
    version: asset.version,
  };
}

function toAsset(row: Selectable<AssetsTable>): Asset {
  const parse = <T>(text: string | null): T | null => (text === null ? null : (JSON.parse(text) as T));
  return {
    assetId: row.asset_id,
    projectId: row.project_id,
    appUserId: row.app_user_id,
    assetName: row.asset_name,
    assetDescription: row.asset_description,
    assetType: row.asset_type as AssetType,
    assetState: row.asset_state as AssetState,
    stateBeforeDelete: row.state_before_delete as AssetState | null,
    deletedAt: numberOrNull(row.deleted_at),
    reason: row.reason,
    origin: row.origin as AssetOrigin,
    sourceJobId: row.source_job_id,
    assetOrder: row.asset_order,
    tags: JSON.parse(row.tags) as string[],
    supportedService: parse<SupportedService[]>(row.supported_service),
    systemProperties: parse<Array<{ key: string; value: string }>>(row.system_properties),
    extraMeta: parse<AssetExtraMeta>(row.extra_meta),
    createTime: Number(row.create_time),
    updateTime: Number(row.update_time),
    version: row.version,
  };
}
