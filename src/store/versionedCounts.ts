import { sql, type Kysely } from 'kysely';
import type { DatabaseSchema } from './schema.js';

/** Totals of List filters by their key, each with the project version it was counted at. */
export type CountCache = Map<string, { version: number; count: number }>;

/** The most totals a cache holds; the oldest goes first. */
const MAX_CACHED_COUNTS = 10_000;

/**
 * The number of rows matching a List filter (`key`: the filter without its paging and sort),
 * reused until the project's `versionColumn` changes (every write of the listed rows bumps it).
 * Counting visits every matching row (tens of thousands in a large project). The version is read
 * before counting, so a total is never labelled with a newer version than the rows it counted.
 */
export async function versionedCount(
  db: Kysely<DatabaseSchema>,
  projectId: string,
  versionColumn: 'jobs_version' | 'assets_version',
  key: string,
  counts: CountCache,
  count: () => Promise<number>,
): Promise<number> {
  const project = await db
    .selectFrom('projects')
    .select(sql<number | string>`${sql.ref(versionColumn)}`.as('version'))
    .where('project_id', '=', projectId)
    .executeTakeFirst();
  return countAtVersion(project === undefined ? undefined : Number(project.version), key, counts, count);
}

/**
 * versionedCount with the project's version read by the caller (with other things, in one query),
 * before the rows were: undefined when the project has no row (the total is then not kept).
 */
export async function countAtVersion(version: number | undefined, key: string, counts: CountCache, count: () => Promise<number>): Promise<number> {
  const cached = counts.get(key);
  if (version !== undefined && cached?.version === version) return cached.count;
  const total = await count();
  if (version !== undefined) {
    if (counts.size >= MAX_CACHED_COUNTS) counts.delete(counts.keys().next().value!);
    counts.set(key, { version, count: total });
  }
  return total;
}
