/**
 * The video-job benchmark: videos per hour that one server renders with 1 and with 2 in-process
 * workers, and each video's real-time factor, against a baseline measured in the same run: ffmpeg
 * alone encoding a video of the same length and size (what any renderer of this kind costs at least).
 *
 *   npm run bench:videos      (BENCH_VIDEOS videos per round, default 6; BENCH_VIDEO_SECONDS of speech each, default 20)
 *
 * The model is the reference trainer's model of the talking-face fixture (trained once and cached),
 * imported with `model import`; each video is an AUDIO script of fixture speech, uploaded as an
 * audio file, at 1920x1080. All videos of a round are created at once; the round ends when the last
 * one has SUCCEEDed.
 */
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { loadConfig } from '../src/config.js';
import { importModel } from '../src/cli/importModel.js';
import { startServer, type RunningServer } from '../src/server.js';
import { freePort } from '../tools/localProcesses.js';

const execFileAsync = promisify(execFile);
const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const TRAINER_PYTHON = path.join(ROOT, 'trainer', '.venv', 'bin', 'python');
const VIDEOS = Number(process.env.BENCH_VIDEOS ?? 6);
const SPEECH_SECONDS = Number(process.env.BENCH_VIDEO_SECONDS ?? 20);
const PROJECT = '0123456789abcdef0123456789abcdef';
const ACCESS_KEY = 'AKBENCHVIDEOS0000001';
const SECRET_KEY = 'SKbenchVideosSecretKey000000000000000001';

const log = (message: string) => process.stdout.write(`${message}\n`);

async function trainerModule(module: string, args: string[] = []): Promise<string> {
  const { stdout } = await execFileAsync(TRAINER_PYTHON, ['-m', module, ...args], { cwd: path.join(ROOT, 'trainer'), maxBuffer: 64 * 1024 * 1024 });
  return stdout.trim().split('\n').at(-1)!;
}

async function api(server: RunningServer, token: string, method: string, route: string, body?: unknown): Promise<Record<string, any>> { // eslint-disable-line @typescript-eslint/no-explicit-any
  const response = await fetch(`${server.url}${route}`, {
    method,
    headers: { 'Content-Type': 'application/json', 'X-Auth-Token': token },
    ...(body !== undefined && { body: JSON.stringify(body) }),
  });
  const answer = (await response.json()) as Record<string, unknown>;
  if (!response.ok) throw new Error(`${method} ${route}: ${response.status} ${JSON.stringify(answer)}`);
  return answer;
}

interface Round {
  workers: number;
  wallSeconds: number;
  videosPerHour: number;
  realTimeFactors: number[];
}

async function round(workers: number, modelDir: string, speech: string): Promise<Round> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'avatarforge-video-bench-'));
  const port = await freePort();
  const config = loadConfig(
    { dataDir, host: '127.0.0.1', port: String(port), logLevel: 'warn' },
    {
      AVATARFORGE_PROJECT_ID: PROJECT,
      AVATARFORGE_ACCESS_KEY: ACCESS_KEY,
      AVATARFORGE_SECRET_KEY: SECRET_KEY,
      AVATARFORGE_WORKERS: 'true',
      AVATARFORGE_WORKER_STAGES: 'video_render',
      AVATARFORGE_WORKER_CONCURRENCY: String(workers),
    },
  );
  const { assetId } = await importModel({ dir: modelDir, project: PROJECT, name: 'bench' }, config);
  const server = await startServer(config);
  try {
    const login = await fetch(`${server.url}/v3/auth/tokens`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ auth: { identity: { methods: ['password'], password: { user: { name: ACCESS_KEY, password: SECRET_KEY } } } } }),
    });
    const token = login.headers.get('x-subject-token')!;
    const audio = await api(server, token, 'POST', `/v1/${PROJECT}/2d-digital-human-videos/audio-files`, { file_name: 'speech.mp4' });
    const uploaded = await fetch(audio.upload_url as string, { method: 'PUT', body: new Uint8Array(fs.readFileSync(speech)) });
    if (!uploaded.ok) throw new Error(`audio upload: ${uploaded.status}`);

    const started = performance.now();
    const ids: string[] = [];
    for (let index = 0; index < VIDEOS; index++) {
      const created = await api(server, token, 'POST', `/v1/${PROJECT}/2d-digital-human-videos`, {
        model_asset_id: assetId,
        video_config: { codec: 'H264', width: 1920, height: 1080, frame_rate: '25' },
        shoot_scripts: [{ sequence_no: 0, shoot_script: { script_type: 'AUDIO', audio_drive_file_external_url: audio.audio_url } }],
        output_asset_config: { asset_name: `bench ${index}` },
      });
      ids.push(created.job_id as string);
    }
    const pending = new Set(ids);
    while (pending.size > 0) {
      await new Promise((resolve) => setTimeout(resolve, 250));
      for (const id of [...pending]) {
        const shown = await api(server, token, 'GET', `/v1/${PROJECT}/2d-digital-human-videos/${id}`);
        if (shown.state === 'SUCCEED') pending.delete(id);
        else if (shown.state === 'FAILED' || shown.state === 'CANCELED') throw new Error(`video ${id} ${shown.state}: ${JSON.stringify(shown.error_info)}`);
      }
    }
    const wallSeconds = (performance.now() - started) / 1000;
    const realTimeFactors: number[] = [];
    for (const id of ids) {
      const report = await server.services.jobs.findFile(id, 'video_report');
      const opened = await server.services.blobs.read(report!.blobKey);
      const chunks: Buffer[] = [];
      for await (const chunk of opened!.stream) chunks.push(chunk as Buffer);
      realTimeFactors.push((JSON.parse(Buffer.concat(chunks).toString('utf8')) as { real_time_factor: number }).real_time_factor);
    }
    return { workers, wallSeconds, videosPerHour: (VIDEOS / wallSeconds) * 3600, realTimeFactors };
  } finally {
    await server.close();
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
}

