import { useEffect } from 'preact/hooks';

/** Names the page in the browser tab (and for screen readers announcing the page). */
export function usePageTitle(title: string): void {
  useEffect(() => {
    document.title = `${title} · avatarforge`;
  }, [title]);
}
