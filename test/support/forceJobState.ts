import assert from 'node:assert/strict';
import path from 'node:path';
import Database from 'better-sqlite3';

/**
 * Moves a job to a state directly in the database, standing in for the review pipeline (a later
 * part of the product) so that tests can reach states such as AUTO_VERIFY_FAILED. Writes what the
 * job store writes on a state change: the state, the job's version and the project's jobs_version.
 */
export function forceJobState(dataDir: string, jobId: string, state: string): void {
  const db = new Database(path.join(dataDir, 'avatarforge.sqlite'));
  try {
    db.pragma('busy_timeout = 5000');
    db.transaction(() => {
      const result = db.prepare('UPDATE training_jobs SET state = ?, version = version + 1 WHERE job_id = ?').run(state, jobId);
      assert.equal(result.changes, 1, `job ${jobId} not found in the database`);
      db.prepare('UPDATE projects SET jobs_version = jobs_version + 1 WHERE project_id = (SELECT project_id FROM training_jobs WHERE job_id = ?)').run(jobId);
    })();
  } finally {
    db.close();
  }
}