/** ffmpeg alone: a 1080p picture of the speech's length encoded as the renderer encodes it, with the audio. */
async function baselineSeconds(speech: string, seconds: number): Promise<number> {
  const output = path.join(os.tmpdir(), `avatarforge-video-bench-baseline-${process.pid}.mp4`);
  const started = performance.now();
  await execFileAsync('ffmpeg', [
    '-v', 'error', '-y', '-nostdin',
    '-f', 'lavfi', '-i', `testsrc2=size=1920x1080:rate=25:duration=${seconds}`,
    '-i', speech, '-map', '0:v', '-map', '1:a',
    '-c:v', 'libx264', '-preset', 'veryfast', '-crf', '20', '-pix_fmt', 'yuv420p', '-c:a', 'aac', '-b:a', '128k', '-shortest', output,
  ]);
  fs.rmSync(output, { force: true });
  return (performance.now() - started) / 1000;
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;

async function main(): Promise<void> {
  log('the model: the reference trainer on the 60 s fixture (cached after the first run) …');
  const modelDir = await trainerModule('avatarforge_trainer.fixture_model');
  const speech = await trainerModule('avatarforge_trainer.fixture_cache', ['--seconds', String(SPEECH_SECONDS), '--width', '640', '--height', '360', '--seed', '3']);
  log(`${VIDEOS} videos of ${SPEECH_SECONDS} s of speech at 1920x1080 per round`);
  const rounds: Round[] = [];
  for (const workers of [1, 2]) {
    const result = await round(workers, modelDir, speech);
    rounds.push(result);
    log(`  ${workers} worker(s): ${result.wallSeconds.toFixed(1)} s for ${VIDEOS} videos`);
  }
  const baseline = await baselineSeconds(speech, SPEECH_SECONDS);
  const baselineFactor = baseline / SPEECH_SECONDS;
  log('');
  log('workers   videos/hour   real-time factor per video (median, min–max)   ffmpeg-only baseline   ratio to baseline');
  for (const result of rounds) {
    const factors = result.realTimeFactors;
    log(
      `${String(result.workers).padStart(7)}   ${result.videosPerHour.toFixed(0).padStart(11)}   ` +
        `${median(factors).toFixed(3)} (${Math.min(...factors).toFixed(3)}–${Math.max(...factors).toFixed(3)})`.padEnd(46) +
        `${baselineFactor.toFixed(3).padStart(20)}   ${(median(factors) / baselineFactor).toFixed(2).padStart(17)}`,
    );
  }
  const one = rounds[0]!.videosPerHour;
  log(`2 workers / 1 worker: ${(rounds[1]!.videosPerHour / one).toFixed(2)}x videos per hour; ffmpeg-only throughput would be ${(3600 / baseline).toFixed(0)} videos/hour`);
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? error.stack : String(error)}\n`);
  process.exit(1);
});
