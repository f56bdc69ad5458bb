import { attachmentKind, singlePutSlot } from './fileKinds.js';
import { newId } from './ids.js';
import type { JobRepository, UrlSigner } from './ports.js';
import type { CommentType } from './enums.js';
import type { CommentData } from './wireSchemas.js';

export interface NewComment {
  jobId: string;
  commentType: CommentType;
  comment: CommentData | undefined;
  at: number;
}

/**
 * Appends a comment-log entry (a user's rejection or answer, a reviewer's remark). Each named
 * attachment becomes a file of the job, uploaded through the single-use URL answered for it (one per
 * name, in order); Show lists its download URL once the bytes arrived.
 */
export async function addComment(
  repository: JobRepository,
  uploads: { urls: UrlSigner; uploadUrlTtlMs: number },
  { jobId, commentType, comment, at }: NewComment,
): Promise<string[]> {
  const commentKey = newId();
  const attachmentKinds = (comment?.attachment_name ?? []).map((_, index) => attachmentKind(commentKey, index + 1));
  await repository.appendCommentLog(jobId, {
    operateTime: at,
    commentType,
    ...(comment?.comment_title !== undefined && { commentTitle: comment.comment_title }),
    ...(comment?.comment_message !== undefined && { commentMessage: comment.comment_message }),
    attachmentKinds,
  });
  const expiresAt = at + uploads.uploadUrlTtlMs;
  const slots = attachmentKinds.map((fileKind) => singlePutSlot(jobId, fileKind, expiresAt));
  await repository.insertUploadSlots(slots);
  return slots.map((slot) => uploads.urls.uploadUrl(slot.slotId, expiresAt));
}
