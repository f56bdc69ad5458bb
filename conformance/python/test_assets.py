# coding: utf-8
"""
The official Python SDK (huaweicloudsdkmetastudio 3.1.211) against avatarforge: the asset library
(ListAssets, ShowAsset, CreateDigitalAsset, UpdateDigitalAsset, DeleteAsset, RestoreAsset,
ListAssetSummary) and its file calls (CreateFile, CreateLargeFile, the PUTs to their upload URLs,
ConfirmFileUpload, DeleteFile), and the media metadata read from a MAIN file, unchanged.

The assets the product makes come from the emulated pipeline (conformance/server.sh): a training
job submitted for review waits in AUTO_VERIFYING until this module releases it with the admin
token, then every stage succeeds and it reaches JOB_SUCCESS with its HUMAN_MODEL_2D asset; a video
job renders a test-pattern MP4 (held in WAITING while this module looks at it).

Every SDK object is also compared whole with the JSON the server sent (`same_as_wire`): the SDK
drops no key, adds none and changes no value. A difference is a server bug (or an SDK's), not
something to work around.
"""

import base64
import hashlib
import io
import json
import os
import struct
import time
import uuid
import wave
import zlib

import requests

from huaweicloudsdkmetastudio.v1 import (
    AssetExtraMeta,
    AssetFileInfo,
    AssetSharedConfig,
    AudioAssetMeta,
    ConfirmFileUploadRequest,
    ConfirmFileUploadRequestBody,
    Create2DDigitalHumanVideoReq,
    Create2DDigitalHumanVideoRequest,
    Create2dModelTrainingJobReq,
    Create2dModelTrainingJobRequest,
    CreateDigitalAssetRequest,
    CreateDigitalAssetRequestBody,
    CreateFileRequest,
    CreateLargeFileRequest,
    DeleteAssetRequest,
    DeleteFileRequest,
    DigitalAssetInfo,
    DigitalAssetSummary,
    Execute2dModelTrainingCommandByUserReq,
    Execute2dModelTrainingCommandByUserRequest,
    FilesCreateReq,
    HumanModel2DAssetMeta,
    ImageAssetMeta,
    LargeFilesCreateReq,
    ListAssetsRequest,
    ListAssetSummaryRequest,
    ListAssetSummarysReq,
    ListDigitalHumanVideoRequest,
    OutputAssetConfig,
    OutputAssetInfo,
    RestoreAssetRequest,
    ReviewConfig,
    ShootScript,
    ShootScriptItem,
    Show2DDigitalHumanVideoRequest,
    Show2dModelTrainingJobRequest,
    ShowAssetRequest,
    SystemProperty,
    TextConfig,
    UpdateDigitalAssetRequest,
    UpdateDigitalAssetRequestBody,
    VideoAssetMeta,
    VideoConfig,
)

from afcheck import check, eq, is_hex32, is_time
from afsdk import WireLog, expect_client_error, make_client

APP_USER = "assets-py"
ALICE = "assets-py-alice"
BOB = "assets-py-bob"
POLL_INTERVAL = 0.1
POLL_TIMEOUT = 60.0
UNKNOWN_ID = "0" * 32

# What the scenario learns as it goes (the tests run in file order and build on each other).
state = {}


# -------------------------------------------------------------------------------------------------
# Helpers
# -------------------------------------------------------------------------------------------------

def raw(response):
    """The JSON the server sent."""
    return json.loads(response.raw_content.decode("utf-8")) if response.raw_content else {}


def sdk_view(value):
    """What the SDK hands its caller, as JSON: every attribute it set, under its wire name (headers left out)."""
    if isinstance(value, list):
        return [sdk_view(item) for item in value]
    if hasattr(value, "openapi_types"):
        view = {}
        for attribute in value.openapi_types:
            key = value.attribute_map[attribute]
            item = getattr(value, attribute)
            if item is not None and key != "X-Request-Id":
                view[key] = sdk_view(item)
        return view
    return value


def same_as_wire(response, what):
    """The SDK's object is exactly the JSON the server sent: no key dropped, added or changed."""
    eq(sdk_view(response), raw(response), f"{what}: the SDK object against the wire JSON")


def answered(response, wire, what):
    """A 200 with its own request id, the X-Request-Id header, and an object equal to the wire."""
    eq(response.status_code, 200, f"{what} status")
    is_hex32(response.x_request_id, f"{what} x_request_id")
    eq(response.x_request_id, wire.request_id, f"{what} x_request_id is the X-Request-Id header")
    same_as_wire(response, what)
    return response


def md5_base64(data):
    return base64.b64encode(hashlib.md5(data).digest()).decode("ascii")


def put(url, data, headers=None):
    answer = requests.put(url, data=data, headers=headers or {"Content-Type": "application/octet-stream"}, timeout=30)
    eq(answer.status_code, 200, f"PUT {url} answered {answer.status_code}: {answer.text}")
    eq(answer.headers.get("ETag"), '"%s"' % hashlib.md5(data).hexdigest(), "upload ETag is the quoted MD5")


def fetch(url):
    check(isinstance(url, str) and url.startswith("http://127.0.0.1:"), f"a URL of the server: {url!r}")
    answer = requests.get(url, timeout=30)
    eq(answer.status_code, 200, f"GET {url} answered {answer.status_code}")
    return answer.content


