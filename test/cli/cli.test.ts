/**
 * The built CLI (dist/src/cli/main.js), run as users run it: `keys create|list|revoke` and `serve`,
 * each on its own temporary data dir, every server on 127.0.0.1 and killed afterwards.
 */
import { after, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { makeTempDir } from '../support/testServer.js';
import { createSdkClient, HEX32 } from '../support/sdkClient.js';
import { CLI, cliEnvironment, databaseEnvOfArgs, parseCredential, REPO_ROOT, type Credentials } from '../support/cli.js';
import { dumpTables, TEST_DATABASE } from '../support/database.js';
import { startCliProcess, stopProcess } from '../support/processes.js';

const LISTENING = /avatarforge listening on (http:\/\/127\.0\.0\.1:(\d+))/;
const FIRST_START = 'First start: created a project and an access key.';

interface CliResult {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

const children = new Set<ChildProcess>();
const tempDirs: string[] = [];

function tempDataDir(): string {
  const dir = makeTempDir('cli');
  tempDirs.push(dir);
  return dir;
}

function spawnCli(args: string[], env: Record<string, string> = {}): ChildProcess {
  const child = spawn(process.execPath, [CLI, ...args], { cwd: REPO_ROOT, env: cliEnvironment({ ...databaseEnvOfArgs(args), ...env }), stdio: ['ignore', 'pipe', 'pipe'] });
  children.add(child);
  child.once('exit', () => children.delete(child));
  return child;
}

/** Runs a command to its end (bounded) and collects its output. */
function runCli(args: string[], env: Record<string, string> = {}, timeoutMs = 30_000): Promise<CliResult> {
  const child = spawnCli(args, env);
  let stdout = '';
  let stderr = '';
  child.stdout!.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
  child.stderr!.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`avatarforge ${args.join(' ')} did not finish in ${timeoutMs} ms\nstdout:${stdout}\nstderr:${stderr}`));
    }, timeoutMs);
    child.once('error', reject);
    child.once('close', (code, signal) => {
      clearTimeout(timer);
      resolve({ code, signal, stdout, stderr });
    });
  });
}

interface RunningServe {
  child: ChildProcess;
  url: string;
  /** Everything printed to stdout up to and including the "listening" line. */
  banner: string;
  output: () => { stdout: string; stderr: string };
}

/** Starts `serve` and waits (bounded) for its "listening on" line. */
async function startServe(dataDir: string, env: Record<string, string> = {}, timeoutMs = 30_000): Promise<RunningServe> {
  const started = await startCliProcess(['serve', '--data-dir', dataDir], { AVATARFORGE_PORT: '0', AVATARFORGE_HOST: '127.0.0.1', ...env }, LISTENING, timeoutMs);
  children.add(started.child);
  started.child.once('exit', () => children.delete(started.child));
  const stdout = started.stdout();
  const bannerEnd = stdout.indexOf('\n', started.ready.index);
  return {
    child: started.child,
    url: started.ready[1]!,
    banner: bannerEnd < 0 ? stdout : stdout.slice(0, bannerEnd + 1),
    output: () => ({ stdout: started.stdout(), stderr: started.stderr() }),
  };
}

/** Sends SIGTERM and waits (bounded) for the process to exit; SIGKILL if it does not. */
function stopServe(child: ChildProcess, timeoutMs = 10_000): Promise<number | null> {
  return stopProcess(child, 'SIGTERM', timeoutMs);
}

/** Every file under dir, recursively. */
function filesUnder(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    return entry.isDirectory() ? filesUnder(full) : entry.isFile() ? [full] : [];
  });
}

/**
 * Fails when the secret appears in clear in any file of the data dir (as UTF-8/ASCII or UTF-16), or
 * in the credential tables of the PostgreSQL database when the suite runs on one.
 */
