import { execFile } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { REPO_ROOT } from './cli.js';

const execFileAsync = promisify(execFile);

/** The reference trainer's command (trainer/bin/avatarforge-trainer), as the server runs it. */
export const REFERENCE_TRAINER = path.join(REPO_ROOT, 'trainer', 'bin', 'avatarforge-trainer');
const TRAINER_PYTHON = path.join(REPO_ROOT, 'trainer', '.venv', 'bin', 'python');

export interface TalkingHeadOptions {
  seconds: number;
  width?: number;
  height?: number;
  seed?: number;
  silent?: boolean;
  noFace?: boolean;
}

/**
 * A talking-face video made offline from a real face photo (scikit-image's) and espeak-ng speech,
 * with its ground truth (mouth openness per frame), by trainer/avatarforge_trainer/fixture.py;
 * made once per content and kept in a cache shared with the trainer's own tests.
 */
export async function talkingHeadVideo(options: TalkingHeadOptions): Promise<{ video: string; openness: number[] }> {
  const args = ['-m', 'avatarforge_trainer.fixture_cache', '--seconds', String(options.seconds), '--width', String(options.width ?? 1920), '--height', String(options.height ?? 1080), '--seed', String(options.seed ?? 1)];
  if (options.silent) args.push('--silent');
  if (options.noFace) args.push('--no-face');
  const { stdout } = await execFileAsync(TRAINER_PYTHON, args, { cwd: path.join(REPO_ROOT, 'trainer'), env: { ...process.env, PYTHONPATH: path.join(REPO_ROOT, 'trainer') }, timeout: 15 * 60_000 });
  const video = stdout.trim().split('\n').at(-1)!;
  const truth = JSON.parse(fs.readFileSync(video.replace(/\.mp4$/, '.truth.json'), 'utf8')) as { openness: number[] };
  return { video, openness: truth.openness };
}

/** Mouth openness of every frame of a video, measured with the trainer's landmark model (null: no face). */
export async function measureOpenness(video: string): Promise<{ faceFoundRatio: number; openness: Array<number | null> }> {
  const { stdout } = await execFileAsync(REFERENCE_TRAINER, ['measure', video], { maxBuffer: 16 * 1024 * 1024, timeout: 15 * 60_000 });
  const measured = JSON.parse(stdout) as { face_found_ratio: number; openness: Array<number | null> };
  return { faceFoundRatio: measured.face_found_ratio, openness: measured.openness };
}

/** Pearson correlation over the frames both series have. */
export function correlation(measured: Array<number | null>, truth: number[]): number {
  const pairs = measured.slice(0, truth.length).flatMap((value, index) => (value === null ? [] : [[value, truth[index]!] as const]));
  const mean = (values: number[]) => values.reduce((sum, value) => sum + value, 0) / values.length;
  const xs = pairs.map(([x]) => x);
  const ys = pairs.map(([, y]) => y);
  const [mx, my] = [mean(xs), mean(ys)];
  const covariance = pairs.reduce((sum, [x, y]) => sum + (x - mx) * (y - my), 0);
  const spread = Math.sqrt(xs.reduce((sum, x) => sum + (x - mx) ** 2, 0) * ys.reduce((sum, y) => sum + (y - my) ** 2, 0));
  return covariance / spread;
}