def emulator(server, method, path, body=None):
    """The emulator control API (admin token from conformance/server.sh): not an SDK call."""
    answer = requests.request(method, f"{server['base_url']}/v1/emulator{path}", json=body, timeout=30,
                              headers={"X-Auth-Token": os.environ["AF_ADMIN_TOKEN"]})
    eq(answer.status_code, 200, f"{method} /v1/emulator{path} answered {answer.status_code}: {answer.text}")
    return answer.json()


def show_asset(client, asset_id, app_user=APP_USER):
    return client.show_asset(ShowAssetRequest(asset_id=asset_id, x_app_user_id=app_user))


def update_asset(client, asset_id, body, app_user=APP_USER):
    return client.update_digital_asset(UpdateDigitalAssetRequest(asset_id=asset_id, x_app_user_id=app_user, body=body))


def delete_asset(client, asset_id, mode=None, app_user=APP_USER):
    return client.delete_asset(DeleteAssetRequest(asset_id=asset_id, mode=mode, x_app_user_id=app_user))


def restore_asset(client, asset_id, app_user=APP_USER):
    return client.restore_asset(RestoreAssetRequest(asset_id=asset_id, x_app_user_id=app_user))


def create_asset(client, body, app_user=APP_USER):
    return client.create_digital_asset(CreateDigitalAssetRequest(x_app_user_id=app_user, body=body))


def list_assets(client, app_user=APP_USER, **filters):
    return client.list_assets(ListAssetsRequest(x_app_user_id=app_user, **filters))


def summaries(client, asset_ids, app_user=APP_USER):
    return client.list_asset_summary(ListAssetSummaryRequest(
        x_app_user_id=app_user, body=ListAssetSummarysReq(asset_ids=asset_ids)))


def create_file(client, body, app_user=APP_USER):
    return client.create_file(CreateFileRequest(x_app_user_id=app_user, body=body))


def create_large_file(client, body, app_user=APP_USER):
    return client.create_large_file(CreateLargeFileRequest(x_app_user_id=app_user, body=body))


def confirm_file(client, file_id, file_state, app_user=APP_USER):
    return client.confirm_file_upload(ConfirmFileUploadRequest(
        file_id=file_id, x_app_user_id=app_user, body=ConfirmFileUploadRequestBody(state=file_state)))


def delete_file(client, file_id, app_user=APP_USER):
    return client.delete_file(DeleteFileRequest(file_id=file_id, x_app_user_id=app_user))


def asset_ids(listed):
    return [asset.asset_id for asset in listed.assets]


def show_job(client, job_id, app_user):
    return client.show2d_model_training_job(Show2dModelTrainingJobRequest(job_id=job_id, x_app_user_id=app_user))


def command(client, job_id, name, app_user):
    return client.execute2d_model_training_command_by_user(Execute2dModelTrainingCommandByUserRequest(
        job_id=job_id, x_app_user_id=app_user, body=Execute2dModelTrainingCommandByUserReq(command=name)))


def trained_model(server, client, name, app_user=APP_USER):
    """A training job taken through the emulated pipeline to JOB_SUCCESS: (job_id, asset_id)."""
    created = client.create2d_model_training_job(Create2dModelTrainingJobRequest(
        x_app_user_id=app_user, body=Create2dModelTrainingJobReq(name=name)))
    put(created.training_video_upload_url[0], b"a few bytes standing in for a video")
    put(created.id_card_image1_upload_url, b"id-card-front")
    put(created.id_card_image2_upload_url, b"id-card-back")
    put(created.grant_file_upload_url, b"grant-letter")
    eq(command(client, created.job_id, "CONFIRM_MULTIPART_UPLOADED", app_user).commond_result, "EXCUTE_SUCCESS",
       "CONFIRM_MULTIPART_UPLOADED")
    eq(command(client, created.job_id, "SUBMITVERIFYING", app_user).commond_result, "EXCUTE_SUCCESS", "SUBMITVERIFYING")
    emulator(server, "POST", f"/jobs/{created.job_id}/release")
    deadline = time.monotonic() + POLL_TIMEOUT
    shown = show_job(client, created.job_id, app_user)
    while shown.state != "JOB_SUCCESS" and not shown.state.endswith("FAILED") and time.monotonic() < deadline:
        time.sleep(POLL_INTERVAL)
        shown = show_job(client, created.job_id, app_user)
    eq(shown.state, "JOB_SUCCESS", f"training job {created.job_id} after its release")
    is_hex32(shown.asset_id, "the training job's asset_id")
    return created.job_id, shown.asset_id


def text_video(model_asset_id, asset_name):
    return Create2DDigitalHumanVideoReq(
        model_asset_id=model_asset_id,
        video_config=VideoConfig(codec="H264", width=1280, height=720),
        shoot_scripts=[ShootScriptItem(sequence_no=0, shoot_script=ShootScript(
            script_type="TEXT", text_config=TextConfig(text="Hello from the library.")))],
        output_asset_config=OutputAssetConfig(asset_name=asset_name),
    )


def show_video(client, job_id):
    return client.show2_d_digital_human_video(Show2DDigitalHumanVideoRequest(job_id=job_id, x_app_user_id=APP_USER))


def wait_for_video(client, job_id):
    deadline = time.monotonic() + POLL_TIMEOUT
    shown = show_video(client, job_id)
    while shown.state in ("WAITING", "PROCESSING") and time.monotonic() < deadline:
        time.sleep(POLL_INTERVAL)
        shown = show_video(client, job_id)
    eq(shown.state, "SUCCEED", f"video job {job_id} (error_info: {shown.error_info!r})")
    return shown


