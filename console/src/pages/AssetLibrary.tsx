import { useLocation } from 'preact-iso';
import { useEffect, useRef, useState } from 'preact/hooks';
import { assetListPath, deleteAsset, restoreAsset, updateAsset } from '../api/assetApi.js';
import { useLiveResource } from '../api/live.js';
import type { DigitalAssetInfo, ListAssetsAnswer } from '../api/types.js';
import { AssetStateBadge } from '../components/AssetStateBadge.js';
import { AudioView, CoverThumbnail, ImageView, VideoView } from '../components/Media.js';
import { ErrorNotice, InfoNotice } from '../components/Notice.js';
import { Pager } from '../components/Pager.js';
import { useI18n } from '../i18n/i18n.js';
import type { MessageKey } from '../i18n/messages.js';
import { ASSET_VIEWS, assetViewQuery, type AssetView } from '../model/assetKinds.js';
import { LiveStamp } from './LiveStamp.js';
import { usePageTitle } from './pageTitle.js';

const PAGE_SIZE = 20;

type AssetFile = NonNullable<DigitalAssetInfo['files']>[number];

/** The page's address for a view and page: the view and offset are in the query, so a reload shows the same list. */
function assetsUrl(view: AssetView, offset = 0): string {
  const query = new URLSearchParams();
  if (view !== 'models') query.set('view', view);
  if (offset > 0) query.set('offset', String(offset));
  const text = query.toString();
  return text ? `/console/assets?${text}` : '/console/assets';
}

/**
 * The project's asset library: models, videos, audio and images, a tab each, newest first, and the
 * recycle bin. A row opens to the asset: its preview (cover, video or audio player, image), its
 * files with download links, rename, and a move to the bin; in the bin, restore or delete for good.
 */
export function AssetLibrary() {
  const { t } = useI18n();
  usePageTitle(t('assets.title'));
  const location = useLocation();
  const view = (ASSET_VIEWS as readonly string[]).includes(location.query.view ?? '') ? (location.query.view as AssetView) : 'models';
  const offset = Number(location.query.offset) || 0;
  const list = useLiveResource<ListAssetsAnswer>(assetListPath({ ...assetViewQuery(view), limit: PAGE_SIZE, offset }));
  const assets = list.data?.assets ?? [];
  const [open, setOpen] = useState<string>();
  /** What the last move did (to the bin, back, gone for good): the asset has left this view, so the page says it. */
  const [moved, setMoved] = useState<string>();
  useEffect(() => {
    setOpen(undefined);
    setMoved(undefined);
  }, [view]);

  const changed = (message?: string) => {
    if (message !== undefined) {
      setMoved(message);
      setOpen(undefined);
    }
    list.refresh();
  };

  return (
    <section aria-labelledby="assets-title">
      <div class="page-head">
        <h1 id="assets-title">{t('assets.title')}</h1>
      </div>
      <nav class="tabs" aria-label={t('assets.views')}>
        {ASSET_VIEWS.map((each) => (
          <a key={each} href={assetsUrl(each)} aria-current={each === view ? 'page' : undefined}>
            {t(`assets.view.${each}` as MessageKey)}
          </a>
        ))}
      </nav>
      <p class="hint">{t(view === 'bin' ? 'assets.binIntro' : 'assets.intro')}</p>
      {moved && <InfoNotice tone="success">{moved}</InfoNotice>}
      <ErrorNotice error={list.error} />
      <LiveStamp checkedAt={list.checkedAt} loading={list.loading} />
      {list.data && assets.length === 0 && <p class="empty">{t(view === 'bin' ? 'assets.binEmpty' : 'assets.empty')}</p>}
      {assets.length > 0 && (
        <div class="table-wrap">
          <table class="jobs assets">
            <caption class="visually-hidden">{t(`assets.view.${view}` as MessageKey)}</caption>
            <thead>
              <tr>
                <th scope="col">{t('assets.column.cover')}</th>
                <th scope="col">{t('assets.column.name')}</th>
                <th scope="col">{t('assets.column.type')}</th>
                <th scope="col">{t('assets.column.status')}</th>
                <th scope="col">{t('assets.column.created')}</th>
                <th scope="col">
                  <span class="visually-hidden">{t('assets.column.details')}</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {assets.map((asset) => (
                <AssetRows
                  key={asset.asset_id}
                  asset={asset}
                  inBin={view === 'bin'}
                  open={open === asset.asset_id}
                  onToggle={() => setOpen(open === asset.asset_id ? undefined : asset.asset_id)}
                  onChanged={changed}
                />
              ))}
            </tbody>
          </table>
        </div>
      )}
      {list.data && (
        <Pager count={list.data.count} offset={offset} limit={PAGE_SIZE} position="pager.positionAssets" onOffset={(next) => location.route(assetsUrl(view, next))} />
      )}
    </section>
  );
}

