import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { AdjustableClock } from '../../src/clock.js';
import { loadConfig, type Config } from '../../src/config.js';
import { startServer, type RunningServer } from '../../src/server.js';
import { databaseEnv, dropDatabase } from './database.js';

export const TEST_PROJECT_ID = '0123456789abcdef0123456789abcdef';
export const TEST_ACCESS_KEY = 'AKTESTEXAMPLE0000001';
export const TEST_SECRET_KEY = 'SKtestExampleSecretKey0000000000000000001';

export interface TestServer extends RunningServer {
  config: Config;
  clock: AdjustableClock;
  dataDir: string;
  /** Stops the server; the data dir stays for a restart. */
  stop(): Promise<void>;
  /** Stops the server and removes its data dir. */
  destroy(): Promise<void>;
}

/**
 * The settings that make a server log every request to this run's request log, when the run keeps
 * one (tools/runTests.ts sets AVATARFORGE_TEST_REQUEST_LOG to a directory, and
 * tools/statusCoverage.ts checks the statuses in it against the OpenAPI document); none otherwise.
 * One file per process (`fileName`, by default this process's id), so no two processes share a file.
 */
export function requestLogEnv(fileName = String(process.pid)): Record<string, string> {
  const directory = process.env.AVATARFORGE_TEST_REQUEST_LOG;
  if (directory === undefined) return {};
  return { AVATARFORGE_LOG_LEVEL: 'debug', AVATARFORGE_LOG_FILE: path.join(directory, `${fileName}.jsonl`) };
}

export function makeTempDir(prefix: string): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), `avatarforge-${prefix}-`));
}

/**
 * The real server on a free loopback port, with a fresh data dir (and database: see database.ts), a
 * known tenant credential and a clock the test can move. Pass `dataDir` to restart on an existing one. The pipeline's
 * in-process workers are off unless `env` turns them on (AVATARFORGE_WORKERS=true): API tests then
 * see a submitted job stay in AUTO_VERIFYING.
 */
export async function startTestServer(options: { dataDir?: string; env?: Record<string, string> } = {}): Promise<TestServer> {
  const dataDir = options.dataDir ?? makeTempDir('data');
  // Tests of other behaviour fail authentication on purpose, many times from one address: no
  // throttling unless a test asks for it (test/api/failedLogins.test.ts).
  const env = {
    AVATARFORGE_AUTH_FAILURE_LIMIT: '1000000',
    AVATARFORGE_AUTH_FAILURE_ADDRESS_LIMIT: '1000000',
    AVATARFORGE_LOG_LEVEL: 'silent',
    ...requestLogEnv(),
    ...databaseEnv(dataDir),
    ...options.env,
  };
  const config = loadConfig(
    { dataDir, host: '127.0.0.1', port: '0' },
    {
      AVATARFORGE_PROJECT_ID: TEST_PROJECT_ID,
      AVATARFORGE_ACCESS_KEY: TEST_ACCESS_KEY,
      AVATARFORGE_SECRET_KEY: TEST_SECRET_KEY,
      AVATARFORGE_WORKERS: 'false',
      ...env,
    },
  );
  const clock = new AdjustableClock();
  const server = await startServer(config, { clock });
  // The port is known only now: signed URLs must point at it.
  const port = new URL(server.url).port;
  if (config.publicUrl.endsWith(':0')) {
    await server.close();
    const pinned = loadConfig({ dataDir, host: '127.0.0.1', port, publicUrl: `http://127.0.0.1:${port}` }, {
      AVATARFORGE_PROJECT_ID: TEST_PROJECT_ID,
      AVATARFORGE_ACCESS_KEY: TEST_ACCESS_KEY,
      AVATARFORGE_SECRET_KEY: TEST_SECRET_KEY,
      AVATARFORGE_WORKERS: 'false',
      ...env,
    });
    const restarted = await startServer(pinned, { clock });
    return wrap(restarted, pinned, clock, dataDir);
  }
  return wrap(server, config, clock, dataDir);
}

function wrap(server: RunningServer, config: Config, clock: AdjustableClock, dataDir: string): TestServer {
  return {
    ...server,
    config,
    clock,
    dataDir,
    stop: () => server.close(),
    async destroy() {
      await server.close();
      dropDatabase(dataDir);
      fs.rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
