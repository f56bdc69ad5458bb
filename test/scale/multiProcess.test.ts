/**
 * Scaled out, for real: two API nodes (`serve --no-workers`) and three pipeline workers
 * (`avatarforge worker`), separate processes on one PostgreSQL server and one MinIO store. 1,000
 * jobs (AVATARFORGE_SCALE_JOBS) go through the whole pipeline with requests spread over both nodes,
 * a reviewer approving them as they arrive; one worker is killed in the middle of a stage. Then:
 * every job is in its expected final state, no stage of a job ever ran on two workers at once,
 * both nodes answer the same for every job, and every file is in the store with its bytes.
 *
 * Needs AVATARFORGE_TEST_DATABASE_URL (a PostgreSQL server, as `npm test` provides in its scale-out
 * pass) and MinIO (tools/minioServer.ts).
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import crypto from 'node:crypto';
import fs from 'node:fs';
import { ListMultipartUploadsCommand, S3Client } from '@aws-sdk/client-s3';
import pg from 'pg';
import { JOB_STATES } from '../../src/domain/enums.js';
import { s3Environment, startMinioServer, type MinioServer } from '../../tools/minioServer.js';
import { createKey } from '../support/cli.js';
import { databaseEnv, dropDatabase } from '../support/database.js';
import { makeVideo } from '../support/media.js';
import { PLACEHOLDER_TRAINER_ENV } from '../support/pipelineFlow.js';
import { startCliProcess, stopProcess, type CliProcess } from '../support/processes.js';
import { createSdkClient, withSignedUrlsAsTypes, type Json, type SdkClient } from '../support/sdkClient.js';
import { makeTempDir, TEST_ACCESS_KEY, TEST_PROJECT_ID, TEST_SECRET_KEY } from '../support/testServer.js';

const JOB_COUNT = Number(process.env.AVATARFORGE_SCALE_JOBS ?? 1000);
/** Every this many jobs, one gets a 720p video: automatic review must refuse it. */
const REJECTED_EVERY = 20;
const CLIENT_CONCURRENCY = 12;
const FINISH_TIMEOUT_MS = 40 * 60_000;
const LISTENING = /avatarforge listening on (http:\/\/127\.0\.0\.1:\d+)/;
const WORKER_READY = /avatarforge worker (\S+) running/;
const ADMIN_JOBS = '/v1/admin/training-jobs';

