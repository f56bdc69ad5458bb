/**
 * The avatarforge benchmark: Show and List under AK/SK signatures against 1,000,000 jobs in SQLite,
 * and ListAssets on the tenant's 100,000 assets, each run next to a raw node:http baseline that
 * answers the same JSON, all driven by autocannon in this process. Prints a table with the targets and writes the results as JSON to bench/results/.
 *
 *   npm run bench
 *
 * Knobs (environment): BENCH_CONNECTIONS (64), BENCH_DURATION seconds per run (10), BENCH_WARMUP
 * seconds (3), BENCH_DATA_DIR (bench/.data/million), BENCH_SCENARIOS (e.g. "show,list-state"),
 * BENCH_PIN=1 to pin the servers to CPU 1 and this process (the client) to CPU 0 with taskset.
 *
 * bench/databases.ts runs the same scenarios on SQLite and PostgreSQL with what this module exports.
 */
import { execFileSync, fork, spawn, type ChildProcess } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { stringify as stringifyQuery } from 'node:querystring';
import { fileURLToPath, pathToFileURL } from 'node:url';
import autocannon, { type AutocannonRequest, type AutocannonResult } from 'autocannon';
import SqliteDatabase from 'better-sqlite3';
import { AKSKSigner } from '@huaweicloud/huaweicloud-sdk-core/auth/AKSKSigner.js';
import { BasicCredentials } from '@huaweicloud/huaweicloud-sdk-core/auth/BasicCredentials.js';
import { freePort } from '../tools/localProcesses.js';
import { BATCH_NAMES, BENCH_TENANT, DEFAULT_DATA_DIR, LAYOUT, REPO_ROOT, TAGS, ensureSeeded } from './seed.js';

/** The knobs, shared with bench/databases.ts. */
export const settings = {
  connections: integerFromEnv('BENCH_CONNECTIONS', 64),
  durationSeconds: integerFromEnv('BENCH_DURATION', 10),
  warmupSeconds: integerFromEnv('BENCH_WARMUP', 3),
  dataDir: process.env.BENCH_DATA_DIR ? path.resolve(process.env.BENCH_DATA_DIR) : DEFAULT_DATA_DIR,
  pinCpus: process.env.BENCH_PIN === '1',
  /** Comma-separated scenario names to run (all when unset). */
  only: process.env.BENCH_SCENARIOS ? process.env.BENCH_SCENARIOS.split(',').map((name) => name.trim()) : undefined,
};

const TARGETS = { showRatio: 0.6, showP99Ms: 10, listP99Ms: 20 };
/** How many distinct tenant jobs the Show requests spread over. */
export const SHOW_POOL_SIZE = 2000;
/** autocannon gives up on a request after this long (and counts it as an error and a timeout). */
export const REQUEST_TIMEOUT_SECONDS = 10;
const JOBS_PATH = `/v1/${BENCH_TENANT.projectId}/digital-human-training-manage/user/jobs`;
const ASSETS_PATH = `/v1/${BENCH_TENANT.projectId}/digital-assets`;
/** Where the deep pages start: a quarter into the tenant's jobs, half into its assets. */
const JOBS_DEEP_OFFSET = 50_000;
const ASSETS_DEEP_OFFSET = 50_000;
/** The asset types the console's asset library shows, one tab each. */
const LISTED_ASSET_TYPES = ['VIDEO', 'IMAGE', 'AUDIO', 'HUMAN_MODEL_2D'];
const BUILD_DIR = path.dirname(fileURLToPath(import.meta.url));
const SERVER_ENTRY = path.join(REPO_ROOT, 'dist', 'src', 'cli', 'main.js');
const BASELINE_ENTRY = path.join(BUILD_DIR, 'baselineServer.js');
const RESULTS_DIR = path.join(REPO_ROOT, 'bench', 'results');

export interface SignedRequest {
  method: 'GET';
  path: string;
  headers: Record<string, string>;
}

export interface Scenario {
  name: string;
  kind: 'show' | 'list';
  describe: string;
  /** Unsigned requests (path and query); signed per target just before the run. */
  requests: Array<{ pathname: string; query: Record<string, string> }>;
}

/** fastify-floor: a bare Fastify route answering the same body (Show only): the framework's own cost. */
type RunTarget = 'baseline' | 'fastify-floor' | 'avatarforge';

