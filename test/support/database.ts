import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import path from 'node:path';

/**
 * The database the test suite runs on. By default each test server keeps SQLite in its data dir.
 * With AVATARFORGE_TEST_DATABASE_URL (a PostgreSQL server's URL, as `npm test` sets it for its
 * PostgreSQL pass), each data dir gets a database of its own on that server, named after the dir:
 * a server restarted on the same data dir, or a CLI command run against it, finds the same data.
 */
const adminUrl = process.env.AVATARFORGE_TEST_DATABASE_URL;

export const TEST_DATABASE: 'sqlite' | 'postgres' = adminUrl === undefined ? 'sqlite' : 'postgres';

/** The settings that point a server or CLI command at the data dir's database (none for SQLite). */
export function databaseEnv(dataDir: string): Record<string, string> {
  if (adminUrl === undefined) return {};
  const name = databaseName(dataDir);
  try {
    psql(`CREATE DATABASE ${name}`);
  } catch (error) {
    if (!String((error as { stderr?: unknown }).stderr).includes('already exists')) throw error;
  }
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  return { AVATARFORGE_DATABASE_URL: url.toString() };
}

/** Drops the data dir's database, if the suite runs on PostgreSQL (connections to it are ended). */
export function dropDatabase(dataDir: string): void {
  if (adminUrl !== undefined) psql(`DROP DATABASE IF EXISTS ${databaseName(dataDir)} WITH (FORCE)`);
}

/** Every row of the tables, as text (PostgreSQL only): for checks that nothing is stored in clear. */
export function dumpTables(dataDir: string, tables: string[]): string {
  const url = new URL(adminUrl!);
  url.pathname = `/${databaseName(dataDir)}`;
  return tables.map((table) => psql(`COPY ${table} TO STDOUT`, url.toString())).join('');
}

function databaseName(dataDir: string): string {
  return `avatarforge_test_${createHash('sha256').update(path.resolve(dataDir)).digest('hex').slice(0, 24)}`;
}

function psql(statement: string, url = adminUrl!): string {
  const psqlPath = process.env.AVATARFORGE_TEST_PSQL ?? 'psql';
  return execFileSync(psqlPath, ['--no-psqlrc', '--quiet', '-v', 'ON_ERROR_STOP=1', '-d', url, '-c', statement], {
    stdio: ['ignore', 'pipe', 'pipe'],
    encoding: 'utf8',
  });
}
