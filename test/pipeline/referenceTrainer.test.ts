/**
 * The default pipeline with the reference trainer, through the public API on the embedded
 * defaults: a talking-head video becomes a model that speaks; the model downloads and
 * `avatarforge render` makes it say new speech in sync; a face-less and a silent video fail with
 * clear reasons. The quality floors themselves are asserted in trainer/tests on the same fixture.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import * as tar from 'tar';
import { probeTools } from '../support/media.js';
import { approve, put, uploadVideoAndIdentity, waitForState, waitForVideo } from '../support/pipelineFlow.js';
import { createSdkClient, type Json, type SdkClient } from '../support/sdkClient.js';
import { cli, parseCredential } from '../support/cli.js';
import { correlation, measureOpenness, talkingHeadVideo } from '../support/talkingHead.js';
import { makeTempDir, startTestServer, TEST_PROJECT_ID, type TestServer } from '../support/testServer.js';

const execFileAsync = promisify(execFile);
/** Training takes minutes on a busy 2-core machine: the bound is generous, the test waits for the state. */
const TRAINING_TIMEOUT_MS = 20 * 60_000;

let workDir: string;
let server: TestServer;
let sdk: SdkClient;

before(async () => {
  workDir = makeTempDir('reference-trainer');
  server = await startTestServer({ env: { AVATARFORGE_WORKERS: 'true', AVATARFORGE_VIDEO_MIN_SECONDS: '10', AVATARFORGE_VIDEO_MAX_SECONDS: '600' } });
  sdk = createSdkClient(server.url);
});
after(async () => {
  await server?.destroy();
  fs.rmSync(workDir, { recursive: true, force: true });
});

/** Creates a job with the inference mark on the first 10 s, uploads the video and identity files, submits, approves. */
async function submitApproved(video: string, name: string): Promise<string> {
  const created = await sdk.create({
    name,
    video_multipart_count: 2,
    inference_data_process_video_mark_info: { video_start_time: '00:00:00.000', video_end_time: '00:00:10.000' },
  });
  const jobId = created.job_id as string;
  await uploadVideoAndIdentity(workDir, created, video);
  await sdk.command(jobId, { command: 'CONFIRM_MULTIPART_UPLOADED' });
  await sdk.command(jobId, { command: 'SUBMITVERIFYING' });
  await waitForState(sdk, jobId, ['MANUAL_VERIFYING']);
  await approve(server, jobId, 'ok');
  return jobId;
}

const logEntry = (shown: Json, type: string): Json | undefined => (shown.operation_logs as Json[]).find((entry) => entry.log_type === type);

async function probe(file: string): Promise<{ codecs: string[]; width: number; height: number; duration: number }> {
  const { stdout } = await execFileAsync(probeTools().ffprobePath, ['-v', 'error', '-print_format', 'json', '-show_streams', '-show_format', file]);
  const probed = JSON.parse(stdout) as { streams: Array<{ codec_name: string; codec_type: string; width?: number; height?: number }>; format: { duration: string } };
  const video = probed.streams.find((stream) => stream.codec_type === 'video')!;
  return { codecs: probed.streams.map((stream) => stream.codec_name).sort(), width: video.width!, height: video.height!, duration: Number(probed.format.duration) };
}

