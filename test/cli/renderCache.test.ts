/**
 * `render --job` and its model cache: a job's model is unpacked once into <data dir>/render-cache and
 * found there by the next render, at most AVATARFORGE_RENDER_CACHE_MODELS models are kept (the least
 * recently used evicted, never one a running render holds), concurrent renders of one model share
 * one copy, and the printed real-time factor counts the whole command. The renderer is a stand-in
 * script (AVATARFORGE_REFERENCE_TRAINER) that checks its model is whole and records where it was;
 * the reference renderer itself is tested in test/pipeline/referenceTrainer.test.ts.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import SqliteDatabase from 'better-sqlite3';
import * as tar from 'tar';
import { CLI, cliEnvironment, createKey, databaseEnvOfArgs, REPO_ROOT } from '../support/cli.js';
import { put } from '../support/pipelineFlow.js';
import { createSdkClient, type SdkClient } from '../support/sdkClient.js';
import { makeTempDir, startTestServer, type TestServer } from '../support/testServer.js';

const execFileAsync = promisify(execFile);

/** Stands in for the reference trainer's `render --model DIR …`: waits FAKE_RENDER_SECONDS, then checks the model is still whole. */
const FAKE_RENDERER = `#!/bin/sh
[ "$1" = render ] && [ "$2" = --model ] || { echo "unexpected arguments: $*" >&2; exit 1; }
sleep "\${FAKE_RENDER_SECONDS:-0}"
[ -f "$3/model.json" ] || { echo "the model is gone from $3" >&2; exit 1; }
printf '%s\\n' "$3" >> "$FAKE_RENDER_LOG"
printf '{"output": "out.mp4", "frames": 100, "seconds": 4.0, "width": 1920, "height": 1080, "elapsed_seconds": 0.02, "real_time_factor": 0.005}\\n'
`;

let server: TestServer;
let tenant: SdkClient;
let admin: SdkClient;
let worker: SdkClient;
let workDir: string;
let renderer: string;
let renderLog: string;
let cacheDir: string;

before(async () => {
  workDir = makeTempDir('render-cache');
  server = await startTestServer();
  tenant = createSdkClient(server.url);
  admin = createSdkClient(server.url, await createKey(server, ['--role', 'admin']));
  worker = createSdkClient(server.url, await createKey(server, ['--role', 'worker']));
  renderer = path.join(workDir, 'renderer.sh');
  fs.writeFileSync(renderer, FAKE_RENDERER, { mode: 0o755 });
  renderLog = path.join(workDir, 'renders.log');
  cacheDir = path.join(server.dataDir, 'render-cache');
});

after(async () => {
  await server?.destroy();
  fs.rmSync(workDir, { recursive: true, force: true });
});

/** A job with a compiled model (a model.json naming the job), compiled by this test playing an external worker. */
async function compiledJob(name: string): Promise<string> {
  const jobId = (await tenant.create({ name })).job_id as string;
  assert.equal((await admin.request('POST', `/v1/admin/training-jobs/${jobId}/reset`, { to_state: 'WAIT_COMPILE' })).state, 'WAIT_COMPILE');
  const modelDir = path.join(workDir, `model-${name}`);
  fs.mkdirSync(path.join(modelDir, 'appearance'), { recursive: true });
  fs.writeFileSync(path.join(modelDir, 'model.json'), JSON.stringify({ format: 'avatarforge-2d', version: 1, job: name }));
  fs.writeFileSync(path.join(modelDir, 'appearance', '000000.jpg'), 'not read by the stand-in');
  const archive = path.join(workDir, `model-${name}.tar.gz`);
  await tar.c({ gzip: true, cwd: modelDir, file: archive }, ['model.json', 'appearance']);
  const claimed = await worker.request('POST', '/v1/worker/claims', { worker_id: 'render-cache-test', stages: ['compile'] });
  assert.equal(claimed.job?.job_id, jobId);
  await put(claimed.outputs.compiled_model as string, fs.readFileSync(archive));
  assert.equal((await worker.request('POST', `/v1/worker/work/${claimed.work_id}/complete`, { lease_token: claimed.lease_token })).result, 'ok');
  return jobId;
}

interface Rendered {
  modelDir: string;
  stderr: string;
  report: Record<string, number | string>;
}

/** `render --job` as a user runs it, with the stand-in renderer. */
async function renderJob(jobId: string, env: Record<string, string> = {}): Promise<Rendered> {
  const args = ['render', '--data-dir', server.dataDir, '--job', jobId, '--text', 'Hello.', '-o', path.join(workDir, 'out.mp4')];
  const { stdout, stderr } = await execFileAsync(process.execPath, [CLI, ...args], {
    cwd: REPO_ROOT,
    env: cliEnvironment({ ...databaseEnvOfArgs(args), AVATARFORGE_REFERENCE_TRAINER: renderer, FAKE_RENDER_LOG: renderLog, ...env }),
  });
  const modelDir = /(?:unpacked the model into|from) (\S+)\n/.exec(stderr)?.[1];
  assert.ok(modelDir, `render says where its model is:\n${stderr}`);
  return { modelDir, stderr, report: JSON.parse(stdout) as Record<string, number | string> };
}

