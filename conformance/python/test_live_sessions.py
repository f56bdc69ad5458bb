# coding: utf-8
"""
The official Python SDK (huaweicloudsdkmetastudio 3.1.211) against avatarforge: live sessions
(intelligent interaction), unchanged. Every operation of docs/live-sessions.md: CreateSmartChatRoom,
ShowSmartChatRoom, ListSmartChatRooms, UpdateSmartChatRoom, DeleteSmartChatRoom, StartSmartChatJob,
ShowSmartChatJob, ListSmartChatJob (3.1.211 has it, as the Go SDK does), StopSmartChatJob,
CreateDialogUrl and CreateOnceCode.

The room's model comes from the emulated pipeline (conformance/server.sh), as in test_assets.py: a
training job released with the admin token reaches JOB_SUCCESS with its HUMAN_MODEL_2D asset, whose
supported_service is the job's (by default VIDEO_2D and LIVE_2D), so a room can show it.

Every SDK object is compared whole with the JSON the server sent (`same_as_wire`): the SDK drops no
key, adds none and changes no value. A difference is a server bug (or an SDK's), not something to
work around.
"""

import os
import re
import time
from urllib.parse import parse_qs, urlsplit

from huaweicloudsdkmetastudio.v1 import (
    BackgroundConfigInfo,
    ChatResourceConfig,
    ChatResourceConfigInfo,
    ChatSubtitleConfig,
    ChatVoiceConfig,
    CreateDialogUrlReq,
    CreateDialogUrlRequest,
    CreateOnceCodeRequest,
    CreateSmartChatRoomReq,
    CreateSmartChatRoomRequest,
    DeleteSmartChatRoomRequest,
    LayerConfig,
    LayerPositionConfig,
    LayerSizeConfig,
    ListSmartChatJobRequest,
    ListSmartChatRoomsRequest,
    ModelInfo,
    ReviewConfig,
    ShowSmartChatJobRequest,
    ShowSmartChatRoomRequest,
    SmartChatJobBaseInfo,
    SmartChatJobsReq,
    SmartChatRoomBaseInfo,
    SmartChatVideoConfig,
    SmartChatVoiceConfig,
    StartSmartChatJobRequest,
    StopSmartChatJobRequest,
    UpdateDigitalAssetRequest,
    UpdateDigitalAssetRequestBody,
    UpdateSmartChatRoomRequest,
    VideoConfig,
    VoiceConfig,
    VoiceConfigRsp,
)

from afcheck import check, eq, is_hex32, is_time
from afsdk import WireLog, expect_client_error, make_client
from test_assets import answered, same_as_wire, sdk_view, show_asset, trained_model

APP_USER = "live-py"
BOB = "live-py-bob"
ROBOT = "robot-py"
UNKNOWN_ID = "0" * 32
ONCE_CODE = re.compile(r"^[A-Za-z0-9_-]{32}$")

# What the scenario learns as it goes (the tests run in file order and build on each other).
state = {}


# -------------------------------------------------------------------------------------------------
# Helpers
# -------------------------------------------------------------------------------------------------

def create_room(client, body, app_user=APP_USER):
    return client.create_smart_chat_room(CreateSmartChatRoomRequest(x_app_user_id=app_user, body=body))


def show_room(client, room_id, app_user=APP_USER):
    return client.show_smart_chat_room(ShowSmartChatRoomRequest(room_id=room_id, x_app_user_id=app_user))


def list_rooms(client, app_user=APP_USER, **filters):
    return client.list_smart_chat_rooms(ListSmartChatRoomsRequest(x_app_user_id=app_user, **filters))


def update_room(client, room_id, body, app_user=APP_USER):
    return client.update_smart_chat_room(UpdateSmartChatRoomRequest(room_id=room_id, x_app_user_id=app_user, body=body))


def delete_room(client, room_id, app_user=APP_USER):
    return client.delete_smart_chat_room(DeleteSmartChatRoomRequest(room_id=room_id, x_app_user_id=app_user))


