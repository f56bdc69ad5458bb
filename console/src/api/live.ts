import { useCallback, useEffect, useRef, useState } from 'preact/hooks';
import { callWithSession } from './session.js';

/** How often lists and jobs are read again while shown (a hidden tab polls five times slower). */
export const POLL_INTERVAL_MS = 2000;

export interface LiveResource<T> {
  data?: T;
  error?: unknown;
  loading: boolean;
  /** When the data was last confirmed current (a 200 or a 304). */
  checkedAt?: Date;
  refresh(): void;
}

export interface LiveOptions {
  /** Read again every POLL_INTERVAL_MS (default); false reads once, and again on refresh() or `readAgainOn`. */
  live?: boolean;
  /** A value whose change reads the resource again (conditionally): for a resource that changes only with it. */
  readAgainOn?: unknown;
}

/**
 * A GET that stays current: read again every POLL_INTERVAL_MS with the ETag of the copy held, so an
 * unchanged resource costs a 304 with no body, and a changed one re-renders the page.
 */
export function useLiveResource<T>(path: string | undefined, { live = true, readAgainOn }: LiveOptions = {}): LiveResource<T> {
  const [state, setState] = useState<Omit<LiveResource<T>, 'refresh'>>({ loading: path !== undefined });
  const [generation, setGeneration] = useState(0);
  const etag = useRef<string | undefined>(undefined);
  const lastPath = useRef<string | undefined>(undefined);

  useEffect(() => {
    if (path === undefined) return;
    if (lastPath.current !== path) {
      // Another resource (new filters): keep showing the old page while the new one loads.
      etag.current = undefined;
      lastPath.current = path;
      setState((previous) => ({ ...previous, loading: true }));
    }
    let stopped = false;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const controller = new AbortController();
    const read = async () => {
      try {
        const answer = await callWithSession<T>(path, { etag: etag.current, signal: controller.signal });
        if (stopped) return;
        if (answer.body !== undefined) etag.current = answer.etag;
        setState((previous) => ({ data: answer.body ?? previous.data, loading: false, checkedAt: new Date() }));
      } catch (error) {
        if (stopped) return;
        setState((previous) => ({ ...previous, error, loading: false }));
      }
      if (!stopped && live) timer = setTimeout(read, document.hidden ? POLL_INTERVAL_MS * 5 : POLL_INTERVAL_MS);
    };
    void read();
    return () => {
      stopped = true;
      clearTimeout(timer);
      controller.abort();
    };
  }, [path, generation, live, readAgainOn]);

  const refresh = useCallback(() => {
    etag.current = undefined;
    setGeneration((value) => value + 1);
  }, []);
  return { ...state, refresh };
}
