import path from 'node:path';
import { inspect } from 'node:util';

/**
 * `npm test`'s reporter for node:test: one line per test file (its tests passed, failed and
 * skipped, and how long it took), every failure in full as it happens, and the pass's totals. The
 * complete TAP goes to a file beside it (tools/runTests.ts).
 */
interface TestEventData {
  name: string;
  nesting: number;
  file?: string;
  skip?: boolean | string;
  todo?: boolean | string;
  message?: string;
  details?: { type?: string; duration_ms?: number; error?: unknown };
}

interface FileTally {
  file: string;
  passed: number;
  failed: number;
  skipped: number;
  /** The file's top-level tests' time. */
  durationMs: number;
}

export default async function* testReporter(source: AsyncIterable<{ type: string; data: TestEventData }>): AsyncGenerator<string> {
  let current: FileTally | undefined;
  const totals: string[] = [];
  const fileLine = (tally: FileTally) => {
    const mark = tally.failed > 0 ? 'FAIL' : 'ok  ';
    const counts = [`${tally.passed} passed`, ...(tally.failed > 0 ? [`${tally.failed} failed`] : []), ...(tally.skipped > 0 ? [`${tally.skipped} skipped`] : [])];
    return `${mark} ${path.relative(process.cwd(), tally.file)}  (${counts.join(', ')}; ${(tally.durationMs / 1000).toFixed(1)} s)\n`;
  };

  for await (const event of source) {
    const data = event.data;
    if (event.type === 'test:diagnostic' && data.nesting === 0 && data.file === undefined) {
      totals.push(data.message ?? '');
      continue;
    }
    if (event.type !== 'test:pass' && event.type !== 'test:fail') continue;
    const file = data.file ?? '(no file)';
    if (current?.file !== file) {
      if (current) yield fileLine(current);
      current = { file, passed: 0, failed: 0, skipped: 0, durationMs: 0 };
    }
    if (data.nesting === 0) current.durationMs += data.details?.duration_ms ?? 0;
    if (data.details?.type === 'suite') continue;
    if (data.skip !== undefined && data.skip !== false) current.skipped += 1;
    else if (event.type === 'test:pass') current.passed += 1;
    else {
      current.failed += 1;
      const error = data.details?.error as { cause?: unknown } | undefined;
      const shown = inspect(error?.cause ?? error, { depth: 6 }).split('\n').map((line) => `    ${line}`).join('\n');
      yield `\n  FAILED: ${path.relative(process.cwd(), file)} > ${data.name}\n${shown}\n\n`;
    }
  }
  if (current) yield fileLine(current);
  // "tests 327", "pass 327", … as one line.
  yield `${totals.filter((line) => !line.startsWith('suites')).join(', ')}\n`;
}
