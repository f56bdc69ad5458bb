import { currentSession, callWithSession } from './session.js';
import type { Create2DDigitalHumanVideoReq, CreateVideoResponse } from './types.js';
import { putBytes } from './uploads.js';

/**
 * The tenant's 2D digital-human video jobs (docs/video-jobs.md): Create, Show, Cancel and List,
 * and the audio files (an avatarforge extension) that AUDIO scripts name, for the signed-in project.
 */
function projectPath(): string {
  return `/v1/${encodeURIComponent(currentSession()?.projectId ?? '-')}`;
}

const videosPath = () => `${projectPath()}/2d-digital-human-videos`;

export const videoShowPath = (jobId: string): string => `${videosPath()}/${encodeURIComponent(jobId)}`;

/** Newest first. Without create_since, List answers the last 30 days (as the cloud documents). */
export function videoListPath(query: { limit: number; offset: number }): string {
  const parameters = new URLSearchParams({ limit: String(query.limit), offset: String(query.offset), sort_key: 'create_time', sort_dir: 'desc' });
  return `${projectPath()}/digital-human-videos?${parameters}`;
}

export async function createVideo(request: Create2DDigitalHumanVideoReq): Promise<CreateVideoResponse> {
  return (await callWithSession<CreateVideoResponse>(videosPath(), { method: 'POST', body: request })).body!;
}

export async function cancelVideo(jobId: string): Promise<void> {
  await callWithSession(`${videoShowPath(jobId)}/cancel`, { method: 'POST' });
}

/** POST …/audio-files answers this (its schema is in src/http/routes/videoJobs/routes.ts). */
interface AudioFileSlot {
  file_id: string;
  audio_url: string;
  upload_url: string;
  upload_url_expires_at: string;
}

/**
 * Uploads an audio file for an AUDIO script: asks for an audio file (POST …/audio-files), PUTs the
 * bytes to its single-use upload URL, and answers the `audio_url` that names it in
 * `audio_drive_file_external_url`.
 */
export async function uploadAudio(file: File, onProgress: (sent: number) => void): Promise<string> {
  const slot = (await callWithSession<AudioFileSlot>(`${videosPath()}/audio-files`, { method: 'POST', body: { file_name: file.name.slice(0, 256) } })).body!;
  await putBytes(slot.upload_url, file, onProgress);
  return slot.audio_url;
}
