import { newId } from './ids.js';
import type { UploadSlot } from './ports.js';

/**
 * The files a job holds, with the wire fields that carry their upload and download URLs. A kind's
 * bytes are uploaded through single-use signed URLs; the two videos in parts (multipart).
 */
export interface FileKind {
  kind: string;
  uploadField?: string;
  downloadField?: string;
  /** The content type the upload URL expects (documented: octet-stream, audio as zip). */
  contentType: string;
  multipart?: boolean;
}

export const FILE_KINDS = {
  training_video: { kind: 'training_video', uploadField: 'training_video_upload_url', downloadField: 'training_video_download_url', contentType: 'application/octet-stream', multipart: true },
  action_video: { kind: 'action_video', uploadField: 'action_video_upload_url', downloadField: 'action_video_download_url', contentType: 'application/octet-stream', multipart: true },
  id_card_image1: { kind: 'id_card_image1', uploadField: 'id_card_image1_upload_url', downloadField: 'id_card_image1_download_url', contentType: 'application/octet-stream' },
  id_card_image2: { kind: 'id_card_image2', uploadField: 'id_card_image2_upload_url', downloadField: 'id_card_image2_download_url', contentType: 'application/octet-stream' },
  grant_file: { kind: 'grant_file', uploadField: 'grant_file_upload_url', downloadField: 'grant_file_download_url', contentType: 'application/octet-stream' },
  cover: { kind: 'cover', uploadField: 'cover_upload_url', downloadField: 'cover_download_url', contentType: 'application/octet-stream' },
  audio: { kind: 'audio', uploadField: 'audio_upload_url', downloadField: 'audio_file_download_url', contentType: 'application/zip' },
  pre_beauty_image: { kind: 'pre_beauty_image', uploadField: 'pre_beauty_image_upload_url', downloadField: 'pre_beauty_image_download_url', contentType: 'application/octet-stream' },
  post_beauty_image: { kind: 'post_beauty_image', uploadField: 'post_beauty_image_upload_url', downloadField: 'post_beauty_image_download_url', contentType: 'application/octet-stream' },
  // Products of the pipeline: downloadable, never uploaded by the user.
  markable_video: { kind: 'markable_video', downloadField: 'markable_video_download_url', contentType: 'application/octet-stream' },
  verify_video: { kind: 'verify_video', downloadField: 'verify_video_download_url', contentType: 'application/octet-stream' },
  mask_file: { kind: 'mask_file', downloadField: 'mask_file_download_url', contentType: 'application/octet-stream' },
  action_mark_file: { kind: 'action_mark_file', downloadField: 'action_mark_file_download_url', contentType: 'application/octet-stream' },
  external_action_json_data: { kind: 'external_action_json_data', downloadField: 'external_action_json_data_download_url', contentType: 'application/json' },
  markable_action_video: { kind: 'markable_action_video', downloadField: 'markable_action_video_download_url', contentType: 'application/octet-stream' },
  // Intermediate products of the pipeline stages (archives), never on the wire.
  training_data: { kind: 'training_data', contentType: 'application/gzip' },
  inference_data: { kind: 'inference_data', contentType: 'application/gzip' },
  model_package: { kind: 'model_package', contentType: 'application/gzip' },
  compiled_model: { kind: 'compiled_model', contentType: 'application/gzip' },
  // The test-video check's products: the model's test video and its measured quality (JSON). Not on
  // the cloud's wire: GET …/jobs/{job_id}/model (an avatarforge extension) hands them out.
  test_video: { kind: 'test_video', contentType: 'video/mp4' },
  test_video_report: { kind: 'test_video_report', contentType: 'application/json' },
  // Video jobs (the 2D digital-human video family): the rendered video, its cover and the
  // renderer's report; and the audio files uploaded for AUDIO scripts (files of an audio-file id).
  video_output: { kind: 'video_output', contentType: 'video/mp4' },
  video_cover: { kind: 'video_cover', contentType: 'image/jpeg' },
  video_report: { kind: 'video_report', contentType: 'application/json' },
  uploaded_audio: { kind: 'uploaded_audio', contentType: 'application/octet-stream' },
} as const satisfies Record<string, FileKind>;

export type FileKindName = keyof typeof FILE_KINDS;

/** Where a version of a job's file lives in the blob store (local disk or object store alike). */
export function fileBlobKey(jobId: string, fileKind: string, fileVersion: string): string {
  return `jobs/${jobId}/files/${fileKind}/${fileVersion}`;
}

/** Comment attachments are files of the job too, one kind per attachment. */
export function attachmentKind(commentKey: string, index: number): string {
  return `attachment_${commentKey}_${index}`;
}

export function isAttachmentKind(kind: string): boolean {
  return kind.startsWith('attachment_');
}

/** The file kinds whose upload URLs are issued for a Create or Update with this command_message. */
export function uploadKindsFor(commandMessage: string | undefined, audioSourceType: string | undefined): FileKindName[] {
  if (commandMessage === 'CONFIRM_ACTION_VIDEO' || commandMessage === 'GET_ACTION_VIDEO_MULTIPART') return ['action_video'];
  const kinds: FileKindName[] = ['training_video', 'action_video', 'id_card_image1', 'id_card_image2', 'grant_file', 'cover', 'pre_beauty_image', 'post_beauty_image'];
  if (audioSourceType === 'AUDIO') kinds.push('audio');
  return kinds;
}

/**
 * The slot of a new single-use upload URL that takes a whole file of `fileKind` in one PUT (not a
 * part of a multipart upload), its bytes received by this server.
 */
export function singlePutSlot(jobId: string, fileKind: string, expiresAt: number, contentType = 'application/octet-stream'): UploadSlot {
  return { slotId: newId(), jobId, fileKind, uploadId: null, partNumber: null, contentType, expiresAt, usedAt: null, directKey: null };
}
