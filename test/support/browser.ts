import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { REPO_ROOT } from './cli.js';

/**
 * The browser of the console tests: Debian's Chromium driven by playwright-core (which downloads
 * no browser), headless, kept off the network beyond the test server. Playwright gives each launch
 * a fresh temporary profile (--user-data-dir).
 */
export const CHROMIUM_PATH = process.env.AVATARFORGE_CHROMIUM_PATH ?? '/usr/bin/chromium';

export async function launchChromium(): Promise<Browser> {
  assert.ok(fs.existsSync(CHROMIUM_PATH), `Chromium not found at ${CHROMIUM_PATH}: apt-get install chromium (or set AVATARFORGE_CHROMIUM_PATH)`);
  return chromium.launch({
    executablePath: CHROMIUM_PATH,
    headless: true,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
}

/** A browser profile of its own (cookies, storage) with a fixed window, language and time zone. */
export function newConsoleContext(browser: Browser, options: { locale?: string; timezoneId?: string } = {}): Promise<BrowserContext> {
  return browser.newContext({
    viewport: { width: 1280, height: 900 },
    locale: options.locale ?? 'en-US',
    timezoneId: options.timezoneId ?? 'Asia/Shanghai',
  });
}

/**
 * Where screenshots go: dist/screenshots by default (a test run must not change tracked files);
 * `npm run screenshots` sets AVATARFORGE_SCREENSHOTS_DIR=docs/console to refresh the documented ones.
 */
const SCREENSHOTS_DIR = path.resolve(REPO_ROOT, process.env.AVATARFORGE_SCREENSHOTS_DIR ?? 'dist/screenshots');

export async function screenshot(page: Page, name: string): Promise<void> {
  fs.mkdirSync(SCREENSHOTS_DIR, { recursive: true });
  // The caret and the live "up to date at" line change from run to run; neither belongs in a picture.
  await page.screenshot({ path: path.join(SCREENSHOTS_DIR, `${name}.png`), fullPage: true, caret: 'hide', animations: 'disabled' });
}

/** Signs in on the console's sign-in page (in whichever language it shows) with an access key and secret key. */
export async function signIn(page: Page, baseUrl: string, credentials: { ak: string; sk: string }, path = '/console/'): Promise<void> {
  await page.goto(`${baseUrl}${path}`);
  await page.locator('#access-key').fill(credentials.ak);
  await page.locator('#secret-key').fill(credentials.sk);
  await page.locator('.sign-in button[type="submit"]').click();
  await page.locator('#main h1').filter({ hasNotText: /^(Sign in|登录)$/ }).waitFor();
}

/** Every form control on the page has an accessible name (a label, aria-label or aria-labelledby). */
export async function assertControlsLabelled(page: Page): Promise<void> {
  const unlabelled = await page.evaluate(() =>
    [...document.querySelectorAll('input, select, textarea')]
      .filter((control) => {
        const element = control as HTMLInputElement;
        if (element.type === 'hidden') return false;
        return (element.labels?.length ?? 0) === 0 && !element.getAttribute('aria-label') && !element.getAttribute('aria-labelledby');
      })
      .map((control) => control.outerHTML.slice(0, 120)),
  );
  assert.deepEqual(unlabelled, [], 'form controls without a label');
}
