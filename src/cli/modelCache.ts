import crypto from 'node:crypto';
import fs from 'node:fs';
import fsp from 'node:fs/promises';
import path from 'node:path';
import SqliteDatabase from 'better-sqlite3';

/** A model ready to render, and the hold that keeps it in the cache while it is in use. */
export interface CachedModel {
  directory: string;
  /** Whether it was unpacked by this call (false: a render before left it in the cache). */
  unpacked: boolean;
  /** Ends this process's use of the model: from then on the cache may evict it. */
  release(): void;
}

/**
 * The unpacked models of `render --job`, kept for the next render of the same model: at most
 * `maxModels` of them (least recently used evicted first), each in `<cacheDir>/<key>/`. Several
 * processes may share the cache at once. Its index is an SQLite file whose transactions order them:
 * a model in use by a live process is never evicted, two processes unpacking the same model keep
 * one copy, and nothing half-unpacked is ever found (a model is unpacked beside the cache and moved
 * in whole). A process killed mid-render leaves a hold that the next process ignores, its pid gone.
 */
export async function openCachedModel(cacheDir: string, key: string, maxModels: number, unpack: (directory: string) => Promise<void>): Promise<CachedModel> {
  if (!/^[\w.-]+$/.test(key)) throw new Error(`model cache: invalid key ${key}`);
  fs.mkdirSync(cacheDir, { recursive: true });
  const index = openIndex(cacheDir);
  try {
    await removeAbandonedUnpacks(cacheDir);
    const directory = path.join(cacheDir, key);
    if (holdIfPresent(index, key, directory)) return heldModel(cacheDir, key, directory, false);

    const staging = path.join(cacheDir, `.unpack-${process.pid}-${crypto.randomBytes(4).toString('hex')}`);
    try {
      await fsp.mkdir(staging);
      await unpack(staging);
      const evicted = index.transaction(() => {
        if (!holdIfPresent(index, key, directory)) {
          // A directory without a row is what a process killed between the move and its commit left.
          fs.rmSync(directory, { recursive: true, force: true });
          fs.renameSync(staging, directory);
          index.prepare('INSERT INTO models (key, last_used) VALUES (?, ?)').run(key, Date.now());
          hold(index, key);
        }
        return evictBeyond(index, cacheDir, maxModels, key);
      }).immediate();
      // Another process's clean-up (removeAbandonedUnpacks) may be removing them too.
      await Promise.all(evicted.map((removed) => fsp.rm(removed, { recursive: true, force: true }).catch(() => undefined)));
    } finally {
      await fsp.rm(staging, { recursive: true, force: true });
    }
    return heldModel(cacheDir, key, directory, true);
  } finally {
    index.close();
  }
}

function openIndex(cacheDir: string): SqliteDatabase.Database {
  const index = new SqliteDatabase(path.join(cacheDir, 'index.sqlite'), { timeout: 60_000 });
  index.exec(`
    CREATE TABLE IF NOT EXISTS models (key TEXT PRIMARY KEY, last_used INTEGER NOT NULL);
    CREATE TABLE IF NOT EXISTS holds (key TEXT NOT NULL, pid INTEGER NOT NULL, PRIMARY KEY (key, pid));
  `);
  return index;
}

/** Holds the model when the cache has it, marking it used now. */
function holdIfPresent(index: SqliteDatabase.Database, key: string, directory: string): boolean {
  return index.transaction(() => {
    const present = index.prepare('SELECT 1 FROM models WHERE key = ?').get(key) !== undefined && fs.existsSync(directory);
    if (!present) {
      index.prepare('DELETE FROM models WHERE key = ?').run(key);
      return false;
    }
    index.prepare('UPDATE models SET last_used = ? WHERE key = ?').run(Date.now(), key);
    hold(index, key);
    return true;
  }).immediate();
}

function hold(index: SqliteDatabase.Database, key: string): void {
  index.prepare('INSERT OR REPLACE INTO holds (key, pid) VALUES (?, ?)').run(key, process.pid);
}

/**
 * Takes models out of the index beyond the newest `maxModels`, oldest first, skipping those a live
 * process holds and `keep`; moves each out of the way (inside the caller's transaction, so no one
 * finds it half-removed) and returns where, for the caller to delete after the commit.
 */
function evictBeyond(index: SqliteDatabase.Database, cacheDir: string, maxModels: number, keep: string): string[] {
  const models = index.prepare('SELECT key FROM models ORDER BY last_used DESC').all() as Array<{ key: string }>;
  let excess = models.length - maxModels;
  const removed: string[] = [];
  for (const { key } of models.reverse()) {
    if (excess <= 0) break;
    if (key === keep || isHeld(index, key)) continue;
    index.prepare('DELETE FROM models WHERE key = ?').run(key);
    const target = path.join(cacheDir, `.evicted-${crypto.randomBytes(6).toString('hex')}`);
    try {
      fs.renameSync(path.join(cacheDir, key), target);
      removed.push(target);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
    }
    excess -= 1;
  }
  return removed;
}

/** Whether a live process holds the model; holds of processes that ended are dropped. */
function isHeld(index: SqliteDatabase.Database, key: string): boolean {
  const holders = index.prepare('SELECT pid FROM holds WHERE key = ?').all(key) as Array<{ pid: number }>;
  let held = false;
  for (const { pid } of holders) {
    if (isAlive(pid)) held = true;
    else index.prepare('DELETE FROM holds WHERE key = ? AND pid = ?').run(key, pid);
  }
  return held;
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function heldModel(cacheDir: string, key: string, directory: string, unpacked: boolean): CachedModel {
  return {
    directory,
    unpacked,
    release() {
      const index = openIndex(cacheDir);
      try {
        index.prepare('DELETE FROM holds WHERE key = ? AND pid = ?').run(key, process.pid);
      } finally {
        index.close();
      }
    },
  };
}

/** Unpacks and evictions that a process killed midway left beside the cache. */
async function removeAbandonedUnpacks(cacheDir: string): Promise<void> {
  for (const name of await fsp.readdir(cacheDir)) {
    const unpacking = /^\.unpack-(\d+)-/.exec(name);
    if ((unpacking && !isAlive(Number(unpacking[1]))) || name.startsWith('.evicted-')) {
      await fsp.rm(path.join(cacheDir, name), { recursive: true, force: true }).catch(() => undefined);
    }
  }
}
