import { execFile } from 'node:child_process';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';

/** ffmpeg and ffprobe, run as child processes so the event loop keeps renewing leases meanwhile. */
export interface MediaTools {
  ffmpegPath: string;
  ffprobePath: string;
  /** A TrueType font for burnt-in timestamps; undefined when none was found (no timestamps then). */
  fontFile: string | undefined;
}

const require = createRequire(import.meta.url);

/**
 * Finds the tools: a configured path first, then the system PATH, then the binaries that the npm
 * packages @ffmpeg-installer/ffmpeg and @ffprobe-installer/ffprobe ship inside themselves.
 */
export function locateMediaTools(configured: { ffmpegPath?: string; ffprobePath?: string; fontFile?: string }): MediaTools {
  return {
    ffmpegPath: configured.ffmpegPath ?? onPath('ffmpeg') ?? fromPackage('@ffmpeg-installer/ffmpeg') ?? missing('ffmpeg'),
    ffprobePath: configured.ffprobePath ?? onPath('ffprobe') ?? fromPackage('@ffprobe-installer/ffprobe') ?? missing('ffprobe'),
    fontFile: configured.fontFile ?? FONT_CANDIDATES.find((file) => fs.existsSync(file)),
  };
}

const FONT_CANDIDATES = [
  '/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf',
  '/usr/share/fonts/TTF/DejaVuSans.ttf',
  '/usr/share/fonts/dejavu/DejaVuSans.ttf',
  '/System/Library/Fonts/Supplemental/Arial.ttf',
];

function onPath(name: string): string | undefined {
  for (const directory of (process.env.PATH ?? '').split(path.delimiter)) {
    const candidate = path.join(directory, name);
    try {
      fs.accessSync(candidate, fs.constants.X_OK);
      return candidate;
    } catch {
      // not here
    }
  }
  return undefined;
}

function fromPackage(name: string): string | undefined {
  try {
    const binary = (require(name) as { path: string }).path;
    return fs.existsSync(binary) ? binary : undefined;
  } catch {
    return undefined;
  }
}

function missing(name: string): never {
  throw new Error(`${name} not found: install it (e.g. apt-get install ffmpeg), set AVATARFORGE_${name.toUpperCase()}_PATH, or install the npm optional dependency`);
}

export class MediaToolError extends Error {}

/**
 * Runs a tool to completion; rejects with its stderr's last lines on a non-zero exit, a timeout or an
 * abort. `onStdout` sees its stdout as it comes (ffmpeg's `-progress pipe:1`, say).
 */
export function runTool(binary: string, args: string[], options: { signal?: AbortSignal; timeoutMs?: number; onStdout?: (chunk: string) => void } = {}): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = execFile(
      binary,
      args,
      { signal: options.signal, timeout: options.timeoutMs ?? 0, maxBuffer: 64 * 1024 * 1024, encoding: 'utf8' },
      (error, stdout, stderr) => {
        if (error) {
          const tail = stderr.trim().split('\n').slice(-3).join(' | ');
          reject(new MediaToolError(`${path.basename(binary)} failed: ${tail || error.message}`));
        } else {
          resolve(stdout);
        }
      },
    );
    if (options.onStdout) child.stdout?.on('data', options.onStdout);
  });
}

/**
 * Runs ffmpeg with `args` (its input and output), telling `onSeconds` how far into its output it is,
 * in seconds, as ffmpeg reports it (about twice a second).
 */
export function runFfmpegWithProgress(tools: MediaTools, args: string[], onSeconds: (seconds: number) => void, options: { signal?: AbortSignal; timeoutMs?: number } = {}): Promise<string> {
  return runTool(tools.ffmpegPath, ['-nostdin', '-nostats', '-progress', 'pipe:1', ...args], {
    ...options,
    onStdout: (chunk) => {
      const times = [...chunk.matchAll(/^out_time_us=(\d+)$/gm)];
      const last = times.at(-1);
      if (last) onSeconds(Number(last[1]) / 1e6);
    },
  });
}

