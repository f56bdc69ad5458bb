import type { Clock } from '../../clock.js';
import { ApiError } from '../errors.js';
import { newId } from '../ids.js';
import { parseTimeParameter } from '../listQueryParameters.js';
import type { BlobStore, JobRepository, JobScope, JobStore, UrlSigner } from '../ports.js';
import {
  ASSET_COMMANDS,
  assetAllows,
  assetFileByteKinds,
  PURGED_FILE_KINDS,
  RECYCLE_BIN_RETENTION_MS,
  TENANT_ASSET_TYPES,
  TENANT_SYSTEM_PROPERTY_KEYS,
  type Asset,
  type AssetCommand,
  type ListAssetsFilter,
} from './asset.js';
import { assetSummaryView, assetView, type AssetFileSources, type UrlIssue } from './assetViews.js';
import {
  ASSET_STATES,
  ASSET_TYPES,
  type AssetState,
  type CreateDigitalAssetRequestBody,
  type DigitalAssetInfo,
  type ListAssetsQuery,
  type ListAssetsResponse,
  type SystemProperty,
  type UpdateDigitalAssetRequestBody,
} from './assetWire.js';

export interface AssetSettings {
  downloadUrlTtlMs: number;
}

/** Filters for capabilities no avatarforge asset has (voices, 3D, sharing, action libraries): asked for, they match nothing. */
function asksForMissingCapability(query: ListAssetsQuery): boolean {
  return (
    query.asset_source === 'SYSTEM' ||
    query.asset_source === 'GROUP_CUSTOMIZATION' ||
    query.style_id !== undefined ||
    query.render_engine !== undefined ||
    query.sex !== undefined ||
    query.language !== undefined ||
    query.voice_provider !== undefined ||
    query.role !== undefined ||
    query.human_model_2d_version !== undefined ||
    query.include_device_name !== undefined ||
    query.action_editable === true ||
    query.is_with_action_library === true ||
    query.is_movable === true ||
    query.is_realtime_voice === true
  );
}

/** A list query parameter sent as repeated keys (an array) or comma-separated. */
function listParameter(value: string | string[] | undefined): string[] {
  if (value === undefined) return [];
  return (Array.isArray(value) ? value : [value]).flatMap((item) => item.split(',')).map((item) => item.trim()).filter((item) => item !== '');
}

function enumList<T extends string>(name: string, text: string | undefined, allowed: readonly T[]): T[] | undefined {
  if (text === undefined) return undefined;
  const values = listParameter(text);
  const unknown = values.filter((value) => !(allowed as readonly string[]).includes(value));
  if (values.length === 0 || unknown.length > 0) {
    throw new ApiError('INVALID_PARAMETER', `${name} must be values of ${allowed.join(', ')} separated by commas; unknown: ${unknown.join(', ') || '(empty)'}`);
  }
  return values as T[];
}

/** system_property: KEY:Value pairs separated by commas. */
function parseSystemPropertyFilter(text: string | undefined): Array<{ key: string; value: string }> | undefined {
  if (text === undefined) return undefined;
  return listParameter(text).map((pair) => {
    const colon = pair.indexOf(':');
    if (colon <= 0 || colon === pair.length - 1) throw new ApiError('INVALID_PARAMETER', `system_property must be KEY:Value pairs separated by commas, e.g. BACKGROUND_IMG:Yes; got ${JSON.stringify(pair.slice(0, 64))}`);
    return { key: pair.slice(0, colon), value: pair.slice(colon + 1) };
  });
}

/** Checks the system properties a tenant sends: its own keys only, a value to add. */
function checkTenantProperties(properties: readonly SystemProperty[] | undefined): void {
  for (const property of properties ?? []) {
    if (!TENANT_SYSTEM_PROPERTY_KEYS.includes(property.key)) {
      throw new ApiError('INVALID_PARAMETER', `system_properties: ${property.key} is set by the platform; tenants may set ${TENANT_SYSTEM_PROPERTY_KEYS.join(', ')}`);
    }
    if ((property.action ?? 'ADD') === 'ADD' && (property.value === undefined || property.value === '')) {
      throw new ApiError('INVALID_PARAMETER', `system_properties: ${property.key} needs a value (1 to 1024 characters)`);
    }
  }
}