export interface Measurement<Target extends string = RunTarget> {
  scenario: string;
  target: Target;
  requestsPerSecond: number;
  p50Ms: number;
  p90Ms: number;
  p99Ms: number;
  maxMs: number;
  total2xx: number;
  non2xx: number;
  errors: number;
  timeouts: number;
  responseBytes: number;
}

const children = new Set<ChildProcess>();

async function main(): Promise<void> {
  if (!fs.existsSync(SERVER_ENTRY)) throw new Error(`${SERVER_ENTRY} is missing: build first (npm run build)`);
  if (settings.pinCpus) execFileSync('taskset', ['-a', '-p', '-c', '0', String(process.pid)], { stdio: 'ignore' });
  log(`machine: ${os.cpus().length} CPUs (${os.cpus()[0]?.model ?? 'unknown'}), node ${process.version}; client and servers share them`);
  const seeded = await ensureSeeded(settings.dataDir, log);

  const showJobIds = sampleTenantJobIds(settings.dataDir, SHOW_POOL_SIZE);
  const scenarios = buildScenarios(showJobIds).filter((scenario) => !settings.only || settings.only.includes(scenario.name));
  if (scenarios.length === 0) throw new Error(`BENCH_SCENARIOS matches none of the scenarios`);

  const [serverPort, baselinePort, floorPort] = [await freePort(), await freePort(), await freePort()];
  const server = await startAvatarforge(serverPort);
  const baseline = await startBaseline(baselinePort, 'node:http');
  const floor = await startBaseline(floorPort, 'fastify');

  const measurements: Measurement[] = [];
  for (const scenario of scenarios) {
    // A real answer first: it proves the signatures verify, and it is what the baseline serves.
    const probe = signRequests(scenario, serverPort)[0]!;
    const answer = await httpGet(serverPort, probe);
    if (answer.status !== 200) throw new Error(`${scenario.name}: avatarforge answered ${answer.status}: ${answer.body.slice(0, 300)}`);
    await setBaselineBody(baseline, answer.body);
    await setBaselineBody(floor, answer.body);
    log(`\n${scenario.name}: ${scenario.describe} (${scenario.requests.length} distinct requests, body ${answer.body.length} bytes)`);

    const targets = scenario.kind === 'show' ? (['baseline', 'fastify-floor', 'avatarforge'] as const) : (['baseline', 'avatarforge'] as const);
    for (const target of targets) {
      const port = target === 'baseline' ? baselinePort : target === 'fastify-floor' ? floorPort : serverPort;
      await waitUntilResponsive(serverPort);
      // Signed now, so X-Sdk-Date is fresh (the server accepts 15 minutes of skew).
      const measurement = await drive(scenario, target, [{ port, signed: signRequests(scenario, port) }]);
      measurements.push(measurement);
      log(
        `  ${target.padEnd(11)} ${fixed(measurement.requestsPerSecond, 0).padStart(7)} req/s  p50 ${fixed(measurement.p50Ms, 1)} ms  ` +
          `p99 ${fixed(measurement.p99Ms, 1)} ms  non-2xx ${measurement.non2xx}  errors ${measurement.errors}  timeouts ${measurement.timeouts}`,
      );
    }
  }

  const report = buildReport(measurements);
  process.stdout.write('\n' + report.table + '\n');
  const written = writeResults(measurements, report.checks, seeded);
  log(`results written to ${path.relative(process.cwd(), written)}`);
  await Promise.all([stopChild(server), stopChild(baseline), stopChild(floor)]);
  process.exitCode = report.checks.every((check) => check.pass) ? 0 : 1;
}

