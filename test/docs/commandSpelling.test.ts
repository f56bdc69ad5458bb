/**
 * One spelling of the CLI wherever a reader is shown a command: `npx avatarforge …` (the package's
 * own "bin", found by npx in the repository without fetching anything). The README, docs/ and the
 * console's texts are checked; systemd units (ExecStart=) name node itself, as a service should.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { REPO_ROOT } from '../support/cli.js';

const SUBCOMMANDS = 'serve|worker|keys|admin|render|voices|say|model|migrate|copy-embedded';
/** `node dist/src/cli/main.js …`, or a bare `avatarforge <subcommand>` at the start of a code span or a code line. */
const OTHER_SPELLINGS = [/node dist\/src\/cli\/main\.js/, new RegExp(`(^|\`)\\s*avatarforge (${SUBCOMMANDS})\\b`)];

function shownFiles(): string[] {
  const docs = fs.readdirSync(path.join(REPO_ROOT, 'docs')).filter((name) => name.endsWith('.md')).map((name) => path.join('docs', name));
  const pages = fs.readdirSync(path.join(REPO_ROOT, 'console', 'src', 'pages')).map((name) => path.join('console', 'src', 'pages', name));
  return ['README.md', ...docs, path.join('console', 'src', 'i18n', 'messages.ts'), ...pages];
}

test('README, docs and the console show the CLI as npx avatarforge, and only so', () => {
  const found: string[] = [];
  for (const file of shownFiles()) {
    fs.readFileSync(path.join(REPO_ROOT, file), 'utf8').split('\n').forEach((line, index) => {
      if (line.trimStart().startsWith('ExecStart=')) return;
      if (OTHER_SPELLINGS.some((pattern) => pattern.test(line))) found.push(`${file}:${index + 1}: ${line.trim()}`);
    });
  }
  assert.deepEqual(found, []);
});

test('npx avatarforge runs the built command from the repository', () => {
  const packageJson = JSON.parse(fs.readFileSync(path.join(REPO_ROOT, 'package.json'), 'utf8')) as { name: string; bin: Record<string, string>; version: string };
  assert.equal(packageJson.name, 'avatarforge');
  assert.deepEqual(packageJson.bin, { avatarforge: 'dist/src/cli/main.js' });
  const printed = execFileSync('npx', ['--offline', 'avatarforge', '--version'], { cwd: path.join(REPO_ROOT, 'docs'), encoding: 'utf8' });
  assert.equal(printed.trim(), packageJson.version);
});
