import { LocationProvider, Route, Router, useLocation } from 'preact-iso';
import { useEffect } from 'preact/hooks';
import { signOut, useSession, type Session } from './api/session.js';
import { I18nProvider, useI18n } from './i18n/i18n.js';
import { AssetLibrary } from './pages/AssetLibrary.js';
import { CreateJob } from './pages/CreateJob.js';
import { Dashboard } from './pages/Dashboard.js';
import { JobDetail } from './pages/JobDetail.js';
import { JobList } from './pages/JobList.js';
import { ReviewPage } from './pages/ReviewPage.js';
import { ReviewQueue } from './pages/ReviewQueue.js';
import { SignIn } from './pages/SignIn.js';
import { VideoList } from './pages/VideoList.js';

export function App() {
  return (
    <I18nProvider>
      <LocationProvider scope="/console">
        <Shell />
      </LocationProvider>
    </I18nProvider>
  );
}

function Shell() {
  const session = useSession();
  const { t, language, setLanguage, timeZone } = useI18n();
  const { path } = useLocation();
  const current = (prefix: string) => (path === prefix || path.startsWith(`${prefix}/`) ? 'page' : undefined);
  return (
    <>
      <a class="skip-link" href="#main">
        {t('nav.skip')}
      </a>
      <header class="topbar">
        <a class="brand" href="/console/">
          avatarforge <span class="muted">{t('app.subtitle')}</span>
        </a>
        {session && (
          <nav aria-label={t('nav.label')}>
            {session.role === 'tenant' ? (
              <>
                <a href="/console/jobs" aria-current={(current('/console/jobs') && path !== '/console/jobs/new') || current('/console/videos') ? 'page' : undefined}>
                  {t('nav.jobs')}
                </a>
                <a href="/console/jobs/new" aria-current={path === '/console/jobs/new' ? 'page' : undefined}>
                  {t('nav.create')}
                </a>
                <a href="/console/assets" aria-current={current('/console/assets')}>
                  {t('nav.assets')}
                </a>
              </>
            ) : (
              <>
                <a href="/console/review" aria-current={current('/console/review')}>
                  {t('nav.queue')}
                </a>
                <a href="/console/dashboard" aria-current={current('/console/dashboard')}>
                  {t('nav.dashboard')}
                </a>
              </>
            )}
          </nav>
        )}
        <div class="topbar-end">
          <label class="inline-label" for="language">
            {t('language.label')}
          </label>
          <select id="language" value={language} onChange={(event) => setLanguage(event.currentTarget.value as 'en' | 'zh')}>
            <option value="zh" lang="zh-CN">
              中文
            </option>
            <option value="en" lang="en">
              English
            </option>
          </select>
          {session && (
            <>
              <span class="who" title={session.projectId}>
                {t(session.role === 'admin' ? 'session.reviewer' : 'session.user', { key: session.accessKey })}
              </span>
              <button type="button" onClick={() => signOut()}>
                {t('session.signOut')}
              </button>
            </>
          )}
        </div>
      </header>
      <main id="main" tabIndex={-1}>
        {session ? <Pages session={session} /> : <SignIn />}
      </main>
      <footer class="muted small">{t('footer.timeZone', { zone: timeZone })}</footer>
    </>
  );
}

/** The pages of the signed-in role; moving to a page puts the keyboard focus on its heading. */
function Pages({ session }: { session: Session }) {
  const focusHeading = () => {
    requestAnimationFrame(() => {
      const heading = document.querySelector<HTMLElement>('#main h1');
      if (heading) {
        heading.tabIndex = -1;
        heading.focus({ preventScroll: false });
      }
    });
  };
  return session.role === 'tenant' ? (
    <Router onRouteChange={focusHeading}>
      <Route path="/console/jobs/new" component={CreateJob} />
      <Route path="/console/jobs/:id" component={JobDetail} />
      <Route path="/console/jobs" component={JobList} />
      <Route path="/console/videos" component={VideoList} />
      <Route path="/console/assets" component={AssetLibrary} />
      <Route default component={Home} />
    </Router>
  ) : (
    <Router onRouteChange={focusHeading}>
      <Route path="/console/review/:id" component={ReviewPage} />
      <Route path="/console/review" component={ReviewQueue} />
      <Route path="/console/dashboard" component={Dashboard} />
      <Route default component={Home} />
    </Router>
  );
}

/** The start page of the role: the job list for users, the review queue for reviewers. */
function Home() {
  const session = useSession();
  const location = useLocation();
  useEffect(() => {
    location.route(session?.role === 'admin' ? '/console/review' : '/console/jobs', true);
  }, [session?.role]);
  return null;
}
