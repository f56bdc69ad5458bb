import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { freePort } from '../../tools/localProcesses.js';
import { cliEnvironment, parseCredential, REPO_ROOT } from '../support/cli.js';
import { startCliProcess, stopProcess } from '../support/processes.js';
import { createSdkClient } from '../support/sdkClient.js';
import { makeTempDir } from '../support/testServer.js';

/** The README marks the block a newcomer pastes with this line; the block after it runs here, unchanged. */
const RECIPE_MARKER = '<!-- try-it recipe: test/docs/tryIt.test.ts runs the next block as written -->';

function readmeRecipe(): string {
  const readme = fs.readFileSync(path.join(REPO_ROOT, 'README.md'), 'utf8');
  const start = readme.indexOf(RECIPE_MARKER);
  assert.ok(start >= 0, `README.md has no line "${RECIPE_MARKER}"`);
  const block = /```sh\n([\s\S]*?)\n```/.exec(readme.slice(start + RECIPE_MARKER.length));
  assert.ok(block, 'no ```sh block after the try-it marker');
  return block[1]!;
}

/** Runs `script` with bash as a pasted recipe would run, stopping at the first failing command; resolves with its exit code and output. */
function runRecipe(script: string, cwd: string, env: NodeJS.ProcessEnv): Promise<{ code: number | null; output: string }> {
  const child = spawn('bash', ['-e', '-o', 'pipefail', '-c', script], { cwd, env, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout.on('data', (chunk) => (output += chunk));
  child.stderr.on('data', (chunk) => (output += chunk));
  return new Promise((resolve) => child.once('exit', (code) => resolve({ code, output })));
}

// The recipe runs against the server's embedded defaults (SQLite and ./data), as `npm start` runs it:
// the PostgreSQL pass has nothing to add. Its fixture video and the training take minutes.
test(
  "the README's try-it recipe takes a new job to JOB_SUCCESS",
  { skip: process.env.AVATARFORGE_TEST_DATABASE_URL ? 'runs on the embedded defaults: the SQLite pass runs it' : false, timeout: 45 * 60_000 },
  async () => {
    const packageJson = JSON.parse(fs.readFileSync(path.join(REPO_ROOT, 'package.json'), 'utf8')) as { scripts: Record<string, string>; bin: Record<string, string> };
    assert.equal(packageJson.scripts.start, 'node dist/src/cli/main.js serve', 'the test starts the server as npm start does');
    assert.equal(packageJson.bin.avatarforge, 'dist/src/cli/main.js', 'the recipe runs the CLI as npx avatarforge');

    // A directory that looks like the repository's root after npm run build (the recipe uses
    // dist/ and trainer/ from there), and where the server keeps its ./data, as after a fresh clone.
    const root = makeTempDir('try-it');
    for (const entry of ['dist', 'trainer', 'node_modules', 'package.json']) fs.symlinkSync(path.join(REPO_ROOT, entry), path.join(root, entry));
    fs.mkdirSync(path.join(root, 'home'));
    const port = await freePort();
    const server = await startCliProcess(['serve'], { AVATARFORGE_PORT: String(port), HOME: path.join(root, 'home') }, /avatarforge listening on (\S+)/, 60_000, root);
    try {
      const credential = parseCredential(server.stdout());
      const url = `http://127.0.0.1:${port}`;
      // The server is not on 8080: the recipe finds it by AVATARFORGE_PORT, as the README says.
      const { code, output } = await runRecipe(readmeRecipe(), root, cliEnvironment({
        AVATARFORGE_PORT: String(port), AK: credential.ak, SK: credential.sk, PROJECT: credential.projectId, HOME: path.join(root, 'home'),
      }));
      assert.equal(code, 0, `the recipe failed:\n${output}\nserver:\n${server.stderr()}`);
      assert.match(output.trimEnd().split('\n').at(-1)!, /JOB_SUCCESS$/, output);
      // It showed the progress of the automatic review and of preprocessing as the job logged it.
      assert.match(output, /^ {3}making the reviewer's videos: \d+ % \(markable video at \d+ of \d+ s\)$/m, output);
      assert.match(output, /^ {3}landmarks \d+\/\d+ frames, \d+ % \(\d+ s\)$/m, output);
      assert.match(output, /^ {3}background \d+\/\d+ frames, \d+ %$/m, output);

      // Its files are in try-it/, which git ignores; nothing of it is left in the root.
      const tryItDir = path.join(root, 'try-it');
      for (const file of ['anchor.mp4', 'id_front.jpg', 'id_back.jpg', 'grant.png', 'job.json', 'show.json']) {
        assert.ok(fs.existsSync(path.join(tryItDir, file)), `try-it/${file}`);
        assert.ok(!fs.existsSync(path.join(root, file)), `${file} is not in the root`);
      }
      const ignored = spawnSync('git', ['check-ignore', '--no-index', '-q', 'try-it/anchor.mp4'], { cwd: REPO_ROOT });
      assert.equal(ignored.status, 0, 'git ignores try-it/');

      // The job the recipe made is finished as the API reports it, with a model.
      const jobId = (JSON.parse(fs.readFileSync(path.join(tryItDir, 'job.json'), 'utf8')) as { job_id: string }).job_id;
      const job = await createSdkClient(url, credential).show(jobId);
      assert.equal(job.state, 'JOB_SUCCESS');
      assert.match(String(job.asset_id), /^[0-9a-f]{32}$/);
    } finally {
      await stopProcess(server.child);
      fs.rmSync(root, { recursive: true, force: true });
    }
  },
);
