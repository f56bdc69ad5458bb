/**
 * Fills a PostgreSQL database with the benchmark's 1,000,000 jobs and the tenant's 100,000 assets:
 * the same rows as the SQLite seed (bench/seed.ts `generateJobs`, bench/seedAssets.ts
 * `generateAssets`), so both databases answer the same requests with the same bodies.
 *
 * The schema comes from the server's own migrations. The rows go in with COPY, in one transaction
 * with the migrated indexes and keys of the loaded tables dropped and then rebuilt exactly as they
 * were (from pg_get_indexdef and pg_get_constraintdef): building an index once over a full table is
 * many times faster than updating ten of them for every row. The tables are truncated in that
 * transaction, which lets COPY write the rows frozen and mark their pages all-visible, as VACUUM would
 * in a long-lived database (index-only scans then skip the table). ANALYZE gives the planner its
 * statistics.
 */
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import pg from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import { migrateToLatest, openPostgresDatabase } from '../src/store/database.js';
import { BENCH_TENANT, LAYOUT, TAGS, generateJobs, seededProjects } from './seed.js';
import { ASSET_COLUMNS, ASSET_FILE_COLUMNS, JOB_FILE_COLUMNS, generateAssets } from './seedAssets.js';

/** The tables COPY fills; their indexes and keys (and the foreign keys pointing at them) are rebuilt after the load. */
const LOADED_TABLES = ['training_jobs', 'operation_logs', 'training_job_tags', 'assets', 'asset_files', 'job_files'];
const JOB_COLUMNS = [
  'job_id', 'project_id', 'app_user_id', 'name', 'state', 'batch_name', 'model_resolution', 'train_location',
  'is_flexus', 'is_live_copy', 'is_ondemand_resource', 'create_time', 'last_update_time', 'version', 'attributes',
] as const;
/** Rows per chunk written to a COPY stream. */
const CHUNK_ROWS = 5000;

export interface PostgresSeedResult {
  seconds: number;
  rows: { jobs: number; operationLogs: number; tags: number; assets: number; assetFiles: number };
}

