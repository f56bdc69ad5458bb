import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { sql } from 'kysely';
import { runTool } from '../../src/pipeline/mediaTools.js';
import { cli, createKey, parseCredential } from '../support/cli.js';
import { put, waitForVideo } from '../support/pipelineFlow.js';
import { makeM4a, probeTools, withClaimedSeconds } from '../support/media.js';
import { assertSdkError, createSdkClient, HEX32, RFC3339_SECONDS, sdkError, type Json, type SdkClient } from '../support/sdkClient.js';
import { makeTempDir, startTestServer, TEST_ACCESS_KEY, TEST_PROJECT_ID, TEST_SECRET_KEY, type TestServer } from '../support/testServer.js';

/**
 * The 2D digital-human video jobs through the SDK client, in emulator mode: the render is emulated
 * (a test pattern as long as the scripts, at the requested size), everything around it is real
 * (validation, the model lookup, audio uploads and guarded fetches, the leased work, the files and
 * their URLs, isolation). test/pipeline/referenceTrainer.test.ts renders with a real model.
 */
const OTHER_PROJECT_ID = 'fedcba9876543210fedcba9876543210';
const tools = probeTools();

interface AudioServer {
  url: string;
  host: string;
  requests: string[];
  close(): Promise<void>;
}

/** A plain HTTP server with one WAV, a redirect to it, and a 404: the "external" audio host. */
async function startAudioServer(wav: Buffer): Promise<AudioServer> {
  const requests: string[] = [];
  const server = http.createServer((request, response) => {
    requests.push(request.url ?? '');
    if (request.url === '/speech.wav') {
      response.writeHead(200, { 'Content-Type': 'audio/wav', 'Content-Length': wav.length });
      response.end(wav);
    } else if (request.url === '/redirect') {
      response.writeHead(302, { Location: '/speech.wav' });
      response.end();
    } else {
      response.writeHead(404);
      response.end();
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const host = `127.0.0.1:${(server.address() as AddressInfo).port}`;
  return { url: `http://${host}`, host, requests, close: () => new Promise((resolve) => server.close(() => resolve())) };
}

/** The audio limit of the test server: above the longest audio the tests make (25 s at 16 kHz). */
const AUDIO_MAX_BYTES = 2_000_000;

async function makeWav(directory: string, seconds: number): Promise<Buffer> {
  const file = path.join(directory, `tone-${seconds}.wav`);
  await runTool(tools.ffmpegPath, ['-v', 'error', '-y', '-f', 'lavfi', '-i', `sine=frequency=300:sample_rate=16000:duration=${seconds}`, '-ac', '1', file]);
  return fs.readFileSync(file);
}

async function probe(file: string): Promise<{ duration: number; streams: Array<{ codec_type: string; codec_name: string; width?: number; height?: number }> }> {
  const output = await runTool(tools.ffprobePath, ['-v', 'error', '-print_format', 'json', '-show_format', '-show_streams', file]);
  const parsed = JSON.parse(output) as { format: { duration: string }; streams: Array<{ codec_type: string; codec_name: string; width?: number; height?: number }> };
  return { duration: Number(parsed.format.duration), streams: parsed.streams };
}

/** A training job of the project, made finished (JOB_SUCCESS with a model asset id) in the database. */
async function finishedModel(server: TestServer, sdk: SdkClient, name: string, options: { appUserId?: string } = {}): Promise<{ jobId: string; assetId: string }> {
  const created = await sdk.create({ name }, options);
  const assetId = `asset${String(created.job_id).slice(5)}`;
  await sql`UPDATE training_jobs SET state = 'JOB_SUCCESS', asset_id = ${assetId}, version = version + 1 WHERE job_id = ${created.job_id}`.execute(server.services.db);
  return { jobId: created.job_id as string, assetId };
}

async function download(url: string, directory: string, name: string): Promise<string> {
  const response = await fetch(url);
  assert.equal(response.status, 200, `download of ${name}`);
  const file = path.join(directory, name);
  fs.writeFileSync(file, Buffer.from(await response.arrayBuffer()));
  return file;
}

const textVideo = (assetId: string, text: string, extra: Json = {}) => ({
  model_asset_id: assetId,
  video_config: { codec: 'H264', width: 1920, height: 1080, frame_rate: '25', bitrate: 4000 },
  shoot_scripts: [{ sequence_no: 0, shoot_script: { script_type: 'TEXT', text_config: { text } } }],
  output_asset_config: { asset_name: 'welcome video' },
  ...extra,
});

/** A tenant token for the test project (POST /v3/auth/tokens: user name = AK, password = SK). */
async function tenantToken(server: TestServer): Promise<string> {
  const response = await fetch(`${server.url}/v3/auth/tokens`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ auth: { identity: { methods: ['password'], password: { user: { name: TEST_ACCESS_KEY, password: TEST_SECRET_KEY, domain: { name: 'any' } } } } } }),
  });
  assert.equal(response.status, 201);
  return response.headers.get('x-subject-token')!;
}

