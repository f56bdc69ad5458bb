import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { newId } from '../../src/domain/ids.js';
import { runTool } from '../../src/pipeline/mediaTools.js';
import { cli, parseCredential } from '../support/cli.js';
import { makeImage, makeVideo, probeTools } from '../support/media.js';
import { put } from '../support/pipelineFlow.js';
import { assertSdkError, createSdkClient, HEX32, sdkError, type Json, type SdkClient } from '../support/sdkClient.js';
import { makeTempDir, startTestServer, type TestServer } from '../support/testServer.js';

/**
 * The tenant's own files uploaded in parts (CreateLargeFile: one single-use URL per part,
 * ConfirmFileUpload joins them in order), and the media metadata read from a confirmed MAIN file of
 * an IMAGE, AUDIO, MUSIC or VIDEO asset (ffprobe: image_meta, audio_meta, video_meta), through the
 * SDK client, with real media made here by ffmpeg.
 */
const OTHER_PROJECT_ID = 'aaaabbbbccccddddeeeeffff00002222';
/** The upload limit of the test server: a part (or a file of one PUT) may carry at most this many bytes. */
const MAX_UPLOAD_BYTES = 1024 * 1024;

const md5Base64 = (bytes: Buffer) => createHash('md5').update(bytes).digest('base64');

/** `bytes` cut into `count` parts of (nearly) equal length, in order. */
function split(bytes: Buffer, count: number): Buffer[] {
  const size = Math.ceil(bytes.length / count);
  return Array.from({ length: count }, (_, index) => bytes.subarray(index * size, Math.min(bytes.length, (index + 1) * size)));
}

