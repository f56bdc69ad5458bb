import fs from 'node:fs';
import path from 'node:path';
import SqliteDatabase from 'better-sqlite3';
import { Kysely, Migrator, PostgresDialect, SqliteDialect, type Migration, type SqliteStatement } from 'kysely';
import pg from 'pg';
import type { DatabaseSchema } from './schema.js';
import * as initial from './migrations/0001_initial.js';
import * as listPerformance from './migrations/0002_list_performance.js';
import * as stageWork from './migrations/0003_stage_work.js';
import * as reviewQueue from './migrations/0004_review_queue.js';
import * as scaleOut from './migrations/0005_scale_out.js';
import * as videoJobs from './migrations/0006_video_jobs.js';
import * as assets from './migrations/0007_assets.js';
import * as assetListIndexes from './migrations/0008_asset_list_indexes.js';
import * as listPageIndexes from './migrations/0009_list_page_indexes.js';
import * as liveSessions from './migrations/0010_live_sessions.js';
import * as assetLargeFiles from './migrations/0011_asset_large_files.js';

export type Db = Kysely<DatabaseSchema>;

/** Numbered migrations, applied in order at start; a new one is appended here, never edited in place. */
const MIGRATIONS: Record<string, Migration> = {
  '0001_initial': initial,
  '0002_list_performance': listPerformance,
  '0003_stage_work': stageWork,
  '0004_review_queue': reviewQueue,
  '0005_scale_out': scaleOut,
  '0006_video_jobs': videoJobs,
  '0007_assets': assets,
  '0008_asset_list_indexes': assetListIndexes,
  '0009_list_page_indexes': listPageIndexes,
  '0010_live_sessions': liveSessions,
  '0011_asset_large_files': assetLargeFiles,
};

/** Where the metadata lives: PostgreSQL when a URL is configured, else the embedded SQLite file. */
export interface DatabaseLocation {
  dataDir: string;
  databaseUrl: string | undefined;
  databasePoolSize: number;
}

export function openDatabase(location: DatabaseLocation): Db {
  return location.databaseUrl === undefined
    ? openSqliteDatabase(location.dataDir)
    : openPostgresDatabase(location.databaseUrl, location.databasePoolSize);
}

/** Where the metadata lives, for people: the PostgreSQL URL without its password, or the SQLite file. */
export function describeDatabase(location: DatabaseLocation): string {
  if (location.databaseUrl === undefined) return `SQLite ${path.join(location.dataDir, 'avatarforge.sqlite')}`;
  const url = new URL(location.databaseUrl);
  return `PostgreSQL ${url.username ? `${url.username}@` : ''}${url.host}${url.pathname}`;
}

/**
 * A pool of connections to PostgreSQL. BIGINT columns (times in epoch milliseconds, counts) come
 * back as JavaScript numbers, as they do from SQLite: every value stored is below 2^53.
 */
export function openPostgresDatabase(url: string, poolSize: number): Db {
  const types = {
    getTypeParser: ((oid: number, format?: 'text' | 'binary') =>
      oid === pg.types.builtins.INT8 ? (value: string) => Number(value) : pg.types.getTypeParser(oid, format)) as typeof pg.types.getTypeParser,
  };
  const pool = new pg.Pool({ connectionString: url, max: poolSize, types });
  // An idle connection that the server dropped (restart, failover) must not take the process down.
  pool.on('error', () => undefined);
  return new Kysely<DatabaseSchema>({ dialect: new PostgresDialect({ pool }) });
}

/** Opens (creating when needed) the embedded SQLite database in the data dir, in WAL mode. */
export function openSqliteDatabase(dataDir: string): Db {
  fs.mkdirSync(dataDir, { recursive: true });
  const sqlite = new SqliteDatabase(path.join(dataDir, 'avatarforge.sqlite'));
  sqlite.pragma('journal_mode = WAL');
  sqlite.pragma('synchronous = NORMAL');
  sqlite.pragma('foreign_keys = ON');
  // 64 MiB of page cache (the default is 2 MiB): index pages of a large table stay in memory.
  sqlite.pragma('cache_size = -65536');
  // The CLI and the server may write at the same time; wait rather than fail.
  sqlite.pragma('busy_timeout = 5000');
  const handle = withStatementCache(sqlite);
  const db = new Kysely<DatabaseSchema>({ dialect: new SqliteDialect({ database: handle }) });
  changeStamps.set(db, sqliteChangeStamp(sqlite, handle.changingWrites));
  return db;
}