const audioVideo = (assetId: string, url: string, size = { width: 1280, height: 720 }) => ({
  model_asset_id: assetId,
  video_config: { codec: 'H264', ...size },
  shoot_scripts: [{ sequence_no: 0, shoot_script: { script_type: 'AUDIO', audio_drive_file_external_url: url } }],
});

describe('2D digital-human video jobs', () => {
  let server: TestServer;
  let sdk: SdkClient;
  let admin: SdkClient;
  let audio: AudioServer;
  let media: string;
  let wav: Buffer;
  let model: { jobId: string; assetId: string };

  before(async () => {
    media = makeTempDir('video-media');
    wav = await makeWav(media, 3);
    audio = await startAudioServer(wav);
    server = await startTestServer({
      env: { AVATARFORGE_EMULATOR: '1', AVATARFORGE_WORKERS: 'true', AVATARFORGE_AUDIO_URL_HOSTS: audio.host, AVATARFORGE_AUDIO_MAX_SECONDS: '20', AVATARFORGE_AUDIO_MAX_BYTES: String(AUDIO_MAX_BYTES) },
    });
    sdk = createSdkClient(server.url);
    admin = createSdkClient(server.url, await createKey(server, ['--role', 'admin']));
    const settings = await admin.request('PUT', '/v1/emulator/settings', { stages: { video_render: { outcome: { outcome: 'succeed' } } } });
    assert.equal(settings.httpStatusCode, 200);
    model = await finishedModel(server, sdk, 'presenter');
  });
  after(async () => {
    await server.destroy();
    await audio.close();
    fs.rmSync(media, { recursive: true, force: true });
  });

  test('a TEXT script becomes an MP4 and a cover at the requested size, with 24-hour URLs', async () => {
    const created = await sdk.createVideo(textVideo(model.assetId, 'Hello, and welcome to the show.', { script_id: 'script-1' }));
    assert.equal(created.httpStatusCode, 200);
    assert.match(created.job_id, HEX32);
    assert.match(created['X-Request-Id'], HEX32);
    const done = await waitForVideo(sdk, created.job_id, ['SUCCEED']);
    assert.equal(done.job_type, '2D_DIGITAL_HUMAN_VIDEO');
    for (const field of ['create_time', 'lastupdate_time', 'start_time', 'end_time']) assert.match(done[field], RFC3339_SECONDS, field);
    assert.equal(done.output_asset_config.asset_name, 'welcome video');
    assert.match(done.output_asset_config.asset_id, HEX32);
    assert.equal(done.shoot_scripts, undefined, 'the script fields only with show_script=true');
    const expires = Number(new URL(done.output_asset_config.preview_video_url).searchParams.get('expires')) * 1000;
    assert.ok(Math.abs(expires - server.clock.now().getTime() - 24 * 3600 * 1000) < 120_000, 'the URLs expire after 24 hours');

    const video = await probe(await download(done.output_asset_config.preview_video_url, media, 'text.mp4'));
    assert.deepEqual(video.streams.map((stream) => stream.codec_name).sort(), ['aac', 'h264']);
    const picture = video.streams.find((stream) => stream.codec_type === 'video')!;
    assert.deepEqual([picture.width, picture.height], [1920, 1080]);
    assert.ok(Math.abs(video.duration - done.duration) <= 0.2, `MP4 lasts ${video.duration} s, the job says ${done.duration}`);
    const cover = fs.readFileSync(await download(done.output_asset_config.cover_url, media, 'cover.jpg'));
    assert.deepEqual([...cover.subarray(0, 3)], [0xff, 0xd8, 0xff], 'the cover is a JPEG');

    const withScript = await sdk.showVideo(created.job_id, { show_script: true });
    assert.equal(withScript.model_asset_id, model.assetId);
    assert.equal(withScript.script_id, 'script-1');
    assert.equal(withScript.video_making_type, 'MODEL');
    assert.equal(withScript.shoot_scripts[0].shoot_script.text_config.text, 'Hello, and welcome to the show.');
    assert.equal(withScript.video_config.width, 1920);
  });

  test('an AUDIO script from an uploaded audio file: the video lasts as long as the audio', async () => {
    const file = await sdk.createAudioFile({ file_name: 'tone.wav' });
    assert.equal(file.httpStatusCode, 200);
    const early = await sdkError(sdk.createVideo(audioVideo(model.assetId, file.audio_url)));
    assertSdkError(early, 400, 'MSS.20040007');
    await put(file.upload_url, wav);
    const shownFile = await sdk.request('GET', `/v1/{project_id}/2d-digital-human-videos/audio-files/${file.file_id}`);
    assert.equal(shownFile.state, 'UPLOADED');
    assert.equal(shownFile.size, wav.length);

    const created = await sdk.createVideo(audioVideo(model.assetId, file.audio_url));
    const done = await waitForVideo(sdk, created.job_id, ['SUCCEED']);
    const shown = await sdk.showVideo(created.job_id, { show_script: true });
    assert.ok(Math.abs(shown.shoot_scripts[0].shoot_script.audio_duration - 3) < 0.05, 'Show answers the audio duration');
    const video = await probe(await download(done.output_asset_config.preview_video_url, media, 'audio.mp4'));
    const picture = video.streams.find((stream) => stream.codec_type === 'video')!;
    assert.deepEqual([picture.width, picture.height], [1280, 720]);
    assert.ok(Math.abs(video.duration - 3) <= 0.2, `MP4 lasts ${video.duration} s for 3 s of audio`);
  });

  test('an AUDIO script from a host the operator allowed is fetched once', async () => {
    const before = audio.requests.length;
    const created = await sdk.createVideo(audioVideo(model.assetId, `${audio.url}/speech.wav`));
    await waitForVideo(sdk, created.job_id, ['SUCCEED']);
    assert.deepEqual(audio.requests.slice(before), ['/speech.wav']);
  });

  test('external URLs that may not be fetched are refused, and nothing is stored', async () => {
    const count = async () => (await sdk.listVideos({ limit: 100 })).count as number;
    const stored = await count();
    const before = audio.requests.length;
    const port = audio.host.split(':')[1];
    const refused = [
      `http://127.0.0.1:${Number(port) === 65535 ? 1 : Number(port) + 1}/speech.wav`,
      `http://localhost:${port}/speech.wav`,
      `http://[::1]:${port}/speech.wav`,
      `${server.url}/v1/files/download/anything`,
      'http://169.254.169.254/latest/meta-data/iam/security-credentials/',
      'http://[::ffff:169.254.169.254]/latest/meta-data/',
      'http://10.0.0.5/speech.wav',
      'http://192.168.1.1/speech.wav',
      'http://metadata.google.internal/computeMetadata/v1/',
      'file:///etc/passwd',
      'ftp://127.0.0.1/speech.wav',
      `http://user:secret@${audio.host}/speech.wav`,
    ];
    for (const url of refused) {
      const error = await sdkError(sdk.createVideo(audioVideo(model.assetId, url)));
      assertSdkError(error, 400, 'MSS.20040005');
    }
    const redirected = await sdkError(sdk.createVideo(audioVideo(model.assetId, `${audio.url}/redirect`)));
    assertSdkError(redirected, 400, 'MSS.20040005');
    assert.match(redirected.errorMsg!, /redirect/);
    const missing = await sdkError(sdk.createVideo(audioVideo(model.assetId, `${audio.url}/missing.wav`)));
    assertSdkError(missing, 400, 'MSS.20040006');
    assert.deepEqual(audio.requests.slice(before), ['/redirect', '/missing.wav'], 'only the allowed host was contacted, and the redirect not followed');
    assert.equal(await count(), stored, 'no job was stored');
  });

  test('an audio upload over the audio limit is refused at the PUT as it arrives, and nothing is stored', async () => {
    const file = await sdk.createAudioFile();
    const response = await fetch(file.upload_url, { method: 'PUT', body: new Uint8Array(AUDIO_MAX_BYTES + 1) });
    assert.equal(response.status, 413);
    assert.equal(((await response.json()) as Json).error_code, 'MSS.20020004');
    const error = await sdkError(sdk.createVideo(audioVideo(model.assetId, file.audio_url)));
    assertSdkError(error, 400, 'MSS.20040007');
    assert.match(error.errorMsg!, /has not been uploaded yet/);
    // The limit is the audio one only: a training job's upload URL takes more.
    const job = await sdk.create({ name: 'bigger upload' });
    await put((job.training_video_upload_url as string[])[0], Buffer.alloc(AUDIO_MAX_BYTES + 1));
  });

  test('audio that is not audio, or too long, is refused with the reason', async () => {
    const file = await sdk.createAudioFile();
    await put(file.upload_url, Buffer.from('this is not audio'));
    assertSdkError(await sdkError(sdk.createVideo(audioVideo(model.assetId, file.audio_url))), 400, 'MSS.20040007');
    const long = await sdk.createAudioFile();
    await put(long.upload_url, await makeWav(media, 25));
    const error = await sdkError(sdk.createVideo(audioVideo(model.assetId, long.audio_url)));
    assertSdkError(error, 400, 'MSS.20040007');
    assert.match(error.errorMsg!, /at most 20 s/);
  });

  test("an audio file's length is the sound it holds, not what its header claims", async () => {
    const lying = await sdk.createAudioFile({ file_name: 'lying.m4a' });
    await put(lying.upload_url, withClaimedSeconds(await makeM4a(media, 25), 5));
    const error = await sdkError(sdk.createVideo(audioVideo(model.assetId, lying.audio_url)));
    assertSdkError(error, 400, 'MSS.20040007');
    assert.match(error.errorMsg!, /the audio lasts more than 20 s \(its header claims 5\.0 s\); at most 20 s/);

    const modest = await sdk.createAudioFile({ file_name: 'modest.m4a' });
    await put(modest.upload_url, withClaimedSeconds(await makeM4a(media, 3), 400));
    const created = await sdk.createVideo(audioVideo(model.assetId, modest.audio_url));
    const shown = await sdk.showVideo(created.job_id, { show_script: true });
    assert.ok(Math.abs(shown.shoot_scripts[0].shoot_script.audio_duration - 3) < 0.1, `audio_duration ${shown.shoot_scripts[0].shoot_script.audio_duration}`);
  });

  test('unknown, unfinished and foreign models, bad scripts and settings the renderer cannot honour', async () => {
    assertSdkError(await sdkError(sdk.createVideo(textVideo('0'.repeat(32), 'hi'))), 404, 'MSS.20040002');
    const unfinished = await sdk.create({ name: 'in training' });
    await sql`UPDATE training_jobs SET asset_id = ${'unfinished-asset'} WHERE job_id = ${unfinished.job_id}`.execute(server.services.db);
    assertSdkError(await sdkError(sdk.createVideo(textVideo('unfinished-asset', 'hi'))), 400, 'MSS.20040003');

    const other = createSdkClient(server.url, parseCredential(await cli(['keys', 'create', '--project', OTHER_PROJECT_ID, '--data-dir', server.dataDir])));
    const foreign = await finishedModel(server, other, 'their presenter');
    assertSdkError(await sdkError(sdk.createVideo(textVideo(foreign.assetId, 'hi'))), 404, 'MSS.20040002');
    const theirFile = await other.createAudioFile();
    await put(theirFile.upload_url, wav);
    const ourUrl = theirFile.audio_url.replace(OTHER_PROJECT_ID, TEST_PROJECT_ID);
    assertSdkError(await sdkError(sdk.createVideo(audioVideo(model.assetId, theirFile.audio_url))), 404, 'MSS.20040008');
    assertSdkError(await sdkError(sdk.createVideo(audioVideo(model.assetId, ourUrl))), 404, 'MSS.20040008');

    const bad: Array<[Json, number, string]> = [
      [{ ...textVideo(model.assetId, 'hi'), shoot_scripts: [] }, 400, 'MSS.10000003'],
      [{ ...textVideo(model.assetId, 'hi'), shoot_scripts: [{ shoot_script: { script_type: 'TEXT', text_config: { text: '  ' } } }] }, 400, 'MSS.00000003'],
      [{ ...textVideo(model.assetId, 'hi'), shoot_scripts: [{ shoot_script: { script_type: 'AUDIO' } }] }, 400, 'MSS.00000003'],
      [{ ...textVideo(model.assetId, 'hi'), shoot_scripts: [{ shoot_script: { script_type: 'VIDEO' } }] }, 400, 'MSS.10000003'],
      [{ ...textVideo(model.assetId, 'hi'), shoot_scripts: [{ sequence_no: 1, shoot_script: { script_type: 'TEXT', text_config: { text: 'a' } } }, { sequence_no: 1, shoot_script: { script_type: 'TEXT', text_config: { text: 'b' } } }] }, 400, 'MSS.00000003'],
      [textVideo(model.assetId, 'hi', { video_config: { codec: 'VP8' } }), 400, 'MSS.20040004'],
      [textVideo(model.assetId, 'hi', { video_config: { width: 1080, height: 1920 } }), 400, 'MSS.20040004'],
      [textVideo(model.assetId, 'hi', { video_config: { frame_rate: '30' } }), 400, 'MSS.20040004'],
      [textVideo(model.assetId, 'hi', { video_config: { is_subtitle_enable: true } }), 400, 'MSS.20040004'],
      [textVideo(model.assetId, 'hi', { background_music_config: { music_asset_id: 'x' } }), 400, 'MSS.20040004'],
      [textVideo(model.assetId, 'hi', { video_config: { bitrate: 10 } }), 400, 'MSS.00000003'],
      [{ video_config: {}, shoot_scripts: [{ shoot_script: { script_type: 'TEXT', text_config: { text: 'a' } } }] }, 400, 'MSS.10000003'],
      [textVideo(model.assetId, 'hi \ud800 there'), 400, 'MSS.00000003'],
      [textVideo(model.assetId, 'Hello\u0000world'), 400, 'MSS.00000003'],
      [textVideo(model.assetId, '\u200b - \u200b'), 400, 'MSS.00000003'],
      [textVideo(model.assetId, 'hi', { voice_config: { voice_asset_id: 'a-cloud-voice-asset' } }), 400, 'MSS.00000003'],
    ];
    for (const [body, status, code] of bad) assertSdkError(await sdkError(sdk.createVideo(body)), status, code);
  });

  test('the voices on offer are listed; voice_config chooses one and its pitch for the render', async () => {
    const listed = await sdk.request('GET', '/v1/{project_id}/voices');
    assert.equal(listed.httpStatusCode, 200);
    const voices = listed.voices as Array<{ voice_asset_id: string; language: string; default_for: string[] }>;
    assert.equal(listed.count, voices.length);
    assert.deepEqual(new Set(voices.map((voice) => voice.language)), new Set(['en-us', 'en-gb', 'zh']));
    assert.deepEqual(voices.filter((voice) => voice.default_for.length > 0).map((voice) => voice.voice_asset_id).sort(), ['af_heart', 'zf_xiaoxiao']);

    const created = await sdk.createVideo(textVideo(model.assetId, 'Good evening.', { voice_config: { voice_asset_id: 'bm_george', pitch: 120 } }));
    const row = await sql<{ request: string }>`SELECT request FROM video_jobs WHERE job_id = ${created.job_id}`.execute(server.services.db);
    const plan = JSON.parse(row.rows[0]!.request).render_plan;
    assert.equal(plan.voice, 'bm_george');
    assert.equal(plan.pitch, 120);
    await waitForVideo(sdk, created.job_id, ['SUCCEED']);

    // A sample of each voice, made by the trainer the first time and kept; only for the project's callers.
    const token = await tenantToken(server);
    const sampleOf = (voice: string, headers: Record<string, string> = { 'X-Auth-Token': token }) =>
      fetch(`${server.url}/v1/${TEST_PROJECT_ID}/voices/${encodeURIComponent(voice)}/sample`, { headers });
    for (const voice of ['zf_xiaoxiao', 'zf_xiaoxiao', 'espeak:en']) {
      const sample = await sampleOf(voice);
      assert.equal(sample.status, 200, voice);
      assert.equal(sample.headers.get('content-type'), 'audio/wav');
      const wav = Buffer.from(await sample.arrayBuffer());
      assert.equal(wav.subarray(0, 4).toString(), 'RIFF');
      const seconds = (wav.length - 44) / 2 / wav.readUInt32LE(24);
      assert.ok(seconds > 1 && seconds < 8, `${voice}: ${seconds} s`);
    }
    assert.ok(fs.existsSync(path.join(server.dataDir, 'voice-samples', 'zf_xiaoxiao.wav')));
    const unknown = await sampleOf('nobody');
    assert.equal(unknown.status, 404);
    assert.equal(((await unknown.json()) as Json).error_code, 'MSS.20050001');
    assert.equal((await sampleOf('af_heart', {})).status, 401);
  });

  test('the Go SDK habit of sending 0 for unset numbers means "not set"', async () => {
    const created = await sdk.createVideo({
      model_asset_id: model.assetId,
      voice_config: { voice_asset_id: '', speed: 0, pitch: 0, volume: 0 },
      video_config: { bitrate: 0, width: 0, height: 0 },
      shoot_scripts: [{ sequence_no: 0, shoot_script: { script_type: 'TEXT', text_config: { text: '大家好' } } }],
      output_asset_config: { asset_name: '' },
    });
    const done = await waitForVideo(sdk, created.job_id, ['SUCCEED']);
    const video = await probe(await download(done.output_asset_config.preview_video_url, media, 'defaults.mp4'));
    assert.deepEqual([video.streams.find((stream) => stream.codec_type === 'video')!.width], [1920]);
  });

  test('app users see only their own videos; projects only theirs', async () => {
    const alice = await finishedModel(server, sdk, 'alice presenter', { appUserId: 'alice' });
    assertSdkError(await sdkError(sdk.createVideo(textVideo(alice.assetId, 'hi'), { appUserId: 'bob' })), 404, 'MSS.20040002');
    const created = await sdk.createVideo(textVideo(alice.assetId, 'hi'), { appUserId: 'alice' });
    assert.equal((await sdk.showVideo(created.job_id, {}, { appUserId: 'alice' })).job_id, created.job_id);
    assertSdkError(await sdkError(sdk.showVideo(created.job_id, {}, { appUserId: 'bob' })), 404, 'MSS.20040001');
    assertSdkError(await sdkError(sdk.cancelVideo(created.job_id, { appUserId: 'bob' })), 404, 'MSS.20040001');
    const bobs = await sdk.listVideos({ limit: 100 }, { appUserId: 'bob' });
    assert.equal(bobs.jobs.some((job: Json) => job.job_id === created.job_id), false);
    const other = createSdkClient(server.url, parseCredential(await cli(['keys', 'create', '--project', OTHER_PROJECT_ID, '--data-dir', server.dataDir])));
    assertSdkError(await sdkError(other.showVideo(created.job_id)), 404, 'MSS.20040001');
    assert.equal((await other.listVideos({ limit: 100 })).jobs.some((job: Json) => job.job_id === created.job_id), false);
  });

  test('cancel: a waiting job ends CANCELED and its work with it; a finished job cannot be cancelled', async () => {
    await admin.request('PUT', '/v1/emulator/settings', { stages: { video_render: { progress: { mode: 'hold' }, outcome: { outcome: 'succeed' } } } });
    try {
      const created = await sdk.createVideo(textVideo(model.assetId, 'wait for me'));
      assert.equal((await sdk.showVideo(created.job_id)).state, 'WAITING');
      const canceled = await sdk.cancelVideo(created.job_id);
      assert.equal(canceled.httpStatusCode, 200);
      const shown = await sdk.showVideo(created.job_id);
      assert.equal(shown.state, 'CANCELED');
      assert.match(shown.end_time, RFC3339_SECONDS);
      const work = await server.services.jobs.listStageWork(created.job_id);
      assert.deepEqual(work.map((item) => item.status), ['cancelled']);
      await admin.request('POST', `/v1/emulator/jobs/${created.job_id}/release`);
      assertSdkError(await sdkError(sdk.cancelVideo(created.job_id)), 400, 'MSS.20010002');
      assert.equal((await sdk.showVideo(created.job_id)).state, 'CANCELED');
    } finally {
      await admin.request('PUT', '/v1/emulator/settings', { stages: { video_render: { outcome: { outcome: 'succeed' } } } });
    }
    assertSdkError(await sdkError(sdk.cancelVideo('0'.repeat(32))), 404, 'MSS.20040001');
  });

  test('a wrong method on a video path is the gateway\'s 404 "The API does not exist.", before authentication', async () => {
    for (const [method, route] of [
      ['DELETE', `/v1/${TEST_PROJECT_ID}/2d-digital-human-videos/${'0'.repeat(32)}`],
      ['PUT', `/v1/${TEST_PROJECT_ID}/2d-digital-human-videos`],
      ['GET', `/v1/${TEST_PROJECT_ID}/2d-digital-human-videos/${'0'.repeat(32)}/cancel`],
      ['POST', `/v1/${TEST_PROJECT_ID}/digital-human-videos`],
    ]) {
      const response = await fetch(`${server.url}${route}`, { method });
      assert.equal(response.status, 404, `${method} ${route}`);
      const body = (await response.json()) as Json;
      assert.deepEqual([body.error_code, body.error_msg], ['APIG.0101', 'The API does not exist.'], `${method} ${route}`);
      assert.match(response.headers.get('x-request-id') ?? '', HEX32);
    }
  });

  test('a forced failure ends FAILED with error_info', async () => {
    await admin.request('PUT', '/v1/emulator/settings', { stages: { video_render: { outcome: { outcome: 'fail', message: 'the renderer is out of ink' } } } });
    try {
      const created = await sdk.createVideo(textVideo(model.assetId, 'this will fail'));
      const failed = await waitForVideo(sdk, created.job_id, ['FAILED']);
      assert.equal(failed.error_info.error_msg, 'the renderer is out of ink');
      assert.match(failed.error_info.error_code, /^MSS\.\d{8}$/);
      assert.equal(failed.output_asset_config?.preview_video_url, undefined);
    } finally {
      await admin.request('PUT', '/v1/emulator/settings', { stages: { video_render: { outcome: { outcome: 'succeed' } } } });
    }
  });

  test('list filters, paging and sorting', async () => {
    const names = ['list-alpha', 'list-beta', 'list-gamma'];
    const ids: string[] = [];
    for (const name of names) {
      const created = await sdk.createVideo({ ...textVideo(model.assetId, 'one two'), output_asset_config: { asset_name: name } });
      ids.push(created.job_id);
      await waitForVideo(sdk, created.job_id, ['SUCCEED']);
    }
    const all = await sdk.listVideos({ limit: 100 });
    assert.ok(all.count >= 3);
    assert.deepEqual(all.jobs.map((job: Json) => job.create_time), [...all.jobs.map((job: Json) => job.create_time)].sort(), 'ascending by default');
    const fuzzy = await sdk.listVideos({ asset_name: 'list-', fuzzy_query_field: ['asset_name'], limit: 100 });
    assert.deepEqual(fuzzy.jobs.map((job: Json) => job.job_id), ids);
    const exact = await sdk.listVideos({ asset_name: 'list-beta' });
    assert.deepEqual(exact.jobs.map((job: Json) => job.job_id), [ids[1]]);
    const page = await sdk.listVideos({ asset_name: 'list-', fuzzy_query_field: 'asset_name', limit: 1, offset: 1, sort_dir: 'desc' });
    assert.equal(page.count, 3);
    assert.deepEqual(page.jobs.map((job: Json) => job.job_id), [ids[1]]);
    const byIds = await sdk.listVideos({ job_ids: `${ids[0]},${ids[2]}` });
    assert.deepEqual(byIds.jobs.map((job: Json) => job.job_id).sort(), [ids[0], ids[2]].sort());
    assert.deepEqual((await sdk.listVideos({ job_id: ids[2] })).jobs.map((job: Json) => job.job_id), [ids[2]]);
    const failedOnly = await sdk.listVideos({ state: 'FAILED,CANCELED', limit: 100 });
    assert.ok(failedOnly.jobs.every((job: Json) => ['FAILED', 'CANCELED'].includes(job.state)));
    const future = new Date(server.clock.now().getTime() + 3600_000).toISOString().replace(/\.\d{3}Z$/, 'Z');
    assert.equal((await sdk.listVideos({ create_since: future })).count, 0);
    assertSdkError(await sdkError(sdk.listVideos({ state: 'DONE' })), 400, 'MSS.00000003');
    assertSdkError(await sdkError(sdk.listVideos({ create_since: 'yesterday' })), 400, 'MSS.00000003');
    const listed = all.jobs.find((job: Json) => job.job_id === ids[0]);
    assert.equal(listed.shoot_scripts, undefined, 'List items carry no script fields');
    assert.equal(typeof listed.output_asset_config.preview_video_url, 'string');
    // Older than a month: only with a time filter.
    const monthAgo = server.clock.now().getTime() - 31 * 24 * 3600 * 1000;
    await sql`UPDATE video_jobs SET create_time = ${monthAgo} WHERE job_id = ${ids[0]}`.execute(server.services.db);
    assert.equal((await sdk.listVideos({ job_id: ids[0] })).count, 0);
    assert.equal((await sdk.listVideos({ job_id: ids[0], create_since: '2000-01-01T00:00:00Z' })).count, 1);
  });
});