function assertSecretNotStored(dataDir: string, secret: string): void {
  if (TEST_DATABASE === 'postgres') {
    const rows = dumpTables(dataDir, ['access_keys', 'auth_tokens']);
    assert.ok(rows.length > 0, 'the database holds access keys');
    assert.ok(!rows.includes(secret), 'the secret key is stored in clear in the database');
  }
  const files = filesUnder(dataDir);
  assert.ok(files.length > 0, 'the data dir holds files');
  const needles = [Buffer.from(secret, 'utf8'), Buffer.from(secret, 'utf16le')];
  for (const file of files) {
    const bytes = fs.readFileSync(file);
    for (const needle of needles) assert.equal(bytes.indexOf(needle), -1, `the secret key is stored in clear in ${file}`);
  }
}

after(async () => {
  await Promise.all([...children].map((child) => stopServe(child, 5_000)));
  for (const dir of tempDirs) fs.rmSync(dir, { recursive: true, force: true });
});

describe('avatarforge keys', () => {
  test('keys create prints a project id, a 20-character AK and a 40-character SK', async () => {
    const dataDir = tempDataDir();
    const result = await runCli(['keys', 'create', '--data-dir', dataDir]);
    assert.equal(result.code, 0, result.stderr);
    const key = parseCredential(result.stdout);
    assert.match(key.projectId, HEX32);
    assert.match(key.ak, /^[A-Z0-9]{20}$/);
    assert.match(key.sk, /^[A-Za-z0-9]{40}$/);
    assert.match(result.stdout, /role\s*:\s*tenant/);

    // --project puts the key in that project.
    const second = await runCli(['keys', 'create', '--project', key.projectId, '--data-dir', dataDir]);
    assert.equal(second.code, 0, second.stderr);
    const secondKey = parseCredential(second.stdout);
    assert.equal(secondKey.projectId, key.projectId);
    assert.notEqual(secondKey.ak, key.ak);
    assert.notEqual(secondKey.sk, key.sk);
  });

  test('an admin key says that it acts across projects; a tenant key says nothing of the kind', async () => {
    const dataDir = tempDataDir();
    const admin = await runCli(['keys', 'create', '--role', 'admin', '--data-dir', dataDir]);
    assert.equal(admin.code, 0, admin.stderr);
    assert.match(admin.stdout, /note\s*: admin keys act across every project; the project id above only records the key and holds no jobs/);
    const tenant = await runCli(['keys', 'create', '--data-dir', dataDir]);
    assert.doesNotMatch(tenant.stdout, /note\s*:/);
  });

  test('--version prints the version of package.json', async () => {
    const result = await runCli(['--version']);
    assert.equal(result.code, 0, result.stderr);
    assert.equal(result.stdout.trim(), JSON.parse(fs.readFileSync(new URL('../../../package.json', import.meta.url), 'utf8')).version);
  });

  test('keys list shows the key but never its secret, and --json parses', async () => {
    const dataDir = tempDataDir();
    const created = await runCli(['keys', 'create', '--data-dir', dataDir, '--description', 'listed key']);
    assert.equal(created.code, 0, created.stderr);
    const key = parseCredential(created.stdout);

    const listed = await runCli(['keys', 'list', '--data-dir', dataDir]);
    assert.equal(listed.code, 0, listed.stderr);
    assert.ok(listed.stdout.includes(key.ak), listed.stdout);
    assert.ok(listed.stdout.includes(key.projectId), listed.stdout);
    assert.ok(!listed.stdout.includes(key.sk), 'keys list must not print the secret key');
    assert.ok(!listed.stderr.includes(key.sk));

    const json = await runCli(['keys', 'list', '--json', '--data-dir', dataDir]);
    assert.equal(json.code, 0, json.stderr);
    assert.ok(!json.stdout.includes(key.sk), 'keys list --json must not print the secret key');
    const rows = JSON.parse(json.stdout) as Array<Record<string, string>>;
    assert.equal(rows.length, 1);
    assert.equal(rows[0]!.access_key, key.ak);
    assert.equal(rows[0]!.project_id, key.projectId);
    assert.equal(rows[0]!.role, 'tenant');
    assert.equal(rows[0]!.status, 'active');
    assert.equal(rows[0]!.description, 'listed key');
  });

  test('keys revoke marks the key revoked; revoking an unknown key exits 1', async () => {
    const dataDir = tempDataDir();
    const key = parseCredential((await runCli(['keys', 'create', '--data-dir', dataDir])).stdout);

    const revoked = await runCli(['keys', 'revoke', key.ak, '--data-dir', dataDir]);
    assert.equal(revoked.code, 0, revoked.stderr);
    assert.ok(revoked.stdout.includes(key.ak));

    const rows = JSON.parse((await runCli(['keys', 'list', '--json', '--data-dir', dataDir])).stdout) as Array<Record<string, string>>;
    assert.equal(rows.find((row) => row.access_key === key.ak)?.status, 'revoked');

    const unknown = await runCli(['keys', 'revoke', 'AKNOSUCHKEY000000000', '--data-dir', dataDir]);
    assert.equal(unknown.code, 1);
    assert.ok(unknown.stderr.includes('AKNOSUCHKEY000000000'), unknown.stderr);
  });

  test('keys create with an invalid --project exits 2 with a message', async () => {
    const result = await runCli(['keys', 'create', '--project', 'not a project!', '--data-dir', tempDataDir()]);
    assert.equal(result.code, 2);
    assert.match(result.stderr, /--project/);
  });

  test('keys create stores the secret key encrypted, never in clear', async () => {
    const dataDir = tempDataDir();
    const key = parseCredential((await runCli(['keys', 'create', '--data-dir', dataDir])).stdout);
    assertSecretNotStored(dataDir, key.sk);
  });

  test('a command with another master key than the database was set up with exits 2 and touches nothing', async () => {
    const dataDir = tempDataDir();
    await runCli(['keys', 'create', '--data-dir', dataDir]);
    const otherKey = 'ab'.repeat(32);
    const refused = await runCli(['keys', 'create', '--data-dir', dataDir], { AVATARFORGE_MASTER_KEY: otherKey });
    assert.equal(refused.code, 2);
    assert.match(refused.stderr, /master key \(AVATARFORGE_MASTER_KEY\) is not the one .* was set up with/);
    const served = await runCli(['serve', '--data-dir', dataDir], { AVATARFORGE_MASTER_KEY: otherKey, AVATARFORGE_PORT: '0' });
    assert.equal(served.code, 2);
    const listed = JSON.parse((await runCli(['keys', 'list', '--json', '--data-dir', dataDir])).stdout) as unknown[];
    assert.equal(listed.length, 1, 'only the first key exists');
  });
});