/**
 * A value that changes whenever the database may have changed: a cache of what was read from it is
 * good while the stamp read before the reading still matches.
 */
export type ChangeStamp = () => string;

const changeStamps = new WeakMap<Db, ChangeStamp>();

/**
 * The change stamp of a database, when it has a cheap one (SQLite: see sqliteChangeStamp).
 * PostgreSQL has none: its nodes share the database, and asking would cost a round trip.
 */
export function changeStampOf(db: Db): ChangeStamp | undefined {
  return changeStamps.get(db);
}

/** How long a read of SQLite's `data_version` stands for the current one. */
const DATA_VERSION_READ_INTERVAL_MS = 1;

/**
 * SQLite's change stamp, from two counters. This connection's own writes are counted as they run
 * (a statement that changed rows; counted at once, before its commit, so a read that overlaps a
 * write sees the stamp move). Other connections' commits, from the CLI or a worker process, move
 * `data_version`; asking for it starts a read transaction, which costs more than serving a kept
 * answer, so it is read at most once a millisecond: such a commit shows within a millisecond.
 */
function sqliteChangeStamp(sqlite: SqliteDatabase.Database, changingWrites: () => number): ChangeStamp {
  const readDataVersion = sqlite.prepare('PRAGMA data_version').pluck();
  let dataVersion = 0;
  let readAt = Number.NEGATIVE_INFINITY;
  return () => {
    const now = performance.now();
    if (now - readAt >= DATA_VERSION_READ_INTERVAL_MS) {
      dataVersion = readDataVersion.get() as number;
      readAt = now;
    }
    return `${dataVersion}:${changingWrites()}`;
  };
}

/**
 * The better-sqlite3 handle as Kysely sees it, with two changes. Statements are prepared once:
 * Kysely's SQLite driver prepares every query afresh, which cost more than running it (the texts
 * repeat; values are bound parameters; safe because no query is streamed). And transactions begin
 * IMMEDIATE (see below).
 */
function withStatementCache(sqlite: SqliteDatabase.Database, limit = 500) {
  const statements = new Map<string, SqliteStatement>();
  // Statements that changed rows, counted right after each runs (see sqliteChangeStamp).
  let changingWrites = 0;
  const counted = (statement: SqliteDatabase.Statement): SqliteStatement => ({
    reader: statement.reader,
    all(parameters) {
      const rows = statement.all(parameters);
      if (rows.length > 0) changingWrites++;
      return rows;
    },
    run(parameters) {
      const result = statement.run(parameters);
      if (result.changes > 0) changingWrites++;
      return result;
    },
    iterate: (parameters) => statement.iterate(parameters),
  });
  return {
    close: () => sqlite.close(),
    changingWrites: () => changingWrites,
    prepare(text: string): SqliteStatement {
      // Kysely begins transactions with a deferred BEGIN. With other processes writing (the CLI,
      // external workers on the same file), a deferred transaction that read first cannot take the
      // write lock later: SQLite answers SQLITE_BUSY at once, busy_timeout or not. Taking the lock
      // up front makes a transaction wait its turn instead.
      const sqlText = text === 'begin' ? 'begin immediate' : text;
      let statement = statements.get(sqlText);
      if (!statement) {
        const prepared = sqlite.prepare(sqlText);
        // A writer with RETURNING runs through all(): it changed rows when it returned some.
        statement = prepared.readonly ? prepared : counted(prepared);
        if (statements.size >= limit) statements.delete(statements.keys().next().value!);
        statements.set(sqlText, statement);
      }
      return statement;
    },
  };
}

/**
 * Applies the migrations not yet applied. Several nodes may start at once: on PostgreSQL the
 * migrator holds an advisory lock while it works, so one node migrates and the others wait and
 * find nothing left to do; on SQLite the file's write lock does the same.
 */
export async function migrateToLatest(db: Db): Promise<void> {
  const migrator = new Migrator({ db, provider: { getMigrations: async () => MIGRATIONS } });
  const { error, results } = await migrator.migrateToLatest();
  const failed = results?.find((result) => result.status === 'Error');
  if (error || failed) {
    throw new Error(`database migration ${failed?.migrationName ?? ''} failed: ${String(error)}`);
  }
}