def start_job(client, room_id, robot_id=ROBOT, extend_param=None, app_user=APP_USER):
    body = SmartChatJobsReq(extend_param=extend_param) if extend_param is not None else None
    return client.start_smart_chat_job(StartSmartChatJobRequest(
        room_id=room_id, robot_id=robot_id, x_app_user_id=app_user, body=body))


def show_job(client, room_id, job_id, app_user=APP_USER):
    return client.show_smart_chat_job(ShowSmartChatJobRequest(room_id=room_id, job_id=job_id, x_app_user_id=app_user))


def list_jobs(client, room_id, app_user=APP_USER, **filters):
    return client.list_smart_chat_job(ListSmartChatJobRequest(room_id=room_id, x_app_user_id=app_user, **filters))


def stop_job(client, room_id, job_id, app_user=APP_USER):
    return client.stop_smart_chat_job(StopSmartChatJobRequest(room_id=room_id, job_id=job_id, x_app_user_id=app_user))


def dialog_url(client, room_id, robot_id=ROBOT, app_user=APP_USER):
    return client.create_dialog_url(CreateDialogUrlRequest(
        x_app_user_id=app_user, body=CreateDialogUrlReq(room_id=room_id, robot_id=robot_id)))


def once_code(client, app_user=APP_USER):
    return client.create_once_code(CreateOnceCodeRequest(x_app_user_id=app_user))


def set_services(client, asset_id, services):
    updated = client.update_digital_asset(UpdateDigitalAssetRequest(
        asset_id=asset_id, x_app_user_id=APP_USER, body=UpdateDigitalAssetRequestBody(supported_service=services)))
    eq(updated.supported_service, services, "supported_service after UpdateDigitalAsset")


def lobby(**fields):
    """A room body: the model of this module, one job at a time, and whatever the test adds."""
    body = {"room_name": "py lobby", "model_asset_id": state["model"], "concurrency": 1}
    body.update(fields)
    return CreateSmartChatRoomReq(**body)


# -------------------------------------------------------------------------------------------------
# Rooms
# -------------------------------------------------------------------------------------------------

def test_a_trained_model_supports_live_sessions(server, client, wire):
    _, asset_id = trained_model(server, client, "py live presenter", app_user=APP_USER)
    state["model"] = asset_id
    shown = show_asset(client, asset_id, app_user=APP_USER)
    eq(shown.supported_service, ["VIDEO_2D", "LIVE_2D"], "a trained model's supported_service is its job's default")


