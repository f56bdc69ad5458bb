import fs from 'node:fs';
import fsp from 'node:fs/promises';
import path from 'node:path';
import type { LogType } from '../../domain/enums.js';
import type { StageOutcome } from '../../domain/stageWorkService.js';
import { MediaToolError, measuredSeconds, probeMedia, runFfmpegWithProgress, runTool, type MediaTools } from '../mediaTools.js';
import { percentOf } from '../stageProgress.js';
import type { StageContext, StageHandler } from '../stageHandler.js';

/** Documented: the automatic review accepts these resolutions only, else log error_code 44005901. */
const ACCEPTED_RESOLUTIONS = ['1920x1080', '1080x1920', '3840x2160', '2160x3840'];
export const RESOLUTION_ERROR_CODE = '44005901';

/**
 * Automatic review of the uploaded files. Every problem found is reported (not just the first) in
 * the log description; on a pass the media products are made: the cover (if the user uploaded
 * none), the markable video (a small proxy with the time burnt in) and the verify video.
 */
export const autoVerify: StageHandler = async (context) => {
  const problems: string[] = [];
  let errorCode: string | undefined;
  let findings: string | undefined;
  let seconds: number | undefined;

  const video = await context.fetchFile('training_video');
  if (!video) {
    problems.push('the training video is missing');
  } else {
    const videoProblems = await checkTrainingVideo(context, video);
    problems.push(...videoProblems.problems);
    errorCode = videoProblems.errorCode;
    findings = videoProblems.findings;
    seconds = videoProblems.seconds;
  }
  if (context.settings.requireIdentityFiles) {
    for (const [kind, label] of [
      ['id_card_image1', 'ID card front'],
      ['id_card_image2', 'ID card back'],
    ] as const) {
      const image = await context.fetchFile(kind);
      if (!image) problems.push(`the ${label} image is missing`);
      else if (!(await isDecodableImage(context.tools, image, context.signal))) problems.push(`the ${label} image cannot be decoded`);
    }
    const grant = await context.fetchFile('grant_file');
    if (!grant) problems.push('the authorization letter is missing');
    else if (!(await isDecodableDocument(context.tools, grant, context.signal))) {
      problems.push('the authorization letter is neither a PDF nor a decodable image');
    }
  }
  if (context.job.attributes.audio_source_type === 'AUDIO' && !(await context.fetchFile('audio'))) {
    problems.push('the audio file is missing (audio_source_type is AUDIO)');
  }

  if (problems.length > 0) {
    return { outcome: 'failed', reason: `automatic review failed: ${problems.join('; ')}`, ...(errorCode && { errorCode }) };
  }
  // What was measured goes into the log, where the reviewer (and the tenant) read it.
  return { ...(await makeProducts(context, video!, seconds!)), logDescription: `automatic review passed: ${findings}` };
};

async function checkTrainingVideo(context: StageContext, file: string): Promise<{ problems: string[]; errorCode?: string; findings?: string; seconds?: number }> {
  let probed;
  try {
    probed = await probeMedia(context.tools, file, context.signal);
  } catch (error) {
    if (context.signal.aborted) throw error;
    return { problems: [`the training video cannot be read (${error instanceof MediaToolError ? error.message : 'unknown format'})`] };
  }
  const problems: string[] = [];
  let errorCode: string | undefined;
  if (!probed.video) {
    problems.push('the training video has no video stream');
  } else {
    const resolution = `${probed.video.width}x${probed.video.height}`;
    if (!ACCEPTED_RESOLUTIONS.includes(resolution)) {
      problems.push(`the training video is ${resolution}; it must be one of ${ACCEPTED_RESOLUTIONS.join(', ')}`);
      errorCode = RESOLUTION_ERROR_CODE;
    }
  }
  const { videoMinSeconds, videoMaxSeconds } = context.settings;
  // The length is read from the video itself: a header may claim anything.
  const seconds = probed.video && (await measuredSeconds(context.tools, file, 'video', videoMaxSeconds, context.signal));
  const claimed = probed.durationSeconds !== undefined && seconds !== undefined && Math.abs(probed.durationSeconds - seconds) > 1 ? ` (its header claims ${probed.durationSeconds.toFixed(1)} s)` : '';
  if (seconds === undefined) {
    if (probed.video) problems.push('the training video has no readable duration');
  } else if (seconds > videoMaxSeconds) {
    problems.push(`the training video lasts more than ${videoMaxSeconds} s${claimed}; it must last ${videoMinSeconds} to ${videoMaxSeconds} s`);
  } else if (seconds < videoMinSeconds) {
    problems.push(`the training video lasts ${seconds.toFixed(1)} s${claimed}; it must last ${videoMinSeconds} to ${videoMaxSeconds} s`);
  }
  if (context.job.attributes.audio_source_type !== 'AUDIO' && !probed.hasAudio) {
    problems.push('the training video has no audio track (the voice is taken from the video)');
  }
  const findings = [
    `resolution ${probed.video ? `${probed.video.width}x${probed.video.height} (${probed.video.codec})` : 'none'}`,
    `duration ${seconds === undefined ? 'unknown' : `${seconds.toFixed(1)} s${claimed}`}`,
    `audio ${probed.hasAudio ? 'present' : 'absent'}`,
  ].join(', ');
  return { problems, findings, ...(seconds !== undefined && { seconds }), ...(errorCode && { errorCode }) };
}

