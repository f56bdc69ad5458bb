/**
 * The delivered model of a job: an avatarforge extension (the cloud's Show has no such field). The
 * compiled model (a .tar.gz of the model directory, docs/model-format.md), the test video rendered
 * with it and the test video's measured quality, as GET …/jobs/{job_id}/model answers them.
 */
import { Type, type Static } from '@sinclair/typebox';
import { Value } from '@sinclair/typebox/value';
import { ApiError } from './errors.js';
import type { BlobStore, JobFile, JobRepository } from './ports.js';
import type { TrainingJob } from './trainingJob.js';

export const MODEL_FORMAT = 'avatarforge-2d';

/** A report larger than this is not a report the test-video check wrote: it is left out. */
const MAX_REPORT_BYTES = 64 * 1024;

export const TestVideoReport = Type.Object(
  {
    mouth_correlation: Type.Number({
      description: "Correlation (-1 to 1) of the rendered mouth's opening with the person's real one, over the held-out part of the training video.",
    }),
    floor: Type.Optional(
      Type.Number({ description: 'The least mouth_correlation the check passed with (AVATARFORGE_TEST_VIDEO_MIN_CORRELATION when it ran in-process; absent when an external worker ran it: its command decides).' }),
    ),
    held_out_seconds: Type.Number({ description: 'Seconds of the training video kept out of training and rendered from their audio for the comparison.' }),
    face_found_ratio: Type.Number({ description: "Share (0 to 1) of the test video's frames in which a face was found." }),
    sentence: Type.String({ description: 'The standard sentence the test video also speaks.' }),
    voice: Type.Optional(Type.String({ description: 'The voice that spoke the standard sentence (GET /v1/{project_id}/voices lists the voices).' })),
    voices: Type.Optional(
      Type.Object(
        { en: Type.Optional(Type.String()), zh: Type.Optional(Type.String()) },
        { description: "The model's own voices: for text in each language, the stock voice nearest to the person's voice, which speaks a TEXT script when voice_config names no voice. Absent for models made before models had voices." },
      ),
    ),
  },
  { description: 'What the test-video check measured (its test_video_report file).' },
);
export type TestVideoReport = Static<typeof TestVideoReport>;

export const ShowTrainingJobModelResponse = Type.Object(
  {
    job_id: Type.String({ description: 'Training job ID.' }),
    asset_id: Type.Optional(Type.String({ description: 'ID of the model asset; absent until asset sync has registered the model.' })),
    model_format: Type.Literal(MODEL_FORMAT, { description: 'Format of the model file: a .tar.gz of the model directory (docs/model-format.md).' }),
    model_download_url: Type.String({ description: 'Download URL of the compiled model (the compiled_model file), valid 24 hours.' }),
    test_video_download_url: Type.Optional(Type.String({ description: 'Download URL of the test video (MP4), valid 24 hours; absent until the test-video check made one.' })),
    test_video_report: Type.Optional(TestVideoReport),
  },
  { description: 'The delivered model of a job (avatarforge extension).' },
);
export type ShowTrainingJobModelResponse = Static<typeof ShowTrainingJobModelResponse>;

/**
 * The answer for a job the caller may see (tenants through their scope, admins any): its files as
 * download URLs signed at `issuedAt`; MODEL_NOT_COMPILED before compile has made a model.
 */
export async function deliveredModelOf(
  deps: { jobs: Pick<JobRepository, 'listFiles'>; blobs: BlobStore; downloadUrl: (file: JobFile, issuedAt: number) => string },
  job: TrainingJob,
  issuedAt: number,
): Promise<ShowTrainingJobModelResponse> {
  const files = new Map((await deps.jobs.listFiles([job.jobId], ['compiled_model', 'test_video', 'test_video_report'])).map((file) => [file.fileKind, file]));
  const model = files.get('compiled_model');
  if (!model) throw new ApiError('MODEL_NOT_COMPILED', `the job is in ${job.state}`);
  const testVideo = files.get('test_video');
  const reportFile = files.get('test_video_report');
  const report = reportFile && (await readTestVideoReport(deps.blobs, reportFile));
  return {
    job_id: job.jobId,
    ...(job.attributes.asset_id !== undefined && { asset_id: job.attributes.asset_id }),
    model_format: MODEL_FORMAT,
    model_download_url: deps.downloadUrl(model, issuedAt),
    ...(testVideo && { test_video_download_url: deps.downloadUrl(testVideo, issuedAt) }),
    ...(report && { test_video_report: report }),
  };
}

/** The report's measurements; undefined when the file is not such a report (too large, not JSON, other fields). */
async function readTestVideoReport(blobs: BlobStore, file: JobFile): Promise<TestVideoReport | undefined> {
  if (file.size > MAX_REPORT_BYTES) return undefined;
  const opened = await blobs.read(file.blobKey);
  if (!opened) return undefined;
  const chunks: Buffer[] = [];
  for await (const chunk of opened.stream) chunks.push(chunk as Buffer);
  let report: unknown;
  try {
    report = JSON.parse(Buffer.concat(chunks).toString('utf8'));
  } catch {
    return undefined;
  }
  return Value.Check(TestVideoReport, report) ? report : undefined;
}