def test_create_and_show_a_room_with_every_field(client, wire):
    created = answered(create_room(client, lobby(
        room_description="the front desk",
        video_config=VideoConfig(bitrate=3000, width=1080, height=1920, codec="VP9", frame_rate="25"),
        voice_config=VoiceConfig(voice_asset_id="", speed=110, pitch=0, volume=0),
        voice_config_list=[ChatVoiceConfig(voice_asset_id="af_heart", speed=90, provider="HUAWEI_EI", language="EN")],
        robot_id=ROBOT,
        billing_mode="CONCURRENCY",
        reuse_resource=True,
        client_nums=3,
        default_language="CN",
        background_config=BackgroundConfigInfo(background_type="COLOR", background_color_config="#20304A"),
        layer_config=[LayerConfig(layer_type="HUMAN", position=LayerPositionConfig(dx=0, dy=0, layer_index=1),
                                  size=LayerSizeConfig(width=1080, height=1920))],
        review_config=ReviewConfig(no_need_review=True),
        chat_subtitle_config=ChatSubtitleConfig(dx=90, dy=1500, width=900, height=200),
        chat_video_type="MOBILE",
        exit_mute_threshold=10,
        enable_semantic_action=False,
        chat_resource_config=[ChatResourceConfig(resource_id="res-1", count_resource=2)],
    )), wire, "CreateSmartChatRoom")
    is_hex32(created.room_id, "room_id")
    room_id = created.room_id
    state["room"] = room_id

    shown = answered(show_room(client, room_id), wire, "ShowSmartChatRoom")
    eq(shown.room_id, room_id, "room_id")
    eq((shown.room_name, shown.room_description, shown.model_asset_id, shown.robot_id),
       ("py lobby", "the front desk", state["model"], ROBOT), "name, description, model, robot")
    check(isinstance(shown.video_config, VideoConfig), f"video_config is VideoConfig: {shown.video_config!r}")
    eq(sdk_view(shown.video_config), {"bitrate": 3000, "width": 1080, "height": 1920, "codec": "VP9", "frame_rate": "25"},
       "video_config as sent")
    eq(sdk_view(shown.voice_config), {"voice_asset_id": "zf_xiaoxiao", "speed": 110, "pitch": 100, "volume": 140},
       '"" and 0 take the defaults of the default language (CN)')
    check(all(isinstance(voice, ChatVoiceConfig) for voice in shown.voice_config_list), "voice_config_list are ChatVoiceConfig")
    eq(sdk_view(shown.voice_config_list),
       [{"voice_asset_id": "af_heart", "speed": 90, "pitch": 100, "volume": 140, "provider": "HUAWEI_EI", "language": "EN"}],
       "voice_config_list with its defaults")
    eq((shown.billing_mode, shown.reuse_resource, shown.concurrency, shown.client_nums, shown.default_language),
       ("CONCURRENCY", True, 1, 3, "CN"), "billing_mode, reuse_resource, concurrency, client_nums, default_language")
    eq(sdk_view(shown.background_config), {"background_type": "COLOR", "background_color_config": "#20304A"}, "background_config")
    eq(sdk_view(shown.layer_config), [{"layer_type": "HUMAN", "position": {"dx": 0, "dy": 0, "layer_index": 1},
                                       "size": {"width": 1080, "height": 1920}}], "layer_config")
    eq(shown.review_config.no_need_review, True, "review_config")
    eq(sdk_view(shown.chat_subtitle_config), {"dx": 90, "dy": 1500, "width": 900, "height": 200}, "chat_subtitle_config")
    eq((shown.chat_video_type, shown.exit_mute_threshold, shown.enable_semantic_action), ("MOBILE", 10, False),
       "chat_video_type, exit_mute_threshold, enable_semantic_action")
    eq(shown.is_pool_mode, False, "is_pool_mode")
    eq(shown.cover_url, None, "no cover_url yet")
    is_time(shown.create_time, "create_time")
    is_time(shown.update_time, "update_time")
    resource = shown.chat_resource_config[0]
    check(isinstance(resource, ChatResourceConfigInfo), f"chat_resource_config[0] is ChatResourceConfigInfo: {resource!r}")
    eq(sdk_view(shown.chat_resource_config), [{"resource_id": "res-1", "count_resource": 2, "resource_nums": 2,
                                               "resource_available_nums": 2, "resource_source": "PURCHASED",
                                               "status": "ACTIVE"}], "chat_resource_config")


def test_a_room_with_only_its_name_and_model_takes_the_defaults(client, wire):
    room_id = create_room(client, CreateSmartChatRoomReq(room_name="py bare room", model_asset_id=state["model"])).room_id
    state["bare_room"] = room_id
    shown = answered(show_room(client, room_id), wire, "ShowSmartChatRoom of a bare room")
    eq(sdk_view(shown.video_config), {"width": 1920, "height": 1080, "bitrate": 4000, "codec": "H264"}, "video_config defaults")
    eq((shown.billing_mode, shown.reuse_resource, shown.concurrency, shown.default_language, shown.voice_config),
       ("CONCURRENCY", False, 0, "CN", None), "the defaults")