/** Sharing and scheduled operations are not supported: refused by name rather than ignored. */
function refuseUnsupported(body: { shared_config?: { shared_type?: string }; auto_operation_config?: unknown[] }): void {
  const sharedType = body.shared_config?.shared_type;
  if (sharedType !== undefined && sharedType !== 'PRIVATE') {
    throw new ApiError('INVALID_PARAMETER', `shared_config.shared_type ${JSON.stringify(sharedType.slice(0, 32))}: avatarforge keeps assets PRIVATE to their project`);
  }
  if ((body.auto_operation_config?.length ?? 0) > 0) throw new ApiError('INVALID_PARAMETER', 'auto_operation_config: scheduled operations are not supported; send none');
}

function stateRefusal(command: AssetCommand, asset: Asset, what: string): ApiError {
  return new ApiError('ASSET_STATE_NOT_ALLOWED', `the asset is ${asset.assetState}; ${what} is allowed in ${ASSET_COMMANDS[command].from.join(', ')}`);
}

/**
 * The asset library: the tenant's own assets (CreateDigitalAsset) and those the product makes
 * (producedAssets.ts), listed, shown, changed, deleted to the recycle bin and restored, within the
 * caller's project and app user. The recycle bin is emptied from stored times: an asset deleted
 * more than RECYCLE_BIN_RETENTION_MS ago is deleted for good (its files freed) the next time its
 * project's assets are used, or by the server's periodic sweep.
 */