/** The models in the cache, by job id. */
function cachedJobs(): string[] {
  return fs
    .readdirSync(cacheDir)
    .filter((name) => !name.startsWith('.') && !name.startsWith('index.sqlite'))
    .map((name) => name.slice(0, 32))
    .sort();
}

describe('avatarforge render --job', () => {
  test("unpacks a job's model into the data dir's render cache once and reuses it; the real-time factor includes start-up", async () => {
    const jobId = await compiledJob('cache_first');
    const first = await renderJob(jobId);
    assert.match(first.stderr, /^unpacked the model into /m);
    assert.equal(path.dirname(first.modelDir), cacheDir);
    assert.match(path.basename(first.modelDir), new RegExp(`^${jobId}-[0-9a-f]{32}$`));
    assert.equal(JSON.parse(fs.readFileSync(path.join(first.modelDir, 'model.json'), 'utf8')).job, 'cache_first');

    const second = await renderJob(jobId);
    assert.match(second.stderr, /^the model, unpacked before, from /m);
    assert.equal(second.modelDir, first.modelDir);
    assert.deepEqual(cachedJobs(), [jobId]);

    // The stand-in renders 4 s in 0.02 s (factor 0.005); the command as a whole took far longer.
    const { report } = second;
    assert.equal(report.render_real_time_factor, 0.005);
    assert.equal(report.render_elapsed_seconds, 0.02);
    assert.equal(report.seconds, 4);
    assert.ok(typeof report.elapsed_seconds === 'number' && report.elapsed_seconds > 0.1, `elapsed_seconds ${report.elapsed_seconds}`);
    assert.ok(Math.abs((report.real_time_factor as number) - report.elapsed_seconds / 4) < 0.005, `real_time_factor ${report.real_time_factor} is elapsed_seconds / 4`);
  });

  test('keeps at most AVATARFORGE_RENDER_CACHE_MODELS models, the least recently used evicted, never one a running render holds', { timeout: 60_000 }, async () => {
    fs.rmSync(cacheDir, { recursive: true, force: true });
    const [a, b, c] = [await compiledJob('cache_a'), await compiledJob('cache_b'), await compiledJob('cache_c')];
    const two = { AVATARFORGE_RENDER_CACHE_MODELS: '2' };
    await renderJob(a, two);
    await renderJob(b, two);
    await renderJob(a, two);
    await renderJob(c, two);
    assert.deepEqual(cachedJobs(), [a, c].sort(), 'b, used least recently, is evicted');

    // While a render of a holds its model, c is evicted instead; the render still finds its model whole.
    const holding = renderJob(a, { ...two, AVATARFORGE_RENDER_CACHE_MODELS: '1', FAKE_RENDER_SECONDS: '3' });
    await waitFor(() => holdsOf(a) > 0);
    await renderJob(b, { AVATARFORGE_RENDER_CACHE_MODELS: '1' });
    assert.deepEqual(cachedJobs(), [a, b].sort());
    const held = await holding;
    assert.match(held.stderr, /unpacked before/);
    assert.equal(holdsOf(a), 0, 'the render let go of its model when it ended');
  });

  test('two renders of one model at once share one unpacked copy and leave nothing half-made', { timeout: 60_000 }, async () => {
    const jobId = await compiledJob('cache_together');
    const [one, other] = await Promise.all([renderJob(jobId), renderJob(jobId)]);
    assert.equal(one.modelDir, other.modelDir);
    assert.equal(cachedJobs().filter((cached) => cached === jobId).length, 1);
    assert.deepEqual(fs.readdirSync(cacheDir).filter((name) => name.startsWith('.')), []);
  });

  test('a bad cache bound is refused with the variable named', async () => {
    const jobId = await compiledJob('cache_bad_bound');
    await assert.rejects(renderJob(jobId, { AVATARFORGE_RENDER_CACHE_MODELS: '0' }), /AVATARFORGE_RENDER_CACHE_MODELS must be a whole number from 1 to 1000, got "0"/);
  });
});

/** How many processes hold the job's model, by the cache's index (read only: the CLI processes write it). */
function holdsOf(jobId: string): number {
  const indexFile = path.join(cacheDir, 'index.sqlite');
  if (!fs.existsSync(indexFile)) return 0;
  const index = new SqliteDatabase(indexFile, { readonly: true, timeout: 10_000 });
  try {
    return (index.prepare("SELECT count(*) AS holds FROM holds WHERE key LIKE ? || '-%'").get(jobId) as { holds: number }).holds;
  } finally {
    index.close();
  }
}

async function waitFor(condition: () => boolean, timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error('timed out waiting');
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}
