import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { fileURLToPath } from 'node:url';
import { databaseEnv } from './database.js';
import { TEST_PROJECT_ID } from './testServer.js';

// This file compiles to dist/test/support/: the built CLI is dist/src/cli/main.js, the repository root three levels up.
export const CLI = fileURLToPath(new URL('../../src/cli/main.js', import.meta.url));
export const REPO_ROOT = fileURLToPath(new URL('../../../', import.meta.url));

const execFileAsync = promisify(execFile);

/** A tenant credential as the CLI prints it. */
export interface Credentials {
  ak: string;
  sk: string;
  projectId: string;
}

/** The environment without any AVATARFORGE_* setting of the caller, plus the given ones. */
export function cliEnvironment(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const clean = Object.fromEntries(Object.entries(process.env).filter(([name]) => !name.startsWith('AVATARFORGE_')));
  return { ...clean, ...extra };
}

/** The database settings for the data dir that `args` name with --data-dir (see database.ts). */
export function databaseEnvOfArgs(args: string[]): Record<string, string> {
  const index = args.indexOf('--data-dir');
  return index >= 0 && args[index + 1] !== undefined ? databaseEnv(args[index + 1]!) : {};
}

/** Runs the built CLI from the repository root and returns its stdout; rejects on a non-zero exit. */
export async function cli(args: string[], env: Record<string, string> = {}): Promise<string> {
  const { stdout } = await execFileAsync(process.execPath, [CLI, ...args], { cwd: REPO_ROOT, env: cliEnvironment({ ...databaseEnvOfArgs(args), ...env }) });
  return stdout;
}

/** The project id, access key and secret key printed by `keys create` or the first `serve`. */
export function parseCredential(stdout: string): Credentials {
  const field = (label: string) => {
    const match = new RegExp(`${label}\\s*:\\s*(\\S+)`).exec(stdout);
    assert.ok(match, `no "${label}" in CLI output:\n${stdout}`);
    return match[1]!;
  };
  return { projectId: field('project id'), ak: field('access key'), sk: field('secret key') };
}

/**
 * A new key in the test project, made with `keys create` against a running server's data dir
 * (SQLite WAL allows a second writer).
 */
export async function createKey(server: { dataDir: string }, extra: string[] = [], env: Record<string, string> = {}): Promise<Credentials> {
  return parseCredential(await cli(['keys', 'create', '--project', TEST_PROJECT_ID, '--data-dir', server.dataDir, ...extra], env));
}

/** Revokes a key with `keys revoke` against a running server's data dir. */
export async function revokeKey(server: { dataDir: string }, accessKey: string): Promise<void> {
  await cli(['keys', 'revoke', accessKey, '--data-dir', server.dataDir]);
}
