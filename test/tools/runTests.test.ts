/**
 * `npm test` (tools/runTests.ts) interrupted: Ctrl-C reaches every process the running passes started,
 * no other pass starts, and the run's temporary folder is removed.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { processAlive, until } from '../support/processes.js';
import { makeTempDir } from '../support/testServer.js';

const RUN_TESTS = fileURLToPath(new URL('../../tools/runTests.js', import.meta.url));

test('Ctrl-C on the test runner ends the running passes with everything they started, and removes the run\'s temporary folder', async () => {
  const dir = makeTempDir('interrupted-run');
  const pids = (pass: string) => path.join(dir, `pids-${pass}`);
  // A test that starts a long-lived process, says where it is (in a file of its pass: the SQLite and
  // PostgreSQL passes run side by side), and never ends.
  const hanging = path.join(dir, 'hanging.test.mjs');
  fs.writeFileSync(
    hanging,
    [
      "import { spawn } from 'node:child_process';",
      "import fs from 'node:fs';",
      "import os from 'node:os';",
      "import { test } from 'node:test';",
      "test('hangs', async () => {",
      "  const child = spawn('sleep', ['1000'], { stdio: 'ignore' });",
      `  const pids = ${JSON.stringify(pids(''))} + (process.env.AVATARFORGE_TEST_DATABASE_URL ? 'postgres' : 'sqlite');`,
      "  fs.writeFileSync(pids + '.partial', [child.pid, process.pid, os.tmpdir()].join(' '));",
      "  fs.renameSync(pids + '.partial', pids);",
      '  await new Promise(() => setInterval(() => undefined, 1000));',
      '});',
      '',
    ].join('\n'),
  );
  // Without what the outer test runner sets (NODE_TEST_CONTEXT, the pass's database and request log):
  // the inner one runs as from a terminal.
  const { NODE_TEST_CONTEXT: _, AVATARFORGE_TEST_DATABASE_URL: _url, AVATARFORGE_TEST_PSQL: _psql, AVATARFORGE_TEST_REQUEST_LOG: _log, ...environment } = process.env;
  const runner = spawn(process.execPath, [RUN_TESTS, hanging], {
    env: { ...environment, AVATARFORGE_TEST_PASSES: 'sqlite,postgres', AVATARFORGE_TEST_RESULTS_DIR: path.join(dir, 'results') },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  runner.stdout!.setEncoding('utf8').on('data', (chunk: string) => (output += chunk));
  runner.stderr!.setEncoding('utf8').on('data', (chunk: string) => (output += chunk));
  const exited = new Promise<number | null>((resolve) => runner.once('exit', resolve));
  const started: [string, string, string][] = [];
  try {
    for (const pass of ['sqlite', 'postgres']) {
      await until(`the hanging test started its process in the ${pass} pass`, () => fs.existsSync(pids(pass)));
      started.push(fs.readFileSync(pids(pass), 'utf8').split(' ') as [string, string, string]);
    }
  } catch (error) {
    runner.kill('SIGINT');
    await exited;
    throw new Error(`${(error as Error).message}; the runner said:\n${output}`);
  }
  const runTmp = started[0]![2];
  assert.ok(fs.existsSync(runTmp), "the tests' TMPDIR is the run's folder");

  runner.kill('SIGINT');
  assert.equal(await exited, 130, output);
  for (const [sleeper, testProcess] of started) {
    await until("the test's process ended", () => !processAlive(Number(testProcess)));
    await until('the process the test started ended', () => !processAlive(Number(sleeper)));
  }
  assert.equal(fs.existsSync(runTmp), false, "the run's temporary folder is removed");
  assert.match(output, /SIGINT: stopping the running passes; no other pass starts/);
});
