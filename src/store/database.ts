import fs from 'node:fs';
import path from 'node:path';
import SqliteDatabase from 'better-sqlite3';
import { Kysely, Migrator, SqliteDialect, type Migration } from 'kysely';
import type { DatabaseSchema } from './schema.js';
import * as initial from './migrations/0001_initial.js';

export type Db = Kysely<DatabaseSchema>;

/** Numbered migrations, applied in order at start; a new one is appended here, never edited in place. */
const MIGRATIONS: Record<string, Migration> = {
  '0001_initial': initial,
};

/** Opens (creating when needed) the embedded SQLite database in the data dir, in WAL mode. */
export function openSqliteDatabase(dataDir: string): Db {
  fs.mkdirSync(dataDir, { recursive: true });
  const sqlite = new SqliteDatabase(path.join(dataDir, 'avatarforge.sqlite'));
  sqlite.pragma('journal_mode = WAL');
  sqlite.pragma('synchronous = NORMAL');
  sqlite.pragma('foreign_keys = ON');
  // The CLI and the server may write at the same time; wait rather than fail.
  sqlite.pragma('busy_timeout = 5000');
  return new Kysely<DatabaseSchema>({ dialect: new SqliteDialect({ database: sqlite }) });
}

export async function migrateToLatest(db: Db): Promise<void> {
  const migrator = new Migrator({ db, provider: { getMigrations: async () => MIGRATIONS } });
  const { error, results } = await migrator.migrateToLatest();
  const failed = results?.find((result) => result.status === 'Error');
  if (error || failed) {
    throw new Error(`database migration ${failed?.migrationName ?? ''} failed: ${String(error)}`);
  }
}
