import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { applyTransition } from '../../src/domain/transitions.js';
import { startTestServer, type TestServer } from '../support/testServer.js';
import { createSdkClient } from '../support/sdkClient.js';

let server: TestServer;
before(async () => {
  server = await startTestServer(); // in-process workers off: the test's workers are the only ones
});
after(() => server.destroy());

test('200 queued jobs drained by 4 concurrent workers: every item claimed exactly once, every job moved on once', async () => {
  const sdk = createSdkClient(server.url);
  const { jobs, stageWork } = server.services;
  const jobIds: string[] = [];
  for (let index = 0; index < 200; index++) jobIds.push((await sdk.create({ name: `queue_${index}` })).job_id as string);
  // Submitted straight through the state machine (file checks are the API's business, not the queue's).
  for (const jobId of jobIds) {
    await jobs.transaction(async (repository) => {
      const job = await repository.findJobById(jobId);
      await applyTransition(repository, job!, 'SUBMIT', 'USER', server.clock.now().getTime());
    });
  }

  const claims = new Map<string, string[]>();
  const worker = async (workerId: string) => {
    for (;;) {
      const claimed = await stageWork.claim(workerId, ['auto_verify']);
      if (!claimed) return;
      claims.set(claimed.work.workId, [...(claims.get(claimed.work.workId) ?? []), workerId]);
      // Hold the lease across an await so that the workers really interleave.
      await new Promise((resolve) => setImmediate(resolve));
      assert.equal(await stageWork.heartbeat(claimed.work.workId, claimed.leaseToken), true);
      await stageWork.complete(claimed.work.workId, claimed.leaseToken, { outcome: 'succeeded' });
    }
  };
  await Promise.all(['w1', 'w2', 'w3', 'w4'].map(worker));

  assert.equal(claims.size, 200, 'every work item was claimed');
  const twice = [...claims].filter(([, workers]) => workers.length > 1);
  assert.deepEqual(twice, [], 'no work item was claimed twice');
  const perWorker = new Map<string, number>();
  for (const [, [workerId]] of claims) perWorker.set(workerId!, (perWorker.get(workerId!) ?? 0) + 1);
  assert.equal(perWorker.size, 4, `all four workers took part: ${JSON.stringify([...perWorker])}`);

  const listed = await sdk.list({ state: 'MANUAL_VERIFYING', limit: 1 });
  assert.equal(listed.count, 200, 'every job passed its review exactly once');
  for (const jobId of jobIds.slice(0, 20)) {
    const shown = await sdk.show(jobId);
    const verdicts = (shown.operation_logs as Array<{ log_type: string }>).filter((entry) => entry.log_type === 'SYSTEM_VERIFY_SUCCESS');
    assert.equal(verdicts.length, 1);
  }
  assert.equal(await stageWork.claim('late-worker', ['auto_verify']), undefined, 'the queue is empty');
});

test('a lease whose work was cancelled (the job left the stage) is refused, and its result is dropped', async () => {
  const sdk = createSdkClient(server.url);
  const { jobs, stageWork } = server.services;
  const jobId = (await sdk.create({ name: 'queue_cancelled' })).job_id as string;
  await jobs.transaction(async (repository) => {
    const job = await repository.findJobById(jobId);
    await applyTransition(repository, job!, 'SUBMIT', 'USER', server.clock.now().getTime());
  });
  const claimed = await stageWork.claim('w1', ['auto_verify']);
  assert.ok(claimed);
  // The job fails review elsewhere (an emulator or admin decision), which cancels the work.
  await jobs.transaction(async (repository) => {
    const job = await repository.findJobById(jobId);
    await applyTransition(repository, job!, 'AUTO_VERIFY_FAIL', 'EMULATOR', server.clock.now().getTime(), { logDescription: 'forced' });
  });
  assert.equal(await stageWork.heartbeat(claimed.work.workId, claimed.leaseToken), false);
  await assert.rejects(stageWork.complete(claimed.work.workId, claimed.leaseToken, { outcome: 'succeeded' }), /no longer held/);
  assert.equal((await sdk.show(jobId)).state, 'AUTO_VERIFY_FAILED');
});

test('a stage whose leases keep expiring fails for good after its last attempt, with the reason logged', async () => {
  const sdk = createSdkClient(server.url);
  const { jobs, stageWork } = server.services;
  const jobId = (await sdk.create({ name: 'queue_exhausted' })).job_id as string;
  await jobs.transaction(async (repository) => {
    const job = await repository.findJobById(jobId);
    await applyTransition(repository, job!, 'SUBMIT', 'USER', server.clock.now().getTime());
  });
  const heartbeatTimeoutMs = server.config.heartbeatTimeoutSeconds * 1000;
  for (let attempt = 1; attempt <= 3; attempt++) {
    const claimed = await stageWork.claim(`doomed-${attempt}`, ['auto_verify']);
    assert.ok(claimed, `attempt ${attempt} was claimed`);
    assert.equal(claimed.work.attempts, attempt);
    server.clock.advance(heartbeatTimeoutMs + 1000); // the worker dies: no heartbeat
    assert.equal(await stageWork.reapExpiredLeases(), 1);
  }
  assert.equal(await stageWork.claim('late-worker', ['auto_verify']), undefined, 'nothing left to claim');
  const shown = await sdk.show(jobId);
  assert.equal(shown.state, 'AUTO_VERIFY_FAILED');
  const logs = shown.operation_logs as Array<{ log_type: string; log_description?: string }>;
  assert.deepEqual(logs.map((entry) => entry.log_type), ['USER_CREATE_JOD', 'USER_VERIFYING_SUBMITTED', 'TIME_OUT_RETRY', 'TIME_OUT_RETRY', 'SYSTEM_VERIFY_FAILED']);
  assert.match(logs.at(-1)!.log_description!, /doomed-3.*attempt 3 of 3.*no attempts left/);
  const [work] = await jobs.listStageWork(jobId);
  assert.deepEqual([work!.status, work!.attempts], ['failed', 3]);
});