def image_file(asset_id, data, category="MAIN", file_name="studio.png"):
    return FilesCreateReq(file_name=file_name, file_md5=md5_base64(data), file_size=len(data), file_type="png",
                          asset_id=asset_id, asset_file_category=category)


def tone_wav(seconds=1, rate=8000):
    """A real WAV: mono 16-bit PCM at 8 kHz (128 kbit/s), a 440 Hz square wave."""
    buffer = io.BytesIO()
    with wave.open(buffer, "wb") as sound:
        sound.setnchannels(1)
        sound.setsampwidth(2)
        sound.setframerate(rate)
        sound.writeframes(b"".join((b"\x00\x20" if (i * 880 // rate) % 2 else b"\x00\xe0") for i in range(seconds * rate)))
    return buffer.getvalue()


def tiny_png(width=2, height=3):
    """A real PNG: an 8-bit RGB picture of one colour."""
    def chunk(kind, body):
        return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))
    rows = b"".join(b"\x00" + b"\x80\x40\x20" * width for _ in range(height))
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0))
            + chunk(b"IDAT", zlib.compress(rows)) + chunk(b"IEND", b""))


# -------------------------------------------------------------------------------------------------
# The assets the product makes
# -------------------------------------------------------------------------------------------------

def test_a_trained_model_is_a_human_model_2d_asset(server, client, wire):
    job_id, asset_id = trained_model(server, client, "asset presenter")
    state["model"] = asset_id
    shown = answered(show_asset(client, asset_id), wire, "ShowAsset of the model")
    eq(shown.asset_id, asset_id, "asset_id is the training job's asset_id")
    eq(shown.project_id, server["project_id"], "project_id")
    eq(shown.asset_name, "asset presenter", "asset_name is the job's name")
    eq(shown.app_user_id, APP_USER, "app_user_id is the job's")
    eq(shown.asset_type, "HUMAN_MODEL_2D", "asset_type")
    eq(shown.asset_state, "ACTIVED", "asset_state")
    eq(shown.supported_service, ["VIDEO_2D", "LIVE_2D"], "supported_service (the training job's default)")
    eq(shown.asset_order, 0, "asset_order")
    is_time(shown.create_time, "create_time")
    is_time(shown.update_time, "update_time")
    extra = shown.asset_extra_meta
    check(isinstance(extra, AssetExtraMeta), f"asset_extra_meta is AssetExtraMeta: {extra!r}")
    meta = extra.human_model_2d_meta
    check(isinstance(meta, HumanModel2DAssetMeta), f"human_model_2d_meta is HumanModel2DAssetMeta: {meta!r}")
    eq(meta.model_resolution, "1080P", "model_resolution (the job's default)")
    for field, expected in (("is_flexus", False), ("is_live_copy", False), ("is_action_editable", False),
                            ("is_real_background", False), ("support_live", False), ("is_with_action_library", False)):
        eq(getattr(meta, field), expected, f"human_model_2d_meta.{field}")
    eq(meta.model_version, None, "model_version is not set")
    eq(shown.files, [], "a forced compile makes no model file")
    eq(show_job(client, job_id, APP_USER).asset_id, asset_id, "the job keeps its asset_id")


def test_a_video_jobs_asset_while_it_waits_and_after_it_succeeds(server, client, wire):
    settings = emulator(server, "GET", "/settings")
    held = json.loads(json.dumps(settings))
    held["stages"]["video_render"]["progress"] = {"mode": "hold"}
    emulator(server, "PUT", "/settings", held)
    try:
        created = client.create2_d_digital_human_video(Create2DDigitalHumanVideoRequest(
            x_app_user_id=APP_USER, body=text_video(state["model"], "library video")))
        job_id = created.job_id
        waiting = answered(show_video(client, job_id), wire, "Show2DDigitalHumanVideo while WAITING")
        eq(waiting.state, "WAITING", "the render is held")
        output = waiting.output_asset_config
        check(isinstance(output, OutputAssetInfo), f"output_asset_config is OutputAssetInfo: {output!r}")
        is_hex32(output.asset_id, "output_asset_config.asset_id while WAITING")
        eq(output.asset_name, "library video", "output_asset_config.asset_name while WAITING")
        eq(output.preview_video_url, None, "no preview_video_url yet")
        video_asset = output.asset_id
        listed = client.list_digital_human_video(ListDigitalHumanVideoRequest(x_app_user_id=APP_USER, job_id=job_id))
        same_as_wire(listed, "ListDigitalHumanVideo while WAITING")
        eq(sdk_view(listed.jobs[0].output_asset_config), sdk_view(output), "List's output_asset_config is Show's")

        creating = answered(show_asset(client, video_asset), wire, "ShowAsset of a waiting video")
        eq((creating.asset_type, creating.asset_state, creating.asset_name, creating.files),
           ("VIDEO", "CREATING", "library video", []), "a waiting video's asset")
        expect_client_error(lambda: delete_asset(client, video_asset), 400, "MSS.20060001", wire)
        emulator(server, "POST", f"/jobs/{job_id}/release")
    finally:
        emulator(server, "PUT", "/settings", settings)

    done = wait_for_video(client, job_id)
    same_as_wire(done, "Show2DDigitalHumanVideo after SUCCEED")
    eq(done.output_asset_config.asset_id, video_asset, "the asset id does not change")
    eq(done.output_asset_config.asset_name, "library video", "asset_name")
    video = answered(show_asset(client, video_asset), wire, "ShowAsset of a finished video")
    eq(video.asset_type, "VIDEO", "asset_type")
    eq(video.asset_state, "ACTIVED", "asset_state")
    eq(video.app_user_id, APP_USER, "app_user_id is the video job's")
    check(all(isinstance(item, SystemProperty) for item in video.system_properties), "system_properties are SystemProperty")
    eq([(item.key, item.value) for item in video.system_properties],
       [("CREATED_BY_PLATFORM", "Yes"), ("DIGITAL_HUMAN_2D_VIDEO", "Yes")], "system_properties")
    meta = video.asset_extra_meta.video_meta
    check(isinstance(meta, VideoAssetMeta), f"video_meta is VideoAssetMeta: {meta!r}")
    eq((meta.video_codec, meta.width, meta.height, meta.frame_rate, meta.mode), ("H264", 1280, 720, "25", "Horizontal"),
       "video_meta")
    check(type(meta.duration) is int and meta.duration >= 1, f"video_meta.duration is whole seconds: {meta.duration!r}")
    check(all(isinstance(item, AssetFileInfo) for item in video.files), "files are AssetFileInfo")
    eq([(item.asset_file_category, item.file_type, item.state) for item in video.files],
       [("MAIN", "mp4", "CREATED"), ("COVER", "jpg", "CREATED")], "files")
    mp4 = fetch(video.files[0].download_url)
    eq(len(mp4), video.files[0].file_size, "the MP4 is file_size bytes")
    eq(base64.b64encode(hashlib.md5(mp4).digest()).decode(), video.files[0].file_md5, "file_md5 is the Base64 MD5")
    eq(fetch(video.files[1].download_url)[:3], b"\xff\xd8\xff", "the cover is a JPEG")
    state["video"] = video_asset