describe('asset library: large files and media metadata', () => {
  let server: TestServer;
  let sdk: SdkClient;
  let other: SdkClient;
  let mediaDir: string;
  let video: Buffer;

  const newAsset = async (assetType: string, options = {}) =>
    (await sdk.createAsset({ asset_name: `${assetType.toLowerCase()}-${newId().slice(0, 8)}`, asset_type: assetType }, options)).asset_id as string;

  /** The bytes behind a file's download URL. */
  const download = async (file: Json) => Buffer.from(await (await fetch(file.download_url)).arrayBuffer());

  /** The part job files of an asset that are still stored (a large file's parts before they are joined). */
  const storedParts = async (assetId: string) => (await server.services.jobs.listFiles([assetId])).filter((file) => /_part_\d+$/.test(file.fileKind));

  /** Uploads `bytes` as the MAIN file of a new asset of `assetType` with CreateFile, confirms it, and shows the asset. */
  async function uploadMain(assetType: string, fileType: string, bytes: Buffer): Promise<Json> {
    const assetId = await newAsset(assetType);
    const created = await sdk.createFile({ file_name: `main.${fileType}`, file_md5: md5Base64(bytes), file_size: bytes.length, file_type: fileType, asset_id: assetId, asset_file_category: 'MAIN' });
    await put(created.upload_url, bytes);
    await sdk.confirmFileUpload(created.file_id, { state: 'CREATED' });
    return sdk.showAsset(assetId);
  }

  before(async () => {
    server = await startTestServer({ env: { AVATARFORGE_MAX_UPLOAD_BYTES: String(MAX_UPLOAD_BYTES) } });
    sdk = createSdkClient(server.url);
    other = createSdkClient(server.url, parseCredential(await cli(['keys', 'create', '--project', OTHER_PROJECT_ID, '--data-dir', server.dataDir])));
    mediaDir = makeTempDir('asset-media');
    video = fs.readFileSync(await makeVideo(mediaDir, { width: 320, height: 240, seconds: 2 }));
    assert.ok(video.length > 3 && video.length <= MAX_UPLOAD_BYTES, `the test video has ${video.length} bytes`);
  });
  after(() => server.destroy());

  test('CreateLargeFile hands out one upload URL per part; ConfirmFileUpload joins the parts in order into the file, with its MD5 and video_meta', async () => {
    const assetId = await newAsset('VIDEO');
    const created = await sdk.createLargeFile({ file_name: 'studio.mp4', file_size: video.length, file_type: 'MP4', asset_id: assetId, asset_file_category: 'MAIN', file_multipart_count: 3 });
    assert.equal(created.httpStatusCode, 200);
    assert.match(created['X-Request-Id'], HEX32);
    assert.match(created.file_id, HEX32);
    assert.equal(created.upload_urls.length, 3);
    assert.equal(new Set(created.upload_urls).size, 3, 'a URL of its own per part');
    const parts = split(video, 3);
    // The parts may come in any order; each URL is single-use.
    for (const index of [2, 0, 1]) {
      const uploaded = await fetch(created.upload_urls[index], { method: 'PUT', body: new Uint8Array(parts[index]!), headers: { 'Content-Type': 'video/mp4' } });
      assert.equal(uploaded.status, 200);
      assert.equal(uploaded.headers.get('etag'), `"${createHash('md5').update(parts[index]!).digest('hex')}"`);
    }
    const again = await fetch(created.upload_urls[0], { method: 'PUT', body: new Uint8Array(parts[0]!) });
    assert.equal(again.status, 403);
    assert.equal(((await again.json()) as Json).error_code, 'MSS.20020003');

    const pending = await sdk.showAsset(assetId);
    assert.equal(pending.asset_state, 'CREATING');
    assert.deepEqual(
      [pending.files[0].file_id, pending.files[0].state, pending.files[0].file_size, pending.files[0].file_md5, pending.files[0].download_url],
      [created.file_id, 'CREATING', video.length, undefined, undefined],
      'no MD5 until the parts are joined',
    );
    const confirmed = await sdk.confirmFileUpload(created.file_id, { state: 'CREATED' });
    assert.equal(confirmed.httpStatusCode, 200);

    const shown = await sdk.showAsset(assetId);
    assert.equal(shown.asset_state, 'ACTIVED');
    const [main] = shown.files;
    assert.deepEqual(
      [main.file_name, main.file_type, main.asset_file_category, main.state, main.file_size, main.file_md5],
      ['studio.mp4', 'mp4', 'MAIN', 'CREATED', video.length, md5Base64(video)],
    );
    assert.deepEqual(await download(main), video, 'the download is the parts joined in part order');
    assert.deepEqual(await storedParts(assetId), [], 'the parts are freed once joined');
    assert.deepEqual(shown.asset_extra_meta.video_meta, {
      video_codec: 'H264',
      width: 320,
      height: 240,
      frame_rate: '25',
      video_bit_rate: shown.asset_extra_meta.video_meta.video_bit_rate,
      duration: 2,
      audio_codec: 'AAC',
      audio_bit_rate: shown.asset_extra_meta.video_meta.audio_bit_rate,
      audio_channels: 1,
      sample: 44100,
      mode: 'Horizontal',
    });
    assert.ok(Number.isInteger(shown.asset_extra_meta.video_meta.video_bit_rate) && shown.asset_extra_meta.video_meta.video_bit_rate > 0);
    assert.ok(Number.isInteger(shown.asset_extra_meta.video_meta.audio_bit_rate) && shown.asset_extra_meta.video_meta.audio_bit_rate > 0);
    assertSdkError(await sdkError(sdk.confirmFileUpload(created.file_id, { state: 'CREATED' })), 400, 'MSS.20060001');
  });

  test('without file_size and file_multipart_count: one part, and the size is what arrived', async () => {
    const assetId = await newAsset('COMMON_FILE');
    const bytes = Buffer.from('a package of some kind');
    const created = await sdk.createLargeFile({ file_name: 'bundle.zip', file_type: 'zip', asset_id: assetId, asset_file_category: 'PACKAGE' });
    assert.equal(created.upload_urls.length, 1);
    const pending = (await sdk.showAsset(assetId)).files[0];
    assert.equal(pending.file_size, undefined, 'no size until the bytes arrive');
    await put(created.upload_urls[0], bytes);
    await sdk.confirmFileUpload(created.file_id, { state: 'CREATED' });
    const shown = await sdk.showAsset(assetId);
    assert.equal(shown.asset_state, 'CREATING', 'a PACKAGE file is not the MAIN file');
    const [file] = shown.files;
    assert.deepEqual([file.asset_file_category, file.state, file.file_size, file.file_md5], ['PACKAGE', 'CREATED', bytes.length, md5Base64(bytes)]);
    assert.deepEqual(await download(file), bytes);

    // The most parts a file may have: a URL each, all different.
    const most = await sdk.createLargeFile({ file_name: 'many.bin', file_type: 'bin', asset_id: assetId, asset_file_category: 'OTHER', file_multipart_count: 1000 });
    assert.equal(new Set(most.upload_urls).size, 1000);
    await sdk.deleteFile(most.file_id);
  });

  test('a missing part is refused at confirm and nothing changes; once it arrives, the confirm goes through', async () => {
    const assetId = await newAsset('VIDEO');
    const created = await sdk.createLargeFile({ file_name: 'clip.mp4', file_type: 'mp4', asset_id: assetId, asset_file_category: 'MAIN', file_multipart_count: 3 });
    const parts = split(video, 3);
    await put(created.upload_urls[0], parts[0]!);
    await put(created.upload_urls[2], parts[2]!);
    const missing = await sdkError(sdk.confirmFileUpload(created.file_id, { state: 'CREATED' }));
    assertSdkError(missing, 400, 'MSS.00000003');
    assert.match(missing.errorMsg!, /parts 2 of 3 have not arrived/);
    const unchanged = await sdk.showAsset(assetId);
    assert.deepEqual([unchanged.asset_state, unchanged.files[0].state, unchanged.asset_extra_meta], ['CREATING', 'CREATING', undefined]);
    assert.equal((await storedParts(assetId)).length, 2, 'the parts that came are kept');

    await put(created.upload_urls[1], parts[1]!);
    await sdk.confirmFileUpload(created.file_id, { state: 'CREATED' });
    const shown = await sdk.showAsset(assetId);
    assert.equal(shown.asset_state, 'ACTIVED');
    assert.deepEqual(await download(shown.files[0]), video);
  });

  test('parts that do not add up to file_size are refused, nothing is joined; DeleteFile frees them', async () => {
    const assetId = await newAsset('VIDEO');
    const created = await sdk.createLargeFile({ file_name: 'clip.mp4', file_size: video.length + 1, file_type: 'mp4', asset_id: assetId, asset_file_category: 'MAIN', file_multipart_count: 2 });
    const parts = split(video, 2);
    await put(created.upload_urls[0], parts[0]!);
    await put(created.upload_urls[1], parts[1]!);
    const wrong = await sdkError(sdk.confirmFileUpload(created.file_id, { state: 'CREATED' }));
    assertSdkError(wrong, 400, 'MSS.00000003');
    assert.match(wrong.errorMsg!, new RegExp(`${video.length} bytes arrived in 2 parts; file_size says ${video.length + 1}`));
    const unchanged = await sdk.showAsset(assetId);
    assert.deepEqual([unchanged.asset_state, unchanged.files[0].state, unchanged.files[0].download_url], ['CREATING', 'CREATING', undefined]);
    const blobKeys = (await storedParts(assetId)).map((part) => part.blobKey);
    assert.equal(blobKeys.length, 2);
    assert.equal((await server.services.jobs.listFiles([assetId])).length, 2, 'no joined file was recorded');

    await sdk.deleteFile(created.file_id);
    assert.deepEqual(await storedParts(assetId), []);
    for (const key of blobKeys) assert.equal(await server.services.blobs.size(key), undefined, 'the parts\' bytes are freed');
    // A new MAIN file may come now.
    const retry = await sdk.createLargeFile({ file_name: 'clip.mp4', file_size: video.length, file_type: 'mp4', asset_id: assetId, asset_file_category: 'MAIN', file_multipart_count: 2 });
    await put(retry.upload_urls[0], parts[0]!);
    await put(retry.upload_urls[1], parts[1]!);
    await sdk.confirmFileUpload(retry.file_id, { state: 'CREATED' });
    assert.equal((await sdk.showAsset(assetId)).asset_state, 'ACTIVED');
  });

  test('a part over the upload limit is refused (413); FAILED or CANCELLED frees the parts that came', async () => {
    const assetId = await newAsset('COMMON_FILE');
    const created = await sdk.createLargeFile({ file_name: 'big.bin', file_type: 'bin', asset_id: assetId, asset_file_category: 'OTHER', file_multipart_count: 2 });
    const tooLarge = await fetch(created.upload_urls[0], { method: 'PUT', body: new Uint8Array(MAX_UPLOAD_BYTES + 1) });
    assert.equal(tooLarge.status, 413);
    assert.equal(((await tooLarge.json()) as Json).error_code, 'MSS.20020004');
    await put(created.upload_urls[1], Buffer.from('second part'));
    assert.equal((await storedParts(assetId)).length, 1);
    await sdk.confirmFileUpload(created.file_id, { state: 'CANCELLED' });
    assert.deepEqual(await storedParts(assetId), []);
    const [file] = (await sdk.showAsset(assetId)).files;
    assert.equal(file.state, 'CANCELLED');
    const unused = await fetch(created.upload_urls[0], { method: 'PUT', body: new Uint8Array(4) });
    assert.equal(unused.status, 403, 'the unused URL went with the file');
  });

  test('bad input is a clear 400 with the error body, never a 500, and nothing is stored', async () => {
    const assetId = await newAsset('VIDEO');
    const good = { file_name: 'clip.mp4', file_size: 1000, file_type: 'mp4', asset_id: assetId, asset_file_category: 'MAIN', file_multipart_count: 2 };
    const badBodies: Array<[unknown, string]> = [
      // What a Go client sends for a request it did not fill in.
      [{ file_name: '', file_type: '', asset_id: '', asset_file_category: '' }, 'MSS.10000003'],
      [{ ...good, file_name: '' }, 'MSS.10000003'],
      [{ ...good, file_name: 'x'.repeat(257) }, 'MSS.10000003'],
      [{ ...good, file_type: '' }, 'MSS.10000003'],
      [{ ...good, file_type: 'x'.repeat(65) }, 'MSS.10000003'],
      [{ ...good, asset_id: 'x'.repeat(65) }, 'MSS.10000003'],
      [{ ...good, asset_file_category: '' }, 'MSS.10000003'],
      [{ ...good, file_size: 0 }, 'MSS.10000003'],
      [{ ...good, file_size: 536870912001 }, 'MSS.10000003'],
      [{ ...good, file_size: 1.5 }, 'MSS.10000003'],
      [{ ...good, file_size: '1000' }, 'MSS.10000003'],
      [{ ...good, file_multipart_count: 0 }, 'MSS.10000003'],
      [{ ...good, file_multipart_count: 1001 }, 'MSS.10000003'],
      [{ ...good, file_multipart_count: 2.5 }, 'MSS.10000003'],
      [{ file_size: 1000, file_type: 'mp4', asset_id: assetId, asset_file_category: 'MAIN' }, 'MSS.10000003'],
      [{ ...good, asset_file_category: 'COVER' }, 'MSS.00000003'],
      [{ ...good, asset_file_category: 'main' }, 'MSS.00000003'],
      [{ ...good, file_type: 'png' }, 'MSS.00000003'],
      [{ ...good, file_size: 5 * 1024 ** 3 + 1, file_multipart_count: 1000 }, 'MSS.00000003'],
      [{ ...good, file_size: 2 * MAX_UPLOAD_BYTES + 1 }, 'MSS.00000003'],
      [{ ...good, asset_id: '0'.repeat(32) }, 'MSS.10001001'],
    ];
    for (const [body, code] of badBodies) {
      const error = await sdkError(sdk.createLargeFile(body));
      assert.equal(error.errorCode, code, `${JSON.stringify(body).slice(0, 120)}: ${error.errorMsg}`);
      assert.equal(error.httpStatusCode, code === 'MSS.10001001' ? 404 : 400, JSON.stringify(body).slice(0, 120));
      assert.ok(error.errorMsg!.length > 0);
    }
    const notJson = await sdkError(sdk.request('POST', '/v1/{project_id}/large-files', 'not json'));
    assert.equal(notJson.httpStatusCode, 400);
    assert.deepEqual((await sdk.showAsset(assetId)).files, [], 'nothing stored');

    // A MAIN file while another one is there; the message says how to go on.
    await sdk.createLargeFile(good);
    assertSdkError(await sdkError(sdk.createLargeFile(good)), 400, 'MSS.10001008');
    assertSdkError(await sdkError(sdk.createFile({ ...good, file_md5: md5Base64(Buffer.from('x')), file_multipart_count: undefined })), 400, 'MSS.10001008');
  });

  test('projects and app users see only their own: another one\'s asset or file is 404, its upload URLs are no one else\'s', async () => {
    const assetId = await newAsset('VIDEO', { appUserId: 'alice' });
    const request = { file_name: 'clip.mp4', file_type: 'mp4', asset_id: assetId, asset_file_category: 'MAIN', file_multipart_count: 2 };
    assertSdkError(await sdkError(other.createLargeFile(request)), 404, 'MSS.10001001');
    assertSdkError(await sdkError(sdk.createLargeFile(request, { appUserId: 'bob' })), 404, 'MSS.10001001');
    const created = await sdk.createLargeFile(request, { appUserId: 'alice' });
    const parts = split(video, 2);
    // A URL whose signature was altered, or that names another part's slot, takes nothing.
    const tampered = new URL(created.upload_urls[0]);
    tampered.searchParams.set('signature', 'A'.repeat(tampered.searchParams.get('signature')!.length));
    assert.equal((await fetch(tampered, { method: 'PUT', body: new Uint8Array(parts[0]!) })).status, 403);
    const swapped = new URL(created.upload_urls[0]);
    swapped.pathname = new URL(created.upload_urls[1]).pathname;
    assert.equal((await fetch(swapped, { method: 'PUT', body: new Uint8Array(parts[0]!) })).status, 403);
    await put(created.upload_urls[0], parts[0]!);
    await put(created.upload_urls[1], parts[1]!);
    assertSdkError(await sdkError(other.confirmFileUpload(created.file_id, { state: 'CREATED' })), 404, 'MSS.10001004');
    assertSdkError(await sdkError(sdk.confirmFileUpload(created.file_id, { state: 'CREATED' }, { appUserId: 'bob' })), 404, 'MSS.10001004');
    assertSdkError(await sdkError(other.deleteFile(created.file_id)), 404, 'MSS.10001004');
    assert.equal((await sdk.showAsset(assetId)).files[0].state, 'CREATING', 'the others changed nothing');
    await sdk.confirmFileUpload(created.file_id, { state: 'CREATED' }, { appUserId: 'alice' });
    assert.equal((await sdk.showAsset(assetId, { appUserId: 'alice' })).asset_state, 'ACTIVED');
    assertSdkError(await sdkError(other.showAsset(assetId)), 404, 'MSS.10001001');
  });

  test('media metadata of a confirmed MAIN file: image_meta, audio_meta (AUDIO and MUSIC), video_meta, in integers where the API has them', async () => {
    const tools = probeTools();
    const png = path.join(mediaDir, 'still.png');
    await runTool(tools.ffmpegPath, ['-v', 'error', '-y', '-f', 'lavfi', '-i', 'testsrc=size=48x64', '-frames:v', '1', png]);
    const gif = path.join(mediaDir, 'moving.gif');
    await runTool(tools.ffmpegPath, ['-v', 'error', '-y', '-f', 'lavfi', '-i', 'testsrc=size=32x24:rate=10', '-t', '2', gif]);
    const wav = path.join(mediaDir, 'tone.wav');
    await runTool(tools.ffmpegPath, ['-v', 'error', '-y', '-f', 'lavfi', '-i', 'sine=frequency=440:sample_rate=16000', '-t', '1.6', '-ac', '1', wav]);
    const mp3 = path.join(mediaDir, 'tone.mp3');
    await runTool(tools.ffmpegPath, ['-v', 'error', '-y', '-f', 'lavfi', '-i', 'sine=frequency=440:sample_rate=44100', '-t', '3', '-ac', '2', mp3]);
    const portrait = await makeVideo(mediaDir, { width: 240, height: 320, seconds: 1, audio: false });

    const pngBytes = fs.readFileSync(png);
    const image = await uploadMain('IMAGE', 'png', pngBytes);
    assert.equal(image.asset_state, 'ACTIVED');
    assert.deepEqual(image.asset_extra_meta, { image_meta: { codec: 'PNG', width: 48, height: 64, size: pngBytes.length, mode: 'Vertical' } });
    const jpeg = await uploadMain('IMAGE', 'jpg', fs.readFileSync(await makeImage(mediaDir, 'landscape')));
    assert.deepEqual([jpeg.asset_extra_meta.image_meta.codec, jpeg.asset_extra_meta.image_meta.width, jpeg.asset_extra_meta.image_meta.mode], ['MJPEG', 640, 'Horizontal']);
    const animated = await uploadMain('IMAGE', 'gif', fs.readFileSync(gif));
    assert.deepEqual([animated.asset_extra_meta.image_meta.frame_rate, animated.asset_extra_meta.image_meta.duration], ['10', 2], 'an animated image has a frame rate and a duration');

    const audio = await uploadMain('AUDIO', 'wav', fs.readFileSync(wav));
    assert.deepEqual(audio.asset_extra_meta, { audio_meta: { duration: 2, audio_codec: 'PCM_S16LE', audio_bit_rate: 256, audio_channels: 1, sample: 16000 } });
    const music = await uploadMain('MUSIC', 'mp3', fs.readFileSync(mp3));
    const { audio_meta: musicMeta } = music.asset_extra_meta;
    assert.deepEqual([musicMeta.audio_codec, musicMeta.audio_channels, musicMeta.sample, musicMeta.duration], ['MP3', 2, 44100, 3]);
    assert.ok(Number.isInteger(musicMeta.audio_bit_rate) && musicMeta.audio_bit_rate > 0);

    const upright = await uploadMain('VIDEO', 'mp4', fs.readFileSync(portrait));
    const { video_meta: uprightMeta } = upright.asset_extra_meta;
    assert.deepEqual([uprightMeta.width, uprightMeta.height, uprightMeta.mode, uprightMeta.duration, uprightMeta.audio_codec], [240, 320, 'Vertical', 1, undefined]);

    // What ffprobe cannot read as the asset's media: the asset is ACTIVED, without metadata.
    const notAnImage = await uploadMain('IMAGE', 'png', Buffer.from('\x89PNG but not really an image'));
    assert.deepEqual([notAnImage.asset_state, notAnImage.asset_extra_meta], ['ACTIVED', undefined]);
    const soundAsVideo = await uploadMain('VIDEO', 'mp4', fs.readFileSync(wav));
    assert.deepEqual([soundAsVideo.asset_state, soundAsVideo.asset_extra_meta], ['ACTIVED', undefined], 'a WAV is no video format');
    const playlist = await uploadMain('VIDEO', 'mp4', Buffer.from(`#EXTM3U\n#EXTINF:1,\nfile://${png}\n`));
    assert.deepEqual([playlist.asset_state, playlist.asset_extra_meta], ['ACTIVED', undefined], 'a playlist is not followed');
    // Files other than MAIN, and types without media, get none.
    const slides = await uploadMain('PPT', 'pdf', fs.readFileSync(png));
    assert.equal(slides.asset_extra_meta, undefined);

    // The metadata is the MAIN file's: it goes with it.
    assert.equal((await sdk.deleteFile(image.files[0].file_id)).httpStatusCode, 200);
    const withoutMain = await sdk.showAsset(image.asset_id);
    assert.deepEqual([withoutMain.asset_state, withoutMain.asset_extra_meta], ['CREATING', undefined]);
    const listed = (await sdk.listAssets({ asset_id: audio.asset_id })).assets[0];
    assert.deepEqual(listed.asset_extra_meta, audio.asset_extra_meta, 'List answers it too');
  });

  test('GET /openapi.json declares CreateLargeFile with X-App-UserId and the statuses it answers', async () => {
    const served = (await (await fetch(`${server.url}/openapi.json`)).json()) as Json;
    const operation = served.paths['/v1/{project_id}/large-files']?.post as Json | undefined;
    assert.equal(operation?.operationId, 'CreateLargeFile');
    for (const status of ['200', '400', '401', '404', '409', '500']) assert.ok(operation!.responses[status], `declares ${status}`);
    assert.ok((operation!.parameters as Json[]).some((parameter) => parameter.in === 'header' && parameter.name === 'x-app-userid'));
    const response = operation!.responses['200'].content['application/json'].schema as Json;
    assert.equal(response.properties.upload_urls.type, 'array');
  });
});