export function buildScenarios(showJobIds: string[]): Scenario[] {
  const pages = Array.from({ length: 10 }, (_, page) => String(page * 10));
  const deepPages = (from: number) => Array.from({ length: 10 }, (_, page) => String(from + page * 10));
  return [
    {
      name: 'show',
      kind: 'show',
      describe: `GET one job of the tenant (${SHOW_POOL_SIZE} random jobs of ${LAYOUT.tenantJobs.toLocaleString('en')})`,
      requests: showJobIds.map((jobId) => ({ pathname: `${JOBS_PATH}/${jobId}`, query: {} })),
    },
    {
      name: 'list-state',
      kind: 'list',
      describe: 'state=JOB_SUCCESS,TRAINING&sort_key=create_time&sort_dir=desc&limit=10, pages 1-10',
      requests: pages.map((offset) => ({
        pathname: JOBS_PATH,
        query: { state: 'JOB_SUCCESS,TRAINING', sort_key: 'create_time', sort_dir: 'desc', limit: '10', offset },
      })),
    },
    {
      name: 'list-batch',
      kind: 'list',
      describe: `batch_name=<one of ${BATCH_NAMES.length}>&sort_key=update_time&sort_dir=desc&limit=10`,
      requests: BATCH_NAMES.map((batchName) => ({
        pathname: JOBS_PATH,
        query: { batch_name: batchName, sort_key: 'update_time', sort_dir: 'desc', limit: '10' },
      })),
    },
    {
      name: 'list-tag',
      kind: 'list',
      describe: `tag=<one of ${TAGS.length}>&limit=20&offset=40 (default sort: create_time asc)`,
      requests: TAGS.map((tag) => ({ pathname: JOBS_PATH, query: { tag, limit: '20', offset: '40' } })),
    },
    {
      name: 'list-deep',
      kind: 'list',
      describe: `limit=10&offset=${JOBS_DEEP_OFFSET.toLocaleString('en')}-${(JOBS_DEEP_OFFSET + 90).toLocaleString('en')} (default sort), deep in ${LAYOUT.tenantJobs.toLocaleString('en')} jobs`,
      requests: deepPages(JOBS_DEEP_OFFSET).map((offset) => ({ pathname: JOBS_PATH, query: { limit: '10', offset } })),
    },
    // ListAssets on the tenant's assets: the first page, one type's page, the recycle bin, a deep page.
    {
      name: 'list-assets-first',
      kind: 'list',
      describe: `ListAssets limit=10, sort_dir asc or desc: the first page of ${LAYOUT.tenantAssets.toLocaleString('en')} assets`,
      requests: ['asc', 'desc'].map((sortDirection) => ({ pathname: ASSETS_PATH, query: { sort_key: 'create_time', sort_dir: sortDirection, limit: '10', offset: '0' } })),
    },
    {
      name: 'list-assets-type',
      kind: 'list',
      describe: `ListAssets asset_type=<one of ${LISTED_ASSET_TYPES.length}>&asset_state=ACTIVED&sort_dir=desc&limit=10, pages 1-10`,
      requests: LISTED_ASSET_TYPES.flatMap((assetType) =>
        pages.map((offset) => ({ pathname: ASSETS_PATH, query: { asset_type: assetType, asset_state: 'ACTIVED', sort_key: 'create_time', sort_dir: 'desc', limit: '10', offset } })),
      ),
    },
    {
      name: 'list-assets-bin',
      kind: 'list',
      describe: 'ListAssets asset_state=DELETING&sort_dir=desc&limit=20: the recycle bin (empty in the seed), pages 1-2',
      requests: ['0', '20'].map((offset) => ({ pathname: ASSETS_PATH, query: { asset_state: 'DELETING', sort_key: 'create_time', sort_dir: 'desc', limit: '20', offset } })),
    },
    {
      name: 'list-assets-deep',
      kind: 'list',
      describe: `ListAssets limit=10&offset=${ASSETS_DEEP_OFFSET.toLocaleString('en')}-${(ASSETS_DEEP_OFFSET + 90).toLocaleString('en')} (default sort), deep in ${LAYOUT.tenantAssets.toLocaleString('en')} assets`,
      requests: deepPages(ASSETS_DEEP_OFFSET).map((offset) => ({ pathname: ASSETS_PATH, query: { limit: '10', offset } })),
    },
  ];
}

/** Signs every request of a scenario for one target with the npm SDK's signer, as the SDK's client would. */
export function signRequests(scenario: Scenario, port: number): SignedRequest[] {
  const credentials = new BasicCredentials().withAk(BENCH_TENANT.accessKey).withSk(BENCH_TENANT.secretKey).withProjectId(BENCH_TENANT.projectId);
  const sdkDate = new Date().toISOString().replace(/[-:]/g, '').replace(/\.\d{3}Z$/, 'Z');
  return scenario.requests.map(({ pathname, query }) => {
    const headers = AKSKSigner.sign(
      {
        method: 'GET',
        endpoint: `http://127.0.0.1:${port}${pathname}`,
        headers: { 'content-type': 'application/json', 'X-Project-Id': BENCH_TENANT.projectId, 'X-Sdk-Date': sdkDate },
        queryParams: query,
      } as unknown as Parameters<typeof AKSKSigner.sign>[0],
      credentials,
    ) as Record<string, string>;
    const queryText = stringifyQuery(query);
    return { method: 'GET', path: queryText ? `${pathname}?${queryText}` : pathname, headers };
  });
}