const fileOf = (asset: DigitalAssetInfo, category: string): AssetFile | undefined =>
  asset.files?.find((file) => file.asset_file_category === category && file.download_url !== undefined);

interface RowProps {
  asset: DigitalAssetInfo;
  inBin: boolean;
  open: boolean;
  onToggle: () => void;
  onChanged: (message?: string) => void;
}

/** One asset's row and, when opened, the row under it with the asset itself. */
function AssetRows({ asset, inBin, open, onToggle, onChanged }: RowProps) {
  const { t, tOr, formatTime } = useI18n();
  const assetId = asset.asset_id!;
  const detailsId = `asset-details-${assetId}`;
  const cover = fileOf(asset, 'COVER') ?? (asset.asset_type === 'IMAGE' ? fileOf(asset, 'MAIN') : undefined);
  return (
    <>
      <tr data-asset-id={assetId}>
        <td class="cover-cell">{cover ? <CoverThumbnail src={cover.download_url!} /> : <span class="no-cover" aria-hidden="true" />}</td>
        <td class="asset-name">{asset.asset_name}</td>
        <td>{tOr(`assetType.${asset.asset_type}`, asset.asset_type ?? '')}</td>
        <td>
          <AssetStateBadge state={asset.asset_state} />
        </td>
        <td>
          <time dateTime={asset.create_time}>{formatTime(asset.create_time)}</time>
        </td>
        <td>
          <button type="button" class="link-button" aria-expanded={open} aria-controls={open ? detailsId : undefined} onClick={onToggle}>
            {open ? t('assets.hide') : t('assets.open')}
          </button>
        </td>
      </tr>
      {open && (
        <tr id={detailsId} class="asset-details">
          <td colSpan={6}>
            <AssetDetails asset={asset} inBin={inBin} onChanged={onChanged} />
          </td>
        </tr>
      )}
    </>
  );
}

/** The asset opened: preview, files, fields, and what can be done with it here. */
function AssetDetails({ asset, inBin, onChanged }: Omit<RowProps, 'open' | 'onToggle'>) {
  const { t, tOr, formatTime } = useI18n();
  return (
    <div class="asset" data-asset-id={asset.asset_id}>
      <AssetPreview asset={asset} />
      <AssetFiles files={asset.files ?? []} />
      <dl class="asset-fields">
        <dt>{t('assets.field.id')}</dt>
        <dd>
          <code>{asset.asset_id}</code>
        </dd>
        <dt>{t('assets.column.type')}</dt>
        <dd>{tOr(`assetType.${asset.asset_type}`, asset.asset_type ?? '')}</dd>
        <dt>{t('assets.column.status')}</dt>
        <dd>
          <AssetStateBadge state={asset.asset_state} /> {asset.reason && <span class="muted">{asset.reason}</span>}
        </dd>
        <dt>{t('assets.column.created')}</dt>
        <dd>{formatTime(asset.create_time)}</dd>
        <dt>{t('assets.field.updated')}</dt>
        <dd>{formatTime(asset.update_time)}</dd>
        {asset.asset_description && (
          <>
            <dt>{t('assets.field.description')}</dt>
            <dd>{asset.asset_description}</dd>
          </>
        )}
        {asset.tags && asset.tags.length > 0 && (
          <>
            <dt>{t('assets.field.tags')}</dt>
            <dd>{asset.tags.join(', ')}</dd>
          </>
        )}
      </dl>
      {inBin ? <BinActions asset={asset} onChanged={onChanged} /> : <LibraryActions asset={asset} onChanged={onChanged} />}
    </div>
  );
}

/** What the asset is, shown for what it is: a video or audio in a player, an image, a model's cover. */
function AssetPreview({ asset }: { asset: DigitalAssetInfo }) {
  const { t } = useI18n();
  const main = fileOf(asset, 'MAIN');
  const cover = fileOf(asset, 'COVER');
  const type = asset.asset_type;
  const playable = main && (type === 'VIDEO' || type === 'AUDIO' || type === 'MUSIC' || type === 'IMAGE');
  if (!playable && !cover) return <p class="muted">{t('assets.noPreview')}</p>;
  return (
    <div class="asset-preview">
      {main && type === 'VIDEO' && <VideoView src={main.download_url!} label={t('assets.preview.video')} downloadAs={main.file_name} />}
      {main && (type === 'AUDIO' || type === 'MUSIC') && <AudioView src={main.download_url!} label={t('assets.preview.audio')} downloadAs={main.file_name} />}
      {main && type === 'IMAGE' && <ImageView src={main.download_url!} label={t('assets.preview.image')} />}
      {cover && <ImageView src={cover.download_url!} label={t('assets.preview.cover')} />}
    </div>
  );
}

