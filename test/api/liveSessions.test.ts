import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { sql } from 'kysely';
import { newId } from '../../src/domain/ids.js';
import { ApiError } from '../../src/domain/errors.js';
import type { SupportedService } from '../../src/domain/assets/assetWire.js';
import { cli, parseCredential } from '../support/cli.js';
import { assertSdkError, createSdkClient, HEX32, RFC3339_SECONDS, sdkDate, sdkError, type Json, type SdkClient } from '../support/sdkClient.js';
import { finishedModel as makeFinishedModel } from '../support/finishedModel.js';
import { startTestServer, TEST_PROJECT_ID, type TestServer } from '../support/testServer.js';

/**
 * Live sessions (intelligent interaction) through the SDK client: rooms (Create, Show, List, Update,
 * Delete), jobs (Start, Show, List, Stop) within a room's concurrency, dialog URLs and one-time
 * codes, every refusal with its code, and isolation between projects and app users. No media yet.
 */
const OTHER_PROJECT_ID = 'ab12ab12ab12ab12ab12ab12ab12ab12';
const ROBOT = { robot_id: 'robot-1' };
const MINUTE_MS = 60_000;

/** An answer's body, without what the SDK core adds (status, X-Request-Id). */
function answered({ httpStatusCode: _status, 'X-Request-Id': _requestId, ...body }: Json): Json {
  return body;
}

