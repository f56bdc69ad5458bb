import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { findMinioBinary } from './minioServer.js';
import { findPostgresBinaries, startPostgresServer } from './postgresServer.js';

/**
 * `npm test`: the whole suite, in four passes (the SQLite and PostgreSQL ones side by side).
 *   trainer   the reference trainer's own tests (pytest in trainer/.venv, made by npm run build);
 *   sqlite    every dist/test/<area>/*.test.js but the scale-out test, on SQLite; then every
 *             status its servers answered is checked against their OpenAPI document
 *             (tools/statusCoverage.ts over test-results/sqlite-requests/);
 *   postgres  the same files but SQLITE_PASS_ONLY on a throwaway PostgreSQL server on loopback
 *             (tools/postgresServer.ts), every test server with a database of its own there;
 *   scale     dist/test/scale: API nodes and workers as separate processes on PostgreSQL and MinIO.
 * Files given as arguments replace the file list of the first two passes.
 *
 * AVATARFORGE_TEST_PASSES picks passes (comma-separated). When it is unset, a pass whose servers
 * are not installed (PostgreSQL; MinIO for scale) is skipped, said loudly; a pass it names fails
 * the run instead (CI names them all).
 *
 * Everything the tests write to the temporary directory goes into one folder of the run (their
 * TMPDIR), removed when the run ends; the fixture cache stays where it was. Ctrl-C (SIGINT) or
 * SIGTERM goes to every process of the running passes (each pass runs in a process group of its
 * own), the remaining passes are skipped, and the run still stops its servers and removes its folder.
 */
const distRoot = fileURLToPath(new URL('../', import.meta.url));
const PASSES = ['trainer', 'sqlite', 'postgres', 'scale'] as const;
/** Where the passes' TAP and request logs go (AVATARFORGE_TEST_RESULTS_DIR, else test-results/). */
const RESULTS_DIR = process.env.AVATARFORGE_TEST_RESULTS_DIR ?? path.join(distRoot, '..', 'test-results');
const TRAINER_PYTHON = path.join(distRoot, '..', 'trainer', '.venv', 'bin', 'python');
/** The test area that only the scale pass runs. */
const SCALE_AREA = 'scale';
/**
 * Files the PostgreSQL pass leaves to the SQLite pass: what they test does not depend on the
 * database (the reference trainer's media work, the console's pages in a browser), and they are the
 * longest files of the suite. Every other file runs on both databases.
 */
const SQLITE_PASS_ONLY = [path.join('dist', 'test', 'pipeline', 'referenceTrainer.test.js'), path.join('dist', 'test', 'browser') + path.sep];
/** How long a pass has to end after the interrupt is passed on, before its processes are killed. */
const INTERRUPT_GRACE_MS = 10_000;

const runDir = fs.mkdtempSync(path.join(os.tmpdir(), 'avatarforge-test-run-'));
// Others may pass through it (not list it): as root, a run started by a test (test/tools) keeps its
// PostgreSQL cluster in here, owned by the postgres user.
fs.chmodSync(runDir, 0o711);
const childEnv = {
  TMPDIR: runDir,
  AVATARFORGE_FIXTURE_CACHE: process.env.AVATARFORGE_FIXTURE_CACHE ?? path.join(os.tmpdir(), 'avatarforge-fixtures'),
};
const running = new Set<ChildProcess>();
let interrupted: NodeJS.Signals | undefined;

for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.on(signal, () => {
    if (!interrupted) console.error(`\n== ${signal}: stopping the running passes; no other pass starts`);
    interrupted = signal;
    signalPass(signal);
    setTimeout(() => signalPass('SIGKILL'), INTERRUPT_GRACE_MS).unref();
  });
}

function signalPass(signal: NodeJS.Signals): void {
  for (const child of running) {
    try {
      if (child.pid !== undefined && child.exitCode === null) process.kill(-child.pid, signal);
    } catch {
      // The pass has ended.
    }
  }
}

