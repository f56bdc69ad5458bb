import { useState } from 'preact/hooks';
import { ApiFailure } from '../api/http.js';
import { lastEndReason, signInWithKeys, signInWithToken } from '../api/session.js';
import { ErrorNotice, InfoNotice } from '../components/Notice.js';
import { useI18n } from '../i18n/i18n.js';
import { usePageTitle } from './pageTitle.js';

/**
 * Sign in with an access key and secret key (exchanged at once for a token; the secret is not
 * kept), or with a token from POST /v3/auth/tokens. Admin (reviewer) keys open the reviewer view.
 */
export function SignIn() {
  const { t } = useI18n();
  usePageTitle(t('signIn.title'));
  const [method, setMethod] = useState<'keys' | 'token'>('keys');
  const [accessKey, setAccessKey] = useState('');
  const [secretKey, setSecretKey] = useState('');
  const [token, setToken] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>();

  async function submit(event: Event) {
    event.preventDefault();
    setBusy(true);
    setError(undefined);
    try {
      if (method === 'keys') await signInWithKeys(accessKey, secretKey);
      else await signInWithToken(token);
    } catch (failure) {
      setError(failure);
      setBusy(false);
    } finally {
      setSecretKey('');
    }
  }

  const wrongCredentials = error instanceof ApiFailure && error.status === 401;
  return (
    <section class="sign-in card" aria-labelledby="sign-in-title">
      <h1 id="sign-in-title">{t('signIn.title')}</h1>
      <p>{t('signIn.intro')}</p>
      {lastEndReason() === 'expired' && <InfoNotice tone="warning">{t('signIn.expired')}</InfoNotice>}
      <form onSubmit={submit}>
        <fieldset class="segmented">
          <legend>{t('signIn.method')}</legend>
          <label>
            <input type="radio" name="method" value="keys" checked={method === 'keys'} onChange={() => setMethod('keys')} /> {t('signIn.withKeys')}
          </label>
          <label>
            <input type="radio" name="method" value="token" checked={method === 'token'} onChange={() => setMethod('token')} /> {t('signIn.withToken')}
          </label>
        </fieldset>
        {method === 'keys' ? (
          <>
            <label class="field-label" for="access-key">
              {t('signIn.accessKey')}
            </label>
            <input id="access-key" name="access-key" autocomplete="username" required value={accessKey} onInput={(event) => setAccessKey(event.currentTarget.value)} />
            <label class="field-label" for="secret-key">
              {t('signIn.secretKey')}
            </label>
            <input
              id="secret-key"
              name="secret-key"
              type="password"
              autocomplete="current-password"
              required
              value={secretKey}
              onInput={(event) => setSecretKey(event.currentTarget.value)}
              aria-describedby="secret-key-hint"
            />
            <p id="secret-key-hint" class="hint">
              {t('signIn.secretHint')}
            </p>
          </>
        ) : (
          <>
            <label class="field-label" for="token">
              {t('signIn.token')}
            </label>
            <textarea id="token" name="token" rows={3} required value={token} onInput={(event) => setToken(event.currentTarget.value)} aria-describedby="token-hint" />
            <p id="token-hint" class="hint">
              {t('signIn.tokenHint')}
            </p>
          </>
        )}
        {error !== undefined &&
          (wrongCredentials ? (
            <ErrorNotice error={new Error(t('signIn.wrong'))} />
          ) : error instanceof ApiFailure && error.code === 'CONSOLE.WORKER_KEY' ? (
            <ErrorNotice error={new Error(t('signIn.workerKey'))} />
          ) : (
            <ErrorNotice error={error} />
          ))}
        <button type="submit" class="primary" disabled={busy}>
          {busy ? t('signIn.busy') : t('signIn.submit')}
        </button>
      </form>
    </section>
  );
}