describe('a voice sample the trainer cannot make', () => {
  test('is a plain 503 for the caller; the trainer\'s output goes to the server log beside the request id', async () => {
    const dir = makeTempDir('failing-trainer');
    const trainer = path.join(dir, 'trainer.sh');
    fs.writeFileSync(trainer, '#!/bin/sh\necho "Traceback (most recent call last):" >&2\necho "KeyError: secret_internal_detail" >&2\nexit 1\n', { mode: 0o755 });
    const logFile = path.join(dir, 'server.log');
    const server = await startTestServer({ env: { AVATARFORGE_REFERENCE_TRAINER: trainer, AVATARFORGE_LOG_LEVEL: 'info', AVATARFORGE_LOG_FILE: logFile } });
    try {
      const response = await fetch(`${server.url}/v1/${TEST_PROJECT_ID}/voices/af_bella/sample`, { headers: { 'X-Auth-Token': await tenantToken(server) } });
      assert.equal(response.status, 503);
      const body = (await response.json()) as Json;
      assert.equal(body.error_code, 'MSS.20050002');
      assert.doesNotMatch(JSON.stringify(body), /secret_internal_detail|Traceback/);
      const requestId = response.headers.get('x-request-id')!;
      // The log is written as the server goes: read it until the entry is there (bounded).
      const entry = () =>
        (fs.existsSync(logFile) ? fs.readFileSync(logFile, 'utf8').split('\n') : [])
          .filter((line) => line.includes('secret_internal_detail'))
          .map((line) => JSON.parse(line) as Json)
          .find((logged) => logged.reqId === requestId && logged.voice === 'af_bella');
      for (const deadline = Date.now() + 30_000; !entry() && Date.now() < deadline; ) await new Promise((resolve) => setTimeout(resolve, 50));
      assert.ok(entry(), 'the trainer\'s output is logged with the request id');
    } finally {
      await server.destroy();
    }
  });
});