/**
 * Runs one scenario against one server, or against several at once: autocannon then spreads its
 * connections round-robin over them, and its figures (throughput, latency histogram) cover all.
 */
export async function drive<Target extends string>(
  scenario: Scenario,
  target: Target,
  servers: Array<{ port: number; signed: SignedRequest[] }>,
): Promise<Measurement<Target>> {
  const signedByPort = new Map(servers.map((server) => [server.port, server.signed]));
  // Every connection picks a random request of the pool each time, so connections do not march in step.
  const pick: AutocannonRequest = {
    method: 'GET',
    setupRequest: (request) => {
      // Signatures cover the Host header, so each server gets the pool signed for its port.
      const signed = signedByPort.get(Number(request.port))!;
      const chosen = signed[crypto.randomInt(signed.length)]!;
      return { ...request, path: chosen.path, headers: chosen.headers };
    },
  };
  const result: AutocannonResult = await autocannon({
    url: servers.map((server) => `http://127.0.0.1:${server.port}`),
    connections: settings.connections,
    duration: settings.durationSeconds,
    warmup: { connections: settings.connections, duration: settings.warmupSeconds },
    timeout: REQUEST_TIMEOUT_SECONDS,
    requests: [pick],
  });
  return {
    scenario: scenario.name,
    target,
    requestsPerSecond: result.requests.average,
    p50Ms: result.latency.p50,
    p90Ms: result.latency.p90,
    p99Ms: result.latency.p99,
    maxMs: result.latency.max,
    total2xx: result['2xx'],
    non2xx: result.non2xx,
    errors: result.errors,
    timeouts: result.timeouts,
    responseBytes: result.throughput.total,
  };
}

interface Check {
  name: string;
  actual: string;
  pass: boolean;
}

function buildReport(measurements: Measurement[]): { table: string; checks: Check[] } {
  const find = (scenario: string, target: Measurement['target']) => measurements.find((m) => m.scenario === scenario && m.target === target);
  const rows = [['scenario', 'target', 'req/s', 'p50 ms', 'p99 ms', 'ratio', 'non-2xx/err/timeout']];
  for (const measurement of measurements) {
    const baseline = find(measurement.scenario, 'baseline');
    const ratio = measurement.target !== 'baseline' && baseline ? fixed(measurement.requestsPerSecond / baseline.requestsPerSecond, 3) : '';
    const answered = measurement.total2xx > 0;
    rows.push([
      measurement.scenario,
      measurement.target,
      fixed(measurement.requestsPerSecond, 0),
      answered ? fixed(measurement.p50Ms, 1) : '-',
      answered ? fixed(measurement.p99Ms, 1) : '-',
      ratio,
      `${measurement.non2xx}/${measurement.errors}/${measurement.timeouts}`,
    ]);
  }

  const checks: Check[] = [];
  const show = find('show', 'avatarforge');
  const showBaseline = find('show', 'baseline');
  if (show && showBaseline) {
    const ratio = show.requestsPerSecond / showBaseline.requestsPerSecond;
    checks.push({ name: `show throughput ratio >= ${TARGETS.showRatio}`, actual: fixed(ratio, 3), pass: ratio >= TARGETS.showRatio });
    const actual = show.total2xx > 0 ? `${fixed(show.p99Ms, 1)} ms` : `no answer within ${REQUEST_TIMEOUT_SECONDS} s`;
    checks.push({ name: `show p99 < ${TARGETS.showP99Ms} ms at ${settings.connections} connections`, actual, pass: show.total2xx > 0 && show.p99Ms < TARGETS.showP99Ms });
  }
  for (const list of measurements.filter((m) => m.target === 'avatarforge' && m.scenario.startsWith('list'))) {
    const actual = list.total2xx > 0 ? `${fixed(list.p99Ms, 1)} ms` : `no answer within ${REQUEST_TIMEOUT_SECONDS} s`;
    checks.push({ name: `${list.scenario} p99 < ${TARGETS.listP99Ms} ms`, actual, pass: list.total2xx > 0 && list.p99Ms < TARGETS.listP99Ms });
  }
  for (const measurement of measurements) {
    // autocannon counts a timeout among the errors too.
    const failures = measurement.non2xx + measurement.errors;
    if (failures > 0 || measurement.total2xx === 0) {
      checks.push({ name: `${measurement.scenario} ${measurement.target}: every answer 2xx`, actual: `${failures} failed, ${measurement.total2xx} ok`, pass: false });
    }
  }

  const lines = [formatTable(rows), '', formatTable([['target', 'actual', 'verdict'], ...checks.map((check) => [check.name, check.actual, check.pass ? 'PASS' : 'FAIL'])])];
  lines.push('', `${settings.connections} connections, ${settings.durationSeconds} s per run after ${settings.warmupSeconds} s warm-up; ratio = avatarforge req/s / baseline req/s`);
  return { table: lines.join('\n'), checks };
}