export async function seedPostgres(url: string, anchorTime: number, log: (line: string) => void): Promise<PostgresSeedResult> {
  const started = process.hrtime.bigint();
  const elapsed = () => Number(process.hrtime.bigint() - started) / 1e9;
  const db = openPostgresDatabase(url, 1);
  await migrateToLatest(db);
  await db.destroy();

  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await client.query(`SET maintenance_work_mem = '1GB'`);
    await client.query('BEGIN');
    const deferred = await dropIndexesAndKeys(client);
    log(`seed postgres: dropped ${deferred.indexes.length} indexes and ${deferred.constraints.length} keys of ${LOADED_TABLES.join(', ')} for the load`);
    // Emptied in this transaction: the condition for COPY … FREEZE.
    await client.query(`TRUNCATE ${LOADED_TABLES.join(', ')}`);

    for (const project of seededProjects(anchorTime)) {
      await client.query('INSERT INTO projects (project_id, name, created_at) VALUES ($1, $2, $3)', [project.project_id, project.name, project.created_at]);
    }

    // One pass over the generator: the jobs stream to COPY, their logs and tags wait in memory.
    const operationLogLines: string[] = [];
    const tagLines: string[] = [];
    let jobsWritten = 0;
    let lastReport = { jobs: 0, seconds: elapsed() };
    function* jobChunks(): Generator<string> {
      let chunk: string[] = [];
      for (const { row, tags } of generateJobs(anchorTime)) {
        chunk.push(copyLine(JOB_COLUMNS.map((column) => row[column])));
        operationLogLines.push(copyLine([row.job_id, row.create_time, 'USER_CREATE_JOD', 'USER']));
        for (const tag of tags) tagLines.push(copyLine([row.job_id, tag, row.project_id, row.create_time, row.last_update_time]));
        if (chunk.length === CHUNK_ROWS) {
          yield chunk.join('');
          chunk = [];
        }
        jobsWritten += 1;
        if (jobsWritten % 100_000 === 0) {
          const seconds = elapsed();
          const rate = (jobsWritten - lastReport.jobs) / (seconds - lastReport.seconds);
          log(`seed postgres: ${jobsWritten.toLocaleString('en').padStart(9)} jobs  ${seconds.toFixed(1).padStart(6)} s  ${Math.round(rate).toLocaleString('en').padStart(7)} jobs/s`);
          lastReport = { jobs: jobsWritten, seconds };
        }
      }
      if (chunk.length > 0) yield chunk.join('');
    }
    await copyInto(client, `training_jobs (${JOB_COLUMNS.join(', ')})`, jobChunks());
    await copyRows(client, 'operation_logs (job_id, operate_time, log_type, operate_user)', operationLogLines, 'operation logs', log, elapsed);
    await copyRows(client, 'training_job_tags (job_id, tag, project_id, create_time, last_update_time)', tagLines, 'tag rows', log, elapsed);

    const assetLines: string[] = [];
    const assetFileLines: string[] = [];
    const jobFileLines: string[] = [];
    for (const { row, files, jobFiles } of generateAssets(BENCH_TENANT.projectId, anchorTime, TAGS)) {
      assetLines.push(copyLine(ASSET_COLUMNS.map((column) => row[column])));
      for (const file of files) assetFileLines.push(copyLine(ASSET_FILE_COLUMNS.map((column) => file[column])));
      for (const file of jobFiles) jobFileLines.push(copyLine(JOB_FILE_COLUMNS.map((column) => file[column])));
    }
    await copyRows(client, `assets (${ASSET_COLUMNS.join(', ')})`, assetLines, 'assets', log, elapsed);
    await copyRows(client, `asset_files (${ASSET_FILE_COLUMNS.join(', ')})`, assetFileLines, 'asset files', log, elapsed);
    await copyRows(client, `job_files (${JOB_FILE_COLUMNS.join(', ')})`, jobFileLines, 'job files of the assets', log, elapsed);

    const rebuildStarted = elapsed();
    log(`seed postgres: rebuilding ${deferred.indexes.length} indexes and ${deferred.constraints.length} keys`);
    // Keys first (the foreign keys need the primary keys), then the plain indexes, then the foreign keys.
    for (const statement of [...deferred.constraints.filter((c) => c.type === 'p'), ...deferred.indexes, ...deferred.constraints.filter((c) => c.type === 'f')]) {
      await client.query(statement.create);
    }
    await client.query('COMMIT');
    log(`seed postgres: indexes and keys rebuilt in ${(elapsed() - rebuildStarted).toFixed(1)} s`);

    const vacuumStarted = elapsed();
    await client.query(`VACUUM (ANALYZE) projects, ${LOADED_TABLES.join(', ')}`);
    const visibility = await client.query<{ pages: string; visible: string }>(
      `SELECT sum(relpages) AS pages, sum(relallvisible) AS visible FROM pg_class WHERE oid = ANY($1::regclass[])`,
      [LOADED_TABLES],
    );
    const { pages, visible } = visibility.rows[0]!;
    log(`seed postgres: VACUUM ANALYZE in ${(elapsed() - vacuumStarted).toFixed(1)} s; ${visible} of ${pages} table pages all-visible`);

    const counts = await client.query<{ jobs: string; operation_logs: string; tags: string; assets: string; asset_files: string }>(
      `SELECT (SELECT count(*) FROM training_jobs) AS jobs, (SELECT count(*) FROM operation_logs) AS operation_logs, (SELECT count(*) FROM training_job_tags) AS tags,
              (SELECT count(*) FROM assets) AS assets, (SELECT count(*) FROM asset_files) AS asset_files`,
    );
    const counted = counts.rows[0]!;
    const rows = { jobs: Number(counted.jobs), operationLogs: Number(counted.operation_logs), tags: Number(counted.tags), assets: Number(counted.assets), assetFiles: Number(counted.asset_files) };
    if (rows.jobs !== LAYOUT.totalJobs) throw new Error(`seed postgres: ${rows.jobs} jobs loaded, expected ${LAYOUT.totalJobs}`);
    if (rows.assets !== LAYOUT.tenantAssets) throw new Error(`seed postgres: ${rows.assets} assets loaded, expected ${LAYOUT.tenantAssets}`);
    const seconds = elapsed();
    const total = rows.jobs + rows.operationLogs + rows.tags + rows.assets + rows.assetFiles + jobFileLines.length;
    log(
      `seed postgres: done in ${seconds.toFixed(1)} s: ${rows.jobs.toLocaleString('en')} jobs, ${rows.operationLogs.toLocaleString('en')} operation logs, ` +
        `${rows.tags.toLocaleString('en')} tag rows, ${rows.assets.toLocaleString('en')} assets with ${rows.assetFiles.toLocaleString('en')} files ` +
        `(${Math.round(total / seconds).toLocaleString('en')} rows/s overall)`,
    );
    return { seconds, rows };
  } catch (error) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw error;
  } finally {
    await client.end();
  }
}