async function main(): Promise<number> {
  const files = process.argv.slice(2).length > 0 ? process.argv.slice(2) : testFiles((area) => area !== SCALE_AREA);
  const requested = process.env.AVATARFORGE_TEST_PASSES?.split(',').map((name) => name.trim());
  const unknown = requested?.filter((name) => !(PASSES as readonly string[]).includes(name)) ?? [];
  if (unknown.length > 0) {
    console.error(`AVATARFORGE_TEST_PASSES: unknown pass ${unknown.join(', ')} (passes: ${PASSES.join(', ')})`);
    return 2;
  }
  const missing = { postgres: findPostgresBinaries() ? undefined : 'PostgreSQL is not installed (apt-get install postgresql, or AVATARFORGE_PG_BIN)' };
  const scaleMissing = missing.postgres ?? (findMinioBinary() ? undefined : 'MinIO is not installed (see .ci/run, or AVATARFORGE_MINIO_BIN)');
  const wanted = (pass: (typeof PASSES)[number], missingWhy: string | undefined): boolean => {
    if (requested) return requested.includes(pass);
    if (missingWhy) console.log(`\n== ${pass} pass SKIPPED: ${missingWhy}`);
    return missingWhy === undefined;
  };
  const failures: string[] = [];
  const wantedNow = (pass: (typeof PASSES)[number], missingWhy: string | undefined) => !interrupted && wanted(pass, missingWhy);
  if (process.argv.slice(2).length === 0 && wantedNow('trainer', fs.existsSync(TRAINER_PYTHON) ? undefined : 'the trainer environment is not set up (npm run build: trainer/setup.sh)')) {
    console.log('\n== reference trainer tests (pytest)');
    if ((await runCommand(TRAINER_PYTHON, ['-m', 'pytest', '-q', 'trainer/tests'], {})) !== 0) failures.push('trainer');
  }
  const runSqlite = wantedNow('sqlite', undefined);
  const runPostgres = wantedNow('postgres', missing.postgres);
  const runScale = process.argv.slice(2).length === 0 && wantedNow('scale', scaleMissing);
  const server = runPostgres || runScale ? await startPostgresServer({ log: (line) => console.log(`\n== ${line}`) }) : undefined;
  const env: Record<string, string> = server ? { AVATARFORGE_TEST_DATABASE_URL: server.url, AVATARFORGE_TEST_PSQL: server.psql } : {};
  try {
    // The SQLite and PostgreSQL passes run side by side (each runs its files one at a time); the
    // PostgreSQL pass's lines are shown when it ends.
    const sqlitePass = async () => {
      console.log(`\n== test suite on SQLite (${files.length} files)`);
      const requestLog = path.join(RESULTS_DIR, 'sqlite-requests');
      fs.rmSync(requestLog, { recursive: true, force: true });
      const testsPassed = (await runFiles('sqlite', files, { AVATARFORGE_TEST_REQUEST_LOG: requestLog })) === 0;
      // The PostgreSQL pass serves the same routes: one check is enough.
      const statusesDeclared = !interrupted && (await checkStatusCoverage(requestLog));
      if (!testsPassed || !statusesDeclared) failures.push('sqlite');
    };
    const postgresPass = async () => {
      const postgresFiles = files.filter((file) => !SQLITE_PASS_ONLY.some((left) => path.normalize(file).startsWith(left)));
      const leftOut = files.length - postgresFiles.length;
      console.log(`\n== test suite on PostgreSQL (${postgresFiles.length} files${leftOut > 0 ? `; ${leftOut} left to the SQLite pass: the reference trainer, the console in a browser` : ''})${runSqlite ? ', beside the SQLite pass: its lines follow when it ends' : ''}`);
      // node --test without files would look for every test file itself.
      if (postgresFiles.length === 0) return;
      const output = runSqlite ? path.join(RESULTS_DIR, 'postgres-output.txt') : undefined;
      const code = await runFiles('postgres', postgresFiles, env, output);
      if (output) console.log(`\n== test suite on PostgreSQL: its lines\n${fs.readFileSync(output, 'utf8').trimEnd()}`);
      if (code !== 0) failures.push('postgres');
    };
    await Promise.all([runSqlite ? sqlitePass() : undefined, runPostgres ? postgresPass() : undefined]);
    if (runScale && !interrupted) {
      console.log('\n== scale-out test: API nodes and workers as processes on PostgreSQL and MinIO');
      if ((await runFiles('scale', testFiles((area) => area === SCALE_AREA), { ...env, AVATARFORGE_TEST_REQUIRE_MINIO: '1' })) !== 0) failures.push('scale');
    }
  } finally {
    await server?.stop();
  }
  if (interrupted) {
    console.error(`\n== test suite interrupted (${interrupted})`);
    return 130;
  }
  if (failures.length > 0) console.error(`\n== test suite FAILED in the ${failures.join(', ')} pass${failures.length > 1 ? 'es' : ''}`);
  return failures.length > 0 ? 1 : 0;
}