describe(`scale-out: 2 API nodes, 3 workers, ${JOB_COUNT} jobs on PostgreSQL and MinIO`, { skip: process.env.AVATARFORGE_TEST_DATABASE_URL ? false : 'needs AVATARFORGE_TEST_DATABASE_URL (npm test sets it)' }, () => {
  const dataDirs = [makeTempDir('node-a'), makeTempDir('node-b'), makeTempDir('workers')];
  const mediaDir = makeTempDir('scale-media');
  let minio: MinioServer;
  let env: Record<string, string>;
  let nodes: CliProcess[] = [];
  const workers = new Map<string, CliProcess>();
  let killed: { workerId: string; at: number; jobId: string; stage: string } | undefined;

  before(async () => {
    minio = await startMinioServer();
    env = {
      ...databaseEnv(dataDirs[0]!), // one database for every process
      ...s3Environment(minio.s3('scale')),
      AVATARFORGE_MASTER_KEY: crypto.randomBytes(32).toString('hex'),
      AVATARFORGE_PROJECT_ID: TEST_PROJECT_ID,
      AVATARFORGE_ACCESS_KEY: TEST_ACCESS_KEY,
      AVATARFORGE_SECRET_KEY: TEST_SECRET_KEY,
      AVATARFORGE_HOST: '127.0.0.1',
      AVATARFORGE_PORT: '0',
      AVATARFORGE_LOG_LEVEL: 'info',
      AVATARFORGE_REQUIRE_IDENTITY_FILES: 'false',
      AVATARFORGE_VIDEO_MIN_SECONDS: '1',
      AVATARFORGE_HEARTBEAT_TIMEOUT_SECONDS: '4',
      AVATARFORGE_WORKER_CONCURRENCY: '2',
      AVATARFORGE_DATABASE_POOL_SIZE: '6',
      ...PLACEHOLDER_TRAINER_ENV,
    };
    // Both nodes start at once: their migrations and credential provisioning race on purpose.
    nodes = await Promise.all(
      [dataDirs[0]!, dataDirs[1]!].map((dataDir) => startCliProcess(['serve', '--no-workers', '--data-dir', dataDir], env, LISTENING, 60_000)),
    );
    for (const workerId of ['worker-1', 'worker-2', 'worker-3']) {
      workers.set(workerId, await startCliProcess(['worker', '--worker-id', workerId, '--data-dir', dataDirs[2]!], env, WORKER_READY, 60_000));
    }
  });

  after(async () => {
    // The processes' logs, for a failure's post-mortem: AVATARFORGE_SCALE_LOG_DIR keeps them.
    const logDir = process.env.AVATARFORGE_SCALE_LOG_DIR;
    if (logDir) {
      fs.mkdirSync(logDir, { recursive: true });
      const processes: Array<[string, CliProcess]> = [...nodes.map((node, index): [string, CliProcess] => [`node-${index + 1}`, node]), ...workers.entries()];
      for (const [name, running] of processes) fs.writeFileSync(`${logDir}/${name}.log`, running.stdout() + running.stderr());
    }
    await Promise.all([...nodes.map((node) => stopProcess(node.child)), ...[...workers.values()].map((worker) => stopProcess(worker.child))]);
    await minio?.stop();
    dropDatabase(dataDirs[0]!);
    for (const dir of [...dataDirs, mediaDir]) fs.rmSync(dir, { recursive: true, force: true });
  });

  test('every job reaches its final state; no stage ran twice at once; both nodes agree; no file lost', { timeout: FINISH_TIMEOUT_MS + 5 * 60_000 }, async () => {
    const urls = nodes.map((node) => node.ready[1]!);
    const tenants = urls.map((url) => createSdkClient(url));
    const adminKey = await createKey({ dataDir: dataDirs[0]! }, ['--role', 'admin'], { AVATARFORGE_MASTER_KEY: env.AVATARFORGE_MASTER_KEY! });
    const reviewers = urls.map((url) => createSdkClient(url, adminKey));
    // Five frames a second: the review encodes every job's video twice, and what it checks (size,
    // length, sound) does not depend on the frame rate.
    const good = fs.readFileSync(await makeVideo(mediaDir, { width: 1920, height: 1080, seconds: 1, framesPerSecond: 5 }));
    const bad = fs.readFileSync(await makeVideo(mediaDir, { width: 1280, height: 720, seconds: 1, framesPerSecond: 5 }));
    const expected = new Map<string, { state: string; video: Buffer }>();
    const started = Date.now();
    let submittedMs = 0;
    let finishedMs = 0;

    // The reviewer approves whatever waits for review, through either node, until told to stop.
    let reviewing = true;
    let approvals = 0;
    const reviewLoop = (async () => {
      while (reviewing) {
        const reviewer = reviewers[approvals % 2]!;
        const queue = await reviewer.request('GET', ADMIN_JOBS, undefined, { state: 'MANUAL_VERIFYING', limit: '100' });
        for (const job of queue.jobs as Json[]) {
          const result = await reviewers[approvals % 2]!.request('POST', `${ADMIN_JOBS}/${job.job_id}/review`, { decision: 'approve', opinion: 'scale test' });
          assert.equal(result.httpStatusCode, 200);
          approvals += 1;
        }
        await new Promise((resolve) => setTimeout(resolve, 200));
      }
    })();

    // One worker dies in the middle of a stage, once the pipeline is busy: SIGKILL while it holds a
    // lease; the work it held then is what it was in the middle of.
    const killLoop = (async () => {
      const db = new pg.Client({ connectionString: env.AVATARFORGE_DATABASE_URL });
      await db.connect();
      const leasedByWorker1 = () =>
        db.query<{ job_id: string; stage: string }>("SELECT job_id, stage FROM stage_work WHERE status = 'leased' AND worker_id = 'worker-1'");
      try {
        while (!killed && expected.size < JOB_COUNT) {
          if (expected.size >= JOB_COUNT / 4 && (await leasedByWorker1()).rows.length > 0) {
            workers.get('worker-1')!.child.kill('SIGKILL');
            const at = Date.now();
            const [held] = (await leasedByWorker1()).rows;
            if (held) killed = { workerId: 'worker-1', at, jobId: held.job_id, stage: held.stage };
            else throw new Error('worker-1 finished its work just before the kill; cannot tell what it was in the middle of');
          }
          await new Promise((resolve) => setTimeout(resolve, 50));
        }
      } finally {
        await db.end();
      }
    })();

    try {
      await driveJobs();
    } finally {
      reviewing = false;
      await reviewLoop.catch(() => undefined);
      await killLoop.catch(() => undefined);
    }
    assert.ok(killed, 'a worker was killed mid-stage');

    async function driveJobs() {
      // Create, upload and submit every job, alternating the node each request goes to.
      let next = 0;
      await Promise.all(
        Array.from({ length: CLIENT_CONCURRENCY }, async () => {
          while (next < JOB_COUNT) {
            const index = next++;
            const tenant = (request: number) => tenants[(index + request) % 2]!;
            const rejected = index % REJECTED_EVERY === REJECTED_EVERY - 1;
            const video = rejected ? bad : good;
            const created = await tenant(0).create({ name: `scale_${index}`, video_multipart_count: 1, batch_name: 'scale' });
            const jobId = created.job_id as string;
            const upload = await fetch((created.training_video_upload_url as string[])[0]!, { method: 'PUT', body: new Uint8Array(video) });
            assert.equal(upload.status, 200);
            await tenant(1).command(jobId, { command: 'CONFIRM_MULTIPART_UPLOADED' });
            await tenant(0).command(jobId, { command: 'SUBMITVERIFYING' });
            expected.set(jobId, { state: rejected ? 'AUTO_VERIFY_FAILED' : 'JOB_SUCCESS', video });
          }
        }),
      );
      submittedMs = Date.now() - started;
      await killLoop;

      // Wait for every job to settle, counting from the list both nodes serve.
      const finalStates = JOB_STATES.filter((state) => state === 'JOB_SUCCESS' || state.endsWith('FAILED'));
      const deadline = Date.now() + FINISH_TIMEOUT_MS;
      let settled = 0;
      while (Date.now() < deadline) {
        const listed = await tenants[settled % 2]!.list({ batch_name: 'scale', state: finalStates.join(','), limit: 1 });
        settled = listed.count as number;
        if (settled >= JOB_COUNT) break;
        await new Promise((resolve) => setTimeout(resolve, 1000));
      }
      finishedMs = Date.now() - started;
      assert.equal(settled, JOB_COUNT, `${settled} of ${JOB_COUNT} jobs settled in time`);
    }

    // Every job in its expected state, the same on both nodes, every file present with its bytes.
    const store = new S3Client({
      endpoint: env.AVATARFORGE_S3_ENDPOINT,
      region: env.AVATARFORGE_S3_REGION,
      forcePathStyle: true,
      credentials: { accessKeyId: env.AVATARFORGE_S3_ACCESS_KEY_ID!, secretAccessKey: env.AVATARFORGE_S3_SECRET_ACCESS_KEY! },
    });
    const jobIds = [...expected.keys()];
    let filesChecked = 0;
    await Promise.all(
      Array.from({ length: CLIENT_CONCURRENCY }, async (_, lane) => {
        for (let index = lane; index < jobIds.length; index += CLIENT_CONCURRENCY) {
          const jobId = jobIds[index]!;
          const [first, second] = await Promise.all(tenants.map((tenant) => tenant.show(jobId)));
          assert.equal(first!.state, expected.get(jobId)!.state, `job ${jobId}: ${JSON.stringify(first!.operation_logs)}`);
          assert.deepEqual(withSignedUrlsAsTypes(first!), withSignedUrlsAsTypes(second!), `both nodes show job ${jobId} alike`);
          const video = await fetch(first!.training_video_download_url as string);
          assert.equal(video.status, 200);
          assert.ok(Buffer.from(await video.arrayBuffer()).equals(expected.get(jobId)!.video), `job ${jobId}: the training video's bytes`);
          for (const field of Object.keys(first!).filter((name) => name.endsWith('_download_url') && name !== 'training_video_download_url')) {
            // The URL is signed for GET: its first byte proves the object is there.
            const response = await fetch(first![field] as string, { headers: { Range: 'bytes=0-0' } });
            assert.equal(response.status, 206, `job ${jobId}: ${field} is in the store`);
            await response.arrayBuffer();
            filesChecked += 1;
          }
        }
      }),
    );
    const open = await store.send(new ListMultipartUploadsCommand({ Bucket: 'scale' }));
    // Create opens a multipart upload for the optional action video too; this test never sends one.
    const openKinds = new Set((open.Uploads ?? []).map((upload) => upload.Key!.split('/')[3]));
    assert.deepEqual([...openKinds], openKinds.size === 0 ? [] : ['action_video'], 'every training video upload was completed');

    // No stage of a job ran on two workers at once: the workers' own logs of each stage run.
    const runs = stageRuns([...workers.entries()], killed);
    let overlaps = 0;
    for (const [key, intervals] of runs) {
      intervals.sort((a, b) => a.start - b.start);
      for (let index = 1; index < intervals.length; index += 1) {
        if (intervals[index]!.start < intervals[index - 1]!.end) {
          overlaps += 1;
          assert.fail(`${key} ran on ${intervals[index - 1]!.workerId} and ${intervals[index]!.workerId} at once`);
        }
      }
    }
    const killedRuns = runs.get(`${killed.jobId}/${killed.stage}`) ?? [];
    assert.ok(killedRuns.length >= 2 && killedRuns.some((run) => run.workerId !== 'worker-1'), 'the killed worker’s stage ran again elsewhere');

    console.log(
      [
        `# scale-out: ${JOB_COUNT} jobs (${jobIds.filter((id) => expected.get(id)!.state === 'JOB_SUCCESS').length} to JOB_SUCCESS, the rest refused by review)`,
        `# submitted in ${(submittedMs / 1000).toFixed(1)} s, all settled in ${(finishedMs / 1000).toFixed(1)} s; ${approvals} approvals`,
        `# ${[...runs.values()].reduce((sum, list) => sum + list.length, 0)} stage runs, ${overlaps} overlapping; ${filesChecked} product files checked`,
        `# ${killed.workerId} killed during ${killed.stage} of ${killed.jobId}; that stage ran ${killedRuns.length} times: ${killedRuns.map((run) => run.workerId).join(', ')}`,
      ].join('\n'),
    );
  });
});

interface StageRun {
  workerId: string;
  start: number;
  end: number;
}

/** Each stage run that the workers logged, by job and stage: from "stage started" to its end (or the kill). */
function stageRuns(workers: Array<[string, CliProcess]>, killed: { workerId: string; at: number }): Map<string, StageRun[]> {
  const runs = new Map<string, StageRun[]>();
  for (const [workerId, worker] of workers) {
    const open = new Map<string, number>();
    for (const line of worker.stdout().split('\n')) {
      if (!line.startsWith('{')) continue;
      const entry = JSON.parse(line) as { msg: string; time: number; jobId?: string; stage?: string };
      if (!entry.jobId || !entry.stage) continue;
      const key = `${entry.jobId}/${entry.stage}`;
      if (entry.msg === 'stage started') open.set(key, entry.time);
      else if (open.has(key)) {
        const list = runs.get(key) ?? [];
        list.push({ workerId, start: open.get(key)!, end: entry.time });
        runs.set(key, list);
        open.delete(key);
      }
    }
    for (const [key, start] of open) {
      const list = runs.get(key) ?? [];
      list.push({ workerId, start, end: workerId === killed.workerId ? killed.at : Number.POSITIVE_INFINITY });
      runs.set(key, list);
    }
  }
  return runs;
}
