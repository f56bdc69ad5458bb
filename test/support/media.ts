import fs from 'node:fs';
import path from 'node:path';
import { locateMediaTools, runTool } from '../../src/pipeline/mediaTools.js';

const tools = locateMediaTools({});

/**
 * Real media made with ffmpeg for the pipeline tests: a test-pattern video with a sine tone, in the
 * size and length asked for, and ID card images. Made once per directory and reused.
 */
export async function makeVideo(directory: string, options: { width: number; height: number; seconds: number; audio?: boolean; framesPerSecond?: number }): Promise<string> {
  const rate = options.framesPerSecond ?? 25;
  const file = path.join(directory, `pattern-${options.width}x${options.height}-${options.seconds}s${rate === 25 ? '' : `-${rate}fps`}${options.audio === false ? '-silent' : ''}.mp4`);
  if (fs.existsSync(file)) return file;
  const audio = options.audio === false ? [] : ['-f', 'lavfi', '-i', `sine=frequency=440:sample_rate=44100:duration=${options.seconds}`];
  await runTool(tools.ffmpegPath, [
    '-v', 'error', '-y',
    '-f', 'lavfi', '-i', `testsrc2=size=${options.width}x${options.height}:rate=${rate}:duration=${options.seconds}`,
    ...audio,
    '-c:v', 'libx264', '-preset', 'ultrafast', '-pix_fmt', 'yuv420p',
    ...(options.audio === false ? [] : ['-c:a', 'aac', '-shortest']),
    file,
  ]);
  return file;
}

export async function makeImage(directory: string, name: string): Promise<string> {
  const file = path.join(directory, `${name}.jpg`);
  if (!fs.existsSync(file)) {
    await runTool(tools.ffmpegPath, ['-v', 'error', '-y', '-f', 'lavfi', '-i', 'testsrc=size=640x400', '-frames:v', '1', file]);
  }
  return file;
}

/** A minimal, well-formed one-page PDF: the authorization letter. */
export const GRANT_LETTER_PDF = Buffer.from(
  '%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n' +
    '3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 200 200]>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n',
);

export function probeTools() {
  return tools;
}

/**
 * An MP4/M4A whose headers lie: every duration field of its movie, track and media headers (mvhd,
 * tkhd, mdhd, version 0) rewritten to claim `seconds`, the samples left as they are. What an attacker
 * would upload to pass a length limit.
 */
export function withClaimedSeconds(file: string, seconds: number): Buffer {
  const bytes = Buffer.from(fs.readFileSync(file));
  let movieTimescale = 0;
  // The boxes, in the order they come: mvhd (movie timescale) before each trak's tkhd and mdhd.
  const moov = bytes.indexOf('moov');
  const end = moov - 4 + bytes.readUInt32BE(moov - 4);
  for (let at = moov; at < end - 32; at++) {
    const type = bytes.toString('latin1', at, at + 4);
    if (!['mvhd', 'tkhd', 'mdhd'].includes(type) || bytes[at + 4] !== 0) continue;
    const fields = at + 8; // after the type, the version (0) and flags: creation, modification, …
    if (type === 'mvhd') movieTimescale = bytes.readUInt32BE(fields + 8);
    const timescale = type === 'mdhd' ? bytes.readUInt32BE(fields + 8) : movieTimescale;
    bytes.writeUInt32BE(Math.round(seconds * timescale), type === 'tkhd' ? fields + 16 : fields + 12);
  }
  return bytes;
}

/** An AAC .m4a of a tone, `seconds` long, with its index at the front. */
export async function makeM4a(directory: string, seconds: number): Promise<string> {
  const file = path.join(directory, `tone-${seconds}.m4a`);
  if (!fs.existsSync(file)) {
    await runTool(tools.ffmpegPath, ['-v', 'error', '-y', '-f', 'lavfi', '-i', `sine=frequency=300:sample_rate=16000:duration=${seconds}`, '-ac', '1', '-c:a', 'aac', '-b:a', '24k', '-movflags', '+faststart', file]);
  }
  return file;
}
