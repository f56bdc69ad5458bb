/**
 * `npm test` (tools/runTests.ts) interrupted: Ctrl-C reaches every process the running pass started,
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

test('Ctrl-C on the test runner ends the running pass with everything it started, and removes the run\'s temporary folder', async () => {
  const dir = makeTempDir('interrupted-run');
  const pids = path.join(dir, 'pids');
  // A test that starts a long-lived process, says where it is, and never ends.
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
      `  fs.writeFileSync(${JSON.stringify(pids)} + '.partial', [child.pid, process.pid, os.tmpdir()].join(' '));`,
      `  fs.renameSync(${JSON.stringify(pids)} + '.partial', ${JSON.stringify(pids)});`,
      '  await new Promise(() => setInterval(() => undefined, 1000));',
      '});',
      '',
    ].join('\n'),
  );
  // Without NODE_TEST_CONTEXT, which the outer test runner sets: the inner one runs as from a terminal.
  const { NODE_TEST_CONTEXT: _, ...environment } = process.env;
  const runner = spawn(process.execPath, [RUN_TESTS, hanging], {
    env: { ...environment, AVATARFORGE_TEST_PASSES: 'sqlite,postgres', AVATARFORGE_TEST_RESULTS_DIR: path.join(dir, 'results') },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  runner.stdout!.setEncoding('utf8').on('data', (chunk: string) => (output += chunk));
  runner.stderr!.setEncoding('utf8').on('data', (chunk: string) => (output += chunk));
  const exited = new Promise<number | null>((resolve) => runner.once('exit', resolve));
  await until('the hanging test started its process', () => fs.existsSync(pids));
  const [sleeper, testProcess, runTmp] = fs.readFileSync(pids, 'utf8').split(' ') as [string, string, string];
  assert.ok(fs.existsSync(runTmp), "the tests' TMPDIR is the run's folder");

  runner.kill('SIGINT');
  assert.equal(await exited, 130, output);
  await until("the test's process ended", () => !processAlive(Number(testProcess)));
  await until('the process the test started ended', () => !processAlive(Number(sleeper)));
  assert.equal(fs.existsSync(runTmp), false, "the run's temporary folder is removed");
  assert.match(output, /SIGINT: stopping the running pass; no other pass starts/);
  assert.doesNotMatch(output, /test suite on PostgreSQL/, 'the PostgreSQL pass did not start');
});