# -------------------------------------------------------------------------------------------------
# The tenant's own assets
# -------------------------------------------------------------------------------------------------

def test_create_show_and_update_an_own_asset(client, wire):
    created = answered(create_asset(client, CreateDigitalAssetRequestBody(
        asset_name="py studio background",
        asset_description="blue wall",
        asset_type="IMAGE",
        review_config=ReviewConfig(no_need_review=True),
        tags=["studio", "blue"],
        system_properties=[SystemProperty(key="BACKGROUND_IMG", value="Yes")],
        shared_config=AssetSharedConfig(shared_type="PRIVATE"),
        is_need_generate_cover=False,
        asset_order=7,
        supported_service=["VIDEO_2D"],
    )), wire, "CreateDigitalAsset")
    is_hex32(created.asset_id, "asset_id")
    asset_id = state["image"] = created.asset_id

    shown = answered(show_asset(client, asset_id), wire, "ShowAsset")
    eq((shown.asset_id, shown.asset_name, shown.asset_description, shown.asset_type, shown.asset_state),
       (asset_id, "py studio background", "blue wall", "IMAGE", "CREATING"), "the stored asset")
    eq(shown.app_user_id, APP_USER, "app_user_id is the X-App-UserId")
    eq(shown.tags, ["studio", "blue"], "tags")
    eq(shown.asset_order, 7, "asset_order")
    eq(shown.supported_service, ["VIDEO_2D"], "supported_service")
    eq([(item.key, item.value) for item in shown.system_properties], [("BACKGROUND_IMG", "Yes")], "system_properties")
    eq(shown.files, [], "no files yet")

    updated = answered(update_asset(client, asset_id, UpdateDigitalAssetRequestBody(
        asset_name="py studio backdrop",
        tags=["studio"],
        asset_order=3,
        supported_service=["VIDEO_2D", "LIVE_2D"],
        system_properties=[SystemProperty(action="DELETE", key="BACKGROUND_IMG"),
                           SystemProperty(action="ADD", key="MATERIAL_IMG", value="Yes")],
    )), wire, "UpdateDigitalAsset")
    eq((updated.asset_name, updated.asset_description, updated.tags, updated.asset_order, updated.supported_service),
       ("py studio backdrop", "blue wall", ["studio"], 3, ["VIDEO_2D", "LIVE_2D"]), "the updated fields, the rest kept")
    eq([(item.key, item.value) for item in updated.system_properties], [("MATERIAL_IMG", "Yes")], "system_properties changed")
    eq(sdk_view(answered(show_asset(client, asset_id), wire, "ShowAsset after Update")), sdk_view(updated),
       "Update answers the asset as Show does")

    expect_client_error(lambda: update_asset(client, asset_id, UpdateDigitalAssetRequestBody(asset_state="ACTIVED")),
                        400, "MSS.20060001", wire)
    expect_client_error(lambda: update_asset(client, asset_id, UpdateDigitalAssetRequestBody(asset_state="WAITING_DELETE")),
                        400, "MSS.00000003", wire)
    expect_client_error(lambda: update_asset(client, asset_id, UpdateDigitalAssetRequestBody(asset_type="VIDEO")),
                        400, "MSS.00000003", wire)
    expect_client_error(lambda: create_asset(client, CreateDigitalAssetRequestBody(asset_name="py studio backdrop",
                                                                                   asset_type="VIDEO")),
                        400, "MSS.10001005", wire)
    expect_client_error(lambda: update_asset(client, state["model"], UpdateDigitalAssetRequestBody(asset_name="py studio backdrop")),
                        400, "MSS.10001005", wire)
    expect_client_error(lambda: create_asset(client, CreateDigitalAssetRequestBody(asset_name="a model", asset_type="HUMAN_MODEL_2D")),
                        400, "MSS.00000003", wire)
    expect_client_error(lambda: create_asset(client, CreateDigitalAssetRequestBody(asset_name="", asset_type="IMAGE")),
                        400, "MSS.10000003", wire)
    expect_client_error(lambda: create_asset(client, CreateDigitalAssetRequestBody(
        asset_name="platform", asset_type="IMAGE", system_properties=[SystemProperty(key="CREATED_BY_PLATFORM", value="Yes")])),
        400, "MSS.00000003", wire)
    eq(show_asset(client, asset_id).asset_name, "py studio backdrop", "the refused calls changed nothing")


