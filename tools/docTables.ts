import fs from 'node:fs';
import { ERROR_CATALOGUE } from '../src/domain/errors.js';
import {
  adminActionStates,
  DELETABLE_STATES,
  FINAL_STATES,
  GRAPH_STATES,
  TRANSITIONS,
  UPDATABLE_STATES,
  UPLOAD_STATES,
} from '../src/domain/stateMachine.js';
import { VIDEO_JOB_TRANSITIONS } from '../src/domain/videoJob.js';
import { ASSET_COMMANDS } from '../src/domain/assets/asset.js';
import { ASSET_STATES } from '../src/domain/assets/assetWire.js';

/**
 * The docs' tables are rendered from the code (the transition table and the error catalogue), so the
 * two can never disagree: `npm run docs:tables` rewrites them, a test fails when they drift.
 */
export const GENERATED_TABLES = {
  'docs/state-machine.md': renderStateMachine,
  'docs/errors.md': renderErrors,
  'docs/video-jobs.md': renderVideoJobStates,
  'docs/assets.md': renderAssetCommands,
} as const;

const BEGIN = '<!-- generated from the code: npm run docs:tables -->';
const END = '<!-- end of generated part -->';

const list = (states: readonly string[]) => states.map((state) => `\`${state}\``).join(', ');

/** A long from-list (the admin resets) reads better as the few states of the table it leaves out. */
function fromStates(from: readonly string[]): string {
  if (from.length <= 10) return list(from);
  return `any state but ${list(GRAPH_STATES.filter((state) => !from.includes(state)))}`;
}

export function renderStateMachine(): string {
  const rows = TRANSITIONS.map(
    (transition) =>
      `| \`${transition.event}\` | ${fromStates(transition.from)} | \`${transition.to}\` | ${transition.actors.join(', ')} | ${transition.logType ? `\`${transition.logType}\`` : '—'} |`,
  );
  return [
    '| event | from | to | who may cause it | operation log |',
    '|---|---|---|---|---|',
    ...rows,
    '',
    `- Update is allowed in: ${list(UPDATABLE_STATES)}.`,
    `- Delete is allowed in: ${list(DELETABLE_STATES)}.`,
    `- Uploads and the multipart commands are accepted in: ${list(UPLOAD_STATES)}.`,
    `- An admin can stop a job in: ${list(adminActionStates('stop'))}.`,
    `- An admin can run a stage again (redo) from: ${list(adminActionStates('redo'))}.`,
    `- An admin can skip a stage from: ${list(adminActionStates('skip'))}.`,
    `- Final (an admin does not reset them): ${list(FINAL_STATES)}.`,
  ].join('\n');
}

const VIDEO_JOB_EVENT_CAUSES: Record<keyof typeof VIDEO_JOB_TRANSITIONS, string> = {
  start: 'a worker leases the render (again after a lost lease)',
  succeed: 'the render stored the video, its cover and its report',
  fail: 'the render failed for good, or its model was deleted',
  cancel: 'Cancel2DDigitalHumanVideo',
};

export function renderVideoJobStates(): string {
  const rows = Object.entries(VIDEO_JOB_TRANSITIONS).map(
    ([event, transition]) => `| \`${event}\` | ${list(transition.from)} | \`${transition.to}\` | ${VIDEO_JOB_EVENT_CAUSES[event as keyof typeof VIDEO_JOB_TRANSITIONS]} |`,
  );
  return ['| event | from | to | when |', '|---|---|---|---|', ...rows].join('\n');
}

const ASSET_COMMAND_CAUSES: Record<keyof typeof ASSET_COMMANDS, string> = {
  activate: 'UpdateDigitalAsset with `asset_state` `ACTIVED`',
  deactivate: 'UpdateDigitalAsset with `asset_state` `UNACTIVED`',
  update: 'UpdateDigitalAsset (its other fields)',
  delete: 'DeleteAsset',
  forceDelete: 'DeleteAsset with `mode=force`',
  restore: 'RestoreAsset',
};

/** An asset command's from-states, as "any but …" when it is allowed in all states but a few. */
function assetFromStates(from: readonly string[]): string {
  const left = ASSET_STATES.filter((state) => !from.includes(state));
  return left.length <= 2 ? `any but ${list(left)}` : list(from);
}

export function renderAssetCommands(): string {
  const rows = Object.entries(ASSET_COMMANDS).map(([command, rule]) => {
    const to = rule.to === null ? 'the same state' : rule.to === 'restored' ? 'the state it was deleted in' : `\`${rule.to}\``;
    return `| ${ASSET_COMMAND_CAUSES[command as keyof typeof ASSET_COMMANDS]} | ${assetFromStates(rule.from)} | ${to} |`;
  });
  return ['| command | allowed in | leads to |', '|---|---|---|', ...rows].join('\n');
}

export function renderErrors(): string {
  const rows = Object.entries(ERROR_CATALOGUE).map(
    ([name, entry]) => `| ${entry.status} | \`${entry.code}\` | ${entry.message} | \`${name}\` | ${entry.kind} |`,
  );
  return ['| HTTP | error_code | error_msg | name in code | kind |', '|---|---|---|---|---|', ...rows].join('\n');
}

/** The generated part of a doc file, between its markers. */
export function generatedPart(text: string): string | undefined {
  const start = text.indexOf(BEGIN);
  const end = text.indexOf(END);
  if (start < 0 || end < start) return undefined;
  return text.slice(start + BEGIN.length, end).trim();
}

function rewrite(file: string, table: string): void {
  const text = fs.readFileSync(file, 'utf8');
  const start = text.indexOf(BEGIN);
  const end = text.indexOf(END);
  if (start < 0 || end < start) throw new Error(`${file} has no generated-part markers`);
  fs.writeFileSync(file, `${text.slice(0, start + BEGIN.length)}\n${table}\n${text.slice(end)}`);
}

if (process.argv[1]?.endsWith('docTables.js')) {
  for (const [file, render] of Object.entries(GENERATED_TABLES)) {
    rewrite(file, render());
    process.stdout.write(`rewrote the table in ${file}\n`);
  }
}