describe("a video job's limits", () => {
  let server: TestServer;
  let sdk: SdkClient;
  let media: string;

  before(async () => {
    media = makeTempDir('video-limits');
    server = await startTestServer({
      env: { AVATARFORGE_VIDEO_MAX_TEXT_CHARACTERS: '40', AVATARFORGE_VIDEO_MAX_AUDIO_SECONDS: '5', AVATARFORGE_VIDEO_MAX_UNFINISHED_JOBS: '2' },
    });
    sdk = createSdkClient(server.url);
  });
  after(() => server.destroy());

  test('too many characters or seconds in one job, or too many unfinished jobs in a project, are refused and nothing is stored', async () => {
    const model = await finishedModel(server, sdk, 'limited presenter');
    const twoScripts = textVideo(model.assetId, 'a'.repeat(25), {
      shoot_scripts: [0, 1].map((sequence_no) => ({ sequence_no, shoot_script: { script_type: 'TEXT', text_config: { text: `${'好'.repeat(20)} ${sequence_no}` } } })),
    });
    const tooLong = await sdkError(sdk.createVideo(twoScripts));
    assertSdkError(tooLong, 400, 'MSS.20040009');
    assert.match(tooLong.errorMsg!, /the TEXT scripts hold 44 characters in all; at most 40 per job/);

    const audioUrls = [];
    for (const _ of [0, 1]) {
      const file = await sdk.createAudioFile();
      await put(file.upload_url, await makeWav(media, 3));
      audioUrls.push(file.audio_url as string);
    }
    const twoAudios = {
      ...audioVideo(model.assetId, audioUrls[0]!),
      shoot_scripts: audioUrls.map((url, sequence_no) => ({ sequence_no, shoot_script: { script_type: 'AUDIO', audio_drive_file_external_url: url } })),
    };
    const tooManySeconds = await sdkError(sdk.createVideo(twoAudios));
    assertSdkError(tooManySeconds, 400, 'MSS.20040009');
    assert.match(tooManySeconds.errorMsg!, /shoot_scripts\[sequence_no=1\]: the AUDIO scripts last 6\.0 s so far; at most 5 s per job/);
    assert.equal((await sdk.listVideos({})).count, 0, 'nothing was stored');

    // The limit on unfinished jobs counts the whole project, every app user's jobs.
    await sdk.createVideo(textVideo(model.assetId, 'One.'));
    await sdk.createVideo(textVideo(model.assetId, 'Two.'));
    const third = await sdkError(sdk.createVideo(textVideo(model.assetId, 'Three.'), { appUserId: 'carol' }));
    assertSdkError(third, 400, 'MSS.20040010');
    assert.match(third.errorMsg!, /the project has 2 video jobs waiting or rendering; at most 2/);
  });
});

