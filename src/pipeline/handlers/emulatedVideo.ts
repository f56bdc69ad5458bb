import fs from 'node:fs';
import fsp from 'node:fs/promises';
import path from 'node:path';
import type { StageOutcome } from '../../domain/stageWorkService.js';
import { runTool } from '../mediaTools.js';
import type { StageContext } from '../stageHandler.js';

/** Characters per second of the emulated speech at speed 100: Chinese characters, and other text. */
const HAN_CHARACTERS_PER_SECOND = 4;
const OTHER_CHARACTERS_PER_SECOND = 14;

/**
 * A video job's render in emulator mode (outcome `succeed`): no model, no speech, a test pattern with
 * a tone as long as the scripts would take (an AUDIO script's own duration, a TEXT script's length
 * at an ordinary speaking rate), at the requested size; plus its cover and report. Fast, and the
 * same outputs a real render hands over.
 */
export async function emulatedVideoRender(context: StageContext): Promise<StageOutcome> {
  const video = context.video!;
  const plan = video.request.render_plan;
  const speed = plan.speed / 100;
  let seconds = 0;
  for (const item of video.request.shoot_scripts) {
    const script = item.shoot_script!;
    if (script.script_type === 'AUDIO') seconds += script.audio_duration ?? 0;
    else {
      const text = script.text_config?.text ?? '';
      const han = [...text].filter((character) => /\p{Script=Han}/u.test(character)).length;
      seconds += (han / HAN_CHARACTERS_PER_SECOND + ([...text].length - han) / OTHER_CHARACTERS_PER_SECOND) / speed;
    }
  }
  seconds = Math.max(1, Math.round(seconds * 25) / 25);
  const output = path.join(context.workDir, 'output');
  await fsp.mkdir(output, { recursive: true });
  const files = { video_output: path.join(output, 'video.mp4'), video_cover: path.join(output, 'cover.jpg'), video_report: path.join(output, 'video.json') };
  const size = `${plan.width}x${plan.height}`;
  await runTool(context.tools.ffmpegPath, [
    '-v', 'error', '-y', '-nostdin',
    '-f', 'lavfi', '-i', `testsrc2=size=${size}:rate=25:duration=${seconds}`,
    '-f', 'lavfi', '-i', `sine=frequency=440:sample_rate=48000:duration=${seconds}`,
    '-c:v', 'libx264', '-preset', 'ultrafast', '-pix_fmt', 'yuv420p', '-c:a', 'aac', '-b:a', '64k', '-shortest', '-movflags', '+faststart',
    files.video_output,
  ], { signal: context.signal });
  await runTool(context.tools.ffmpegPath, ['-v', 'error', '-y', '-nostdin', '-i', files.video_output, '-frames:v', '1', files.video_cover], { signal: context.signal });
  await fsp.writeFile(files.video_report, JSON.stringify({ seconds, width: plan.width, height: plan.height, scripts: plan.scripts.length, emulated: true }, null, 2));
  return {
    outcome: 'succeeded',
    logDescription: `emulated video of ${seconds} s at ${size}`,
    files: Object.entries(files).map(([fileKind, file]) => ({ fileKind, open: () => fs.createReadStream(file) })),
  };
}