describe('avatarforge serve', () => {
  test('the log has one line per request that changed something or failed; reads that worked only at debug', async () => {
    const dataDir = tempDataDir();
    const server = await startServe(dataDir, { AVATARFORGE_LOG_LEVEL: 'info' });
    let output = '';
    try {
      const sdk = createSdkClient(server.url, parseCredential(server.banner));
      for (let poll = 0; poll < 3; poll++) assert.equal((await fetch(`${server.url}/healthz`)).status, 200);
      assert.equal((await sdk.list()).httpStatusCode, 200);
      await sdk.create({ name: 'logged_job' });
      assert.equal((await fetch(`${server.url}/v1/${parseCredential(server.banner).projectId}/digital-human-training-manage/user/jobs`)).status, 401);
    } finally {
      assert.equal(await stopServe(server.child), 0);
      output = server.output().stdout;
    }
    const requests = output
      .split('\n')
      .filter((line) => line.startsWith('{'))
      .map((line) => JSON.parse(line) as { msg: string; level: number; method?: string; statusCode?: number })
      .filter((entry) => entry.msg === 'request' || entry.msg === 'incoming request' || entry.msg === 'request completed');
    // A request's line is written when its answer has gone out, so the client's next request may be
    // logged first: compared in order of method.
    const lines = requests.map((entry) => [entry.msg, entry.level, entry.method, entry.statusCode] as const);
    assert.deepEqual(lines.sort((a, b) => String(a[2]).localeCompare(String(b[2]))), [
      ['request', 30, 'GET', 401],
      ['request', 30, 'POST', 200],
    ]);
  });

  test('AVATARFORGE_LOG_FILE: the log is appended to the file instead of stdout, each request line with its matched route', async () => {
    const dataDir = tempDataDir();
    const logFile = path.join(dataDir, 'logs', 'server.jsonl');
    fs.mkdirSync(path.dirname(logFile));
    fs.writeFileSync(logFile, '{"msg":"an earlier line"}\n');
    const server = await startServe(dataDir, { AVATARFORGE_LOG_LEVEL: 'debug', AVATARFORGE_LOG_FILE: logFile });
    let stdout = '';
    try {
      assert.equal((await fetch(`${server.url}/healthz`)).status, 200);
      assert.equal((await fetch(`${server.url}/v1/${parseCredential(server.banner).projectId}/digital-human-training-manage/user/jobs/${'0'.repeat(32)}`)).status, 401);
      assert.equal((await fetch(`${server.url}/no-such-route`)).status, 404);
    } finally {
      assert.equal(await stopServe(server.child), 0);
      stdout = server.output().stdout;
    }
    assert.ok(!stdout.split('\n').some((line) => line.startsWith('{')), `no log line on stdout:\n${stdout}`);
    const lines = fs.readFileSync(logFile, 'utf8').trimEnd().split('\n').map((line) => JSON.parse(line) as { msg: string; route?: string; statusCode?: number });
    assert.equal(lines[0]!.msg, 'an earlier line', 'appended, not overwritten');
    assert.deepEqual(
      lines.filter((line) => line.msg === 'request').map((line) => [line.route, line.statusCode]),
      [
        ['/healthz', 200],
        ['/v1/:project_id/digital-human-training-manage/user/jobs/:job_id', 401],
        [undefined, 404],
      ],
    );
  });

  test('the first start prints a project id, AK and SK once; they sign requests; a restart prints nothing', async () => {
    const dataDir = tempDataDir();
    const first = await startServe(dataDir);
    let printed: Credentials | undefined;
    try {
      assert.ok(first.banner.includes(FIRST_START), first.banner);
      const credential = parseCredential(first.banner);
      printed = credential;
      assert.match(credential.projectId, HEX32);
      assert.match(credential.ak, /^[A-Z0-9]{20}$/);
      assert.match(credential.sk, /^[A-Za-z0-9]{40}$/);

      const sdk = createSdkClient(first.url, credential);
      const listed = await sdk.list();
      assert.equal(listed.httpStatusCode, 200);
      assert.equal(listed.count, 0);
      const created = await sdk.create({ name: 'first_start_job' });
      assert.match(created.job_id as string, HEX32);

      // Encrypted at rest, also while the server runs (WAL included).
      assertSecretNotStored(dataDir, credential.sk);
    } finally {
      assert.equal(await stopServe(first.child), 0, 'SIGTERM ends serve with exit code 0');
    }
    const credential = printed;
    assertSecretNotStored(dataDir, credential.sk);

    const second = await startServe(dataDir);
    try {
      assert.ok(!second.banner.includes(FIRST_START), second.banner);
      assert.ok(!second.banner.includes(credential.sk), 'the secret key is shown only on the first start');
      assert.doesNotMatch(second.banner, /secret key/);
      // The same credential still works, and the data survived the restart.
      const listed = await createSdkClient(second.url, credential).list({ name: 'first_start_job' });
      assert.equal(listed.count, 1);
    } finally {
      assert.equal(await stopServe(second.child), 0);
    }
    assert.ok(!second.output().stdout.includes(credential.sk));
    assertSecretNotStored(dataDir, credential.sk);
  });

  test('an invalid setting (AVATARFORGE_PORT=99999) exits with code 2 and names the variable', async () => {
    const dataDir = tempDataDir();
    const result = await runCli(['serve', '--data-dir', dataDir], { AVATARFORGE_PORT: '99999' });
    assert.equal(result.code, 2, `stdout:${result.stdout}\nstderr:${result.stderr}`);
    assert.match(result.stderr, /AVATARFORGE_PORT/);
    assert.match(result.stderr, /99999/);
    assert.doesNotMatch(result.stdout, /listening/);
    assert.doesNotMatch(result.stdout, /secret key/);
  });

  test('an invalid log level exits with code 2 and names the variable', async () => {
    const result = await runCli(['serve', '--data-dir', tempDataDir()], { AVATARFORGE_PORT: '0', AVATARFORGE_LOG_LEVEL: 'loud' });
    assert.equal(result.code, 2, `stdout:${result.stdout}\nstderr:${result.stderr}`);
    assert.match(result.stderr, /AVATARFORGE_LOG_LEVEL/);
  });
});

