import assert from 'node:assert/strict';
import { sql } from 'kysely';
import type { RunningServer } from '../../src/server.js';

/**
 * Moves a job to a state directly in the database, standing in for the review pipeline so that
 * tests can reach states such as AUTO_VERIFY_FAILED. Writes what the job store writes on a state
 * change: the state, the job's version and the project's jobs_version.
 */
export async function forceJobState(server: RunningServer, jobId: string, state: string): Promise<void> {
  await server.services.db.transaction().execute(async (trx) => {
    const result = await sql`UPDATE training_jobs SET state = ${state}, version = version + 1 WHERE job_id = ${jobId}`.execute(trx);
    assert.equal(Number(result.numAffectedRows), 1, `job ${jobId} not found in the database`);
    await sql`UPDATE projects SET jobs_version = jobs_version + 1 WHERE project_id = (SELECT project_id FROM training_jobs WHERE job_id = ${jobId})`.execute(trx);
  });
}