def test_room_refusals(client, wire):
    refused = [
        (CreateSmartChatRoomReq(room_name="no model"), 400, "MSS.00000003"),
        (lobby(model_asset_id=UNKNOWN_ID), 400, "MSS.00000003"),
        (lobby(video_config=VideoConfig(bitrate=0, width=1280, height=720)), 400, "MSS.00000003"),
        (lobby(default_language="Thai"), 400, "MSS.00000003"),
        (lobby(voice_config=VoiceConfig(voice_asset_id="no-such-voice")), 400, "MSS.00000003"),
        (lobby(concurrency=1025), 400, "MSS.10000003"),
        (lobby(room_name=""), 400, "MSS.10000003"),
    ]
    for body, status, code in refused:
        expect_client_error(lambda: create_room(client, body), status, code, wire)
    expect_client_error(lambda: show_room(client, UNKNOWN_ID), 404, "MSS.20070001", wire)


def test_a_model_without_a_live_service_is_refused(client, wire):
    set_services(client, state["model"], ["VIDEO_2D"])
    try:
        error = expect_client_error(lambda: create_room(client, lobby(room_name="py video only")), 400, "MSS.00000003", wire)
        check("model_asset_id: " in error.error_msg, f"the message names model_asset_id: {error.error_msg!r}")
        # The model is checked again at every Start.
        error = expect_client_error(lambda: start_job(client, state["room"]), 400, "MSS.00000003", wire)
        check("model_asset_id: " in error.error_msg, f"Start names model_asset_id: {error.error_msg!r}")
    finally:
        set_services(client, state["model"], ["VIDEO_2D", "LIVE_2D"])
    eq(list_jobs(client, state["room"]).count, 0, "the refused Start made no job")


def test_update_replaces_the_room_and_answers_it_as_show_does(client, wire):
    room_id = state["bare_room"]
    before = show_room(client, room_id)
    updated = answered(update_room(client, room_id, lobby(
        room_name="py bare room, renamed", concurrency=2, default_language="EN",
        voice_config=VoiceConfig(voice_asset_id="", speed=0, pitch=0, volume=0),
        video_config=VideoConfig(bitrate=0, width=0, height=0), chat_video_type="COMPUTER")), wire, "UpdateSmartChatRoom")
    eq(updated.room_name, "py bare room, renamed", "room_name")
    eq(updated.concurrency, 2, "concurrency")
    eq(updated.default_language, "EN", "default_language")
    eq(sdk_view(updated.voice_config), {"voice_asset_id": "af_heart", "speed": 100, "pitch": 100, "volume": 140},
       'the default voice of EN')
    eq(sdk_view(updated.video_config), {"width": 1920, "height": 1080, "bitrate": 4000, "codec": "H264"},
       "0 is not set: a COMPUTER room is landscape")
    eq(updated.create_time, before.create_time, "create_time kept")
    shown = show_room(client, room_id)
    eq(sdk_view(shown), sdk_view(updated), "Update answers the room as Show does")

    replaced = update_room(client, room_id, CreateSmartChatRoomReq(room_name="py bare room", model_asset_id=state["model"]))
    eq((replaced.concurrency, replaced.default_language, replaced.voice_config, replaced.chat_video_type),
       (0, "CN", None, None), "a field left out takes its default again")
    expect_client_error(lambda: update_room(client, room_id, CreateSmartChatRoomReq(room_name="x")), 400, "MSS.00000003", wire)
    expect_client_error(lambda: update_room(client, UNKNOWN_ID, lobby()), 404, "MSS.20070001", wire)


