import type { JobFile, UrlSigner } from './ports.js';
import type { VideoJob } from './videoJob.js';
import { videoAssetName } from './assets/producedAssets.js';
import type { DigitalHumanVideo, Show2DDigitalHumanVideoResponse } from './videoJobWire.js';

interface UrlIssue {
  urls: UrlSigner;
  issuedAt: number;
  ttlMs: number;
}

/** Times on the wire: RFC 3339 in whole seconds, UTC (as the training jobs answer them). */
function wireTime(epochMs: number | null): string | undefined {
  return epochMs === null ? undefined : new Date(epochMs).toISOString().replace(/\.\d{3}Z$/, 'Z');
}

/**
 * What List answers for a job. A finished job's output_asset_config carries 24-hour URLs of the
 * video (preview_video_url: the cloud answers a preview there; here the preview is the video) and
 * of its cover.
 */
export function videoJobSummaryView(job: VideoJob, files: JobFile[], issue: UrlIssue): DigitalHumanVideo {
  const url = (kind: string) => {
    const file = files.find((candidate) => candidate.fileKind === kind);
    return file && issue.urls.downloadUrl(file, issue.issuedAt, issue.issuedAt + issue.ttlMs);
  };
  const coverUrl = url('video_cover');
  const videoUrl = url('video_output');
  const hasOutput = job.outputAssetId !== null || job.assetName !== null;
  return {
    job_id: job.jobId,
    state: job.state,
    job_type: job.jobType,
    ...optional('start_time', wireTime(job.startTime)),
    ...optional('end_time', wireTime(job.endTime)),
    ...optional('duration', job.duration ?? undefined),
    ...(hasOutput && {
      output_asset_config: {
        ...optional('asset_id', job.outputAssetId ?? undefined),
        // The asset's name: the one asked for, or the job id (never "", which the Go SDK cannot tell from absent).
        asset_name: videoAssetName(job),
        ...optional('cover_url', coverUrl),
        ...optional('preview_video_url', videoUrl),
      },
    }),
    ...(job.errorCode !== null && { error_info: { error_code: job.errorCode, error_msg: job.errorMsg ?? '' } }),
    create_time: wireTime(job.createTime)!,
    lastupdate_time: wireTime(job.lastUpdateTime)!,
  };
}

/** What Show answers: the summary with the request's settings as created. */
export function videoJobView(job: VideoJob, files: JobFile[], issue: UrlIssue): Show2DDigitalHumanVideoResponse {
  const { voice_config: voiceConfig, video_config: videoConfig, shoot_scripts: shootScripts } = job.request;
  return {
    ...videoJobSummaryView(job, files, issue),
    ...optional('script_id', job.scriptId ?? undefined),
    video_making_type: 'MODEL',
    model_asset_id: job.modelAssetId,
    ...optional('voice_config', voiceConfig),
    video_config: videoConfig,
    shoot_scripts: shootScripts,
  };
}

/** `{ [key]: value }`, or nothing when the value is undefined (the wire omits absent fields). */
export function optional<K extends string, V>(key: K, value: V | undefined): Partial<Record<K, V>> {
  return value === undefined ? {} : ({ [key]: value } as Record<K, V>);
}
