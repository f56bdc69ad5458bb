/**
 * Show and List on PostgreSQL next to SQLite, in one run, on the same 1,000,000 jobs (and ListAssets
 * on the same 100,000 assets): one
 * avatarforge node on SQLite (the reference), one node on PostgreSQL, and two nodes on the same
 * PostgreSQL with the load spread over both. Same scenarios, signing and client as bench/run.ts.
 * Prints a table with each figure's ratio to the SQLite node and writes the results as JSON to
 * bench/results/.
 *
 *   npm run bench:databases
 *
 * It starts a throwaway PostgreSQL server (tools/postgresServer.ts) and seeds it on every run; the
 * SQLite data dir is the one `npm run bench` seeds and reuses. Same knobs as bench/run.ts:
 * BENCH_CONNECTIONS, BENCH_DURATION, BENCH_WARMUP, BENCH_DATA_DIR, BENCH_SCENARIOS, and BENCH_PIN=1
 * (the nodes and PostgreSQL on CPU 1, the client on CPU 0).
 */
import { execFileSync, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { loadConfig } from '../src/config.js';
import { freePort } from '../tools/localProcesses.js';
import { startPostgresServer, type PostgresServer } from '../tools/postgresServer.js';
import {
  SHOW_POOL_SIZE,
  buildScenarios,
  drive,
  fixed,
  formatTable,
  httpGet,
  killChildrenNow,
  log,
  sampleTenantJobIds,
  settings,
  signRequests,
  startAvatarforge,
  stopChild,
  waitUntilResponsive,
  type Measurement,
  type Scenario,
} from './run.js';
import { LAYOUT, REPO_ROOT, ensureSeeded } from './seed.js';
import { seedPostgres, type PostgresSeedResult } from './seedPostgres.js';

/** What serves the requests: the reference first, every ratio is against it. */
const SETUPS = [
  { name: 'sqlite', describe: 'one node on SQLite' },
  { name: 'postgres', describe: 'one node on PostgreSQL' },
  { name: 'postgres-2-nodes', describe: 'two nodes on the same PostgreSQL, connections split evenly' },
] as const;
type Setup = (typeof SETUPS)[number]['name'];

interface Comparison extends Measurement<Setup> {
  nodes: number;
  /** This setup's figure divided by the SQLite node's, in the same scenario and run. */
  vsSqlite: { requestsPerSecond: number; p50Ms: number; p99Ms: number };
}

const RESULTS_DIR = path.join(REPO_ROOT, 'bench', 'results');

async function main(): Promise<void> {
  if (settings.pinCpus) execFileSync('taskset', ['-a', '-p', '-c', '0', String(process.pid)], { stdio: 'ignore' });
  const cpus = os.cpus().length;
  log(`machine: ${cpus} CPUs (${os.cpus()[0]?.model ?? 'unknown'}), node ${process.version}; client, nodes and PostgreSQL share them`);
  const sqliteSeed = await ensureSeeded(settings.dataDir, log);

  const postgres = await startPostgresServer({ cpus: settings.pinCpus ? '1' : undefined, log });
  const nodes: ChildProcess[] = [];
  const nodeDataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'avatarforge-bench-node-'));
  try {
    // The same anchor time as the SQLite data: both databases hold identical rows.
    const postgresSeed = await seedPostgres(postgres.url, sqliteSeed.marker.anchorTime, log);
    const postgresVersion = await serverVersion(postgres);
    const poolSize = loadConfig({}, process.env).databasePoolSize;

    const scenarios = buildScenarios(sampleTenantJobIds(settings.dataDir, SHOW_POOL_SIZE)).filter(
      (scenario) => !settings.only || settings.only.includes(scenario.name),
    );
    if (scenarios.length === 0) throw new Error(`BENCH_SCENARIOS matches none of the scenarios`);

    const [sqlitePort, postgresPort1, postgresPort2] = [await freePort(), await freePort(), await freePort()];
    nodes.push(await startAvatarforge(sqlitePort, { name: 'sqlite node' }));
    // The two PostgreSQL nodes share a data dir, hence the master key that encrypts the stored secret keys.
    nodes.push(await startAvatarforge(postgresPort1, { name: 'postgres node 1', dataDir: nodeDataDir, databaseUrl: postgres.url }));
    nodes.push(await startAvatarforge(postgresPort2, { name: 'postgres node 2', dataDir: nodeDataDir, databaseUrl: postgres.url }));
    const portsOf: Record<Setup, number[]> = { sqlite: [sqlitePort], postgres: [postgresPort1], 'postgres-2-nodes': [postgresPort1, postgresPort2] };

    const measurements: Array<Measurement<Setup>> = [];
    for (const scenario of scenarios) {
      const bodyBytes = await checkSameAnswers(scenario, [sqlitePort, postgresPort1, postgresPort2]);
      log(`\n${scenario.name}: ${scenario.describe} (${scenario.requests.length} distinct requests, body ${bodyBytes} bytes, the same from both databases)`);
      for (const setup of SETUPS) {
        const ports = portsOf[setup.name];
        for (const port of ports) await waitUntilResponsive(port);
        // Signed now, so X-Sdk-Date is fresh (the server accepts 15 minutes of skew).
        const measurement = await drive(scenario, setup.name, ports.map((port) => ({ port, signed: signRequests(scenario, port) })));
        measurements.push(measurement);
        log(
          `  ${setup.name.padEnd(16)} ${fixed(measurement.requestsPerSecond, 0).padStart(7)} req/s  p50 ${fixed(measurement.p50Ms, 1)} ms  ` +
            `p99 ${fixed(measurement.p99Ms, 1)} ms  non-2xx ${measurement.non2xx}  errors ${measurement.errors}  timeouts ${measurement.timeouts}`,
        );
      }
    }

    const comparisons = compare(measurements, portsOf);
    const notes = [
      `${settings.connections} connections in total (two nodes: half on each), ${settings.durationSeconds} s per run after ${settings.warmupSeconds} s warm-up.`,
      `"× sqlite" = the figure / the SQLite node's figure in the same scenario of this run: above 1 is better for req/s, below 1 for latency.`,
      `PostgreSQL ${postgresVersion} (throwaway server on loopback), ${poolSize} pool connections per node; SQLite in ${settings.dataDir}.`,
      `${settings.pinCpus ? 'The client runs on CPU 0, the nodes and PostgreSQL all on CPU 1' : `The client (autocannon), the nodes and PostgreSQL share the machine's ${cpus} CPUs`}: ` +
        'a second node adds no CPU, it competes for the same cores, so the two-node figure shows the overhead of scaling out, not the capacity of two machines.',
    ];
    process.stdout.write('\n' + formatReport(comparisons) + '\n\n' + notes.join('\n') + '\n');
    const written = writeResults(comparisons, { sqliteSeed, postgresSeed, postgresVersion, poolSize, notes });
    log(`results written to ${path.relative(process.cwd(), written)}`);

    const failed = comparisons.filter((comparison) => comparison.non2xx + comparison.errors > 0 || comparison.total2xx === 0);
    for (const comparison of failed) {
      log(`FAIL ${comparison.scenario} ${comparison.target}: ${comparison.non2xx + comparison.errors} failed requests, ${comparison.total2xx} answered`);
    }
    process.exitCode = failed.length === 0 ? 0 : 1;
  } finally {
    await Promise.all(nodes.map(stopChild));
    await postgres.stop();
    fs.rmSync(nodeDataDir, { recursive: true, force: true });
  }
}