def test_list_rooms_filters_paging_and_sums(client, wire):
    listed = answered(list_rooms(client, room_name="py ", limit=100), wire, "ListSmartChatRooms")
    eq(listed.count, 2, "count")
    eq([room.room_id for room in listed.smart_chat_rooms], [state["bare_room"], state["room"]], "newest first")
    eq((listed.count_concurrency, listed.count_client_nums, listed.count_client_nums_token), (1, 0, 0),
       "count_concurrency, count_client_nums (CONCURRENCY rooms do not count), count_client_nums_token")
    item = listed.smart_chat_rooms[1]
    check(isinstance(item, SmartChatRoomBaseInfo), f"smart_chat_rooms[] is SmartChatRoomBaseInfo: {item!r}")
    check(isinstance(item.model_infos, ModelInfo), f"model_infos is one ModelInfo: {item.model_infos!r}")
    eq(sdk_view(item.model_infos), {"model_asset_id": state["model"], "asset_name": "py live presenter"}, "model_infos")
    check(all(isinstance(voice, VoiceConfigRsp) for voice in item.voice_config_list), "voice_config_list are VoiceConfigRsp")
    eq(item.voice_config_list[0].language_desc, "English", "language_desc")
    eq((item.room_name, item.robot_id, item.concurrency, item.client_nums, item.exit_mute_threshold),
       ("py lobby", ROBOT, 1, 3, 10), "the room's list fields")
    is_time(item.create_time, "create_time")

    page = list_rooms(client, room_name="py ", limit=1, offset=1)
    eq((page.count, [room.room_id for room in page.smart_chat_rooms]), (2, [state["room"]]), "limit=1 offset=1")
    eq(list_rooms(client, model_name="py live pres").count, 2, "model_name matches part of the model's name")
    eq(list_rooms(client, model_name="nobody's model").count, 0, "model_name")
    eq(list_rooms(client, start_time="2000-01-01T00:00:00Z").count, 0, "rooms without a job are outside every window")
    defaults = list_rooms(client)
    eq(len(defaults.smart_chat_rooms), min(10, defaults.count), "default page size 10")
    for filters in ({"limit": 0}, {"limit": 101}, {"offset": -1}, {"start_time": "yesterday"}):
        expect_client_error(lambda: list_rooms(client, **filters), 400, "MSS.00000003", wire)


# -------------------------------------------------------------------------------------------------
# Jobs
# -------------------------------------------------------------------------------------------------

def test_start_show_and_list_a_job(client, wire):
    room_id = state["room"]
    started = answered(start_job(client, room_id, extend_param='{"client_id":"kiosk-7","city":"Shenzhen"}'), wire,
                       "StartSmartChatJob")
    is_hex32(started.job_id, "job_id")
    job_id = started.job_id
    state["job"] = job_id
    eq(started.language, "zh_CN", "language")
    eq(started.default_language, "CN", "default_language")
    check(isinstance(started.video_config, SmartChatVideoConfig), f"video_config is SmartChatVideoConfig: {started.video_config!r}")
    eq(sdk_view(started.video_config), {"width": 1080, "height": 1920}, "video_config: the room's size")
    check(all(isinstance(voice, SmartChatVoiceConfig) for voice in started.voice_config_list), "voice_config_list are SmartChatVoiceConfig")
    eq(sdk_view(started.voice_config_list), [
        {"voice_asset_id": "zf_xiaoxiao", "speed": 110, "pitch": 100, "volume": 140, "language": "CN", "language_desc": "Chinese"},
        {"voice_asset_id": "af_heart", "speed": 90, "pitch": 100, "volume": 140, "language": "EN", "language_desc": "English"},
    ], "the default language's voice first, then the list's other languages")
    eq(sdk_view(started.chat_subtitle_config), {"dx": 90, "dy": 1500, "width": 900, "height": 200}, "chat_subtitle_config")
    eq((started.chat_video_type, started.is_transparent), ("MOBILE", False), "chat_video_type, is_transparent")
    eq((started.rtc_room_info, started.chat_access_address, started.chat_access_rest_address, started.region),
       (None, None, None, None), "no media fields yet")

    shown = answered(show_job(client, room_id, job_id), wire, "ShowSmartChatJob")
    eq((shown.job_id, shown.state, shown.chat_state, shown.client_id, shown.language, shown.is_pool_mode),
       (job_id, "WAITING", 0, "kiosk-7", "zh_CN", False), "job_id, state, chat_state, client_id, language, is_pool_mode")
    check(isinstance(shown.duration, float) and shown.duration >= 0, f"duration is seconds: {shown.duration!r}")
    for field in ("start_time", "create_time", "lastupdate_time"):
        is_time(getattr(shown, field), field)
    eq((shown.end_time, shown.job_finish_reason, shown.error_info), (None, None, None), "not ended")
    eq(sdk_view(shown.voice_config_list), sdk_view(started.voice_config_list), "Show's voices are Start's")

    listed = answered(list_jobs(client, room_id), wire, "ListSmartChatJob")
    eq(listed.count, 1, "count")
    item = listed.smart_chat_jobs[0]
    check(isinstance(item, SmartChatJobBaseInfo), f"smart_chat_jobs[] is SmartChatJobBaseInfo: {item!r}")
    eq((item.job_id, item.state, item.client_id), (job_id, "WAITING", "kiosk-7"), "the listed job")