function writeResults(measurements: Measurement[], checks: Check[], seeded: Awaited<ReturnType<typeof ensureSeeded>>): string {
  fs.mkdirSync(RESULTS_DIR, { recursive: true });
  const file = path.join(RESULTS_DIR, `bench-${new Date().toISOString().replace(/[:.]/g, '-')}.json`);
  const document = {
    date: new Date().toISOString(),
    machine: { cpus: os.cpus().length, model: os.cpus()[0]?.model, memoryBytes: os.totalmem(), node: process.version, platform: `${os.platform()} ${os.release()}` },
    settings,
    data: { dataDir: seeded.dataDir, reused: seeded.reused, seedSeconds: seeded.reused ? seeded.marker.seedSeconds : seeded.seedSeconds, layout: LAYOUT },
    targets: TARGETS,
    measurements,
    checks,
  };
  fs.writeFileSync(file, JSON.stringify(document, null, 2) + '\n');
  return file;
}

/** A random sample of the tenant's job ids, read straight from the database. */
export function sampleTenantJobIds(dataDir: string, count: number): string[] {
  const sqlite = new SqliteDatabase(path.join(dataDir, 'avatarforge.sqlite'), { readonly: true });
  try {
    const rows = sqlite
      .prepare('SELECT job_id FROM training_jobs WHERE project_id = ? ORDER BY random() LIMIT ?')
      .all(BENCH_TENANT.projectId, count) as Array<{ job_id: string }>;
    return rows.map((row) => row.job_id);
  } finally {
    sqlite.close();
  }
}

// ---------------------------------------------------------------------------
// Child processes
// ---------------------------------------------------------------------------

function pinned(command: string, args: string[], cpu: number): [string, string[]] {
  return settings.pinCpus ? ['taskset', ['-c', String(cpu), command, ...args]] : [command, args];
}

/**
 * Starts `avatarforge serve` on a port: on the SQLite database in the data dir (by default the
 * benchmark's), or on PostgreSQL when a database URL is given.
 */