/**
 * Asks every node the scenario's first request: each must answer 200, with the same body from
 * SQLite and from PostgreSQL (the same rows, found and serialised the same way; download URLs by
 * their path). Returns its size.
 */
async function checkSameAnswers(scenario: Scenario, ports: number[]): Promise<number> {
  const answers = [];
  for (const port of ports) {
    const answer = await httpGet(port, signRequests(scenario, port)[0]!);
    if (answer.status !== 200) throw new Error(`${scenario.name}: the node on port ${port} answered ${answer.status}: ${answer.body.slice(0, 300)}`);
    answers.push(answer.body);
  }
  // Download URLs differ by node (each signs with its own key, its own expiry): compared by path.
  const comparable = (body: string) => JSON.stringify(JSON.parse(body), (key, value: unknown) => (key.endsWith('_url') && typeof value === 'string' ? new URL(value).pathname : value));
  const [reference, ...others] = answers.map(comparable);
  if (others.some((body) => body !== reference)) {
    throw new Error(`${scenario.name}: SQLite and PostgreSQL answer differently:\n${answers.map((body) => body.slice(0, 600)).join('\n')}`);
  }
  return answers[0]!.length;
}

function compare(measurements: Array<Measurement<Setup>>, portsOf: Record<Setup, number[]>): Comparison[] {
  return measurements.map((measurement) => {
    const sqlite = measurements.find((other) => other.scenario === measurement.scenario && other.target === 'sqlite')!;
    return {
      ...measurement,
      nodes: portsOf[measurement.target].length,
      vsSqlite: {
        requestsPerSecond: measurement.requestsPerSecond / sqlite.requestsPerSecond,
        p50Ms: measurement.p50Ms / sqlite.p50Ms,
        p99Ms: measurement.p99Ms / sqlite.p99Ms,
      },
    };
  });
}

