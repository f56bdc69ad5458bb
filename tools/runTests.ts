import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { findPostgresBinaries, startPostgresServer } from './postgresServer.js';

/**
 * `npm test`: the whole suite (every dist/test/<area>/*.test.js, or the files given as arguments),
 * once on SQLite and once on PostgreSQL. The PostgreSQL pass starts a throwaway server on loopback
 * (tools/postgresServer.ts) and points every test server at a database of its own there.
 *
 * AVATARFORGE_TEST_DATABASES picks the passes ("sqlite", "postgres" or both, comma-separated). When
 * it is unset, the PostgreSQL pass runs if PostgreSQL is installed and is skipped, said loudly, if
 * not; when it names postgres, a missing PostgreSQL fails the run (CI sets it).
 */
const distRoot = fileURLToPath(new URL('../', import.meta.url));

async function main(): Promise<number> {
  const files = process.argv.slice(2).length > 0 ? process.argv.slice(2) : allTestFiles();
  const requested = process.env.AVATARFORGE_TEST_DATABASES?.split(',').map((name) => name.trim());
  const unknown = requested?.filter((name) => name !== 'sqlite' && name !== 'postgres') ?? [];
  if (unknown.length > 0) {
    console.error(`AVATARFORGE_TEST_DATABASES: unknown database ${unknown.join(', ')} (use sqlite, postgres)`);
    return 2;
  }
  const failures: string[] = [];
  if (!requested || requested.includes('sqlite')) {
    console.log(`\n== test suite on SQLite (${files.length} files)`);
    if ((await runSuite(files, {})) !== 0) failures.push('SQLite');
  }
  if (requested?.includes('postgres') || (!requested && findPostgresBinaries())) {
    const server = await startPostgresServer({ log: (line) => console.log(`\n== test suite on ${line}`) });
    try {
      if ((await runSuite(files, { AVATARFORGE_TEST_DATABASE_URL: server.url, AVATARFORGE_TEST_PSQL: server.psql })) !== 0) failures.push('PostgreSQL');
    } finally {
      await server.stop();
    }
  } else if (!requested) {
    console.log('\n== PostgreSQL pass SKIPPED: PostgreSQL is not installed (apt-get install postgresql, or set AVATARFORGE_PG_BIN)');
  }
  if (failures.length > 0) console.error(`\n== test suite FAILED on ${failures.join(' and ')}`);
  return failures.length > 0 ? 1 : 0;
}

function allTestFiles(): string[] {
  const testRoot = path.join(distRoot, 'test');
  return fs
    .readdirSync(testRoot, { withFileTypes: true })
    .filter((entry) => entry.isDirectory())
    .flatMap((area) =>
      fs
        .readdirSync(path.join(testRoot, area.name))
        .filter((name) => name.endsWith('.test.js'))
        .map((name) => path.join('dist', 'test', area.name, name)),
    )
    .sort();
}

function runSuite(files: string[], env: Record<string, string>): Promise<number> {
  const child = spawn(process.execPath, ['--test', '--test-concurrency=1', ...files], {
    cwd: path.join(distRoot, '..'),
    env: { ...process.env, ...env },
    stdio: 'inherit',
  });
  return new Promise((resolve) => child.once('exit', (code, signal) => resolve(code ?? (signal ? 1 : 0))));
}

process.exitCode = await main();