async function isDecodableImage(tools: MediaTools, file: string, signal: AbortSignal): Promise<boolean> {
  try {
    // Decoding one frame proves the image is whole, not just that its header looks right.
    await runTool(tools.ffmpegPath, ['-v', 'error', '-i', file, '-frames:v', '1', '-f', 'null', '-'], { signal, timeoutMs: 30_000 });
    const probed = await probeMedia(tools, file, signal);
    return probed.video !== undefined;
  } catch (error) {
    if (signal.aborted) throw error;
    return false;
  }
}

async function isDecodableDocument(tools: MediaTools, file: string, signal: AbortSignal): Promise<boolean> {
  const handle = await fsp.open(file, 'r');
  try {
    const head = Buffer.alloc(5);
    await handle.read(head, 0, 5, 0);
    if (head.toString('latin1') === '%PDF-') return true;
  } finally {
    await handle.close();
  }
  return isDecodableImage(tools, file, signal);
}

/** The reviewer's video: the first VERIFY_VIDEO_SECONDS at 720p, enough to judge face, light and sound. */
const VERIFY_VIDEO_SECONDS = 30;

/**
 * The cover, the markable video (the whole video again, the longest part of the review) and the
 * verify video. Their progress, in percent of the seconds both videos encode, goes to
 * context.progress, which shows it in the job (VIDEO_ANALYZE_PROCESSING entries).
 */
async function makeProducts(context: StageContext, video: string, videoSeconds: number): Promise<StageOutcome> {
  const { tools, signal, workDir } = context;
  const verifySeconds = Math.min(VERIFY_VIDEO_SECONDS, videoSeconds);
  const totalSeconds = videoSeconds + verifySeconds;
  // ffmpeg reports twice a second; the worker's log gets a line every 5 % (the job, every 10 %).
  let reportedStep = 0;
  const encode = (args: string[], label: string, before: number, length: number) =>
    runFfmpegWithProgress(
      tools,
      ['-v', 'error', '-y', ...args],
      (at) => {
        const done = before + Math.min(at, length);
        const step = Math.floor((20 * done) / totalSeconds);
        if (step <= reportedStep) return;
        reportedStep = step;
        context.progress(`making the reviewer's videos: ${percentOf(done, totalSeconds)} (${label} at ${Math.min(at, length).toFixed(0)} of ${length.toFixed(0)} s)`);
      },
      { signal, timeoutMs: 30 * 60_000 },
    );
  const stepLogs: Array<{ logType: LogType; logDescription?: string }> = [];
  const files: Array<{ fileKind: string; open: () => fs.ReadStream }> = [];
  const open = (file: string) => () => fs.createReadStream(file);
  const ffmpeg = (args: string[]) => runTool(tools.ffmpegPath, ['-v', 'error', '-y', ...args], { signal, timeoutMs: 30 * 60_000 });

  if (!(await context.fetchFile('cover'))) {
    const cover = path.join(workDir, 'cover.jpg');
    // The frame at one second (past a fade-in); a video that short has none there: its first frame.
    await ffmpeg(['-ss', '1', '-i', video, '-frames:v', '1', '-vf', 'scale=-2:720', '-q:v', '3', cover]);
    if (!fs.existsSync(cover)) await ffmpeg(['-i', video, '-frames:v', '1', '-vf', 'scale=-2:720', '-q:v', '3', cover]);
    files.push({ fileKind: 'cover', open: open(cover) });
    stepLogs.push({ logType: 'SYSTEM_UPDATE_COVER' });
  }

  stepLogs.push({ logType: 'SYSTEM_MARKABLE_VIDEO' });
  const markable = path.join(workDir, 'markable.mp4');
  // A small proxy for marking ranges, the running time burnt in (when a font is available).
  const timestamp = tools.fontFile
    ? `,drawtext=fontfile=${tools.fontFile}:text='%{pts\\:hms}':x=16:y=16:fontsize=28:fontcolor=white:box=1:boxcolor=black@0.6`
    : '';
  await encode(['-i', video, '-vf', `scale=-2:360${timestamp}`, '-c:v', 'libx264', '-preset', 'veryfast', '-crf', '30', '-c:a', 'aac', '-b:a', '64k', markable], 'markable video', 0, videoSeconds);
  files.push({ fileKind: 'markable_video', open: open(markable) });
  stepLogs.push({ logType: 'SYSTEM_MARKABLE_VIDEO_SUCCESS' });

  stepLogs.push({ logType: 'SYSTEM_MASK_VERIFY_VIDEO' });
  const verify = path.join(workDir, 'verify.mp4');
  await encode(['-i', video, '-t', String(VERIFY_VIDEO_SECONDS), '-vf', 'scale=-2:720', '-c:v', 'libx264', '-preset', 'veryfast', '-crf', '26', '-c:a', 'aac', verify], 'verify video', videoSeconds, verifySeconds);
  files.push({ fileKind: 'verify_video', open: open(verify) });
  stepLogs.push({ logType: 'SYSTEM_MASK_VERIFY_VIDEO_SUCCESS' });

  return { outcome: 'succeeded', stepLogs, files };
}