describe("a project's stored audio", () => {
  let server: TestServer;
  let sdk: SdkClient;
  let wav: Buffer;

  before(async () => {
    wav = await makeWav(makeTempDir('stored-audio'), 3);
    // Room for one of these files and a half.
    server = await startTestServer({ env: { AVATARFORGE_VIDEO_MAX_STORED_AUDIO_BYTES: String(Math.floor(wav.length * 1.5)) } });
    sdk = createSdkClient(server.url);
  });
  after(() => server.destroy());

  test('an upload past the limit is refused with the figures, stores nothing, and its URL works once a file is deleted for good', async () => {
    const first = await sdk.createAudioFile();
    await put(first.upload_url, wav);
    const second = await sdk.createAudioFile();
    const refused = await fetch(second.upload_url, { method: 'PUT', body: new Uint8Array(wav) });
    const body = (await refused.json()) as { error_code: string; error_msg: string };
    assert.equal(refused.status, 413, JSON.stringify(body));
    assert.equal(body.error_code, 'MSS.20040012');
    assert.match(body.error_msg, new RegExp(`hold ${wav.length} bytes; with these ${wav.length} they would pass its limit of ${Math.floor(wav.length * 1.5)}`));
    const shown = await sdk.request('GET', `/v1/{project_id}/2d-digital-human-videos/audio-files/${second.file_id}`);
    assert.notEqual(shown.state, 'UPLOADED', 'nothing was stored');

    // In the recycle bin the bytes still count; deleted for good they do not.
    await sdk.deleteAsset(first.file_id);
    assert.equal((await fetch(second.upload_url, { method: 'PUT', body: new Uint8Array(wav) })).status, 413);
    await sdk.deleteAsset(first.file_id, { mode: 'force' });
    await put(second.upload_url, wav);
  });
});