describe('avatarforge voices and say', () => {
  test('voices lists every voice once; say writes the speech as a WAV and refuses a voice that does not exist', async () => {
    const listed = await runCli(['voices'], {}, 120_000);
    assert.equal(listed.code, 0, listed.stderr);
    const voices = listed.stdout.trim().split('\n').map((line) => JSON.parse(line) as { name: string; language: string });
    assert.equal(new Set(voices.map((voice) => voice.name)).size, voices.length);
    assert.ok(voices.some((voice) => voice.name === 'zf_xiaoxiao' && voice.language === 'zh'));

    const output = path.join(tempDataDir(), 'hello.wav');
    const said = await runCli(['say', '--text', '你好, and hello.', '--voice', 'bf_lily', '-o', output], {}, 120_000);
    assert.equal(said.code, 0, said.stderr);
    const wav = fs.readFileSync(output);
    assert.equal(wav.subarray(0, 4).toString(), 'RIFF');
    assert.equal(wav.readUInt32LE(24), 24000);
    assert.ok(JSON.parse(said.stdout.trim()).seconds > 1);

    const refused = await runCli(['say', '--text', 'Hello.', '--voice', 'nobody', '-o', output], {}, 120_000);
    assert.equal(refused.code, 1);
    assert.match(refused.stderr, /there is no voice 'nobody'/);
  });

  test('a trainer that fails on a bug shows its last line; the traceback goes to a log file, not the terminal', async () => {
    const dir = tempDataDir();
    const trainer = path.join(dir, 'trainer.sh');
    fs.writeFileSync(
      trainer,
      '#!/bin/sh\necho "progress: reading the text" >&2\necho "Traceback (most recent call last):" >&2\necho "KeyError: secret_field" >&2\necho "the trainer failed on an internal error (KeyError); the details are in the log" >&2\nexit 1\n',
      { mode: 0o755 },
    );
    const failed = await runCli(['say', '--text', 'Hello.', '-o', path.join(dir, 'out.wav')], { AVATARFORGE_REFERENCE_TRAINER: trainer });
    assert.equal(failed.code, 1);
    assert.doesNotMatch(failed.stderr, /Traceback|secret_field|progress:/);
    assert.match(failed.stderr, /^reading the text\nthe trainer failed on an internal error \(KeyError\); the details are in the log\n\(the trainer's whole output: (\S+)\)\n$/);
    const log = /whole output: (\S+)\)/.exec(failed.stderr)![1]!;
    assert.match(fs.readFileSync(log, 'utf8'), /Traceback \(most recent call last\):\nKeyError: secret_field/);
  });
});