interface DeferredSchema {
  indexes: Array<{ create: string }>;
  constraints: Array<{ type: 'p' | 'f'; create: string }>;
}

/**
 * Drops the loaded tables' primary keys, plain indexes and foreign keys (theirs and those pointing
 * at them), returning the statements that create each again as the migrations left it.
 */
async function dropIndexesAndKeys(client: pg.Client): Promise<DeferredSchema> {
  const constraints = await client.query<{ table_name: string; name: string; type: 'p' | 'f'; definition: string }>(
    `SELECT conrelid::regclass::text AS table_name, conname AS name, contype AS type, pg_get_constraintdef(oid) AS definition
       FROM pg_constraint
      WHERE contype IN ('p', 'f') AND (conrelid = ANY($1::regclass[]) OR confrelid = ANY($1::regclass[]))
      ORDER BY contype, conname`,
    [LOADED_TABLES],
  );
  const indexes = await client.query<{ name: string; definition: string }>(
    `SELECT indexrelid::regclass::text AS name, pg_get_indexdef(indexrelid) AS definition
       FROM pg_index
      WHERE indrelid = ANY($1::regclass[]) AND NOT EXISTS (SELECT 1 FROM pg_constraint WHERE conindid = pg_index.indexrelid)
      ORDER BY 1`,
    [LOADED_TABLES],
  );
  // Foreign keys go first (they depend on the primary keys), then the primary keys, then the indexes.
  for (const constraint of constraints.rows) {
    await client.query(`ALTER TABLE ${constraint.table_name} DROP CONSTRAINT ${quoteIdentifier(constraint.name)}`);
  }
  for (const index of indexes.rows) await client.query(`DROP INDEX ${index.name}`);
  return {
    indexes: indexes.rows.map((index) => ({ create: index.definition })),
    constraints: constraints.rows.map((constraint) => ({
      type: constraint.type,
      create: `ALTER TABLE ${constraint.table_name} ADD CONSTRAINT ${quoteIdentifier(constraint.name)} ${constraint.definition}`,
    })),
  };
}

async function copyRows(
  client: pg.Client,
  target: string,
  lines: string[],
  what: string,
  log: (line: string) => void,
  elapsed: () => number,
): Promise<void> {
  const started = elapsed();
  function* chunks(): Generator<string> {
    for (let from = 0; from < lines.length; from += CHUNK_ROWS) yield lines.slice(from, from + CHUNK_ROWS).join('');
  }
  await copyInto(client, target, chunks());
  const seconds = elapsed() - started;
  log(`seed postgres: ${lines.length.toLocaleString('en')} ${what} in ${seconds.toFixed(1)} s (${Math.round(lines.length / seconds).toLocaleString('en')} rows/s)`);
}

/** Streams text-format COPY data into a table; the readable side waits whenever the socket is full. */
async function copyInto(client: pg.Client, target: string, chunks: Iterable<string>): Promise<void> {
  await pipeline(Readable.from(chunks), client.query(copyFrom(`COPY ${target} FROM STDIN WITH (FREEZE)`)));
}

/** One row in COPY's text format: tab-separated, \N for NULL, backslash escapes. */
function copyLine(values: Array<string | number | null | undefined>): string {
  return values.map((value) => (value === null || value === undefined ? '\\N' : escapeCopyText(String(value)))).join('\t') + '\n';
}

function escapeCopyText(text: string): string {
  return /[\\\t\n\r]/.test(text) ? text.replace(/\\/g, '\\\\').replace(/\t/g, '\\t').replace(/\n/g, '\\n').replace(/\r/g, '\\r') : text;
}

function quoteIdentifier(name: string): string {
  return `"${name.replace(/"/g, '""')}"`;
}
