/**
 * One worker process of the queue benchmark: opens the data dir like a server would, claims work
 * until the queue is empty, completes each item, and reports what it claimed and how long each claim
 * took. Started by bench/queue.ts.
 */
import { loadConfig } from '../src/config.js';
import { systemClock } from '../src/clock.js';
import { openServices } from '../src/server.js';

const dataDir = process.env.QUEUE_DATA_DIR!;
const workerId = process.env.QUEUE_WORKER_ID!;
const services = await openServices(loadConfig({ dataDir, logLevel: 'silent' }, {}), systemClock);
const claimed: string[] = [];
const claimLatenciesMs: number[] = [];
process.send!({ ready: true });
await new Promise<void>((resolve) => process.once('message', () => resolve()));
for (;;) {
  const started = process.hrtime.bigint();
  const work = await services.stageWork.claim(workerId, ['auto_verify']);
  claimLatenciesMs.push(Number(process.hrtime.bigint() - started) / 1e6);
  if (!work) break;
  claimed.push(work.work.workId);
  await services.stageWork.complete(work.work.workId, work.leaseToken, { outcome: 'succeeded' });
}
process.send!({ claimed, claimLatenciesMs });
await services.db.destroy();
process.exit(0);