def test_a_model_is_deactivated_and_activated(client, wire):
    model = state["model"]
    unactive = answered(update_asset(client, model, UpdateDigitalAssetRequestBody(asset_state="UNACTIVED")), wire,
                        "UpdateDigitalAsset UNACTIVED")
    eq(unactive.asset_state, "UNACTIVED", "asset_state")
    expect_client_error(lambda: client.create2_d_digital_human_video(Create2DDigitalHumanVideoRequest(
        x_app_user_id=APP_USER, body=text_video(model, "refused"))), 400, "MSS.20040011", wire)
    eq(update_asset(client, model, UpdateDigitalAssetRequestBody(asset_state="ACTIVED")).asset_state, "ACTIVED",
       "activated again")


def test_the_file_calls_upload_a_main_file_and_a_cover(client, wire):
    asset_id = state["image"]
    data = b"\x89PNG pretend image bytes"
    created = answered(create_file(client, image_file(asset_id, data)), wire, "CreateFile")
    is_hex32(created.file_id, "file_id")
    check(created.upload_url.startswith("http://127.0.0.1:"), f"upload_url: {created.upload_url!r}")
    expect_client_error(lambda: create_file(client, image_file(asset_id, data)), 400, "MSS.10001008", wire)
    expect_client_error(lambda: confirm_file(client, created.file_id, "CREATED"), 400, "MSS.00000003", wire)

    put(created.upload_url, data, headers={"Content-MD5": md5_base64(data), "Content-Type": "image/png"})
    pending = show_asset(client, asset_id)
    eq((pending.asset_state, pending.files[0].state, pending.files[0].download_url), ("CREATING", "CREATING", None),
       "uploaded, not yet confirmed")
    answered(confirm_file(client, created.file_id, "CREATED"), wire, "ConfirmFileUpload")
    active = answered(show_asset(client, asset_id), wire, "ShowAsset after ConfirmFileUpload")
    eq(active.asset_state, "ACTIVED", "a confirmed MAIN file activates the asset")
    main = active.files[0]
    check(isinstance(main, AssetFileInfo), f"files[0] is AssetFileInfo: {main!r}")
    eq((main.file_id, main.file_name, main.file_md5, main.file_size, main.file_type, main.asset_file_category, main.state),
       (created.file_id, "studio.png", md5_base64(data), len(data), "png", "MAIN", "CREATED"), "the MAIN file")
    eq(fetch(main.download_url), data, "download_url answers the bytes")
    expect_client_error(lambda: confirm_file(client, created.file_id, "CREATED"), 400, "MSS.20060001", wire)

    cover = create_file(client, image_file(asset_id, data, category="COVER", file_name="cover.png"))
    put(cover.upload_url, data)
    confirm_file(client, cover.file_id, "CREATED")
    state["image_cover"] = data

    answered(delete_file(client, created.file_id), wire, "DeleteFile")
    eq(show_asset(client, asset_id).asset_state, "CREATING", "without its MAIN file the asset is CREATING again")
    expect_client_error(lambda: delete_file(client, created.file_id), 404, "MSS.10001004", wire)
    second = create_file(client, image_file(asset_id, data))
    put(second.upload_url, b"other bytes")
    mismatch = expect_client_error(lambda: confirm_file(client, second.file_id, "CREATED"), 400, "MSS.00000003", wire)
    check("file_size" in mismatch.error_msg, f"the message names the difference: {mismatch.error_msg!r}")
    answered(confirm_file(client, second.file_id, "FAILED"), wire, "ConfirmFileUpload FAILED")
    failed = show_asset(client, asset_id)
    eq(failed.asset_state, "FAILED", "a MAIN file that failed fails its asset")
    third = create_file(client, image_file(asset_id, data))
    put(third.upload_url, data)
    confirm_file(client, third.file_id, "CREATED")
    eq(show_asset(client, asset_id).asset_state, "ACTIVED", "a new MAIN file: ACTIVED again")

    expect_client_error(lambda: create_file(client, image_file(state["model"], data)), 400, "MSS.00000003", wire)
    expect_client_error(lambda: create_file(client, image_file(UNKNOWN_ID, data)), 404, "MSS.10001001", wire)
    expect_client_error(lambda: create_file(client, FilesCreateReq(
        file_name="x.png", file_md5=md5_base64(data), file_size=0, file_type="png", asset_id=asset_id,
        asset_file_category="MAIN")), 400, "MSS.10000003", wire)
    expect_client_error(lambda: confirm_file(client, UNKNOWN_ID, "CREATED"), 404, "MSS.10001004", wire)
    expect_client_error(lambda: confirm_file(client, third.file_id, "DONE"), 400, "MSS.10000003", wire)
    expect_client_error(lambda: delete_file(client, UNKNOWN_ID), 404, "MSS.10001004", wire)


