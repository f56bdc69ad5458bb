import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { freePort, outputTail, stopProcess } from './localProcesses.js';

/**
 * A throwaway PostgreSQL server on a loopback port, for the test suite, the benchmarks and the
 * multi-process test: a fresh cluster in a temporary directory (initdb), started with durability
 * off (fsync, synchronous commit) since nothing of it outlives the run, and removed when stopped.
 * The binaries are Debian's (`apt-get install postgresql`) or wherever AVATARFORGE_PG_BIN says.
 */
export interface PostgresServer {
  /** URL of the `postgres` database as the superuser `postgres` (trust authentication on loopback). */
  url: string;
  /** The psql next to the server, for tests that create databases. */
  psql: string;
  stop(): Promise<void>;
}

/** The directory holding initdb and postgres, or undefined when PostgreSQL is not installed. */
export function findPostgresBinaries(): string | undefined {
  const candidates = [process.env.AVATARFORGE_PG_BIN];
  const debianRoot = '/usr/lib/postgresql';
  if (fs.existsSync(debianRoot)) {
    const versions = fs.readdirSync(debianRoot).filter((name) => /^\d+$/.test(name)).sort((a, b) => Number(b) - Number(a));
    candidates.push(...versions.map((version) => path.join(debianRoot, version, 'bin')));
  }
  return candidates.find((dir) => dir !== undefined && fs.existsSync(path.join(dir, 'initdb')) && fs.existsSync(path.join(dir, 'postgres')));
}

export interface PostgresServerOptions {
  maxConnections?: number;
  /** CPUs (a taskset list such as "1") that the server and every backend it forks are kept on. */
  cpus?: string;
  log?: (line: string) => void;
}

export async function startPostgresServer(options: PostgresServerOptions = {}): Promise<PostgresServer> {
  const bin = findPostgresBinaries();
  if (!bin) throw new Error('PostgreSQL is not installed: apt-get install postgresql, or set AVATARFORGE_PG_BIN to the directory of initdb');
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'avatarforge-postgres-'));
  const dataDir = path.join(root, 'cluster');
  const socketDir = path.join(root, 'socket');
  fs.mkdirSync(socketDir);
  // PostgreSQL refuses to run as root: as root, the cluster belongs to the `postgres` user.
  const owner = process.getuid?.() === 0 ? systemUser('postgres') : undefined;
  if (owner) {
    fs.chownSync(root, owner.uid, owner.gid);
    fs.chownSync(socketDir, owner.uid, owner.gid);
  }
  const asOwner = owner ? { uid: owner.uid, gid: owner.gid } : {};
  execFileSync(path.join(bin, 'initdb'), ['-D', dataDir, '-U', 'postgres', '-A', 'trust', '-E', 'UTF8', '--no-sync', '--no-instructions'], {
    ...asOwner,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const port = await freePort();
  const postgres = path.join(bin, 'postgres');
  const server = spawn(
    options.cpus === undefined ? postgres : 'taskset',
    [
      ...(options.cpus === undefined ? [] : ['-c', options.cpus, postgres]),
      '-D', dataDir,
      '-p', String(port),
      '-k', socketDir,
      '-c', 'listen_addresses=127.0.0.1',
      '-c', `max_connections=${options.maxConnections ?? 300}`,
      '-c', 'fsync=off',
      '-c', 'synchronous_commit=off',
      '-c', 'full_page_writes=off',
      '-c', 'shared_buffers=256MB',
    ],
    { ...asOwner, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  const output = outputTail(server);
  const url = `postgres://postgres@127.0.0.1:${port}/postgres`;
  try {
    await waitUntilAccepting(url, server, output);
  } catch (error) {
    server.kill('SIGKILL');
    fs.rmSync(root, { recursive: true, force: true });
    throw error;
  }
  options.log?.(`PostgreSQL ${path.basename(path.dirname(bin))} on 127.0.0.1:${port} (cluster in ${dataDir})`);
  return {
    url,
    psql: fs.existsSync(path.join(bin, 'psql')) ? path.join(bin, 'psql') : 'psql',
    async stop() {
      await stopProcess(server, 'SIGINT');
      fs.rmSync(root, { recursive: true, force: true });
    },
  };
}

function systemUser(name: string): { uid: number; gid: number } {
  const entry = fs
    .readFileSync('/etc/passwd', 'utf8')
    .split('\n')
    .map((line) => line.split(':'))
    .find((fields) => fields[0] === name);
  if (!entry) throw new Error(`running as root, PostgreSQL needs the system user "${name}" (created by Debian's postgresql package)`);
  return { uid: Number(entry[2]), gid: Number(entry[3]) };
}


async function waitUntilAccepting(url: string, server: ChildProcess, output: () => string): Promise<void> {
  const deadline = Date.now() + 30_000;
  for (;;) {
    if (server.exitCode !== null) throw new Error(`PostgreSQL exited at start (code ${server.exitCode}):\n${output()}`);
    const client = new pg.Client({ connectionString: url });
    try {
      await client.connect();
      await client.end();
      return;
    } catch (error) {
      await client.end().catch(() => undefined);
      if (Date.now() > deadline) throw new Error(`PostgreSQL did not accept connections in 30 s: ${String(error)}\n${output()}`);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }
}