def test_the_rooms_concurrency_refuses_a_second_job(client, wire):
    room_id = state["room"]
    error = expect_client_error(lambda: start_job(client, room_id), 400, "MSS.20010135", wire)
    check("concurren" in error.error_msg, f"the message says why: {error.error_msg!r}")
    expect_client_error(lambda: start_job(client, state["bare_room"]), 400, "MSS.20010135", wire)  # concurrency 0
    expect_client_error(lambda: delete_room(client, room_id), 400, "MSS.20070003", wire)
    expect_client_error(lambda: start_job(client, room_id, robot_id=None), 400, "MSS.00000003", wire)
    expect_client_error(lambda: start_job(client, room_id, extend_param="not json"), 400, "MSS.00000003", wire)
    expect_client_error(lambda: start_job(client, UNKNOWN_ID), 404, "MSS.20070001", wire)
    eq(list_jobs(client, room_id).count, 1, "the refused Starts made no job")


def test_stop_ends_the_job_and_frees_its_share(client, wire):
    room_id, job_id = state["room"], state["job"]
    answered(stop_job(client, room_id, job_id), wire, "StopSmartChatJob")
    stopped = answered(show_job(client, room_id, job_id), wire, "ShowSmartChatJob after Stop")
    eq((stopped.state, stopped.job_finish_reason, stopped.chat_state), ("SUCCEED", "NORMAL", None),
       "SUCCEED, NORMAL, no chat_state once ended")
    is_time(stopped.end_time, "end_time")
    answered(stop_job(client, room_id, job_id), wire, "StopSmartChatJob of an ended job")
    eq(show_job(client, room_id, job_id).lastupdate_time, stopped.lastupdate_time, "a second Stop changes nothing")

    second = start_job(client, room_id).job_id
    eq([job.job_id for job in list_jobs(client, room_id).smart_chat_jobs], [second, job_id], "newest first")
    eq([job.job_id for job in list_jobs(client, room_id, state="SUCCEED").smart_chat_jobs], [job_id], "state=SUCCEED")
    eq([job.job_id for job in list_jobs(client, room_id, state="WAITING,PROCESSING").smart_chat_jobs], [second],
       "state, comma-separated")
    page = list_jobs(client, room_id, limit=1, offset=1)
    eq((page.count, [job.job_id for job in page.smart_chat_jobs]), (2, [job_id]), "limit=1 offset=1")
    same_as_wire(page, "ListSmartChatJob of an ended job")
    expect_client_error(lambda: list_jobs(client, room_id, state="CREATING,PUBLISHED"), 400, "MSS.00000003", wire)
    expect_client_error(lambda: list_jobs(client, room_id, limit=101), 400, "MSS.00000003", wire)
    answered(stop_job(client, room_id, second), wire, "StopSmartChatJob")
    expect_client_error(lambda: show_job(client, room_id, UNKNOWN_ID), 404, "MSS.20070002", wire)
    expect_client_error(lambda: stop_job(client, room_id, UNKNOWN_ID), 404, "MSS.20070002", wire)
    expect_client_error(lambda: list_jobs(client, UNKNOWN_ID), 404, "MSS.20070001", wire)
    eq(list_rooms(client, room_name="py lobby", start_time="2000-01-01T00:00:00Z").count, 1,
       "a room whose latest job started in the window")


# -------------------------------------------------------------------------------------------------
# Dialog URLs and one-time codes
# -------------------------------------------------------------------------------------------------