def test_a_large_file_in_two_parts_is_joined_and_media_meta_is_read(client, wire):
    asset_id = create_asset(client, CreateDigitalAssetRequestBody(asset_name="py large tone", asset_type="AUDIO")).asset_id
    data = tone_wav()
    parts = [data[:len(data) // 2], data[len(data) // 2:]]

    def large(**changes):
        fields = dict(file_name="tone.wav", file_size=len(data), file_type="wav", asset_id=asset_id,
                      asset_file_category="MAIN", file_multipart_count=2)
        fields.update(changes)
        return LargeFilesCreateReq(**fields)

    expect_client_error(lambda: create_large_file(client, large(asset_id=UNKNOWN_ID)), 404, "MSS.10001001", wire)
    expect_client_error(lambda: create_large_file(client, large(), app_user=BOB), 404, "MSS.10001001", wire)
    expect_client_error(lambda: create_large_file(client, large(file_multipart_count=0)), 400, "MSS.10000003", wire)
    expect_client_error(lambda: create_large_file(client, large(asset_file_category="COVER")), 400, "MSS.00000003", wire)
    expect_client_error(lambda: create_large_file(client, large(file_type="png")), 400, "MSS.00000003", wire)
    created = answered(create_large_file(client, large()), wire, "CreateLargeFile")
    is_hex32(created.file_id, "file_id")
    eq(len(created.upload_urls), 2, "one upload URL per part")
    check(all(url.startswith("http://127.0.0.1:") for url in created.upload_urls), f"upload_urls: {created.upload_urls!r}")
    put(created.upload_urls[0], parts[0])
    pending = answered(show_asset(client, asset_id), wire, "ShowAsset of a large file in parts")
    eq((pending.files[0].state, pending.files[0].file_size, pending.files[0].file_md5), ("CREATING", len(data), None),
       "CREATING, without file_md5 before the confirm")
    missing = expect_client_error(lambda: confirm_file(client, created.file_id, "CREATED"), 400, "MSS.00000003", wire)
    check("parts 2 of 2" in missing.error_msg, f"the message names the missing part: {missing.error_msg!r}")
    eq(show_asset(client, asset_id).asset_state, "CREATING", "the refused confirm changed nothing")

    put(created.upload_urls[1], parts[1])
    answered(confirm_file(client, created.file_id, "CREATED"), wire, "ConfirmFileUpload of a large file")
    shown = answered(show_asset(client, asset_id), wire, "ShowAsset with a joined large file and its audio_meta")
    eq(shown.asset_state, "ACTIVED", "the joined MAIN file activates the asset")
    main = shown.files[0]
    eq((main.file_id, main.file_name, main.file_size, main.file_md5, main.file_type, main.asset_file_category, main.state),
       (created.file_id, "tone.wav", len(data), md5_base64(data), "wav", "MAIN", "CREATED"), "the joined file")
    eq(fetch(main.download_url), data, "download_url answers the parts joined in order")
    meta = shown.asset_extra_meta.audio_meta
    check(isinstance(meta, AudioAssetMeta), f"audio_meta is AudioAssetMeta: {meta!r}")
    eq(sdk_view(meta), {"duration": 1, "audio_codec": "PCM_S16LE", "audio_bit_rate": 128, "audio_channels": 1,
                        "sample": 8000}, "audio_meta read from the WAV")
    eq(shown.asset_extra_meta.image_meta, None, "an AUDIO asset has no image_meta")

    expect_client_error(lambda: create_large_file(client, large()), 400, "MSS.10001008", wire)

    picture = tiny_png()
    image_id = create_asset(client, CreateDigitalAssetRequestBody(asset_name="py tiny picture", asset_type="IMAGE")).asset_id
    upload = create_file(client, image_file(image_id, picture, file_name="tiny.png"))
    put(upload.upload_url, picture)
    confirm_file(client, upload.file_id, "CREATED")
    shown = answered(show_asset(client, image_id), wire, "ShowAsset with its image_meta")
    meta = shown.asset_extra_meta.image_meta
    check(isinstance(meta, ImageAssetMeta), f"image_meta is ImageAssetMeta: {meta!r}")
    eq(sdk_view(meta), {"codec": "PNG", "width": 2, "height": 3, "size": len(picture), "mode": "Vertical"},
       "image_meta read from the PNG")


def test_list_filters_paging_and_sorting(client, wire):
    prefix = "pylist-" + uuid.uuid4().hex[:6]
    ids = []
    for index, asset_type in enumerate(("AUDIO", "MUSIC", "AUDIO", "PPT")):
        created = create_asset(client, CreateDigitalAssetRequestBody(
            asset_name=f"{prefix}-{index}", asset_type=asset_type,
            tags=["even", f"n{index}"] if index % 2 == 0 else ["odd"],
            asset_order=10 - index % 2,
            system_properties=[SystemProperty(key="BACKGROUND_SCENE", value="Horizontal")] if index == 0 else None))
        ids.append(created.asset_id)
        time.sleep(1.05)  # one creation second each: the time filters and the default order tell them apart

    def mine(**filters):
        filters.setdefault("limit", 100)
        return list_assets(client, name=prefix, **filters)

    everything = answered(mine(), wire, "ListAssets")
    eq(everything.count, 4, "count")
    eq(asset_ids(everything), ids, "ascending by create_time by default")
    check(all(isinstance(item, DigitalAssetInfo) for item in everything.assets), "assets are DigitalAssetInfo")
    first = everything.assets[0]
    eq(sdk_view(first), sdk_view(show_asset(client, ids[0])), "a listed asset is the asset Show answers")

    eq(asset_ids(mine(sort_dir="desc")), ids[::-1], "sort_dir=desc")
    page = mine(limit=2, offset=1)
    eq((page.count, asset_ids(page)), (4, ids[1:3]), "limit=2 offset=1: count is every match")
    eq(asset_ids(mine(limit=2, offset=4)), [], "past the last page")
    eq(asset_ids(mine(asset_type="MUSIC,PPT")), [ids[1], ids[3]], "asset_type, comma-separated")
    eq(asset_ids(mine(tag="n0,n2")), [ids[0], ids[2]], "tags: any of them")
    eq(asset_ids(mine(tag="even,n2", tag_combination_type="INTERSECTION")), [ids[2]], "tag_combination_type=INTERSECTION")
    eq(mine(tag="ev").count, 2, "tags match as substrings")
    eq(mine(tag="ev", accurate_query_field=["tag"]).count, 0, "accurate_query_field=tag matches whole tags")
    eq(asset_ids(list_assets(client, name=f"{prefix}-3", accurate_query_field=["name"])), [ids[3]], "accurate name")
    eq(list_assets(client, name=f"{prefix}-", accurate_query_field=["name"]).count, 0, "accurate name, not a prefix")
    eq(asset_ids(mine(asset_id=[ids[2], ids[0]])), [ids[0], ids[2]], "asset_id (the Python SDK joins them with commas)")
    eq(asset_ids(mine(sort_key="asset_order")), [ids[3], ids[1], ids[2], ids[0]], "asset_order ascending, equal ones newest first")
    eq(asset_ids(mine(sort_key="update_time", sort_dir="desc")), ids[::-1], "sort_key=update_time")
    created_at = show_asset(client, ids[2]).create_time
    eq(asset_ids(mine(start_time=created_at, end_time=created_at)), [ids[2]], "start_time and end_time are inclusive")
    eq(mine(asset_state="CREATING").count, 4, "asset_state")
    eq(mine(asset_state="ACTIVED,DELETING").count, 0, "asset_state, comma-separated")
    eq(mine(asset_source="SYSTEM").count, 0, "avatarforge ships no system assets")
    eq(mine(asset_source="ALL").count, 4, "asset_source=ALL")
    eq(asset_ids(mine(system_property="BACKGROUND_SCENE:Horizontal")), [ids[0]], "system_property")
    eq(mine(is_movable=True).count, 0, "is_movable=true: no avatarforge model walks")
    eq(mine(is_movable=False).count, 4, "is_movable=false filters nothing")
    models = list_assets(client, asset_type="HUMAN_MODEL_2D", supported_service="VIDEO_2D", limit=100)
    same_as_wire(models, "ListAssets of models")
    check(state["model"] in asset_ids(models), "the trained model is listed as a HUMAN_MODEL_2D for VIDEO_2D")
    made = list_assets(client, system_property="CREATED_BY_PLATFORM:Yes", limit=100)
    eq(asset_ids(made), [state["video"]], "the videos the product made")
    defaults = list_assets(client)
    eq(len(defaults.assets), min(10, defaults.count), "default page size 10")

    for filters in ({"limit": 0}, {"limit": 101}, {"offset": -1}, {"sort_key": "name"}, {"sort_dir": "up"},
                    {"asset_state": "SLEEPING"}, {"asset_type": "IMAGE,WEIRD"}, {"start_time": "yesterday"},
                    {"tag_combination_type": "BOTH"}, {"asset_source": "MINE"}):
        expect_client_error(lambda: list_assets(client, **filters), 400, "MSS.00000003", wire)
    state["listed"] = ids


def test_list_asset_summary(client, wire):
    listed = answered(summaries(client, [state["image"], state["video"], UNKNOWN_ID, state["model"]]), wire,
                      "ListAssetSummary")
    check(all(isinstance(item, DigitalAssetSummary) for item in listed.asset_list), "asset_list items are DigitalAssetSummary")
    eq([(item.asset_id, item.asset_type, item.asset_state) for item in listed.asset_list],
       [(state["image"], "IMAGE", "ACTIVED"), (state["video"], "VIDEO", "ACTIVED"), (state["model"], "HUMAN_MODEL_2D", "ACTIVED")],
       "in the order asked, the unknown id left out")
    eq(listed.asset_list[0].asset_name, "py studio backdrop", "asset_name")
    eq(fetch(listed.asset_list[0].cover_url), state["image_cover"], "cover_url is the COVER file")
    eq(listed.asset_list[0].thumbnail_url, listed.asset_list[0].cover_url, "thumbnail_url")
    eq(fetch(listed.asset_list[1].cover_url)[:3], b"\xff\xd8\xff", "a video's cover_url is its JPEG")
    eq(listed.asset_list[2].cover_url, None, "a model without a cover has no cover_url")
    expect_client_error(lambda: summaries(client, []), 400, "MSS.10000003", wire)
    expect_client_error(lambda: summaries(client, [uuid.uuid4().hex for _ in range(101)]), 400, "MSS.10000003", wire)


def test_delete_to_the_recycle_bin_restore_and_delete_for_good(client, wire):
    asset_id = state["listed"][0]
    answered(delete_asset(client, asset_id), wire, "DeleteAsset")
    eq(show_asset(client, asset_id).asset_state, "DELETING", "in the recycle bin")
    eq(asset_ids(list_assets(client, asset_state="DELETING", asset_id=[asset_id])), [asset_id], "the bin is asset_state=DELETING")
    answered(delete_asset(client, asset_id), wire, "DeleteAsset of a binned asset")
    expect_client_error(lambda: update_asset(client, asset_id, UpdateDigitalAssetRequestBody(asset_name="renamed")),
                        400, "MSS.20060001", wire)
    answered(restore_asset(client, asset_id), wire, "RestoreAsset")
    eq(show_asset(client, asset_id).asset_state, "CREATING", "back to the state it was deleted in")
    expect_client_error(lambda: restore_asset(client, asset_id), 400, "MSS.20060001", wire)
    expect_client_error(lambda: delete_asset(client, asset_id, mode="soft"), 400, "MSS.00000003", wire)

    answered(delete_asset(client, asset_id, mode="force"), wire, "DeleteAsset mode=force")
    expect_client_error(lambda: show_asset(client, asset_id), 404, "MSS.10001001", wire)
    expect_client_error(lambda: restore_asset(client, asset_id), 404, "MSS.10001001", wire)
    expect_client_error(lambda: delete_asset(client, asset_id), 404, "MSS.10001001", wire)
    expect_client_error(lambda: update_asset(client, asset_id, UpdateDigitalAssetRequestBody(tags=["x"])),
                        404, "MSS.10001001", wire)
    eq(list_assets(client, asset_id=[asset_id], asset_state="DELETED").count, 0, "gone for List, even asset_state=DELETED")
    eq(summaries(client, [asset_id]).asset_list, [], "gone for ListAssetSummary")
    expect_client_error(lambda: show_asset(client, UNKNOWN_ID), 404, "MSS.10001001", wire)
    expect_client_error(lambda: show_asset(client, "x" * 65), 400, "MSS.00000003", wire)


def test_projects_and_app_users_see_only_their_own(server, client, wire):
    alice = create_asset(client, CreateDigitalAssetRequestBody(asset_name="alice image", asset_type="IMAGE"), app_user=ALICE)
    asset_id = alice.asset_id
    eq(show_asset(client, asset_id, app_user=ALICE).app_user_id, ALICE, "alice sees her asset")
    eq(show_asset(client, asset_id, app_user=None).asset_id, asset_id, "without X-App-UserId the whole project is seen")
    for call in (lambda: show_asset(client, asset_id, app_user=BOB),
                 lambda: update_asset(client, asset_id, UpdateDigitalAssetRequestBody(tags=["x"]), app_user=BOB),
                 lambda: delete_asset(client, asset_id, app_user=BOB),
                 lambda: restore_asset(client, asset_id, app_user=BOB),
                 lambda: show_asset(client, state["model"], app_user=BOB)):
        expect_client_error(call, 404, "MSS.10001001", wire)
    eq(list_assets(client, app_user=BOB, limit=100).count, 0, "bob lists nothing")
    eq(asset_ids(list_assets(client, app_user=ALICE, limit=100)), [asset_id], "alice lists her asset")
    eq(asset_ids(list_assets(client, app_user=None, app_user_id=ALICE, limit=100)), [asset_id], "app_user_id filter")
    eq(summaries(client, [asset_id], app_user=BOB).asset_list, [], "bob gets no summary of it")
    data = b"alice's picture"
    upload = create_file(client, image_file(asset_id, data), app_user=ALICE)
    expect_client_error(lambda: create_file(client, image_file(asset_id, data), app_user=BOB), 404, "MSS.10001001", wire)
    expect_client_error(lambda: confirm_file(client, upload.file_id, "CREATED", app_user=BOB), 404, "MSS.10001004", wire)
    expect_client_error(lambda: delete_file(client, upload.file_id, app_user=BOB), 404, "MSS.10001004", wire)
    eq(create_asset(client, CreateDigitalAssetRequestBody(asset_name="alice image", asset_type="IMAGE"),
                    app_user=BOB).status_code, 200, "the same name is free for another app user")

    other_wire = WireLog()
    other = make_client({**server, "ak": os.environ["AF_OTHER_ACCESS_KEY"], "sk": os.environ["AF_OTHER_SECRET_KEY"],
                         "project_id": os.environ["AF_OTHER_PROJECT_ID"]}, wire=other_wire)
    for call in (lambda: show_asset(other, asset_id, app_user=None),
                 lambda: delete_asset(other, state["model"], app_user=None),
                 lambda: restore_asset(other, asset_id, app_user=None)):
        expect_client_error(call, 404, "MSS.10001001", other_wire)
    expect_client_error(lambda: confirm_file(other, upload.file_id, "CREATED", app_user=None), 404, "MSS.10001004", other_wire)
    eq(list_assets(other, app_user=None, limit=100).count, 0, "another project lists nothing")
    eq(summaries(other, [asset_id, state["model"]], app_user=None).asset_list, [], "another project gets no summaries")
    eq(show_asset(client, asset_id, app_user=ALICE).asset_state, "CREATING", "the refused calls changed nothing")
