import { useEffect, useRef, useState } from 'preact/hooks';
import { useI18n } from '../i18n/i18n.js';

/** Signed URLs are valid 24 hours; a URL held this long is swapped for the latest one. */
const REUSE_URL_MS = 12 * 60 * 60 * 1000;

/**
 * Every read of a job signs its download URLs afresh (the expiry moves on), while the path names
 * the file's version. Keeping the first URL of a version stops players from reloading (and
 * stopping) each time the job is read again; a new version (a replaced file) is taken at once.
 */
export function useStableUrl(url: string): string;
export function useStableUrl(url: string | undefined): string | undefined;
export function useStableUrl(url: string | undefined): string | undefined {
  const held = useRef<{ url: string; since: number } | undefined>(undefined);
  const path = (value: string) => value.split('?')[0];
  const current = held.current;
  if (url === undefined) {
    held.current = undefined;
  } else if (!current || path(current.url) !== path(url) || Date.now() - current.since > REUSE_URL_MS) {
    held.current = { url, since: Date.now() };
  }
  return held.current?.url;
}

/**
 * A video played inline from its signed download URL (the download route honours Range: players
 * seek). With `downloadAs`, its link saves the file under that name instead of opening it.
 */
export function VideoView({ src: signedSrc, label, id, downloadAs }: { src: string; label: string; id?: string; downloadAs?: string }) {
  const src = useStableUrl(signedSrc);
  return (
    <figure class="media">
      <video id={id} src={src} controls preload="metadata" aria-label={label} playsInline />
      <figcaption>
        {label} · <DownloadLink href={src} saveAs={downloadAs} />
      </figcaption>
    </figure>
  );
}

/** An audio file played inline from its signed download URL, with the same link as a video's. */
export function AudioView({ src: signedSrc, label, downloadAs }: { src: string; label: string; downloadAs?: string }) {
  const src = useStableUrl(signedSrc);
  return (
    <figure class="media">
      <audio src={src} controls preload="metadata" aria-label={label} />
      <figcaption>
        {label} · <DownloadLink href={src} saveAs={downloadAs} />
      </figcaption>
    </figure>
  );
}

/** A cover thumbnail (decorative: the row names what it shows), kept while its file is the same (lists re-sign URLs on every read). */
export function CoverThumbnail({ src }: { src: string }) {
  return <img src={useStableUrl(src)} alt="" loading="lazy" />;
}

export function ImageView({ src: signedSrc, label }: { src: string; label: string }) {
  const src = useStableUrl(signedSrc);
  return (
    <figure class="media">
      <a href={src} target="_blank" rel="noreferrer">
        <img src={src} alt={label} loading="lazy" />
      </a>
      <figcaption>{label}</figcaption>
    </figure>
  );
}

/** Opens the file in a new tab, or with `saveAs` downloads it under that name. */
function DownloadLink({ href, saveAs }: { href: string; saveAs?: string }) {
  const { t } = useI18n();
  if (saveAs !== undefined) {
    return (
      <a href={href} download={saveAs}>
        {t('media.download')}
      </a>
    );
  }
  return (
    <a href={href} target="_blank" rel="noreferrer">
      {t('media.open')}
    </a>
  );
}

/**
 * A document (the authorization letter: a PDF or an image). Files are served as octet-stream, so
 * the console reads the bytes and shows a PDF or an image by what they are.
 */
export function DocumentView({ src: signedSrc, label }: { src: string; label: string }) {
  const { t } = useI18n();
  const src = useStableUrl(signedSrc);
  const [view, setView] = useState<{ url: string; kind: 'pdf' | 'image' | 'other' } | undefined>();
  useEffect(() => {
    let objectUrl: string | undefined;
    let cancelled = false;
    void (async () => {
      try {
        const response = await fetch(src);
        if (!response.ok) throw new Error(String(response.status));
        const bytes = await response.arrayBuffer();
        const head = new TextDecoder('latin1').decode(bytes.slice(0, 5));
        const kind = head === '%PDF-' ? 'pdf' : 'image';
        objectUrl = URL.createObjectURL(new Blob([bytes], { type: kind === 'pdf' ? 'application/pdf' : '' }));
        if (!cancelled) setView({ url: objectUrl, kind });
      } catch {
        if (!cancelled) setView({ url: src, kind: 'other' });
      }
    })();
    return () => {
      cancelled = true;
      if (objectUrl) URL.revokeObjectURL(objectUrl);
    };
  }, [src]);
  return (
    <figure class="media document">
      {view?.kind === 'pdf' && (
        <object data={view.url} type="application/pdf" aria-label={label}>
          <p>{t('media.pdfFallback')}</p>
        </object>
      )}
      {view?.kind === 'image' && <img src={view.url} alt={label} onError={() => setView({ url: src, kind: 'other' })} />}
      <figcaption>
        {label}
        {view?.kind === 'pdf' && <span class="muted"> · PDF</span>} · <DownloadLink href={src} />
      </figcaption>
    </figure>
  );
}