describe('live sessions', () => {
  let server: TestServer;
  let sdk: SdkClient;
  let other: SdkClient;
  /** A finished model of the project, usable for chat (supported_service has CHAT_2D). */
  let model: string;

  /** A training job made finished in the database, and its model asset, as JOB_SUCCESS leaves them. */
  async function finishedModel(name: string, supportedService: SupportedService[] | null, options: { appUserId?: string; client?: SdkClient; projectId?: string } = {}): Promise<string> {
    const client = options.client ?? sdk;
    const created = await client.create({ name }, options.appUserId === undefined ? {} : { appUserId: options.appUserId });
    return makeFinishedModel(server, created.job_id as string, name, supportedService, options);
  }

  const room = (extra: Json = {}) => ({ room_name: 'lobby', model_asset_id: model, concurrency: 1, ...extra });
  const createRoom = async (extra: Json = {}, client = sdk, options = {}) => (await client.createRoom(room(extra), options)).room_id as string;

  /** Runs `check` with the server's clock moved on, then moves it back (AK/SK signatures must stay within the skew window). */
  async function later<T>(ms: number, check: () => Promise<T>): Promise<T> {
    server.clock.advance(ms);
    try {
      return await check();
    } finally {
      server.clock.advance(-ms);
    }
  }

  async function refusedWith(call: Promise<unknown>, name: ApiError['errorName']): Promise<void> {
    await assert.rejects(call, (error: unknown) => error instanceof ApiError && error.errorName === name);
  }

  before(async () => {
    server = await startTestServer();
    sdk = createSdkClient(server.url);
    other = createSdkClient(server.url, parseCredential(await cli(['keys', 'create', '--project', OTHER_PROJECT_ID, '--data-dir', server.dataDir])));
    model = await finishedModel('anna', ['VIDEO_2D', 'CHAT_2D']);
  });
  after(() => server.destroy());

  describe('rooms', () => {
    test('Create answers a room_id; Show answers the room with its defaults, times and the documented fields', async () => {
      const created = await sdk.createRoom(
        room({
          room_description: 'the front desk',
          voice_config: { voice_asset_id: '', speed: 0, pitch: 0, volume: 0 },
          video_config: { bitrate: 0, width: 0, height: 0 },
          chat_subtitle_config: { dx: 90, dy: 1500, width: 900, height: 200 },
          chat_video_type: 'MOBILE',
          robot_id: 'robot-1',
          exit_mute_threshold: 10,
        }),
      );
      assert.equal(created.httpStatusCode, 200);
      assert.match(created.room_id, HEX32);
      assert.match(created['X-Request-Id'], HEX32);
      const shown = await sdk.showRoom(created.room_id);
      assert.equal(shown.room_id, created.room_id);
      assert.equal(shown.room_name, 'lobby');
      assert.equal(shown.room_description, 'the front desk');
      assert.equal(shown.model_asset_id, model);
      assert.deepEqual(shown.video_config, { bitrate: 4000, width: 1080, height: 1920, codec: 'H264' }, 'Go\'s always-sent zeros are "not set": a MOBILE room is portrait');
      assert.deepEqual(shown.voice_config, { voice_asset_id: 'zf_xiaoxiao', speed: 100, pitch: 100, volume: 140 }, '"" is the default voice of the default language (CN)');
      assert.deepEqual(shown.chat_subtitle_config, { dx: 90, dy: 1500, width: 900, height: 200 });
      assert.equal(shown.billing_mode, 'CONCURRENCY');
      assert.equal(shown.reuse_resource, false);
      assert.equal(shown.concurrency, 1);
      assert.equal(shown.default_language, 'CN');
      assert.equal(shown.chat_video_type, 'MOBILE');
      assert.equal(shown.robot_id, 'robot-1');
      assert.equal(shown.exit_mute_threshold, 10);
      assert.equal(shown.is_pool_mode, false);
      assert.match(shown.create_time, RFC3339_SECONDS);
      assert.match(shown.update_time, RFC3339_SECONDS);
      assert.equal(shown.cover_url, undefined);
    });

    test('List: newest first, paged, filtered by room and model name, with the concurrency and terminal sums', async () => {
      const ownModel = await finishedModel('bertha-list', ['LIVE_2D']);
      const first = await createRoom({ room_name: 'listing-one', concurrency: 3 });
      const second = await createRoom({ room_name: 'listing-two', model_asset_id: ownModel, concurrency: 2, billing_mode: 'CLIENT', client_nums: 7 });
      const listed = await sdk.listRooms({ room_name: 'listing-' });
      assert.equal(listed.count, 2);
      assert.equal(listed.count_concurrency, 5);
      assert.equal(listed.count_client_nums, 7);
      assert.equal(listed.count_client_nums_token, 0);
      assert.deepEqual(listed.smart_chat_rooms.map((item: Json) => item.room_id), [second, first]);
      const item = listed.smart_chat_rooms[0];
      assert.deepEqual(item.model_infos, { model_asset_id: ownModel, asset_name: 'bertha-list' });
      assert.equal(item.billing_mode, 'CLIENT');
      assert.equal(item.client_nums, 7);
      assert.match(item.create_time, RFC3339_SECONDS);
      const page = await sdk.listRooms({ room_name: 'listing-', limit: 1, offset: 1 });
      assert.deepEqual([page.count, page.smart_chat_rooms.map((entry: Json) => entry.room_id)], [2, [first]]);
      const byModel = await sdk.listRooms({ model_name: 'bertha' });
      assert.deepEqual(byModel.smart_chat_rooms.map((entry: Json) => entry.room_id), [second]);
    });

    test('List by start_time/end_time: rooms whose latest job started in the window', async () => {
      const roomId = await createRoom({ room_name: 'window-room' });
      const before = new Date(server.clock.now().getTime() - 1000).toISOString().replace(/\.\d{3}Z$/, 'Z');
      assert.equal((await sdk.listRooms({ room_name: 'window-room', start_time: before })).count, 0, 'no job yet');
      const job = await sdk.startChatJob(roomId, ROBOT);
      assert.equal((await sdk.listRooms({ room_name: 'window-room', start_time: before })).count, 1);
      assert.equal((await sdk.listRooms({ room_name: 'window-room', end_time: before })).count, 0);
      await sdk.stopChatJob(roomId, job.job_id);
    });

    test('Update replaces the settings whole (a field left out takes its default) and answers the room', async () => {
      const roomId = await createRoom({ concurrency: 4, chat_video_type: 'HUB' });
      const updated = await sdk.updateRoom(roomId, { room_name: 'renamed', model_asset_id: model, default_language: 'EN', voice_config: { voice_asset_id: 'am_adam' } });
      assert.equal(updated.httpStatusCode, 200);
      assert.equal(updated.room_id, roomId);
      assert.equal(updated.room_name, 'renamed');
      assert.equal(updated.concurrency, 0, 'replaced: concurrency is back to its default');
      assert.equal(updated.chat_video_type, undefined);
      assert.equal(updated.default_language, 'EN');
      assert.deepEqual(updated.voice_config, { voice_asset_id: 'am_adam', speed: 100, pitch: 100, volume: 140 });
      assert.deepEqual(answered(await sdk.showRoom(roomId)), answered(updated), 'Update answers the room as Show does');
      assertSdkError(await sdkError(sdk.updateRoom(roomId, { model_asset_id: model })), 400, 'MSS.10000003');
      assertSdkError(await sdkError(sdk.updateRoom(newId(), room())), 404, 'MSS.20070001');
    });

    test('Delete answers {} with X-Request-Id; the room and its ended jobs are gone', async () => {
      const roomId = await createRoom();
      const job = await sdk.startChatJob(roomId, ROBOT);
      assertSdkError(await sdkError(sdk.deleteRoom(roomId)), 400, 'MSS.20070003');
      assert.equal((await sdk.showRoom(roomId)).room_id, roomId, 'a refused Delete changes nothing');
      await sdk.stopChatJob(roomId, job.job_id);
      const deleted = await sdk.deleteRoom(roomId);
      assert.equal(deleted.httpStatusCode, 200);
      assert.match(deleted['X-Request-Id'], HEX32);
      assertSdkError(await sdkError(sdk.showRoom(roomId)), 404, 'MSS.20070001');
      assertSdkError(await sdkError(sdk.showChatJob(roomId, job.job_id)), 404, 'MSS.20070001');
      assertSdkError(await sdkError(sdk.deleteRoom(roomId)), 404, 'MSS.20070001');
    });
  });

  describe('the room\'s model', () => {
    test('missing, unknown or not a model: 400 MSS.00000003 naming model_asset_id; nothing is stored', async () => {
      const before = (await sdk.listRooms({ limit: 100 })).count;
      for (const body of [{ room_name: 'x' }, room({ model_asset_id: '' }), room({ model_asset_id: newId() })]) {
        const error = await sdkError(sdk.createRoom(body));
        assertSdkError(error, 400, 'MSS.00000003');
        assert.match(error.errorMsg!, /^Invalid parameter: model_asset_id: /);
      }
      const unfinishedJob = await sdk.create({ name: 'not_finished' });
      const error = await sdkError(sdk.createRoom(room({ model_asset_id: `${unfinishedJob.job_id}` })));
      assertSdkError(error, 400, 'MSS.00000003');
      assert.equal((await sdk.listRooms({ limit: 100 })).count, before);
    });

    test('a model whose supported_service lacks CHAT_2D and LIVE_2D is refused until UpdateDigitalAsset adds CHAT_2D', async () => {
      const videoOnly = await finishedModel('video-only', ['VIDEO_2D']);
      const error = await sdkError(sdk.createRoom(room({ model_asset_id: videoOnly })));
      assertSdkError(error, 400, 'MSS.00000003');
      assert.match(error.errorMsg!, /model_asset_id: .*supported_service \(VIDEO_2D\) has neither CHAT_2D nor LIVE_2D/);
      await sdk.updateAsset(videoOnly, { supported_service: ['VIDEO_2D', 'CHAT_2D'] });
      assert.match(await createRoom({ model_asset_id: videoOnly }), HEX32);
    });

    test('a model in the recycle bin: Create and Start are refused; restored, the room starts again', async () => {
      const binned = await finishedModel('binned', ['CHAT_2D']);
      const roomId = await createRoom({ model_asset_id: binned });
      await sdk.deleteAsset(binned);
      for (const call of [sdk.createRoom(room({ model_asset_id: binned })), sdk.startChatJob(roomId, ROBOT)]) {
        const error = await sdkError(call);
        assertSdkError(error, 400, 'MSS.00000003');
        assert.match(error.errorMsg!, /model_asset_id: .*recycle bin/);
      }
      assert.equal((await sdk.listChatJobs(roomId)).count, 0, 'no job was stored');
      await sdk.restoreAsset(binned);
      const job = await sdk.startChatJob(roomId, ROBOT);
      await sdk.stopChatJob(roomId, job.job_id);
    });
  });

  describe('room validation', () => {
    const cases: Array<[string, Json, string, RegExp]> = [
      ['a size chat does not have', { video_config: { bitrate: 4000, width: 1280, height: 720 } }, 'MSS.00000003', /video_config: 1280x720/],
      ['a bit rate out of range', { video_config: { bitrate: 500, width: 1920, height: 1080 } }, 'MSS.00000003', /video_config\.bitrate/],
      ['a codec for video production only', { video_config: { codec: 'QTRLE', bitrate: 0, width: 0, height: 0 } }, 'MSS.00000003', /video_config\.codec/],
      ['an unknown voice', { voice_config: { voice_asset_id: 'nobody' } }, 'MSS.00000003', /voice_config\.voice_asset_id/],
      ['a speed below 50', { voice_config: { voice_asset_id: '', speed: 20 } }, 'MSS.00000003', /voice_config\.speed/],
      ['two voices for one language', { voice_config_list: [{ language: 'EN' }, { language: 'EN', voice_asset_id: 'am_adam' }] }, 'MSS.00000003', /voice_config_list/],
      ['a language avatarforge does not speak', { default_language: 'Thai' }, 'MSS.00000003', /default_language: Thai/],
      ['an unknown language', { default_language: 'xx' }, 'MSS.10000003', /default_language/],
      ['a concurrency over 1024', { concurrency: 1025 }, 'MSS.10000003', /concurrency/],
      ['a number sent as a string', { concurrency: '1' }, 'MSS.10000003', /concurrency/],
      ['a room name over 256 characters', { room_name: 'x'.repeat(257) }, 'MSS.10000003', /room_name/],
      ['an unknown billing mode', { billing_mode: 'FREE' }, 'MSS.10000003', /billing_mode/],
    ];
    for (const [what, extra, code, message] of cases) {
      test(`${what}: 400 ${code} naming the field`, async () => {
        const error = await sdkError(sdk.createRoom(room(extra)));
        assertSdkError(error, 400, code);
        assert.match(error.errorMsg!, message);
      });
    }

    test('a body that is not JSON, and none at all, are refused; unknown rooms answer 404 MSS.20070001', async () => {
      assertSdkError(await sdkError(sdk.createRoom(undefined)), 400, 'MSS.00000002');
      assertSdkError(await sdkError(sdk.showRoom(newId())), 404, 'MSS.20070001');
      assertSdkError(await sdkError(sdk.listRooms({ limit: 0 })), 400, 'MSS.00000003');
      assertSdkError(await sdkError(sdk.listRooms({ limit: 101 })), 400, 'MSS.00000003');
      assertSdkError(await sdkError(sdk.listRooms({ start_time: 'yesterday' })), 400, 'MSS.00000003');
    });
  });

  describe('jobs', () => {
    test('Start: a WAITING job with the room\'s settings; no RTC room or command channel yet', async () => {
      const roomId = await createRoom({
        chat_video_type: 'MOBILE',
        chat_subtitle_config: { dx: 90, dy: 1500, width: 900, height: 200 },
        voice_config_list: [{ language: 'EN', voice_asset_id: 'bf_emma', speed: 120 }],
      });
      const started = await sdk.startChatJob(roomId, ROBOT, { extend_param: JSON.stringify({ client_id: 'kiosk-7', city: 'Suzhou' }) });
      assert.equal(started.httpStatusCode, 200);
      assert.match(started.job_id, HEX32);
      assert.equal(started.language, 'zh_CN');
      assert.equal(started.default_language, 'CN');
      assert.deepEqual(started.video_config, { width: 1080, height: 1920 });
      assert.deepEqual(started.chat_subtitle_config, { dx: 90, dy: 1500, width: 900, height: 200 });
      assert.deepEqual(started.voice_config_list, [
        { voice_asset_id: 'zf_xiaoxiao', speed: 100, pitch: 100, volume: 140, language: 'CN', language_desc: 'Chinese' },
        { voice_asset_id: 'bf_emma', speed: 120, pitch: 100, volume: 140, language: 'EN', language_desc: 'English' },
      ]);
      assert.equal(started.chat_video_type, 'MOBILE');
      assert.equal(started.is_transparent, false);
      for (const absent of ['rtc_room_info', 'chat_access_address', 'chat_access_rest_address', 'region']) assert.equal(started[absent], undefined, `${absent} is not answered yet`);

      const shown = await sdk.showChatJob(roomId, started.job_id);
      assert.equal(shown.job_id, started.job_id);
      assert.equal(shown.state, 'WAITING');
      assert.equal(shown.chat_state, 0);
      assert.equal(shown.client_id, 'kiosk-7');
      assert.equal(shown.is_pool_mode, false);
      assert.equal(shown.language, 'zh_CN');
      assert.match(shown.start_time, RFC3339_SECONDS);
      assert.match(shown.create_time, RFC3339_SECONDS);
      assert.match(shown.lastupdate_time, RFC3339_SECONDS);
      assert.equal(typeof shown.duration, 'number');
      for (const absent of ['end_time', 'job_finish_reason', 'error_info', 'rtc_room_info', 'chat_access_address']) assert.equal(shown[absent], undefined, `${absent} is absent`);
      await sdk.stopChatJob(roomId, started.job_id);
    });

    test('Stop: SUCCEED with job_finish_reason NORMAL, end_time and duration; stopping again changes nothing', async () => {
      const roomId = await createRoom();
      const { job_id: jobId } = await sdk.startChatJob(roomId, ROBOT);
      const stopped = await later(5000, () => sdk.stopChatJob(roomId, jobId));
      assert.equal(stopped.httpStatusCode, 200);
      assert.match(stopped['X-Request-Id'], HEX32);
      const shown = await sdk.showChatJob(roomId, jobId);
      assert.equal(shown.state, 'SUCCEED');
      assert.equal(shown.job_finish_reason, 'NORMAL');
      assert.match(shown.end_time, RFC3339_SECONDS);
      assert.ok(shown.duration >= 5 && shown.duration < 60, `duration ${shown.duration} s covers the 5 s the clock moved`);
      assert.equal(shown.chat_state, undefined, 'no connection state once ended');
      await sdk.stopChatJob(roomId, jobId);
      assert.deepEqual(answered(await sdk.showChatJob(roomId, jobId)), answered(shown));
      assertSdkError(await sdkError(sdk.stopChatJob(roomId, newId())), 404, 'MSS.20070002');
      assertSdkError(await sdkError(sdk.showChatJob(roomId, newId())), 404, 'MSS.20070002');
    });

    test('the room\'s concurrency caps the jobs that have not ended: MSS.20010135, and a room without concurrency starts none', async () => {
      const roomId = await createRoom({ concurrency: 2 });
      const first = await sdk.startChatJob(roomId, ROBOT);
      const second = await sdk.startChatJob(roomId, ROBOT);
      const refused = await sdkError(sdk.startChatJob(roomId, ROBOT));
      assertSdkError(refused, 400, 'MSS.20010135');
      assert.match(refused.errorMsg!, /2 concurrent jobs are in use/);
      assert.equal((await sdk.listChatJobs(roomId)).count, 2, 'the refused Start stored nothing');
      await sdk.stopChatJob(roomId, first.job_id);
      const third = await sdk.startChatJob(roomId, ROBOT);
      for (const job of [second, third]) await sdk.stopChatJob(roomId, job.job_id);

      const idle = await createRoom({ concurrency: undefined });
      assertSdkError(await sdkError(sdk.startChatJob(idle, ROBOT)), 400, 'MSS.20010135');
    });

    test('concurrent Starts of one room never exceed its concurrency', async () => {
      const roomId = await createRoom({ concurrency: 3 });
      const results = await Promise.allSettled(Array.from({ length: 8 }, () => sdk.startChatJob(roomId, ROBOT)));
      assert.equal(results.filter((result) => result.status === 'fulfilled').length, 3);
      for (const result of results) if (result.status === 'rejected') assertSdkError(result.reason, 400, 'MSS.20010135');
      const running = await sdk.listChatJobs(roomId, { state: 'WAITING,PROCESSING' });
      assert.equal(running.count, 3);
      for (const job of running.smart_chat_jobs) await sdk.stopChatJob(roomId, job.job_id);
    });

    test('List: newest first, by state, paged; its elements carry no RTC or connection fields', async () => {
      const roomId = await createRoom({ concurrency: 5 });
      const ids: string[] = [];
      for (let index = 0; index < 3; index++) ids.push((await later(index * 1000, () => sdk.startChatJob(roomId, ROBOT))).job_id);
      await sdk.stopChatJob(roomId, ids[0]!);
      const all = await sdk.listChatJobs(roomId);
      assert.equal(all.count, 3);
      assert.deepEqual(new Set(all.smart_chat_jobs.map((job: Json) => job.job_id)), new Set(ids));
      const waiting = await sdk.listChatJobs(roomId, { state: 'WAITING' });
      assert.equal(waiting.count, 2);
      const ended = await sdk.listChatJobs(roomId, { state: 'SUCCEED,FAILED' });
      assert.deepEqual(ended.smart_chat_jobs.map((job: Json) => [job.job_id, job.state, job.job_finish_reason]), [[ids[0], 'SUCCEED', 'NORMAL']]);
      assert.equal((await sdk.listChatJobs(roomId, { limit: 1, offset: 2 })).smart_chat_jobs.length, 1);
      for (const job of all.smart_chat_jobs) for (const absent of ['rtc_room_info', 'chat_state', 'language', 'chat_access_address']) assert.equal(job[absent], undefined);
      assertSdkError(await sdkError(sdk.listChatJobs(roomId, { state: 'CREATING,PUBLISHED' })), 400, 'MSS.00000003');
      assertSdkError(await sdkError(sdk.listChatJobs(roomId, { limit: 0 })), 400, 'MSS.00000003');
      assertSdkError(await sdkError(sdk.listChatJobs(newId())), 404, 'MSS.20070001');
      for (const id of ids.slice(1)) await sdk.stopChatJob(roomId, id);
    });

    test('Start refuses a missing robot_id, an extend_param that is not a JSON object, and an unknown room', async () => {
      const roomId = await createRoom();
      assertSdkError(await sdkError(sdk.startChatJob(roomId, {})), 400, 'MSS.00000003');
      for (const extendParam of ['{not json', '[1]', JSON.stringify({ client_id: 7 })]) {
        const error = await sdkError(sdk.startChatJob(roomId, ROBOT, { extend_param: extendParam }));
        assertSdkError(error, 400, 'MSS.00000003');
        assert.match(error.errorMsg!, /extend_param/);
      }
      assertSdkError(await sdkError(sdk.startChatJob(roomId, ROBOT, { extend_param: 5 })), 400, 'MSS.10000003');
      assertSdkError(await sdkError(sdk.startChatJob(newId(), ROBOT)), 404, 'MSS.20070001');
      assert.equal((await sdk.listChatJobs(roomId)).count, 0);
    });

    describe('the session length cap (AVATARFORGE_LIVE_MAX_SESSION_SECONDS)', () => {
      /** Past the cap the clock is beyond the signature skew window: calls are signed at the server's time. */
      const signedNow = () => ({ sdkDate: sdkDate(server.clock.now()) });
      const capMs = () => server.config.liveMaxSessionSeconds * 1000;

      /** The job's row as stored: the end is written, the same on both databases. */
      async function storedEnd(jobId: string) {
        const { rows } = await sql<Json>`SELECT state, finish_reason, end_time - start_time AS length, last_update_time - start_time AS updated_after FROM smart_chat_jobs WHERE job_id = ${jobId}`.execute(server.services.db);
        const row = rows[0]!;
        return { state: row.state, finish_reason: row.finish_reason, length: row.length === null ? null : Number(row.length), updated_after: Number(row.updated_after) };
      }

      test('the default is an hour; up to the cap a job runs and holds its concurrency', async () => {
        assert.equal(server.config.liveMaxSessionSeconds, 3600);
        const roomId = await createRoom({ concurrency: 1 });
        const { job_id: jobId } = await sdk.startChatJob(roomId, ROBOT);
        await later(capMs() - 1000, async () => {
          const shown = await sdk.showChatJob(roomId, jobId, signedNow());
          assert.deepEqual([shown.state, shown.job_finish_reason, shown.end_time, shown.chat_state], ['WAITING', undefined, undefined, 0]);
          assertSdkError(await sdkError(sdk.startChatJob(roomId, ROBOT, undefined, signedNow())), 400, 'MSS.20010135');
          assertSdkError(await sdkError(sdk.deleteRoom(roomId, signedNow())), 400, 'MSS.20070003');
        });
        assert.deepEqual(await storedEnd(jobId), { state: 'WAITING', finish_reason: null, length: null, updated_after: 0 });
        await sdk.stopChatJob(roomId, jobId);
      });

      test('past the cap Show and List answer the job ended: SUCCEED, MUTE_TIMEOUT, end_time start_time + cap', async () => {
        const roomId = await createRoom({ concurrency: 2 });
        const { job_id: jobId } = await sdk.startChatJob(roomId, ROBOT);
        await later(capMs() + 1000, async () => {
          const shown = await sdk.showChatJob(roomId, jobId, signedNow());
          assert.equal(shown.state, 'SUCCEED');
          assert.equal(shown.job_finish_reason, 'MUTE_TIMEOUT');
          assert.equal(Date.parse(shown.end_time) - Date.parse(shown.start_time), capMs());
          assert.equal(Date.parse(shown.lastupdate_time), Date.parse(shown.end_time));
          assert.equal(shown.duration, capMs() / 1000);
          assert.equal(shown.chat_state, undefined, 'no connection state once ended');
          assert.equal((await sdk.listChatJobs(roomId, { state: 'WAITING,PROCESSING' }, signedNow())).count, 0);
          const ended = await sdk.listChatJobs(roomId, { state: 'SUCCEED' }, signedNow());
          assert.deepEqual(ended.smart_chat_jobs.map((job: Json) => [job.job_id, job.state, job.job_finish_reason, job.duration]), [[jobId, 'SUCCEED', 'MUTE_TIMEOUT', capMs() / 1000]]);
        });
        assert.deepEqual(await storedEnd(jobId), { state: 'SUCCEED', finish_reason: 'MUTE_TIMEOUT', length: capMs(), updated_after: capMs() }, 'the end is written to the row when first seen');
        const shown = await sdk.showChatJob(roomId, jobId);
        assert.deepEqual([shown.state, shown.job_finish_reason, shown.duration], ['SUCCEED', 'MUTE_TIMEOUT', capMs() / 1000], 'ended for good, even with the clock back');
        await sdk.deleteRoom(roomId);
      });

      test('past the cap the job frees its room\'s concurrency at Start, even when Start is the first to see it', async () => {
        const roomId = await createRoom({ concurrency: 1 });
        const { job_id: jobId } = await sdk.startChatJob(roomId, ROBOT);
        await later(capMs() + 1000, async () => {
          const next = await sdk.startChatJob(roomId, ROBOT, undefined, signedNow());
          assert.equal((await sdk.showChatJob(roomId, next.job_id, signedNow())).state, 'WAITING');
          assertSdkError(await sdkError(sdk.startChatJob(roomId, ROBOT, undefined, signedNow())), 400, 'MSS.20010135');
          await sdk.stopChatJob(roomId, next.job_id, signedNow());
        });
        assert.equal((await storedEnd(jobId)).finish_reason, 'MUTE_TIMEOUT');
      });

      test('past the cap Stop answers as for an ended job (200, nothing changes) and Delete of the room is allowed', async () => {
        const roomId = await createRoom();
        const { job_id: jobId } = await sdk.startChatJob(roomId, ROBOT);
        const otherRoom = await createRoom();
        const { job_id: otherJob } = await sdk.startChatJob(otherRoom, ROBOT);
        await later(capMs() + 1000, async () => {
          const stopped = await sdk.stopChatJob(roomId, jobId, signedNow());
          assert.equal(stopped.httpStatusCode, 200);
          const shown = await sdk.showChatJob(roomId, jobId, signedNow());
          assert.deepEqual([shown.state, shown.job_finish_reason], ['SUCCEED', 'MUTE_TIMEOUT'], 'the Stop came after the end: the end stays');
          assert.equal(Date.parse(shown.end_time) - Date.parse(shown.start_time), capMs());
          assert.equal((await sdk.deleteRoom(otherRoom, signedNow())).httpStatusCode, 200, 'Delete is the first to see the cap run out');
        });
        assertSdkError(await sdkError(sdk.showChatJob(otherRoom, otherJob)), 404, 'MSS.20070001');
        await sdk.deleteRoom(roomId);
      });
    });

    test('Update while a job runs: the job keeps the settings it started with', async () => {
      const roomId = await createRoom({ chat_video_type: 'MOBILE' });
      const { job_id: jobId } = await sdk.startChatJob(roomId, ROBOT);
      await sdk.updateRoom(roomId, room({ chat_video_type: 'COMPUTER' }));
      const shown = await sdk.showChatJob(roomId, jobId);
      assert.deepEqual([shown.video_config, shown.chat_video_type], [{ width: 1080, height: 1920 }, 'MOBILE']);
      await sdk.stopChatJob(roomId, jobId);
    });
  });

  describe('dialog URLs and one-time codes', () => {
    test('CreateDialogUrl: a URL of the console\'s dialog page, signed, for one session, expiring after 15 minutes', async () => {
      const roomId = await createRoom();
      const answer = await sdk.createDialogUrl({ room_id: roomId, robot_id: 'robot-1' });
      assert.equal(answer.httpStatusCode, 200);
      const url = new URL(answer.url);
      assert.equal(url.origin, server.url);
      assert.equal(url.pathname, '/console/talk');
      assert.equal(url.searchParams.get('room_id'), roomId);
      assert.equal(url.searchParams.get('robot_id'), 'robot-1');
      assert.equal(url.searchParams.get('project_id'), TEST_PROJECT_ID);
      const expires = Number(url.searchParams.get('expires')) * 1000;
      assert.ok(Math.abs(expires - (server.clock.now().getTime() + 15 * MINUTE_MS)) < MINUTE_MS, 'valid for 15 minutes');
      const query = () => Object.fromEntries(url.searchParams);

      for (const [name, value] of [['room_id', newId()], ['robot_id', 'robot-2'], ['project_id', OTHER_PROJECT_ID], ['expires', String(Math.floor(expires / 1000) + 3600)], ['signature', 'f'.repeat(64)], ['session', 'x']] as const) {
        await refusedWith(server.services.live.openDialog({ ...query(), [name]: value }), 'LIVE_ACCESS_INVALID');
      }
      const { signature: _signature, ...unsigned } = query();
      await refusedWith(server.services.live.openDialog(unsigned), 'LIVE_ACCESS_INVALID');
      await later(15 * MINUTE_MS + 1000, () => refusedWith(server.services.live.openDialog(query()), 'LIVE_ACCESS_EXPIRED'));

      assert.deepEqual(await server.services.live.openDialog(query()), { projectId: TEST_PROJECT_ID, appUserId: null, roomId, robotId: 'robot-1' });
      await refusedWith(server.services.live.openDialog(query()), 'LIVE_ACCESS_USED');
    });

    test('CreateDialogUrl refuses a missing field (MSS.10000003) and a room the caller does not have (MSS.00000003)', async () => {
      const roomId = await createRoom();
      assertSdkError(await sdkError(sdk.createDialogUrl({ room_id: roomId })), 400, 'MSS.10000003');
      assertSdkError(await sdkError(sdk.createDialogUrl({ room_id: '', robot_id: 'r' })), 400, 'MSS.10000003');
      const error = await sdkError(sdk.createDialogUrl({ room_id: newId(), robot_id: 'r' }));
      assertSdkError(error, 400, 'MSS.00000003');
      assert.match(error.errorMsg!, /room_id/);
      assertSdkError(await sdkError(other.createDialogUrl({ room_id: roomId, robot_id: 'r' })), 400, 'MSS.00000003');
    });

    test('CreateOnceCode: a code for 5 minutes, used once, only in its project', async () => {
      const answer = await sdk.createOnceCode({ appUserId: 'carol' });
      assert.equal(answer.httpStatusCode, 200);
      assert.ok(typeof answer.once_code === 'string' && answer.once_code.length >= 32);
      await refusedWith(server.services.live.redeemOnceCode(OTHER_PROJECT_ID, answer.once_code), 'LIVE_ACCESS_INVALID');
      assert.deepEqual(await server.services.live.redeemOnceCode(TEST_PROJECT_ID, answer.once_code), { projectId: TEST_PROJECT_ID, appUserId: 'carol' });
      await refusedWith(server.services.live.redeemOnceCode(TEST_PROJECT_ID, answer.once_code), 'LIVE_ACCESS_USED');
      await refusedWith(server.services.live.redeemOnceCode(TEST_PROJECT_ID, `${answer.once_code.slice(0, -1)}A`), 'LIVE_ACCESS_INVALID');

      const second = await sdk.createOnceCode();
      assert.notEqual(second.once_code, answer.once_code);
      await later(5 * MINUTE_MS + 1000, () => refusedWith(server.services.live.redeemOnceCode(TEST_PROJECT_ID, second.once_code), 'LIVE_ACCESS_EXPIRED'));
      const third = await sdk.createOnceCode();
      await later(5 * MINUTE_MS - 5000, async () => assert.equal((await server.services.live.redeemOnceCode(TEST_PROJECT_ID, third.once_code)).projectId, TEST_PROJECT_ID));
    });
  });

  describe('isolation', () => {
    test('another project sees none of the rooms and jobs, and cannot use the project\'s model', async () => {
      const roomId = await createRoom();
      const { job_id: jobId } = await sdk.startChatJob(roomId, ROBOT);
      assertSdkError(await sdkError(other.showRoom(roomId)), 404, 'MSS.20070001');
      assertSdkError(await sdkError(other.updateRoom(roomId, room())), 404, 'MSS.20070001');
      assertSdkError(await sdkError(other.deleteRoom(roomId)), 404, 'MSS.20070001');
      assertSdkError(await sdkError(other.startChatJob(roomId, ROBOT)), 404, 'MSS.20070001');
      assertSdkError(await sdkError(other.showChatJob(roomId, jobId)), 404, 'MSS.20070001');
      assertSdkError(await sdkError(other.stopChatJob(roomId, jobId)), 404, 'MSS.20070001');
      assertSdkError(await sdkError(other.listChatJobs(roomId)), 404, 'MSS.20070001');
      assert.equal((await other.listRooms()).count, 0);
      assertSdkError(await sdkError(other.createRoom(room())), 400, 'MSS.00000003');
      assertSdkError(await sdkError(sdk.request('GET', `/v1/${OTHER_PROJECT_ID}/smart-chat-rooms`)), 400, 'MSS.00010009');
      assert.equal((await sdk.showChatJob(roomId, jobId)).state, 'WAITING', 'nothing the other project tried changed the job');
      await sdk.stopChatJob(roomId, jobId);
    });

    test('app users: each sees only its own rooms and jobs; without X-App-UserId the whole project is seen', async () => {
      const aliceModel = await finishedModel('alice-model', ['CHAT_2D'], { appUserId: 'alice' });
      const alice = { appUserId: 'alice' };
      const bob = { appUserId: 'bob' };
      assertSdkError(await sdkError(sdk.createRoom(room(), bob)), 400, 'MSS.00000003');
      const roomId = (await sdk.createRoom(room({ room_name: 'alice-room', model_asset_id: aliceModel }), alice)).room_id as string;
      const { job_id: jobId } = await sdk.startChatJob(roomId, ROBOT, undefined, alice);
      assertSdkError(await sdkError(sdk.showRoom(roomId, bob)), 404, 'MSS.20070001');
      assertSdkError(await sdkError(sdk.startChatJob(roomId, ROBOT, undefined, bob)), 404, 'MSS.20070001');
      assertSdkError(await sdkError(sdk.showChatJob(roomId, jobId, bob)), 404, 'MSS.20070001');
      assertSdkError(await sdkError(sdk.createDialogUrl({ room_id: roomId, robot_id: 'r' }, bob)), 400, 'MSS.00000003');
      assert.equal((await sdk.listRooms({ room_name: 'alice-room' }, bob)).count, 0);
      assert.equal((await sdk.listRooms({ room_name: 'alice-room' }, alice)).count, 1);
      assert.equal((await sdk.listRooms({ room_name: 'alice-room' })).count, 1, 'the project sees its app users\' rooms');
      assert.equal((await sdk.showChatJob(roomId, jobId)).state, 'WAITING');
      assert.equal((await sdk.listRooms({ room_name: 'lobby' }, alice)).count, 0, 'rooms made without X-App-UserId are not alice\'s');
      const dialog = new URL((await sdk.createDialogUrl({ room_id: roomId, robot_id: 'r' }, alice)).url);
      assert.equal((await server.services.live.openDialog(Object.fromEntries(dialog.searchParams))).appUserId, 'alice');
      await sdk.stopChatJob(roomId, jobId, alice);
      assertSdkError(await sdkError(sdk.deleteRoom(roomId, bob)), 404, 'MSS.20070001');
      await sdk.deleteRoom(roomId, alice);
    });
  });

  test('authentication: every operation answers 401 without credentials', async () => {
    const base = `${server.url}/v1/${TEST_PROJECT_ID}`;
    const requests: Array<[string, string]> = [
      ['POST', '/smart-chat-rooms'],
      ['GET', '/smart-chat-rooms'],
      ['GET', `/smart-chat-rooms/${newId()}`],
      ['PUT', `/smart-chat-rooms/${newId()}`],
      ['DELETE', `/smart-chat-rooms/${newId()}`],
      ['POST', `/digital-human-chat/smart-chat-rooms/${newId()}/smart-chat-jobs?robot_id=r`],
      ['GET', `/digital-human-chat/smart-chat-rooms/${newId()}/smart-chat-jobs`],
      ['GET', `/digital-human-chat/smart-chat-rooms/${newId()}/smart-chat-jobs/${newId()}/state`],
      ['POST', `/digital-human-chat/smart-chat-rooms/${newId()}/smart-chat-jobs/${newId()}/stop`],
      ['POST', '/digital-human-chat/create-dialog-url'],
      ['POST', '/digital-human-chat/once-code'],
    ];
    for (const [method, path] of requests) {
      const response = await fetch(`${base}${path}`, { method, headers: { 'Content-Type': 'application/json' } });
      assert.equal(response.status, 401, `${method} ${path}`);
      assert.equal(((await response.json()) as Json).error_code, 'APIG.0301');
    }
    const wrongMethod = await fetch(`${base}/digital-human-chat/once-code`, { method: 'GET' });
    assert.deepEqual([wrongMethod.status, ((await wrongMethod.json()) as Json).error_msg], [404, 'The API does not exist.']);
  });

  test('GET /openapi.json serves the eleven operations at the cloud\'s methods and paths', async () => {
    const served = (await (await fetch(`${server.url}/openapi.json`)).json()) as Json;
    const operations = new Map<string, string>();
    for (const [pathKey, item] of Object.entries<Json>(served.paths)) {
      for (const [method, operation] of Object.entries<Json>(item)) if (operation?.operationId) operations.set(operation.operationId, `${method.toUpperCase()} ${pathKey}`);
    }
    const rooms = '/v1/{project_id}/smart-chat-rooms';
    const jobs = '/v1/{project_id}/digital-human-chat/smart-chat-rooms/{room_id}/smart-chat-jobs';
    assert.deepEqual(
      ['CreateSmartChatRoom', 'ShowSmartChatRoom', 'ListSmartChatRooms', 'UpdateSmartChatRoom', 'DeleteSmartChatRoom', 'StartSmartChatJob', 'ShowSmartChatJob', 'ListSmartChatJob', 'StopSmartChatJob', 'CreateDialogUrl', 'CreateOnceCode'].map((id) => operations.get(id)),
      [
        `POST ${rooms}`,
        `GET ${rooms}/{room_id}`,
        `GET ${rooms}`,
        `PUT ${rooms}/{room_id}`,
        `DELETE ${rooms}/{room_id}`,
        `POST ${jobs}`,
        `GET ${jobs}/{job_id}/state`,
        `GET ${jobs}`,
        `POST ${jobs}/{job_id}/stop`,
        'POST /v1/{project_id}/digital-human-chat/create-dialog-url',
        'POST /v1/{project_id}/digital-human-chat/once-code',
      ],
    );
  });
});
