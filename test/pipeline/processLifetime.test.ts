/**
 * Trainer runs end with the process that started them: an abort ends every process a run started,
 * a server killed with SIGKILL takes its trainer and the trainer's children with it, and the next
 * start removes the scratch space the dead server left behind.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { runTrainerCommand } from '../../src/pipeline/trainerCommand.js';
import { sweepDeadRuns, WORK_ROOT } from '../../src/pipeline/workDirs.js';
import { REPO_ROOT } from '../support/cli.js';
import { processAlive, until } from '../support/processes.js';
import { makeTempDir } from '../support/testServer.js';

const TRAINER_COMMAND_MODULE = fileURLToPath(new URL('../../src/pipeline/trainerCommand.js', import.meta.url));

function runDirs(dir: string): { inputDir: string; outputDir: string } {
  const inputDir = path.join(dir, 'input');
  const outputDir = path.join(dir, 'output');
  fs.mkdirSync(inputDir);
  fs.mkdirSync(outputDir);
  return { inputDir, outputDir };
}

test('an aborted trainer run ends with every process it started', async () => {
  const dir = makeTempDir('lifetime-abort');
  const pids = path.join(dir, 'pids');
  const script = path.join(dir, 'trainer.sh');
  fs.writeFileSync(script, `#!/bin/sh\nsleep 1000 &\necho "$$ $!" > ${pids}\nwait\n`, { mode: 0o755 });
  const controller = new AbortController();
  const running = runTrainerCommand(script, { stage: 'training', jobId: 'j', ...runDirs(dir), signal: controller.signal }, () => undefined);
  await until('the trainer started its child', () => fs.existsSync(pids) && fs.readFileSync(pids, 'utf8').trim().split(' ').length === 2);
  const [trainer, child] = fs.readFileSync(pids, 'utf8').trim().split(' ').map(Number) as [number, number];
  controller.abort(new Error('job cancelled'));
  await assert.rejects(running, /job cancelled/);
  assert.equal(processAlive(trainer), false, 'the trainer ended');
  assert.equal(processAlive(child), false, "the trainer's child ended");
});

test('a server killed with SIGKILL takes its trainer and the trainer\'s children with it; the next start sweeps its scratch space', async () => {
  const dir = makeTempDir('lifetime-kill');
  const pids = path.join(dir, 'pids');
  // A trainer like the reference one: it watches its parent (lifetime.py), starts a child, keeps a temp dir.
  const trainer = path.join(dir, 'trainer.py');
  fs.writeFileSync(
    trainer,
    [
      'import os, subprocess, sys, tempfile, time',
      `sys.path.insert(0, ${JSON.stringify(path.join(REPO_ROOT, 'trainer'))})`,
      'from avatarforge_trainer import lifetime',
      'lifetime.die_with_parent()',
      'child = subprocess.Popen(["sleep", "1000"])',
      'scratch = tempfile.mkdtemp(prefix="avatarforge-render-")',
      `open(${JSON.stringify(pids)} + ".partial", "w").write(f"{os.getpid()} {child.pid} {scratch}")`,
      `os.replace(${JSON.stringify(pids)} + ".partial", ${JSON.stringify(pids)})`,
      'time.sleep(1000)',
      '',
    ].join('\n'),
  );
  const { inputDir, outputDir } = runDirs(dir);
  const server = spawn(
    process.execPath,
    [
      '--input-type=module',
      '-e',
      `import { runTrainerCommand } from ${JSON.stringify(TRAINER_COMMAND_MODULE)};
       await runTrainerCommand(${JSON.stringify(`python3 ${trainer}`)}, { stage: 'training', jobId: 'j', inputDir: ${JSON.stringify(inputDir)}, outputDir: ${JSON.stringify(outputDir)}, signal: new AbortController().signal }, () => undefined);`,
    ],
    { stdio: 'ignore' },
  );
  const exited = new Promise((resolve) => server.once('exit', resolve));
  await until('the trainer started its child', () => fs.existsSync(pids));
  const [trainerPid, childPid, scratch] = fs.readFileSync(pids, 'utf8').split(' ') as [string, string, string];
  assert.ok(scratch.startsWith(path.join(WORK_ROOT, `${server.pid}-`)), `the trainer's TMPDIR is the server's work root: ${scratch}`);

  server.kill('SIGKILL');
  await exited;
  await until('the trainer ended with the server', () => !processAlive(Number(trainerPid)));
  await until("the trainer's child ended with it", () => !processAlive(Number(childPid)));

  assert.ok(fs.existsSync(scratch), 'the dead run left its scratch space');
  const removed = await sweepDeadRuns();
  assert.ok(removed.some((entry) => entry.startsWith(`${server.pid}-`)), `swept ${removed.join(', ')}`);
  assert.equal(fs.existsSync(scratch), false);
  assert.ok(
    fs.readdirSync(WORK_ROOT).some((entry) => entry.startsWith(`${process.pid}-`)),
    "a running process's directory stays",
  );
});