/** Every file of the asset, with a link that downloads it under its name once it is uploaded. */
function AssetFiles({ files }: { files: AssetFile[] }) {
  const { t, tOr, formatBytes } = useI18n();
  if (files.length === 0) return null;
  return (
    <ul class="asset-files" aria-label={t('assets.files')}>
      {files.map((file) => (
        <li key={file.file_id}>
          <span class="muted">{tOr(`assets.fileCategory.${file.asset_file_category}`, file.asset_file_category ?? '')}</span> {file.file_name}
          {file.file_size !== undefined && <span class="muted"> · {formatBytes(file.file_size)}</span>} ·{' '}
          {file.download_url ? (
            <a href={file.download_url} download={file.file_name} aria-label={t('assets.downloadFile', { name: file.file_name ?? '' })}>
              {t('media.download')}
            </a>
          ) : (
            <span class="muted">{tOr(`assets.fileState.${file.state}`, file.state ?? '')}</span>
          )}
        </li>
      ))}
    </ul>
  );
}

/** Runs one call at a time for a panel: busy while it runs, its failure kept to show. */
function useAction() {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>();
  const run = async (call: () => Promise<void>) => {
    setBusy(true);
    setError(undefined);
    try {
      await call();
    } catch (failure) {
      setError(failure);
    } finally {
      setBusy(false);
    }
  };
  return { busy, error, run };
}

/** Out of the bin: rename the asset (UpdateDigitalAsset), or move it to the recycle bin (DeleteAsset). */
function LibraryActions({ asset, onChanged }: { asset: DigitalAssetInfo; onChanged: (message?: string) => void }) {
  const { t } = useI18n();
  const assetId = asset.asset_id!;
  const [name, setName] = useState(asset.asset_name ?? '');
  const [renamed, setRenamed] = useState(false);
  const action = useAction();
  const trimmed = name.trim();
  const nameId = `asset-name-${assetId}`;

  const rename = (event: Event) => {
    event.preventDefault();
    setRenamed(false);
    void action.run(async () => {
      await updateAsset(assetId, { asset_name: trimmed });
      setRenamed(true);
      onChanged();
    });
  };
  const moveToBin = () =>
    void action.run(async () => {
      await deleteAsset(assetId);
      onChanged(t('assets.movedToBin', { name: asset.asset_name ?? assetId }));
    });

  return (
    <div class="asset-actions">
      <form class="rename" onSubmit={rename}>
        <label class="inline-label" for={nameId}>
          {t('assets.name')}
        </label>{' '}
        <input id={nameId} value={name} maxLength={256} onInput={(event) => setName(event.currentTarget.value)} />{' '}
        <button type="submit" disabled={action.busy || trimmed === '' || trimmed === asset.asset_name}>
          {t('assets.rename')}
        </button>
      </form>
      {renamed && <InfoNotice tone="success">{t('assets.renamed')}</InfoNotice>}
      <div class="actions">
        <button type="button" disabled={action.busy} onClick={moveToBin}>
          {t('assets.moveToBin')}
        </button>
        <span class="hint">{t('assets.moveToBinHint')}</span>
      </div>
      <ErrorNotice error={action.error} />
    </div>
  );
}

/** In the bin: restore the asset (RestoreAsset), or delete it for good (DeleteAsset mode=force) after a second click. */
function BinActions({ asset, onChanged }: { asset: DigitalAssetInfo; onChanged: (message?: string) => void }) {
  const { t } = useI18n();
  const assetId = asset.asset_id!;
  const name = asset.asset_name ?? assetId;
  const [confirming, setConfirming] = useState(false);
  const action = useAction();
  // The keyboard lands on the safe choice of the two that appear.
  const cancelButton = useRef<HTMLButtonElement>(null);
  useEffect(() => {
    if (confirming) cancelButton.current?.focus();
  }, [confirming]);
  const warningId = `delete-warning-${assetId}`;

  const restore = () =>
    void action.run(async () => {
      await restoreAsset(assetId);
      onChanged(t('assets.restored', { name }));
    });
  const deleteForGood = () =>
    void action.run(async () => {
      await deleteAsset(assetId, { forGood: true });
      onChanged(t('assets.deletedForGood', { name }));
    });

  return (
    <div class="asset-actions">
      <div class="actions">
        <button type="button" class="primary" disabled={action.busy} onClick={restore}>
          {t('assets.restore')}
        </button>
        {!confirming && (
          <button type="button" disabled={action.busy} onClick={() => setConfirming(true)}>
            {t('assets.deleteForGood')}
          </button>
        )}
      </div>
      {confirming && (
        <div class="notice notice-warning" role="group" aria-labelledby={warningId}>
          <p id={warningId}>{t('assets.deleteForGoodWarning', { name })}</p>
          <div class="actions">
            <button type="button" class="danger" disabled={action.busy} onClick={deleteForGood}>
              {t('assets.deleteForGoodConfirm')}
            </button>
            <button type="button" ref={cancelButton} disabled={action.busy} onClick={() => setConfirming(false)}>
              {t('common.cancel')}
            </button>
          </div>
        </div>
      )}
      <ErrorNotice error={action.error} />
    </div>
  );
}