export interface ProbedMedia {
  formatName: string;
  durationSeconds: number | undefined;
  video: { codec: string; width: number; height: number } | undefined;
  hasAudio: boolean;
}

/**
 * What ffprobe reads from a file: container, duration, first video stream, whether audio exists. The
 * duration is what the container's header says; a length that limits work is measuredSeconds'.
 */
export async function probeMedia(tools: MediaTools, file: string, signal?: AbortSignal): Promise<ProbedMedia> {
  const output = await runTool(tools.ffprobePath, ['-v', 'error', '-print_format', 'json', '-show_format', '-show_streams', file], { signal, timeoutMs: 60_000 });
  const probed = JSON.parse(output) as {
    format?: { format_name?: string; duration?: string };
    streams?: Array<{ codec_type?: string; codec_name?: string; width?: number; height?: number; duration?: string }>;
  };
  const videoStream = probed.streams?.find((stream) => stream.codec_type === 'video');
  const duration = Number(probed.format?.duration ?? videoStream?.duration);
  return {
    formatName: probed.format?.format_name ?? '',
    durationSeconds: Number.isFinite(duration) ? duration : undefined,
    video: videoStream && videoStream.width && videoStream.height ? { codec: videoStream.codec_name ?? '', width: videoStream.width, height: videoStream.height } : undefined,
    hasAudio: probed.streams?.some((stream) => stream.codec_type === 'audio') ?? false,
  };
}

/**
 * How long the file's first audio or video stream really lasts, in seconds, never taken from a header
 * (which may claim 5 s for hours of sound): audio is decoded; video is read packet by packet, and lasts
 * from its first frame's start to its last frame's end. Reading stops one second past `limitSeconds`,
 * so a longer stream costs no more than that and measures just over the limit. Undefined when the file
 * has no such stream or ffmpeg cannot read it.
 */
export async function measuredSeconds(tools: MediaTools, file: string, stream: 'audio' | 'video', limitSeconds: number, signal?: AbortSignal): Promise<number | undefined> {
  try {
    return stream === 'audio' ? await decodedAudioSeconds(tools, file, limitSeconds, signal) : await videoPacketSeconds(tools, file, limitSeconds, signal);
  } catch (error) {
    if (error instanceof MediaToolError && !signal?.aborted) return undefined;
    throw error;
  }
}

async function decodedAudioSeconds(tools: MediaTools, file: string, limitSeconds: number, signal?: AbortSignal): Promise<number | undefined> {
  const progress = await runTool(
    tools.ffmpegPath,
    ['-v', 'error', '-nostdin', '-nostats', '-i', file, '-map', '0:a:0', '-ac', '1', '-ar', '8000', '-t', String(limitSeconds + 1), '-f', 'null', '-progress', 'pipe:1', '-'],
    { signal, timeoutMs: 300_000 },
  );
  const times = [...progress.matchAll(/^out_time_us=(\d+)$/gm)].map((match) => Number(match[1]));
  return times.length > 0 ? Math.max(...times) / 1e6 : undefined;
}

async function videoPacketSeconds(tools: MediaTools, file: string, limitSeconds: number, signal?: AbortSignal): Promise<number | undefined> {
  const packets = await runTool(
    tools.ffprobePath,
    ['-v', 'error', '-select_streams', 'v:0', '-read_intervals', `%+${limitSeconds + 1}`, '-show_entries', 'packet=pts_time,duration_time', '-of', 'csv=p=0', file],
    { signal, timeoutMs: 300_000 },
  );
  let first = Infinity;
  let end = -Infinity;
  for (const line of packets.split('\n')) {
    const [start, duration] = line.split(',').map(Number);
    if (start === undefined || !Number.isFinite(start)) continue;
    first = Math.min(first, start);
    end = Math.max(end, start + (duration !== undefined && Number.isFinite(duration) ? duration : 0));
  }
  return end > first ? end - first : undefined;
}
