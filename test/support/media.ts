import fs from 'node:fs';
import path from 'node:path';
import { locateMediaTools, runTool } from '../../src/pipeline/mediaTools.js';

const tools = locateMediaTools({});

/**
 * Real media made with ffmpeg for the pipeline tests: a test-pattern video with a sine tone, in the
 * size and length asked for, and ID card images. Made once per directory and reused.
 */
export async function makeVideo(directory: string, options: { width: number; height: number; seconds: number; audio?: boolean }): Promise<string> {
  const file = path.join(directory, `pattern-${options.width}x${options.height}-${options.seconds}s${options.audio === false ? '-silent' : ''}.mp4`);
  if (fs.existsSync(file)) return file;
  const audio = options.audio === false ? [] : ['-f', 'lavfi', '-i', `sine=frequency=440:sample_rate=44100:duration=${options.seconds}`];
  await runTool(tools.ffmpegPath, [
    '-v', 'error', '-y',
    '-f', 'lavfi', '-i', `testsrc2=size=${options.width}x${options.height}:rate=25:duration=${options.seconds}`,
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
