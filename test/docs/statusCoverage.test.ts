/**
 * tools/statusCoverage.ts, run as npm test runs it: request logs in, against the OpenAPI document a
 * real server serves.
 */
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { makeTempDir } from '../support/testServer.js';

const TOOL = fileURLToPath(new URL('../../tools/statusCoverage.js', import.meta.url));
const JOB_ROUTE = '/v1/:project_id/digital-human-training-manage/user/jobs/:job_id';
const JOB_URL = `/v1/${'1'.repeat(32)}/digital-human-training-manage/user/jobs/${'2'.repeat(32)}`;

const logDir = makeTempDir('status-coverage');
after(() => fs.rmSync(logDir, { recursive: true, force: true }));

function requestLine(method: string, url: string, route: string | undefined, statusCode: number): string {
  return JSON.stringify({ level: 20, method, url, ...(route !== undefined && { route }), statusCode, ms: 1, msg: 'request' });
}

function runTool(inputs: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, [TOOL, ...inputs], (error, stdout, stderr) => resolve({ code: error ? (error.code as number) : 0, stdout, stderr }));
  });
}

test('a status the document does not declare is listed with its count and an example URL, and fails the check', async () => {
  const log = path.join(logDir, 'undeclared.jsonl');
  fs.writeFileSync(
    log,
    [
      '{"level":30,"msg":"Server listening at http://127.0.0.1:1"}',
      requestLine('GET', '/healthz', '/healthz', 200),
      requestLine('HEAD', '/healthz', '/healthz', 200),
      requestLine('GET', '/healthz?probe=1', '/healthz', 503),
      requestLine('GET', '/healthz?probe=2', '/healthz', 503),
      requestLine('GET', JOB_URL, JOB_ROUTE, 304),
      requestLine('GET', '/no-such-route', undefined, 404),
      requestLine('GET', '/console/', '/console/', 200),
      '',
    ].join('\n'),
  );
  const result = await runTool([log]);
  assert.equal(result.code, 1, result.stderr);
  assert.equal(
    result.stdout,
    'undeclared: GET /healthz 503  (2 requests, e.g. /healthz?probe=1)\n' +
      '5 requests, 4 distinct (route, status) pairs, 1 undeclared\n',
  );
});

test('when every status is declared (HEAD as GET, :param as {param}) the check passes; a directory is read file by file', async () => {
  const dir = path.join(logDir, 'declared');
  fs.mkdirSync(dir);
  fs.writeFileSync(path.join(dir, '1.jsonl'), `${requestLine('HEAD', '/healthz', '/healthz', 200)}\n`);
  fs.writeFileSync(path.join(dir, '2.jsonl'), `${requestLine('GET', JOB_URL, JOB_ROUTE, 401)}\n${requestLine('POST', '/v3/auth/tokens', '/v3/auth/tokens', 201)}\n`);
  fs.writeFileSync(path.join(dir, 'not-a-log.txt'), requestLine('GET', '/healthz', '/healthz', 599));
  const result = await runTool([dir]);
  assert.equal(result.code, 0, result.stderr);
  assert.equal(result.stdout, '3 requests, 3 distinct (route, status) pairs, 0 undeclared\n');
});