export function createAssetService(deps: { jobs: JobStore; blobs: BlobStore; urls: UrlSigner; clock: Clock; settings: AssetSettings }) {
  const { jobs, blobs, urls, clock, settings } = deps;
  const now = () => clock.now().getTime();
  const issue = (): UrlIssue => ({ urls, issuedAt: now(), ttlMs: settings.downloadUrlTtlMs });

  /**
   * The files of these assets: the registered files of the tenant's own and the bytes of all, read
   * side by side (two queries that do not wait for each other). The bytes are read by job alone, a
   * few rows per job; the views pick the kinds they show.
   */
  async function filesOf(repository: Pick<JobRepository, 'listFiles' | 'listAssetFiles'>, assets: readonly Asset[]): Promise<AssetFileSources> {
    const own = assets.filter((asset) => asset.origin === 'TENANT').map((asset) => asset.assetId);
    const jobIds = [...new Set(assets.flatMap((asset) => (asset.sourceJobId === null ? [] : [asset.sourceJobId])))];
    const [assetFiles, jobFiles] = await Promise.all([repository.listAssetFiles(own), jobIds.length === 0 ? [] : repository.listFiles(jobIds)]);
    return { jobFiles, assetFiles };
  }

  /**
   * When the recycle bin's time runs out for the first of the project's assets in it (after
   * `oldest`, the earliest deletion time there): undefined when the bin is empty.
   */
  const purgeDueAt = (oldest: number | undefined) => (oldest === undefined ? undefined : oldest + RECYCLE_BIN_RETENTION_MS);
  /** Whether the bin holds an asset whose time is up (sweepRecycleBin deletes those deleted before now − retention). */
  const purgeDue = (oldest: number | undefined) => oldest !== undefined && purgeDueAt(oldest)! < now();

  /** An asset the caller may see; deleted-for-good ones are gone. */
  async function findVisible(repository: JobRepository, scope: JobScope, assetId: string): Promise<Asset> {
    return visible(await repository.findAsset(scope, assetId), assetId);
  }

  /** The asset found, unless there is none or it is deleted for good. */
  function visible(asset: Asset | undefined, assetId: string): Asset {
    if (!asset || asset.assetState === 'DELETED') throw new ApiError('ASSET_NOT_FOUND', assetId);
    return asset;
  }

  async function write(repository: JobRepository, changed: Asset, read: Asset): Promise<void> {
    if (!(await repository.updateAsset(changed, read.version))) throw new ApiError('STATE_CHANGED_CONCURRENTLY');
  }

  /**
   * Deletes an asset for good inside the caller's transaction: DELETED, and the rows of the files it
   * frees. Returns the blobs to delete once the transaction has committed.
   */
  async function purge(repository: JobRepository, asset: Asset, at: number): Promise<{ keys: string[]; prefixes: string[] }> {
    await write(repository, { ...asset, assetState: 'DELETED', stateBeforeDelete: null, deletedAt: null, updateTime: at, version: asset.version + 1 }, asset);
    const kinds = PURGED_FILE_KINDS[asset.origin];
    if (asset.sourceJobId === null) return { keys: [], prefixes: [] };
    if (kinds === 'all') {
      const files = await repository.listFiles([asset.sourceJobId]);
      await repository.deleteFiles(asset.sourceJobId, files.map((file) => file.fileKind));
      const registered = await repository.listAssetFiles([asset.assetId]);
      await repository.deleteUnusedUploadSlots(asset.sourceJobId, registered.flatMap(assetFileByteKinds));
      return { keys: [], prefixes: [`jobs/${asset.sourceJobId}/`] };
    }
    const deleted = await repository.deleteFiles(asset.sourceJobId, [...kinds]);
    return { keys: deleted.map((file) => file.blobKey), prefixes: [] };
  }

  async function freeBlobs(freed: { keys: string[]; prefixes: string[] }): Promise<void> {
    await Promise.all([...freed.keys.map((key) => blobs.delete(key)), ...freed.prefixes.map((prefix) => blobs.deletePrefix(prefix))].map((done) => done.catch(() => undefined)));
  }

  /** Deletes for good the assets whose time in the recycle bin is up (of one project, or of all). Returns how many. */
  async function sweepRecycleBin(projectId?: string): Promise<number> {
    let purged = 0;
    for (;;) {
      const at = now();
      const expired = await jobs.listExpiredAssets(at - RECYCLE_BIN_RETENTION_MS, projectId, 50);
      if (expired.length === 0) return purged;
      for (const candidate of expired) {
        const freed = await jobs.transaction(async (repository) => {
          const asset = await repository.findAssetById(candidate.assetId);
          if (!asset || asset.assetState !== 'DELETING' || asset.deletedAt === null || asset.deletedAt >= at - RECYCLE_BIN_RETENTION_MS) return undefined;
          return purge(repository, asset, at);
        });
        if (freed) {
          await freeBlobs(freed);
          purged += 1;
        }
      }
      if (expired.length < 50) return purged;
    }
  }

  return {
    sweepRecycleBin,

    /**
     * A page of the caller's assets, and `changesAt`: when the answer may change without a write
     * (the recycle bin's time running out for one of the project's assets), for a cache to keep it
     * no longer. The bin's due assets are deleted for good first.
     */
    async list(scope: JobScope, query: ListAssetsQuery): Promise<{ answer: ListAssetsResponse; changesAt: number | undefined }> {
      const requestedStates = enumList('asset_state', query.asset_state, ASSET_STATES);
      const types = enumList('asset_type', query.asset_type, ASSET_TYPES);
      const exact = listParameter(query.accurate_query_field);
      const assetIds = listParameter(query.asset_id);
      const tags = listParameter(query.tag);
      const filter: ListAssetsFilter = {
        scope,
        // Assets deleted for good are gone: asking for DELETED finds none.
        ...(requestedStates && { states: requestedStates.filter((state) => state !== 'DELETED') }),
        ...(types && { types }),
        ...(assetIds.length > 0 && { assetIds }),
        ...(query.name !== undefined && query.name !== '' && { name: { value: query.name, exact: exact.includes('name') } }),
        ...(tags.length > 0 && { tags: { values: tags, exact: exact.includes('tag'), all: query.tag_combination_type === 'INTERSECTION' } }),
        ...(query.start_time !== undefined && { createSince: parseTimeParameter('start_time', query.start_time)! }),
        ...(query.end_time !== undefined && { createUntil: parseTimeParameter('end_time', query.end_time, 'upper')! }),
        ...(query.supported_service !== undefined && { supportedService: query.supported_service }),
        ...(query.app_user_id !== undefined && { appUserId: query.app_user_id }),
        ...(query.system_property !== undefined && { systemProperties: parseSystemPropertyFilter(query.system_property)! }),
        sortKey: query.sort_key ?? 'create_time',
        sortDir: query.sort_dir ?? 'asc',
        offset: query.offset ?? 0,
        limit: query.limit ?? 10,
      };
      if (asksForMissingCapability(query)) return { answer: { count: 0, assets: [] }, changesAt: undefined };
      let result = await jobs.listAssets(filter);
      if (purgeDue(result.recycleBinOldest)) {
        await sweepRecycleBin(scope.projectId);
        result = await jobs.listAssets(filter);
      }
      const files = await filesOf(jobs, result.assets);
      const urlIssue = issue();
      return { answer: { count: result.count, assets: result.assets.map((asset) => assetView(asset, files, urlIssue)) }, changesAt: purgeDueAt(result.recycleBinOldest) };
    },

    /** One asset, and `changesAt` as for list: when it leaves the recycle bin for good, if it is in it. */
    async show(scope: JobScope, assetId: string): Promise<{ answer: DigitalAssetInfo; changesAt: number | undefined }> {
      let found = await jobs.findAssetAndRecycleBin(scope, assetId);
      if (purgeDue(found.recycleBinOldest)) {
        await sweepRecycleBin(scope.projectId);
        found = await jobs.findAssetAndRecycleBin(scope, assetId);
      }
      const asset = visible(found.asset, assetId);
      const changesAt = asset.assetState === 'DELETING' && asset.deletedAt !== null ? purgeDueAt(asset.deletedAt) : undefined;
      return { answer: assetView(asset, await filesOf(jobs, [asset]), issue()), changesAt };
    },

    async create(scope: JobScope, body: CreateDigitalAssetRequestBody): Promise<{ asset_id: string }> {
      if (!TENANT_ASSET_TYPES.includes(body.asset_type)) {
        throw new ApiError('INVALID_PARAMETER', `asset_type ${body.asset_type}: tenants create ${TENANT_ASSET_TYPES.join(', ')} assets; 2D models come from training jobs, videos from video jobs`);
      }
      checkTenantProperties(body.system_properties);
      refuseUnsupported(body);
      const at = now();
      const assetId = newId();
      const asset: Asset = {
        assetId,
        projectId: scope.projectId,
        appUserId: scope.appUserId ?? null,
        assetName: body.asset_name,
        assetDescription: body.asset_description ?? null,
        assetType: body.asset_type,
        assetState: 'CREATING',
        stateBeforeDelete: null,
        deletedAt: null,
        reason: null,
        origin: 'TENANT',
        sourceJobId: assetId,
        assetOrder: body.asset_order ?? 0,
        tags: body.tags ?? [],
        supportedService: body.supported_service ?? null,
        systemProperties: body.system_properties?.map(({ key, value }) => ({ key, value: value! })) ?? null,
        extraMeta: null,
        createTime: at,
        updateTime: at,
        version: 1,
      };
      await jobs.transaction(async (repository) => {
        if (await repository.assetNameTaken(scope.projectId, asset.appUserId, asset.assetName)) throw new ApiError('ASSET_NAME_EXISTS', asset.assetName);
        await repository.insertAsset(asset);
      });
      return { asset_id: assetId };
    },

    async update(scope: JobScope, assetId: string, body: UpdateDigitalAssetRequestBody) {
      checkTenantProperties(body.system_properties);
      refuseUnsupported(body);
      await sweepRecycleBin(scope.projectId);
      const updated = await jobs.transaction(async (repository) => {
        const asset = await findVisible(repository, scope, assetId);
        if (!assetAllows('update', asset.assetState)) throw stateRefusal('update', asset, 'UpdateDigitalAsset');
        if (body.asset_type !== undefined && body.asset_type !== asset.assetType) {
          throw new ApiError('INVALID_PARAMETER', `asset_type: the asset is ${asset.assetType} and stays so`);
        }
        let state: AssetState = asset.assetState;
        if (body.asset_state === 'WAITING_DELETE') throw new ApiError('INVALID_PARAMETER', 'asset_state WAITING_DELETE is set by the platform; tenants set ACTIVED or UNACTIVED');
        if (body.asset_state !== undefined && body.asset_state !== asset.assetState) {
          const command = body.asset_state === 'ACTIVED' ? 'activate' : 'deactivate';
          if (!assetAllows(command, asset.assetState)) throw stateRefusal(command, asset, `asset_state ${body.asset_state}`);
          state = body.asset_state;
        }
        if (body.asset_name !== undefined && body.asset_name !== asset.assetName && (await repository.assetNameTaken(asset.projectId, asset.appUserId, body.asset_name, asset.assetId))) {
          throw new ApiError('ASSET_NAME_EXISTS', body.asset_name);
        }
        let properties = asset.systemProperties;
        for (const change of body.system_properties ?? []) {
          const others = (properties ?? []).filter((property) => property.key !== change.key);
          properties = (change.action ?? 'ADD') === 'ADD' ? [...others, { key: change.key, value: change.value! }] : others;
        }
        const changed: Asset = {
          ...asset,
          assetName: body.asset_name ?? asset.assetName,
          assetDescription: body.asset_description ?? asset.assetDescription,
          assetState: state,
          tags: body.tags ?? asset.tags,
          supportedService: body.supported_service ?? asset.supportedService,
          assetOrder: body.asset_order ?? asset.assetOrder,
          systemProperties: properties,
          updateTime: now(),
          version: asset.version + 1,
        };
        await write(repository, changed, asset);
        return changed;
      });
      return assetView(updated, await filesOf(jobs, [updated]), issue());
    },

    /** To the recycle bin (DELETING, restorable), or with `force` deleted for good at once, its files freed. */
    async delete(scope: JobScope, assetId: string, force: boolean): Promise<void> {
      await sweepRecycleBin(scope.projectId);
      const freed = await jobs.transaction(async (repository) => {
        const asset = await findVisible(repository, scope, assetId);
        const command = force ? 'forceDelete' : 'delete';
        if (!assetAllows(command, asset.assetState)) throw stateRefusal(command, asset, 'DeleteAsset');
        if (asset.origin === 'VIDEO_JOB' && asset.assetState === 'CREATING') {
          throw new ApiError('ASSET_STATE_NOT_ALLOWED', `the asset is the video of video job ${asset.sourceJobId}, which is still rendering: cancel the job first (its asset then FAILs and can be deleted)`);
        }
        if (force && asset.origin === 'TRAINING_JOB' && asset.sourceJobId !== null) {
          const rendering = await repository.countUnfinishedVideoJobsOfModel(asset.sourceJobId);
          if (rendering > 0) {
            throw new ApiError('ASSET_STATE_NOT_ALLOWED', `${rendering} video job(s) still wait or render with this model; delete it for good when they have ended (or move it to the recycle bin now: they still finish)`);
          }
        }
        const at = now();
        if (force) return purge(repository, asset, at);
        // Deleting what is in the recycle bin already changes nothing (its retention keeps running).
        if (asset.assetState === 'DELETING') return undefined;
        await write(repository, { ...asset, assetState: 'DELETING', stateBeforeDelete: asset.assetState, deletedAt: at, updateTime: at, version: asset.version + 1 }, asset);
        return undefined;
      });
      if (freed) await freeBlobs(freed);
    },

    /** Out of the recycle bin, back to the state the asset had when it was deleted. */
    async restore(scope: JobScope, assetId: string): Promise<void> {
      await sweepRecycleBin(scope.projectId);
      await jobs.transaction(async (repository) => {
        const asset = await findVisible(repository, scope, assetId);
        if (!assetAllows('restore', asset.assetState)) throw stateRefusal('restore', asset, 'RestoreAsset');
        const at = now();
        await write(repository, { ...asset, assetState: asset.stateBeforeDelete ?? 'UNACTIVED', stateBeforeDelete: null, deletedAt: null, updateTime: at, version: asset.version + 1 }, asset);
      });
    },

    /** Summaries of the assets asked for, in the order asked; unknown ones and those the caller may not see are left out. */
    async summaries(scope: JobScope, assetIds: string[]) {
      await sweepRecycleBin(scope.projectId);
      const unique = [...new Set(assetIds)];
      const found = await jobs.listAssets({ scope, assetIds: unique, sortKey: 'create_time', sortDir: 'asc', offset: 0, limit: unique.length });
      const files = await filesOf(jobs, found.assets);
      const byId = new Map(found.assets.map((asset) => [asset.assetId, asset]));
      const urlIssue = issue();
      return { asset_list: unique.flatMap((id) => (byId.has(id) ? [assetSummaryView(byId.get(id)!, files, urlIssue)] : [])) };
    },
  };
}

export type AssetService = ReturnType<typeof createAssetService>;
