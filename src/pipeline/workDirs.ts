/**
 * Scratch space of stage runs. Each process keeps its runs under a directory of its own,
 * <tmp>/avatarforge-work-<uid>/<pid>-<start time>, which is also its trainer children's TMPDIR. A process
 * that dies without cleaning up (kill -9, a power cut) leaves its directory behind; the next server
 * or worker to start on the machine removes the directories of processes that no longer run.
 */
import fs from 'node:fs';
import fsp from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';

/** One per user (the directories are private to it). */
export const WORK_ROOT = path.join(os.tmpdir(), `avatarforge-work-${process.getuid?.() ?? 'user'}`);

/** A process's start time in clock ticks since boot (/proc/<pid>/stat field 22); '0' without /proc. */
function startTime(pid: number): string | undefined {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2).split(' ')[19];
  } catch {
    if (fs.existsSync('/proc/self/stat')) return undefined;
    try {
      process.kill(pid, 0);
      return '0';
    } catch (error) {
      return (error as NodeJS.ErrnoException).code === 'EPERM' ? '0' : undefined;
    }
  }
}

/** This process's directory under WORK_ROOT (made on first use). */
export function ownWorkRoot(): string {
  const own = path.join(WORK_ROOT, `${process.pid}-${startTime(process.pid) ?? '0'}`);
  fs.mkdirSync(own, { recursive: true, mode: 0o700 });
  return own;
}

/** A new private directory for one run, inside this process's directory. */
export function makeWorkDir(prefix: string): Promise<string> {
  return fsp.mkdtemp(path.join(ownWorkRoot(), `${prefix}-`));
}

/** Removes the directories of processes that no longer run; answers the ones removed. */
export async function sweepDeadRuns(): Promise<string[]> {
  let entries: string[];
  try {
    entries = await fsp.readdir(WORK_ROOT);
  } catch {
    return [];
  }
  const removed: string[] = [];
  for (const entry of entries) {
    const match = /^(\d+)-(\d+)$/.exec(entry);
    if (!match || startTime(Number(match[1])) === match[2]) continue;
    await fsp.rm(path.join(WORK_ROOT, entry), { recursive: true, force: true });
    removed.push(entry);
  }
  return removed;
}