function testFiles(inArea: (area: string) => boolean): string[] {
  const testRoot = path.join(distRoot, 'test');
  return fs
    .readdirSync(testRoot, { withFileTypes: true })
    .filter((entry) => entry.isDirectory() && inArea(entry.name))
    .flatMap((area) =>
      fs
        .readdirSync(path.join(testRoot, area.name))
        .filter((name) => name.endsWith('.test.js'))
        .map((name) => path.join('dist', 'test', area.name, name)),
    )
    .sort();
}

/**
 * One line per file and every failure in full on the console (tools/testReporter.ts); the whole TAP
 * of the pass in test-results/<pass>.tap. With `output`, the console's part goes to that file instead.
 */
function runFiles(pass: string, files: string[], env: Record<string, string>, output?: string): Promise<number> {
  fs.mkdirSync(RESULTS_DIR, { recursive: true });
  const tapFile = path.join(RESULTS_DIR, `${pass}.tap`);
  console.log(`   (every test's TAP: ${path.relative(path.join(distRoot, '..'), tapFile)})`);
  return runCommand(
    process.execPath,
    [
      '--test',
      '--test-concurrency=1',
      `--test-reporter=${path.join(distRoot, 'tools', 'testReporter.js')}`,
      '--test-reporter-destination=stdout',
      '--test-reporter=tap',
      `--test-reporter-destination=${tapFile}`,
      ...files,
    ],
    env,
    output,
  );
}

/**
 * Every status the pass's servers answered (their request log: test/support/testServer.ts) checked
 * against the OpenAPI document (tools/statusCoverage.ts), as one line in the style of the file
 * lines, with each undeclared status below it.
 */
async function checkStatusCoverage(requestLog: string): Promise<boolean> {
  const shown = path.relative(path.join(distRoot, '..'), requestLog);
  if (!fs.existsSync(requestLog)) {
    console.log(`FAIL statuses in ${shown} vs. GET /openapi.json  (no server logged a request)`);
    return false;
  }
  const child = spawn(process.execPath, [path.join(distRoot, 'tools', 'statusCoverage.js'), requestLog], { cwd: path.join(distRoot, '..'), stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => (output += chunk));
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => (output += chunk));
  const code = await new Promise<number | null>((resolve) => child.once('close', resolve));
  const lines = output.trimEnd().split('\n');
  const summary = code === 0 || code === 1 ? lines.pop() : 'the check did not run';
  console.log(`${code === 0 ? 'ok  ' : 'FAIL'} statuses in ${shown} vs. GET /openapi.json  (${summary})`);
  for (const line of lines) console.log(`    ${line}`);
  return code === 0;
}

/**
 * Runs a pass's command in a process group of its own (see the interrupt handling above), its output
 * on the console or, with `output`, in that file.
 */
async function runCommand(command: string, args: string[], env: Record<string, string>, output?: string): Promise<number> {
  const outputFile = output === undefined ? undefined : fs.openSync(output, 'w');
  const child = spawn(command, args, {
    cwd: path.join(distRoot, '..'),
    env: { ...process.env, ...childEnv, ...env },
    stdio: outputFile === undefined ? 'inherit' : ['ignore', outputFile, outputFile],
    detached: true,
  });
  running.add(child);
  try {
    return await new Promise((resolve) => child.once('exit', (code, signal) => resolve(code ?? (signal ? 1 : 0))));
  } finally {
    running.delete(child);
    if (outputFile !== undefined) fs.closeSync(outputFile);
  }
}

try {
  process.exitCode = await main();
} finally {
  fs.rmSync(runDir, { recursive: true, force: true });
}
