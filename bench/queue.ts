/**
 * The pipeline queue benchmark: 10,000 queued stage items drained by 4 worker processes sharing the
 * embedded SQLite database, checking that no item is claimed twice, and the claim-to-start latency
 * (claim + the job's start transition, one transaction) against a baseline measured in the same run:
 * a bare single-statement claim (UPDATE … RETURNING) with better-sqlite3 on a copy of the queue.
 *
 *   npm run bench:queue        (QUEUE_ITEMS, QUEUE_WORKERS to change the size)
 */
import { fork } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import Database from 'better-sqlite3';
import { systemClock } from '../src/clock.js';
import { loadConfig } from '../src/config.js';
import { applyTransition } from '../src/domain/transitions.js';
import { openServices } from '../src/server.js';

const ITEMS = Number(process.env.QUEUE_ITEMS ?? 10_000);
const WORKERS = Number(process.env.QUEUE_WORKERS ?? 4);
const TARGET_P99_MS = 50;

const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'avatarforge-queue-bench-'));
const log = (message: string) => process.stdout.write(`${message}\n`);

function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? 0;
}

async function seed(): Promise<void> {
  const services = await openServices(loadConfig({ dataDir, logLevel: 'silent' }, {}), systemClock);
  await services.credentials.ensureProject('bench', 'bench', Date.now());
  const started = Date.now();
  for (let index = 0; index < ITEMS; index++) {
    const job = await services.trainingJobs.createJob({ projectId: 'bench' }, { name: `queue_${index}` });
    await services.jobs.transaction(async (repository) => {
      const created = await repository.findJobById(job.job_id!);
      await applyTransition(repository, created!, 'SUBMIT', 'USER', Date.now());
    });
    if ((index + 1) % 2000 === 0) log(`  queued ${index + 1} of ${ITEMS} (${((Date.now() - started) / 1000).toFixed(1)} s)`);
  }
  await services.db.destroy();
}

/** The baseline: the cheapest possible claim on a copy of the same queue, one statement each. */
function baselineClaims(): number[] {
  const copy = path.join(dataDir, 'baseline.sqlite');
  fs.copyFileSync(path.join(dataDir, 'avatarforge.sqlite'), copy);
  const db = new Database(copy);
  db.pragma('journal_mode = WAL');
  const claim = db.prepare(`UPDATE stage_work SET status = 'leased', attempts = attempts + 1, worker_id = 'baseline', updated_at = ?
    WHERE work_id = (SELECT work_id FROM stage_work WHERE status = 'queued' AND stage = 'auto_verify' AND available_at <= ? ORDER BY available_at, created_at LIMIT 1)
    RETURNING work_id`);
  const latencies: number[] = [];
  for (;;) {
    const started = process.hrtime.bigint();
    const row = claim.get(Date.now(), Date.now());
    latencies.push(Number(process.hrtime.bigint() - started) / 1e6);
    if (!row) break;
  }
  db.close();
  return latencies;
}

async function drain(): Promise<{ seconds: number; claimed: string[][]; latencies: number[] }> {
  const entry = path.join(path.dirname(fileURLToPath(import.meta.url)), 'queueWorker.js');
  const workers = Array.from({ length: WORKERS }, (_, index) => fork(entry, [], { env: { ...process.env, QUEUE_DATA_DIR: dataDir, QUEUE_WORKER_ID: `worker-${index + 1}` } }));
  await Promise.all(workers.map((worker) => new Promise((resolve) => worker.once('message', resolve))));
  const started = Date.now();
  const results = await Promise.all(
    workers.map(
      (worker) =>
        new Promise<{ claimed: string[]; claimLatenciesMs: number[] }>((resolve, reject) => {
          worker.once('message', (message) => resolve(message as { claimed: string[]; claimLatenciesMs: number[] }));
          worker.once('exit', (code) => code !== 0 && reject(new Error(`worker exited with ${code}`)));
          worker.send('go');
        }),
    ),
  );
  return { seconds: (Date.now() - started) / 1000, claimed: results.map((result) => result.claimed), latencies: results.flatMap((result) => result.claimLatenciesMs) };
}

log(`queue benchmark: ${ITEMS} items, ${WORKERS} worker processes, SQLite in ${dataDir}; ${os.cpus().length} CPUs`);
await seed();
const baseline = baselineClaims();
const { seconds, claimed, latencies } = await drain();
const all = claimed.flat();
const duplicates = all.length - new Set(all).size;
const p50 = percentile(latencies, 50);
const p99 = percentile(latencies, 99);
const baseP50 = percentile(baseline, 50);
const baseP99 = percentile(baseline, 99);
log('');
log(`drained ${all.length} of ${ITEMS} items in ${seconds.toFixed(1)} s (${(all.length / seconds).toFixed(0)} items/s); per worker: ${claimed.map((items) => items.length).join(', ')}`);
log(`double claims: ${duplicates}`);
log(`claim-to-start latency under ${WORKERS}-process contention: p50 ${p50.toFixed(2)} ms, p99 ${p99.toFixed(2)} ms`);
log(`baseline bare claim (one statement, one process):      p50 ${baseP50.toFixed(3)} ms, p99 ${baseP99.toFixed(3)} ms; ratio p99 ${(p99 / baseP99).toFixed(1)}x`);
const checks = [
  { name: `claim-to-start p99 < ${TARGET_P99_MS} ms`, pass: p99 < TARGET_P99_MS },
  { name: 'zero double claims', pass: duplicates === 0 },
  { name: `every item drained`, pass: all.length === ITEMS },
];
for (const check of checks) log(`${check.pass ? 'PASS' : 'FAIL'}  ${check.name}`);
fs.rmSync(dataDir, { recursive: true, force: true });
process.exitCode = checks.every((check) => check.pass) ? 0 : 1;
