import fs from 'node:fs';
import path from 'node:path';
import { sql } from 'kysely';
import type { Config } from '../config.js';
import type { BlobStore } from '../domain/ports.js';
import { createLocalDiskBlobStore } from '../blobs/localDiskBlobStore.js';
import { openSecretBox } from '../server.js';
import { migrateToLatest, openDatabase, openSqliteDatabase, type Db } from '../store/database.js';
import { isPostgres } from '../store/dialect.js';
import type { DatabaseSchema } from '../store/schema.js';

/**
 * Copies an embedded installation (SQLite and files in a data dir) into the configured database
 * and store (PostgreSQL, and an S3-compatible store when one is configured): every row of every
 * table, with its ids, and every file the rows name. Files go first, rows after, each skipped when
 * already there: an interrupted copy is completed by running it again, and no row ever names a
 * file the store lacks. Nodes should stay stopped until it is done.
 */

/** Tables in an order that satisfies their foreign keys. */
const TABLES: Array<keyof DatabaseSchema> = [
  'projects',
  'access_keys',
  'auth_tokens',
  'training_jobs',
  'training_job_tags',
  'operation_logs',
  'comment_logs',
  'job_files',
  'upload_slots',
  'multipart_uploads',
  'multipart_parts',
  'stage_work',
  'installation_settings',
  'video_jobs',
  'audio_files',
  'assets',
  'asset_files',
  'smart_chat_rooms',
  'smart_chat_jobs',
  'live_access_grants',
];

/** Each table's key, for skipping rows copied by an earlier, interrupted run. */
const KEYS: Record<keyof DatabaseSchema, string[]> = {
  projects: ['project_id'],
  access_keys: ['access_key'],
  auth_tokens: ['token_hash'],
  training_jobs: ['job_id'],
  training_job_tags: ['job_id', 'tag'],
  operation_logs: ['id'],
  comment_logs: ['id'],
  job_files: ['job_id', 'file_kind'],
  upload_slots: ['slot_id'],
  multipart_uploads: ['upload_id'],
  multipart_parts: ['upload_id', 'part_number'],
  stage_work: ['work_id'],
  installation_settings: ['name'],
  video_jobs: ['job_id'],
  audio_files: ['file_id'],
  assets: ['asset_id'],
  asset_files: ['file_id'],
  smart_chat_rooms: ['room_id'],
  smart_chat_jobs: ['job_id'],
  live_access_grants: ['secret_hash'],
};

const BATCH_ROWS = 500;

export interface CopyReport {
  rows: Record<string, number>;
  files: number;
  bytes: number;
  filesAlreadyThere: number;
}

export async function copyEmbeddedInstallation(
  sourceDataDir: string,
  target: Config,
  openTargetBlobs: () => Promise<BlobStore>,
  progress: (done: number, total: number, label: string) => void,
): Promise<CopyReport> {
  if (target.databaseUrl === undefined) {
    throw new Error('set AVATARFORGE_DATABASE_URL (and AVATARFORGE_S3_* for the files) to the installation to copy into');
  }
  // The secrets stay sealed with the source's master key: the destination must use that key too.
  const sourceKeyFile = path.join(sourceDataDir, 'master.key');
  const sourceKey = fs.existsSync(sourceKeyFile) ? fs.readFileSync(sourceKeyFile, 'utf8').trim() : target.masterKey;
  if (sourceKey === undefined) throw new Error(`${sourceDataDir} holds no master.key: set AVATARFORGE_MASTER_KEY to the key it was run with`);
  if (target.masterKey !== undefined && target.masterKey !== sourceKey) {
    throw new Error(`AVATARFORGE_MASTER_KEY differs from ${sourceKeyFile}: the copied secrets need that key; set AVATARFORGE_MASTER_KEY to its contents`);
  }
  const source = openSqliteDatabase(sourceDataDir);
  const destination = openDatabase(target);
  try {
    await migrateToLatest(source);
    await migrateToLatest(destination);
    await openSecretBox({ ...target, databaseUrl: undefined, dataDir: sourceDataDir, masterKey: sourceKey }, source);
    await openSecretBox({ ...target, masterKey: sourceKey }, destination);
    const report: CopyReport = { rows: {}, files: 0, bytes: 0, filesAlreadyThere: 0 };
    const sameFiles = target.s3 === undefined && path.resolve(target.dataDir) === path.resolve(sourceDataDir);
    if (!sameFiles) await copyFiles(source, createLocalDiskBlobStore(path.join(sourceDataDir, 'blobs')), await openTargetBlobs(), report, progress);
    await copyRows(source, destination, report, progress);
    return report;
  } finally {
    await source.destroy();
    await destination.destroy();
  }
}