describe('a video render as leased work', () => {
  let server: TestServer;
  let sdk: SdkClient;

  before(async () => {
    server = await startTestServer({ env: { AVATARFORGE_HEARTBEAT_TIMEOUT_SECONDS: '30' } });
    sdk = createSdkClient(server.url);
  });
  after(() => server.destroy());

  test('a lost lease puts the render back in the queue; a failure ends the job FAILED with the reason', async () => {
    const model = await finishedModel(server, sdk, 'leased presenter');
    const created = await sdk.createVideo(textVideo(model.assetId, 'Once more, with feeling.'));
    const { stageWork, jobs } = server.services;

    const first = await stageWork.claim('worker-a', ['video_render']);
    assert.equal(first?.video?.jobId, created.job_id);
    assert.equal(first?.job.jobId, model.jobId, 'the claim carries the training job whose model renders the video');
    assert.deepEqual(first?.inputs, [{ jobId: model.jobId, kind: 'compiled_model' }]);
    const startedAt = (await jobs.findVideoJobById(created.job_id))!.startTime;
    assert.equal((await jobs.findVideoJobById(created.job_id))!.state, 'PROCESSING');

    server.clock.advance(31_000);
    assert.equal(await stageWork.reapExpiredLeases(), 1);
    const second = await stageWork.claim('worker-b', ['video_render']);
    assert.equal(second?.video?.jobId, created.job_id, 'claimed again after the lease ran out');
    assert.equal((await jobs.findVideoJobById(created.job_id))!.startTime, startedAt, 'start_time is the first start');

    await assert.rejects(stageWork.complete(first!.work.workId, first!.leaseToken, { outcome: 'failed', reason: 'late' }), /no longer held/);
    await stageWork.complete(second!.work.workId, second!.leaseToken, { outcome: 'failed', reason: 'the model has no compiled model to render with' });
    const failed = await jobs.findVideoJobById(created.job_id);
    assert.equal(failed!.state, 'FAILED');
    assert.equal(failed!.errorMsg, 'the model has no compiled model to render with');
    assert.match(failed!.errorCode!, /^MSS\.\d{8}$/);
  });
});
