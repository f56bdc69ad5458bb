import type { VideoJobState } from '../api/types.js';

/**
 * A video job's states as the console shows them (docs/video-jobs.md, "A job's life"): WAITING →
 * PROCESSING → SUCCEED, FAILED or CANCELED. Every state has a tone, or the console does not compile.
 */
export const VIDEO_STATE_TONE: Record<VideoJobState, 'neutral' | 'progress' | 'danger' | 'success'> = {
  WAITING: 'progress',
  PROCESSING: 'progress',
  SUCCEED: 'success',
  FAILED: 'danger',
  CANCELED: 'neutral',
  BLOCK: 'neutral',
};

/** The states a job leaves by itself: Show is read again until the job is out of them, and Cancel is offered in them. */
const RUNNING_STATES: readonly string[] = ['WAITING', 'PROCESSING'] satisfies VideoJobState[];

export const videoRunning = (state: string): boolean => RUNNING_STATES.includes(state);
export const canCancelVideo = videoRunning;

/** The sizes the renderer makes (video_config width × height). */
export const VIDEO_RESOLUTIONS = {
  '1080p': { width: 1920, height: 1080 },
  '720p': { width: 1280, height: 720 },
} as const;
export type VideoResolution = keyof typeof VIDEO_RESOLUTIONS;