def test_create_dialog_url(server, client, wire):
    made = answered(dialog_url(client, state["room"]), wire, "CreateDialogUrl")
    parts = urlsplit(made.url)
    eq(f"{parts.scheme}://{parts.netloc}{parts.path}", f"{server['base_url']}/console/talk", "the console's dialog page")
    query = {key: values[0] for key, values in parse_qs(parts.query).items()}
    eq(sorted(query), ["expires", "project_id", "robot_id", "room_id", "session", "signature"], "its parameters")
    eq((query["project_id"], query["room_id"], query["robot_id"]), (server["project_id"], state["room"], ROBOT),
       "project, room and robot")
    expires = int(query["expires"])
    check(abs(expires - (time.time() + 15 * 60)) < 120, f"expires in 15 minutes: {expires}")
    check(dialog_url(client, state["room"]).url != made.url, "a new session each time")
    expect_client_error(lambda: dialog_url(client, UNKNOWN_ID), 400, "MSS.00000003", wire)
    expect_client_error(lambda: dialog_url(client, state["room"], robot_id=None), 400, "MSS.10000003", wire)


def test_create_once_code(client, wire):
    first = answered(once_code(client), wire, "CreateOnceCode")
    check(ONCE_CODE.match(first.once_code) is not None, f"once_code is 32 Base64url characters: {first.once_code!r}")
    check(once_code(client).once_code != first.once_code, "a new code each time")


# -------------------------------------------------------------------------------------------------
# Isolation, then Delete
# -------------------------------------------------------------------------------------------------

def test_another_project_and_app_user_cannot_see_the_room(server, client, wire):
    room_id, job_id = state["room"], state["job"]
    for call in (lambda: show_room(client, room_id, app_user=BOB),
                 lambda: start_job(client, room_id, app_user=BOB),
                 lambda: delete_room(client, room_id, app_user=BOB)):
        expect_client_error(call, 404, "MSS.20070001", wire)
    eq(list_rooms(client, app_user=BOB).count, 0, "bob lists no rooms")
    eq(show_room(client, room_id, app_user=None).room_id, room_id, "without X-App-UserId the whole project is seen")

    other_wire = WireLog()
    other = make_client({**server, "ak": os.environ["AF_OTHER_ACCESS_KEY"], "sk": os.environ["AF_OTHER_SECRET_KEY"],
                         "project_id": os.environ["AF_OTHER_PROJECT_ID"]}, wire=other_wire)
    for call in (lambda: show_room(other, room_id, app_user=None),
                 lambda: update_room(other, room_id, lobby(), app_user=None),
                 lambda: delete_room(other, room_id, app_user=None),
                 lambda: start_job(other, room_id, app_user=None),
                 lambda: show_job(other, room_id, job_id, app_user=None),
                 lambda: list_jobs(other, room_id, app_user=None),
                 lambda: stop_job(other, room_id, job_id, app_user=None)):
        expect_client_error(call, 404, "MSS.20070001", other_wire)
    expect_client_error(lambda: dialog_url(other, room_id, app_user=None), 400, "MSS.00000003", other_wire)
    expect_client_error(lambda: create_room(other, lobby(), app_user=None), 400, "MSS.00000003", other_wire)
    eq(list_rooms(other, app_user=None, limit=100).count, 0, "another project lists no rooms")
    eq(show_room(client, room_id).room_name, "py lobby", "the refused calls changed nothing")


def test_delete_a_room(client, wire):
    for room_id in (state["room"], state["bare_room"]):
        answered(delete_room(client, room_id), wire, "DeleteSmartChatRoom")
        expect_client_error(lambda: show_room(client, room_id), 404, "MSS.20070001", wire)
        expect_client_error(lambda: delete_room(client, room_id), 404, "MSS.20070001", wire)
    expect_client_error(lambda: show_job(client, state["room"], state["job"]), 404, "MSS.20070001", wire)
    eq(list_rooms(client, room_name="py ").count, 0, "both rooms are gone")