describe('the reference trainer through the API', () => {
  test('a talking-head video reaches JOB_SUCCESS with a model that downloads and speaks new audio in sync', { timeout: TRAINING_TIMEOUT_MS + 10 * 60_000 }, async () => {
    const { video } = await talkingHeadVideo({ seconds: 60 });
    const jobId = await submitApproved(video, 'talking_head');
    const done = await waitForState(sdk, jobId, ['JOB_SUCCESS', 'TRAINING_DATA_PREPROCESS_FAILED', 'TRAIN_FAILED', 'INFERENCE_DATA_PREPROCESS_FAILED', 'COMPILE_FAILED', 'TEST_VIDEO_CHECK_FAILED'], TRAINING_TIMEOUT_MS);
    assert.equal(done.state, 'JOB_SUCCESS', JSON.stringify(done.operation_logs, null, 1));
    assert.match(logEntry(done, 'SYSTEM_TRAIN_DATA_PREPROCESS_SUCCESS')?.log_description ?? '', /face in 100\.0 %, \d+\.\d s of speech/);
    assert.match(logEntry(done, 'SYSTEM_TRAIN_SUCCESS')?.log_description ?? '', /held-out r = 0\.\d\d \(loudness only: -?0\.\d\d\)/);
    assert.match(logEntry(done, 'TEST_VIDEO_CHECK_SUCCESS')?.log_description ?? '', /mouth opening r = 0\.\d\d against the real video/);

    // The delivered model: the test video and its figure, and the model itself, by 24-hour URLs.
    const model = await sdk.request('GET', `/v1/${TEST_PROJECT_ID}/digital-human-training-manage/user/jobs/${jobId}/model`);
    assert.equal(model.httpStatusCode, 200);
    assert.ok((model.test_video_report as Json).mouth_correlation >= 0.5, JSON.stringify(model.test_video_report));
    const testVideo = path.join(workDir, 'test_video.mp4');
    fs.writeFileSync(testVideo, Buffer.from(await (await fetch(model.test_video_download_url as string)).arrayBuffer()));
    const probedTest = await probe(testVideo);
    assert.deepEqual(probedTest.codecs, ['aac', 'h264']);
    assert.deepEqual([probedTest.width, probedTest.height], [1920, 1080]);

    const archive = path.join(workDir, 'model.tar.gz');
    const response = await fetch(model.model_download_url as string);
    assert.equal(response.status, 200);
    fs.writeFileSync(archive, Buffer.from(await response.arrayBuffer()));
    const modelDir = path.join(workDir, 'model');
    fs.mkdirSync(modelDir);
    await tar.x({ file: archive, cwd: modelDir });
    assert.equal(JSON.parse(fs.readFileSync(path.join(modelDir, 'model.json'), 'utf8')).format, 'avatarforge-2d');

    // New speech the model never heard, rendered by the CLI from the downloaded model and from the job.
    const speech = await talkingHeadVideo({ seconds: 20, width: 640, height: 360, seed: 2 });
    const fromModel = path.join(workDir, 'from-model.mp4');
    await cli(['render', '--model', modelDir, '--audio', speech.video, '-o', fromModel]);
    const probed = await probe(fromModel);
    assert.deepEqual(probed.codecs, ['aac', 'h264']);
    assert.deepEqual([probed.width, probed.height], [1920, 1080]);
    assert.ok(Math.abs(probed.duration - 20) < 0.2, `duration ${probed.duration}`);
    const measured = await measureOpenness(fromModel);
    assert.ok(measured.faceFoundRatio >= 0.99, `face in ${measured.faceFoundRatio}`);
    assert.ok(correlation(measured.openness, speech.openness) >= 0.65, `r = ${correlation(measured.openness, speech.openness)}`);

    const fromJob = path.join(workDir, 'from-job.mp4');
    await cli(['render', '--data-dir', server.dataDir, '--job', jobId, '--text', 'Good morning, and welcome.', '--resolution', '720', '-o', fromJob]);
    const probedJob = await probe(fromJob);
    assert.deepEqual(probedJob.codecs, ['aac', 'h264']);
    assert.deepEqual([probedJob.width, probedJob.height], [1280, 720]);

    // The video API with the finished model: a sentence spoken by the offline voice, then the new
    // speech as an uploaded audio file, in one 720p video whose mouth follows the speech.
    const audioFile = await sdk.createAudioFile({ file_name: 'speech.mp4' });
    await put(audioFile.upload_url as string, fs.readFileSync(speech.video));
    const created = await sdk.createVideo({
      model_asset_id: done.asset_id,
      video_config: { codec: 'H264', width: 1280, height: 720, frame_rate: '25' },
      shoot_scripts: [
        { sequence_no: 2, shoot_script: { script_type: 'AUDIO', audio_drive_file_external_url: audioFile.audio_url } },
        { sequence_no: 1, shoot_script: { script_type: 'TEXT', text_config: { text: 'Good morning.' } } },
      ],
      output_asset_config: { asset_name: 'morning' },
    });
    const shownVideo = await waitForVideo(sdk, created.job_id as string, ['SUCCEED']);
    const rendered = path.join(workDir, 'video-job.mp4');
    fs.writeFileSync(rendered, Buffer.from(await (await fetch(shownVideo.output_asset_config.preview_video_url as string)).arrayBuffer()));
    const probedVideo = await probe(rendered);
    assert.deepEqual(probedVideo.codecs, ['aac', 'h264']);
    assert.deepEqual([probedVideo.width, probedVideo.height], [1280, 720]);
    assert.ok(Math.abs(probedVideo.duration - (shownVideo.duration as number)) <= 0.2, `MP4 ${probedVideo.duration} s, job ${shownVideo.duration} s`);
    assert.ok(probedVideo.duration > 20.5 && probedVideo.duration < 25, `the sentence, then 20 s of speech: ${probedVideo.duration} s`);
    const spoken = await measureOpenness(rendered);
    assert.ok(spoken.faceFoundRatio >= 0.99, `face in ${spoken.faceFoundRatio}`);
    // The uploaded speech ends where the video ends, give or take the AAC frames of its file (up to
    // 3 video frames of padding): the best of those alignments.
    const tailStart = spoken.openness.length - speech.openness.length;
    const inSync = Math.max(...[0, 1, 2, 3].map((early) =>
      correlation(spoken.openness.slice(tailStart - early, tailStart - early + speech.openness.length), speech.openness)));
    assert.ok(inSync >= 0.65, `the uploaded speech in sync: r = ${inSync}`);

    // The downloaded model, imported into another project, makes that project's videos.
    const otherProject = 'fedcba9876543210fedcba9876543210';
    const imported = await cli(['model', 'import', '--data-dir', server.dataDir, '--dir', modelDir, '--project', otherProject, '--name', 'imported presenter']);
    const importedAsset = /asset_id: ([0-9a-f]{32})/.exec(imported)![1]!;
    const other = createSdkClient(server.url, parseCredential(await cli(['keys', 'create', '--project', otherProject, '--data-dir', server.dataDir])));
    const importedJob = (await other.list({ limit: 10 })).jobs[0] as Json;
    assert.equal(importedJob.state, 'JOB_SUCCESS');
    assert.equal(importedJob.asset_id, importedAsset);
    const otherVideo = await other.createVideo({ model_asset_id: importedAsset, video_config: { width: 1280, height: 720 }, shoot_scripts: [{ shoot_script: { script_type: 'TEXT', text_config: { text: 'Hello from the imported model.' } } }] });
    await waitForVideo(other, otherVideo.job_id as string, ['SUCCEED']);
    await assert.rejects(sdk.createVideo({ model_asset_id: importedAsset, video_config: {}, shoot_scripts: [{ shoot_script: { script_type: 'TEXT', text_config: { text: 'not mine' } } }] }), (error: Json) => error.errorCode === 'MSS.20040002');
    await assert.rejects(cli(['model', 'import', '--data-dir', server.dataDir, '--dir', workDir, '--project', otherProject]), /is not a model the renderer can load: .*has no model\.json/);
    // A model whose file points outside it is refused in one line.
    const linked = path.join(workDir, 'linked-model');
    fs.cpSync(modelDir, linked, { recursive: true });
    fs.rmSync(path.join(linked, 'background.mp4'));
    fs.symlinkSync(path.join(modelDir, 'background.mp4'), path.join(linked, 'background.mp4'));
    await assert.rejects(cli(['model', 'import', '--data-dir', server.dataDir, '--dir', linked, '--project', otherProject]), (error: Error) => {
      assert.match(error.message, /is not a model the renderer can load: background\.mp4 is a symbolic link: a model holds only regular files/);
      assert.doesNotMatch(error.message, /Traceback/);
      return true;
    });
  });

  test('a video without a face and a silent video fail preprocessing with clear reasons', { timeout: 2 * TRAINING_TIMEOUT_MS }, async () => {
    const cases = [
      { options: { seconds: 15, noFace: true }, reason: /no face found in the marked range/ },
      { options: { seconds: 15, silent: true }, reason: /too little speech in the marked range \(0\.0 s to the end\): 0\.0 s found, at least 10 s needed/ },
    ];
    for (const { options, reason } of cases) {
      const { video } = await talkingHeadVideo(options);
      const jobId = await submitApproved(video, options.noFace ? 'no_face' : 'silent');
      const failed = await waitForState(sdk, jobId, ['TRAINING_DATA_PREPROCESS_FAILED', 'TRAINING_DATA_PREPROCESS_SUCCESS', 'JOB_SUCCESS'], TRAINING_TIMEOUT_MS);
      assert.equal(failed.state, 'TRAINING_DATA_PREPROCESS_FAILED');
      assert.match(logEntry(failed, 'SYSTEM_TRAIN_DATA_PREPROCESS_FAILED')?.log_description ?? '', reason);
    }
  });

  test('render refuses what it cannot do with clear messages', async () => {
    await assert.rejects(cli(['render', '--model', workDir, '--text', 'hello', '-o', path.join(workDir, 'x.mp4')]), /is not a model: it has no model\.json/);
    await assert.rejects(cli(['render', '--data-dir', server.dataDir, '--job', 'no-such-job', '--text', 'hello', '-o', path.join(workDir, 'x.mp4')]), /there is no job no-such-job/);
    await assert.rejects(cli(['render', '--model', workDir, '-o', path.join(workDir, 'x.mp4')]), /render needs either --audio FILE or --text/);
  });
});
