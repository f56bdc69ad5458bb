import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { S3Settings } from '../src/config.js';
import { freePort, outputTail, stopProcess } from './localProcesses.js';

/**
 * A throwaway MinIO server on a loopback port, for the tests and benchmarks that need an
 * S3-compatible store: a real S3 implementation (signature checks, multipart uploads, presigned
 * URLs), one static binary built from the Go module proxy by `.ci/run`
 * (`go install github.com/minio/minio@<version>`). Found through AVATARFORGE_MINIO_BIN, then PATH,
 * then the Go install directory.
 */
export interface MinioServer {
  /** Settings for a bucket of this server (created by the object store on first use). */
  s3(bucket: string): S3Settings;
  stop(): Promise<void>;
}

export const MINIO_ROOT_USER = 'avatarforgeminio';
const MINIO_ROOT_PASSWORD = 'avatarforge-minio-secret';

export function findMinioBinary(): string | undefined {
  const pathDirs = (process.env.PATH ?? '').split(path.delimiter);
  const goBin = process.env.GOBIN ?? path.join(process.env.GOPATH ?? path.join(os.homedir(), 'go'), 'bin');
  const candidates = [process.env.AVATARFORGE_MINIO_BIN, ...pathDirs.map((dir) => path.join(dir, 'minio')), path.join(goBin, 'minio')];
  return candidates.find((file) => file !== undefined && fs.existsSync(file));
}

export async function startMinioServer(options: { log?: (line: string) => void } = {}): Promise<MinioServer> {
  const binary = findMinioBinary();
  if (!binary) {
    throw new Error('MinIO is not installed: go install github.com/minio/minio@latest (see .ci/run), or set AVATARFORGE_MINIO_BIN');
  }
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'avatarforge-minio-'));
  const port = await freePort();
  const consolePort = await freePort();
  const server = spawn(binary, ['server', dataDir, '--address', `127.0.0.1:${port}`, '--console-address', `127.0.0.1:${consolePort}`, '--quiet'], {
    env: {
      ...process.env,
      MINIO_ROOT_USER,
      MINIO_ROOT_PASSWORD,
      MINIO_BROWSER: 'off',
      MINIO_UPDATE: 'off',
      MINIO_CALLHOME_ENABLE: 'off',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const output = outputTail(server);
  const endpoint = `http://127.0.0.1:${port}`;
  try {
    await waitUntilLive(endpoint, server, output);
  } catch (error) {
    server.kill('SIGKILL');
    fs.rmSync(dataDir, { recursive: true, force: true });
    throw error;
  }
  options.log?.(`MinIO on ${endpoint} (data in ${dataDir})`);
  return {
    s3: (bucket) => ({
      endpoint,
      publicEndpoint: endpoint,
      bucket,
      region: 'us-east-1',
      accessKeyId: MINIO_ROOT_USER,
      secretAccessKey: MINIO_ROOT_PASSWORD,
      forcePathStyle: true,
    }),
    async stop() {
      await stopProcess(server, 'SIGTERM');
      fs.rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/** The settings of an S3 store as AVATARFORGE_S3_* variables, for server and worker processes. */
export function s3Environment(s3: S3Settings): Record<string, string> {
  return {
    AVATARFORGE_S3_ENDPOINT: s3.endpoint,
    AVATARFORGE_S3_PUBLIC_ENDPOINT: s3.publicEndpoint,
    AVATARFORGE_S3_BUCKET: s3.bucket,
    AVATARFORGE_S3_REGION: s3.region,
    AVATARFORGE_S3_ACCESS_KEY_ID: s3.accessKeyId,
    AVATARFORGE_S3_SECRET_ACCESS_KEY: s3.secretAccessKey,
    AVATARFORGE_S3_FORCE_PATH_STYLE: String(s3.forcePathStyle),
  };
}


async function waitUntilLive(endpoint: string, server: ChildProcess, output: () => string): Promise<void> {
  const deadline = Date.now() + 60_000;
  for (;;) {
    if (server.exitCode !== null) throw new Error(`MinIO exited at start (code ${server.exitCode}):\n${output()}`);
    try {
      const response = await fetch(`${endpoint}/minio/health/live`);
      if (response.ok) return;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) throw new Error(`MinIO was not live in 60 s:\n${output()}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

