/**
 * npm 11 warns at every install about dependencies whose install scripts package.json's
 * `allowScripts` does not cover (npm 12 will skip them). Every package of the lockfile with an
 * install script, on any platform, is covered, so `npm ci` runs them (better-sqlite3 builds its
 * native module, the ffmpeg packages make their binaries executable) and says nothing of them.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { REPO_ROOT } from '../support/cli.js';

interface PackageJson {
  allowScripts?: Record<string, boolean>;
}

interface PackageLock {
  packages: Record<string, { version?: string; hasInstallScript?: boolean }>;
}

test("package.json's allowScripts allows every install script of the lockfile, by name, and nothing else", () => {
  const packageJson = JSON.parse(fs.readFileSync(path.join(REPO_ROOT, 'package.json'), 'utf8')) as PackageJson;
  const lock = JSON.parse(fs.readFileSync(path.join(REPO_ROOT, 'package-lock.json'), 'utf8')) as PackageLock;
  const withScripts = Object.entries(lock.packages)
    .filter(([location, entry]) => location !== '' && entry.hasInstallScript)
    .map(([location]) => location.slice(location.lastIndexOf('node_modules/') + 'node_modules/'.length));
  assert.ok(withScripts.includes('better-sqlite3'), 'better-sqlite3 builds its native module at install');
  const allowed = packageJson.allowScripts ?? {};
  assert.deepEqual([...new Set(withScripts)].sort(), Object.keys(allowed).sort());
  for (const [name, allow] of Object.entries(allowed)) assert.equal(allow, true, `${name}: its install script is needed`);
});
