import { FILE_KINDS, type FileKind } from './fileKinds.js';
import type { JobFile, JobRepository, TrainingJobDetails, UrlSigner } from './ports.js';
import type { TrainingJob } from './trainingJob.js';
import { toBasicInfo, toCommentLogInfo, toShowResponse } from './trainingJobWire.js';
import type { Show2dModelTrainingJobResponse, TrainingJobBasicInfo } from './wireSchemas.js';

/**
 * What a job looks like on the wire, with its files as download URLs signed at `issuedAt`: List items
 * and the Show body. Tenants and admins see the same views.
 */
export function createJobViews({ urls, downloadUrlTtlMs }: { urls: UrlSigner; downloadUrlTtlMs: number }) {
  function downloadUrl(file: JobFile, issuedAt: number): string {
    return urls.downloadUrl(file, issuedAt, issuedAt + downloadUrlTtlMs);
  }

  return {
    downloadUrl,

    /** List items, each with its cover's download URL (read for the whole page at once). */
    async listItems(repository: Pick<JobRepository, 'listFiles'>, page: TrainingJob[], issuedAt: number): Promise<TrainingJobBasicInfo[]> {
      const covers = await repository.listFiles(page.map((job) => job.jobId), ['cover']);
      const coverUrlByJob = new Map(covers.map((cover) => [cover.jobId, downloadUrl(cover, issuedAt)]));
      return page.map((job) => toBasicInfo(job, coverUrlByJob.get(job.jobId)));
    },

    /** The Show body: the job, its logs, and a download URL for each file it holds (comment attachments included). */
    showResponse({ job, operationLogs, commentLogs, files }: TrainingJobDetails, issuedAt: number): Show2dModelTrainingJobResponse {
      const fileByKind = new Map(files.map((file) => [file.fileKind, file]));
      const downloadUrls: Record<string, string> = {};
      for (const kind of Object.values(FILE_KINDS) as FileKind[]) {
        const file = fileByKind.get(kind.kind);
        if (file && kind.downloadField) downloadUrls[kind.downloadField] = downloadUrl(file, issuedAt);
      }
      const comments = commentLogs.map((comment) =>
        toCommentLogInfo(
          comment,
          comment.attachmentKinds.flatMap((kind) => {
            const file = fileByKind.get(kind);
            return file ? [downloadUrl(file, issuedAt)] : [];
          }),
        ),
      );
      return toShowResponse(job, operationLogs, comments, downloadUrls);
    },
  };
}

export type JobViews = ReturnType<typeof createJobViews>;
