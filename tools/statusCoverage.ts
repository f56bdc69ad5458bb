import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { loadConfig } from '../src/config.js';
import { startServer } from '../src/server.js';

/**
 * Status coverage: does the OpenAPI document say what the server answers? Reads request logs (JSON
 * lines, written at AVATARFORGE_LOG_LEVEL=debug, which logs every request, with the matched route's
 * template) and checks every (method, route, status) they show against the document the server
 * serves (GET /openapi.json of a server started here, in emulator mode so that every route is in it).
 * `npm test` runs it over the SQLite pass's servers, the SDK conformance suites over theirs.
 *
 *   node dist/tools/statusCoverage.js <log file or directory of *.jsonl>...
 *
 * Prints one line per undeclared (method, path, status), with how often and an example URL, then
 * "N requests, M distinct (route, status) pairs, K undeclared"; exits 1 when K > 0, 2 on bad use.
 * Requests no route matched (404s of unknown paths) have no route and are not counted.
 */

/** Routes the document leaves out on purpose: their answers are not API answers. */
const UNDOCUMENTED_ROUTES: Array<{ prefix: string; why: string }> = [
  { prefix: '/openapi.json', why: 'the document itself' },
  { prefix: '/docs', why: 'the interactive viewer of the document (@fastify/swagger-ui)' },
  { prefix: '/console', why: "the web console's files" },
];

/** The part of a request log line this check reads. */
interface RequestLine {
  msg: string;
  method?: string;
  url?: string;
  route?: string;
  statusCode?: number;
}

interface OpenApiDocument {
  paths: Record<string, Record<string, { responses?: Record<string, unknown> }>>;
}

interface Observed {
  method: string;
  /** The route as the document writes it: /jobs/{job_id}. */
  path: string;
  status: number;
  count: number;
  exampleUrl: string;
}

export interface CoverageReport {
  requests: number;
  pairs: number;
  undeclared: Observed[];
}

/** Fastify's /jobs/:job_id is the document's /jobs/{job_id}. */
export function documentPath(route: string): string {
  return route.replace(/:([A-Za-z0-9_]+)/g, '{$1}');
}

function isUndocumented(route: string): boolean {
  return UNDOCUMENTED_ROUTES.some(({ prefix }) => route === prefix || route.startsWith(`${prefix}/`));
}

/** Whether the document declares `status` for the operation; HEAD is GET's when it has no HEAD of its own. */
function declares(document: OpenApiDocument, method: string, pathKey: string, status: number): boolean {
  const item = document.paths[pathKey];
  if (!item) return false;
  const operation = item[method.toLowerCase()] ?? (method === 'HEAD' ? item.get : undefined);
  const responses = operation?.responses ?? {};
  return String(status) in responses || `${String(status)[0]}XX` in responses || 'default' in responses;
}

export function checkStatuses(document: OpenApiDocument, lines: Iterable<RequestLine>): CoverageReport {
  const observed = new Map<string, Observed>();
  let requests = 0;
  for (const line of lines) {
    if (line.msg !== 'request' || line.route === undefined || line.method === undefined || line.statusCode === undefined) continue;
    if (isUndocumented(line.route)) continue;
    requests += 1;
    const pathKey = documentPath(line.route);
    const key = `${line.method} ${pathKey} ${line.statusCode}`;
    const seen = observed.get(key);
    if (seen) seen.count += 1;
    else observed.set(key, { method: line.method, path: pathKey, status: line.statusCode, count: 1, exampleUrl: line.url ?? '' });
  }
  const undeclared = [...observed.values()]
    .filter(({ method, path: pathKey, status }) => !declares(document, method, pathKey, status))
    .sort((a, b) => a.path.localeCompare(b.path) || a.method.localeCompare(b.method) || a.status - b.status);
  return { requests, pairs: observed.size, undeclared };
}

export function formatReport(report: CoverageReport): string {
  const lines = report.undeclared.map(
    ({ method, path: pathKey, status, count, exampleUrl }) => `undeclared: ${method} ${pathKey} ${status}  (${count} request${count === 1 ? '' : 's'}, e.g. ${exampleUrl})`,
  );
  lines.push(`${report.requests} requests, ${report.pairs} distinct (route, status) pairs, ${report.undeclared.length} undeclared`);
  return lines.join('\n') + '\n';
}

/** The request lines of the given log files, and of the *.jsonl files of the given directories. */
function* readRequestLines(inputs: string[]): Generator<RequestLine> {
  const files = inputs.flatMap((input) =>
    fs.statSync(input).isDirectory()
      ? fs.readdirSync(input).filter((name) => name.endsWith('.jsonl')).sort().map((name) => path.join(input, name))
      : [input],
  );
  for (const file of files) {
    for (const text of fs.readFileSync(file, 'utf8').split('\n')) {
      // The server's log is JSON lines; anything else in the file (a crash's stack trace) is not a request.
      if (!text.startsWith('{') || !text.includes('"msg":"request"')) continue;
      yield JSON.parse(text) as RequestLine;
    }
  }
}

/** The document as a server serves it: started on a throwaway data dir, with every route (emulator mode). */
async function servedDocument(): Promise<OpenApiDocument> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'avatarforge-status-coverage-'));
  try {
    // No environment: the caller's AVATARFORGE_* settings (a log file, a database) are not this server's.
    const server = await startServer(loadConfig({ dataDir, host: '127.0.0.1', port: '0', logLevel: 'silent', emulator: 'true', workers: 'false' }, {}));
    try {
      return (await server.app.inject({ method: 'GET', url: '/openapi.json' })).json<OpenApiDocument>();
    } finally {
      await server.close();
    }
  } finally {
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
}

async function main(inputs: string[]): Promise<number> {
  if (inputs.length === 0) {
    process.stderr.write('usage: node dist/tools/statusCoverage.js <request log file or directory>...\n');
    return 2;
  }
  const report = checkStatuses(await servedDocument(), readRequestLines(inputs));
  process.stdout.write(formatReport(report));
  return report.undeclared.length > 0 ? 1 : 0;
}

if (process.argv[1]?.endsWith('statusCoverage.js')) process.exitCode = await main(process.argv.slice(2));