export async function startAvatarforge(
  port: number,
  options: { name?: string; dataDir?: string; databaseUrl?: string } = {},
): Promise<ChildProcess> {
  const name = options.name ?? 'avatarforge';
  const dataDir = options.dataDir ?? settings.dataDir;
  const [command, args] = pinned(process.execPath, [SERVER_ENTRY, 'serve'], 1);
  const child = spawn(command, args, {
    cwd: REPO_ROOT,
    stdio: ['ignore', 'pipe', 'pipe'],
    env: {
      ...process.env,
      AVATARFORGE_DATA_DIR: dataDir,
      ...(options.databaseUrl !== undefined && { AVATARFORGE_DATABASE_URL: options.databaseUrl }),
      AVATARFORGE_HOST: '127.0.0.1',
      AVATARFORGE_PORT: String(port),
      AVATARFORGE_LOG_LEVEL: 'warn',
      AVATARFORGE_PROJECT_ID: BENCH_TENANT.projectId,
      AVATARFORGE_ACCESS_KEY: BENCH_TENANT.accessKey,
      AVATARFORGE_SECRET_KEY: BENCH_TENANT.secretKey,
    },
  });
  children.add(child);
  let stderr = '';
  child.stderr!.on('data', (chunk: Buffer) => {
    stderr += chunk.toString();
    process.stderr.write(`[${name}] ${chunk.toString()}`);
  });
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${name} did not start within 180 s: ${stderr}`)), 180_000);
    let stdout = '';
    child.stdout!.on('data', (chunk: Buffer) => {
      stdout += chunk.toString();
      if (stdout.includes('listening on')) {
        clearTimeout(timer);
        resolve();
      }
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`${name} exited with ${code} before listening: ${stderr}`));
    });
  });
  const database = options.databaseUrl === undefined ? `SQLite in ${dataDir}` : `PostgreSQL ${new URL(options.databaseUrl).host}`;
  log(`${name} (pid ${child.pid}) listening on 127.0.0.1:${port}, ${database}`);
  return child;
}

async function startBaseline(port: number, kind: 'node:http' | 'fastify'): Promise<ChildProcess> {
  const [command, args] = settings.pinCpus ? ['taskset', ['-c', '1', process.execPath]] : [process.execPath, []];
  const child = settings.pinCpus
    ? spawn(command, [...args, BASELINE_ENTRY], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'], env: { ...process.env, BASELINE_PORT: String(port), BASELINE_KIND: kind } })
    : fork(BASELINE_ENTRY, [], { env: { ...process.env, BASELINE_PORT: String(port), BASELINE_KIND: kind } });
  children.add(child);
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('baseline server did not start within 30 s')), 30_000);
    child.on('message', (message: { listening?: number }) => {
      if (message.listening !== undefined) {
        clearTimeout(timer);
        resolve();
      }
    });
    child.once('exit', (code) => reject(new Error(`baseline server exited with ${code}`)));
  });
  log(`baseline ${kind} (pid ${child.pid}) listening on 127.0.0.1:${port}`);
  return child;
}

function setBaselineBody(baseline: ChildProcess, body: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('baseline server did not take the body')), 10_000);
    const onMessage = (message: { bodySet?: number }) => {
      if (message.bodySet !== undefined) {
        clearTimeout(timer);
        baseline.off('message', onMessage);
        resolve();
      }
    };
    baseline.on('message', onMessage);
    baseline.send({ body });
  });
}

export async function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) {
    children.delete(child);
    return;
  }
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
  await exited;
  clearTimeout(timer);
  children.delete(child);
}

export function killChildrenNow(): void {
  for (const child of children) {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  }
}

process.on('exit', killChildrenNow);
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    killChildrenNow();
    process.exit(130);
  });
}

// ---------------------------------------------------------------------------
// Small helpers
// ---------------------------------------------------------------------------

export function httpGet(port: number, request: SignedRequest): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const outgoing = http.request({ host: '127.0.0.1', port, method: request.method, path: request.path, headers: request.headers, agent: false }, (response) => {
      const chunks: Buffer[] = [];
      response.on('data', (chunk: Buffer) => chunks.push(chunk));
      response.on('end', () => resolve({ status: response.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') }));
    });
    outgoing.setTimeout(60_000, () => outgoing.destroy(new Error('request timed out')));
    outgoing.on('error', reject);
    outgoing.end();
  });
}

/**
 * Waits until the server answers a cheap request promptly: a run that overloaded it leaves queued
 * requests behind, which must not spill into the next run.
 */
export async function waitUntilResponsive(port: number): Promise<void> {
  const deadline = Date.now() + 300_000;
  for (;;) {
    const started = Date.now();
    const status = await new Promise<number>((resolve) => {
      const outgoing = http.get({ host: '127.0.0.1', port, path: '/healthz', agent: false }, (response) => {
        response.resume();
        response.on('end', () => resolve(response.statusCode ?? 0));
      });
      outgoing.setTimeout(60_000, () => outgoing.destroy());
      outgoing.on('error', () => resolve(0));
    });
    if (status > 0 && Date.now() - started < 50) return;
    if (Date.now() > deadline) throw new Error('avatarforge stayed busy for 5 minutes after a run');
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
}


export function formatTable(rows: string[][]): string {
  const widths = rows[0]!.map((_, column) => Math.max(...rows.map((row) => (row[column] ?? '').length)));
  const line = (row: string[]) => row.map((cell, column) => (column === 0 ? cell.padEnd(widths[column]!) : cell.padStart(widths[column]!))).join('  ');
  return [line(rows[0]!), widths.map((width) => '-'.repeat(width)).join('  '), ...rows.slice(1).map(line)].join('\n');
}

export function fixed(value: number, digits: number): string {
  return Number.isFinite(value) ? value.toFixed(digits) : String(value);
}

function integerFromEnv(name: string, fallback: number): number {
  const text = process.env[name];
  if (text === undefined || text === '') return fallback;
  if (!/^\d+$/.test(text) || Number(text) < 1) throw new Error(`${name} must be a positive whole number, got "${text}"`);
  return Number(text);
}

export function log(line: string): void {
  process.stdout.write(line + '\n');
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  main().catch((error: unknown) => {
    process.stderr.write(`bench: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    killChildrenNow();
    process.exit(1);
  });
}
