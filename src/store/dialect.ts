import { PostgresAdapter, type Kysely } from 'kysely';

/* eslint-disable @typescript-eslint/no-explicit-any -- any database, whatever its tables */

/** Whether `db` talks to PostgreSQL: the few statements that differ between the dialects ask this. */
export function isPostgres(db: Kysely<any>): boolean {
  return db.getExecutor().adapter instanceof PostgresAdapter;
}

/** A nullable numeric column as a number (PostgreSQL answers BIGINT columns as strings). */
export function numberOrNull(value: number | string | null): number | null {
  return value === null ? null : Number(value);
}

/** PostgreSQL's answers to a transaction that lost a race: serialization failure, deadlock. */
const RETRYABLE_SQLSTATES = new Set(['40001', '40P01']);

/**
 * Runs `work` in one transaction. On PostgreSQL, concurrent transactions on other nodes can make the
 * server abort one of them (a deadlock between two job writes); the whole transaction is then run
 * again, a few times, since nothing of it was kept. SQLite runs one writer at a time and never does.
 */
export async function inTransaction<DB, T>(db: Kysely<DB>, work: (trx: Kysely<DB>) => Promise<T>): Promise<T> {
  for (let attempt = 1; ; attempt += 1) {
    try {
      return await db.transaction().execute(work);
    } catch (error) {
      const sqlState = (error as { code?: unknown }).code;
      if (attempt >= 5 || typeof sqlState !== 'string' || !RETRYABLE_SQLSTATES.has(sqlState)) throw error;
      await new Promise((resolve) => setTimeout(resolve, Math.random() * 20 * attempt));
    }
  }
}
