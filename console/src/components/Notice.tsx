import type { ComponentChildren } from 'preact';
import { ApiFailure } from '../api/http.js';
import { useI18n } from '../i18n/i18n.js';

/** An error as a person can act on it: what failed, the API's own code and message, the request id to report. */
export function ErrorNotice({ error, title }: { error: unknown; title?: string }) {
  const { t, tOr } = useI18n();
  if (!error) return null;
  const failure = error instanceof ApiFailure ? error : undefined;
  const message = error instanceof Error ? error.message : String(error);
  const explained = failure ? tOr(`error.${failure.code}`, '') : '';
  return (
    <div class="notice notice-error" role="alert">
      <strong>{title ?? t('error.title')}</strong>
      <p>
        {explained || message}
        {failure && failure.code && (
          <>
            {' '}
            <code>{failure.code}</code>
            {explained && message && <span class="muted"> · {message}</span>}
          </>
        )}
      </p>
      {failure?.requestId && <p class="muted small">{t('error.requestId', { id: failure.requestId })}</p>}
    </div>
  );
}

export function InfoNotice({ children, tone = 'info' }: { children: ComponentChildren; tone?: 'info' | 'success' | 'warning' }) {
  return (
    <div class={`notice notice-${tone}`} role="status">
      {children}
    </div>
  );
}