async function copyFiles(source: Db, from: BlobStore, to: BlobStore, report: CopyReport, progress: (done: number, total: number, label: string) => void) {
  const keys = [
    ...(await source.selectFrom('job_files').select('blob_key').execute()).map((row) => row.blob_key),
    ...(await source.selectFrom('multipart_parts').select('blob_key').execute()).map((row) => row.blob_key),
  ];
  for (const [index, key] of keys.entries()) {
    progress(index, keys.length, 'files');
    const size = await from.size(key);
    if (size === undefined) throw new Error(`the source data dir lacks ${key}, which its database names`);
    if ((await to.size(key)) === size) {
      report.filesAlreadyThere += 1;
      continue;
    }
    const opened = await from.read(key);
    await to.put(key, opened!.stream, Number.MAX_SAFE_INTEGER);
    report.files += 1;
    report.bytes += size;
  }
  progress(keys.length, keys.length, 'files');
}

async function copyRows(source: Db, destination: Db, report: CopyReport, progress: (done: number, total: number, label: string) => void) {
  const counts = await Promise.all(TABLES.map(async (table) => Number((await sql<{ n: number }>`SELECT count(*) AS n FROM ${sql.table(table)}`.execute(source)).rows[0]!.n)));
  const total = counts.reduce((sum, count) => sum + count, 0);
  let done = 0;
  for (const table of TABLES) {
    let copied = 0;
    for (let offset = 0; ; offset += BATCH_ROWS) {
      const rows = (await sql<Record<string, unknown>>`SELECT * FROM ${sql.table(table)} ORDER BY ${sql.join(KEYS[table].map((column) => sql.ref(column)))} LIMIT ${BATCH_ROWS} OFFSET ${offset}`.execute(source)).rows;
      if (rows.length === 0) break;
      const inserted = await destination
        .insertInto(table)
        .values(rows as never)
        .onConflict((conflict) => conflict.columns(KEYS[table] as never).doNothing())
        .executeTakeFirst();
      copied += Number(inserted.numInsertedOrUpdatedRows ?? 0);
      done += rows.length;
      progress(done, total, 'rows');
    }
    report.rows[table] = copied;
  }
  // Rows came with their ids: the identity columns must count on from the largest.
  if (isPostgres(destination)) {
    for (const table of ['operation_logs', 'comment_logs']) {
      await sql`SELECT setval(pg_get_serial_sequence(${table}, 'id'), GREATEST((SELECT max(id) FROM ${sql.table(table)}), 1))`.execute(destination);
    }
  }
  progress(total, total, 'rows');
}

/** A progress bar on a terminal; a line per tenth otherwise (logs, CI). */
export function progressPrinter(stream: NodeJS.WriteStream): (done: number, total: number, label: string) => void {
  let lastTenth = -1;
  return (done, total, label) => {
    const fraction = total === 0 ? 1 : done / total;
    if (stream.isTTY) {
      const width = 30;
      const filled = Math.round(fraction * width);
      stream.write(`\r${label.padEnd(5)} [${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${(fraction * 100).toFixed(0).padStart(3)}% ${done}/${total}`);
      if (done === total) stream.write('\n');
      return;
    }
    const tenth = Math.floor(fraction * 10);
    if (tenth !== lastTenth || done === total) {
      lastTenth = tenth;
      stream.write(`${label}: ${done}/${total} (${(fraction * 100).toFixed(0)}%)\n`);
    }
  };
}