function formatReport(comparisons: Comparison[]): string {
  const rows = [['scenario', 'setup', 'nodes', 'req/s', 'p50 ms', 'p99 ms', 'req/s × sqlite', 'p50 × sqlite', 'p99 × sqlite', 'non-2xx/err/timeout']];
  for (const comparison of comparisons) {
    const answered = comparison.total2xx > 0;
    const ratio = (value: number) => (answered && Number.isFinite(value) ? fixed(value, 2) : '-');
    rows.push([
      comparison.scenario,
      comparison.target,
      String(comparison.nodes),
      fixed(comparison.requestsPerSecond, 0),
      answered ? fixed(comparison.p50Ms, 1) : '-',
      answered ? fixed(comparison.p99Ms, 1) : '-',
      ratio(comparison.vsSqlite.requestsPerSecond),
      ratio(comparison.vsSqlite.p50Ms),
      ratio(comparison.vsSqlite.p99Ms),
      `${comparison.non2xx}/${comparison.errors}/${comparison.timeouts}`,
    ]);
  }
  return formatTable(rows);
}

function writeResults(
  comparisons: Comparison[],
  context: {
    sqliteSeed: Awaited<ReturnType<typeof ensureSeeded>>;
    postgresSeed: PostgresSeedResult;
    postgresVersion: string;
    poolSize: number;
    notes: string[];
  },
): string {
  fs.mkdirSync(RESULTS_DIR, { recursive: true });
  const file = path.join(RESULTS_DIR, `databases-${new Date().toISOString().replace(/[:.]/g, '-')}.json`);
  const { sqliteSeed, postgresSeed } = context;
  const document = {
    date: new Date().toISOString(),
    machine: { cpus: os.cpus().length, model: os.cpus()[0]?.model, memoryBytes: os.totalmem(), node: process.version, platform: `${os.platform()} ${os.release()}` },
    settings,
    setups: SETUPS,
    postgres: { version: context.postgresVersion, poolSizePerNode: context.poolSize },
    data: {
      layout: LAYOUT,
      sqlite: { dataDir: sqliteSeed.dataDir, reused: sqliteSeed.reused, seedSeconds: sqliteSeed.reused ? sqliteSeed.marker.seedSeconds : sqliteSeed.seedSeconds },
      postgres: postgresSeed,
    },
    measurements: comparisons,
    notes: context.notes,
  };
  fs.writeFileSync(file, JSON.stringify(document, null, 2) + '\n');
  return file;
}

async function serverVersion(postgres: PostgresServer): Promise<string> {
  const client = new pg.Client({ connectionString: postgres.url });
  await client.connect();
  try {
    const result = await client.query<{ server_version: string }>('SHOW server_version');
    return result.rows[0]!.server_version;
  } finally {
    await client.end();
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`bench:databases: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  killChildrenNow();
  process.exit(1);
});
