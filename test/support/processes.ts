import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';
import { CLI, cliEnvironment, databaseEnvOfArgs, REPO_ROOT, type Credentials } from './cli.js';
import { requestLogEnv } from './testServer.js';

/** CLI processes this process started, to name their request log files. */
let startedProcesses = 0;

/** A CLI command running in its own process, with everything it printed so far. */
export interface CliProcess {
  child: ChildProcess;
  /** The match of the line that said it was ready. */
  ready: RegExpExecArray;
  stdout(): string;
  stderr(): string;
}

/**
 * Starts `avatarforge <args>` (with the data dir's database settings, see database.ts) and waits,
 * bounded, until its stdout matches `readyPattern`; fails with its output if it exits first. It runs
 * in the repository's root unless `cwd` names another directory.
 */
export function startCliProcess(args: string[], env: Record<string, string>, readyPattern: RegExp, timeoutMs = 30_000, cwd = REPO_ROOT): Promise<CliProcess> {
  // Into the run's request log, unless the test reads the log itself.
  const requestLog = env.AVATARFORGE_LOG_LEVEL === undefined ? requestLogEnv(`${process.pid}-${(startedProcesses += 1)}`) : {};
  const child = spawn(process.execPath, [CLI, ...args], {
    cwd,
    env: cliEnvironment({ ...databaseEnvOfArgs(args), ...requestLog, ...env }),
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout!.setEncoding('utf8');
  child.stderr!.setEncoding('utf8');
  child.stderr!.on('data', (chunk: string) => (stderr += chunk));
  return new Promise((resolve, reject) => {
    const fail = (why: string) => {
      clearTimeout(timer);
      child.kill('SIGKILL');
      reject(new Error(`avatarforge ${args.join(' ')}: ${why}\nstdout:${stdout}\nstderr:${stderr}`));
    };
    const timer = setTimeout(() => fail(`not ready in ${timeoutMs} ms`), timeoutMs);
    const onEarlyExit = (code: number | null, signal: NodeJS.Signals | null) => fail(`exited early (code ${code}, signal ${signal})`);
    let ready: RegExpExecArray | null = null;
    child.stdout!.on('data', (chunk: string) => {
      stdout += chunk;
      if (ready) return;
      ready = readyPattern.exec(stdout);
      if (ready) {
        clearTimeout(timer);
        child.off('exit', onEarlyExit);
        resolve({ child, ready, stdout: () => stdout, stderr: () => stderr });
      }
    });
    child.once('exit', onEarlyExit);
  });
}

/**
 * `avatarforge worker --server` as its own process, as on a GPU machine: it claims work of `stages`
 * through the worker API and runs `command` for each, polling every 0.2 s. Returns it and its output so far.
 */
export function startExternalWorker(serverUrl: string, key: Credentials, options: { stages: string[]; command: string; workerId: string }): { child: ChildProcess; output: () => string } {
  const args = ['worker', '--server', serverUrl, '--access-key', key.ak, '--secret-key', key.sk, '--stages', options.stages.join(',')];
  const child = spawn(process.execPath, [CLI, ...args, '--command', options.command, '--worker-id', options.workerId, '--poll-seconds', '0.2'], {
    cwd: REPO_ROOT,
    env: cliEnvironment(),
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout!.on('data', (chunk) => (output += chunk));
  child.stderr!.on('data', (chunk) => (output += chunk));
  return { child, output: () => output };
}

/** Sends `signal` and waits (bounded) for the process to exit, then SIGKILL; resolves with its exit code. */
export async function stopProcess(child: ChildProcess, signal: NodeJS.Signals = 'SIGTERM', timeoutMs = 10_000): Promise<number | null> {
  if (child.exitCode !== null || child.signalCode !== null) return child.exitCode;
  return new Promise((resolve) => {
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.once('exit', (code) => {
      clearTimeout(timer);
      resolve(code);
    });
    child.kill(signal);
  });
}

/** Whether the process runs (a zombie, dead but not yet reaped, does not). Linux. */
export function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return fs.readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]?.[0] !== 'Z';
  } catch {
    return false;
  }
}

/** Waits, polling every 50 ms, until `condition` holds; fails after `timeoutMs` (generous: the event is awaited, not timed). */
export async function until(what: string, condition: () => boolean, timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) assert.fail(`${what}: not within ${timeoutMs} ms`);
    await sleep(50);
  }
}
