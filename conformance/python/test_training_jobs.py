# coding: utf-8
"""
The official Python SDK (huaweicloudsdkmetastudio 3.1.211) against avatarforge, unchanged.

First the reference page's Show2dModelTrainingJob sample, then one scenario through every
training-job operation with the SDK's own request and model classes: Create (every body field),
the upload URLs, the multipart commands, List (filters, paging, sorting), Show, SUBMITVERIFYING,
Update after a failed review, Delete, and the SDK exceptions for a deleted job, a bad body and a
wrong secret.

Every assertion is about what the SDK hands its caller. A wire difference the SDK reveals (a
dropped field, a coerced type, an exception without a request id) is a server bug: this suite does
not work around it.
"""

import hashlib
import json
import os
import sqlite3

import requests

from huaweicloudsdkcore.auth.credentials import BasicCredentials
from huaweicloudsdkcore.exceptions import exceptions
from huaweicloudsdkmetastudio.v1.region.metastudio_region import MetaStudioRegion  # noqa: F401 (as in the sample)
from huaweicloudsdkmetastudio.v1 import *  # noqa: F401,F403 (as in the sample)
from huaweicloudsdkmetastudio.v1 import (
    Create2dModelTrainingJobReq,
    Create2dModelTrainingJobRequest,
    Delete2dModelTrainingJobRequest,
    Execute2dModelTrainingCommandByUserReq,
    Execute2dModelTrainingCommandByUserRequest,
    List2dModelTrainingJobRequest,
    MetaStudioClient,
    MultipartUploadInfo,
    OperationLogInfo,
    Show2dModelTrainingJobRequest,
    SupportedServiceEnum,
    TrainingJobBasicInfo,
    Update2dModelTrainingJobReq,
    Update2dModelTrainingJobRequest,
    VoiceProperties,
)

from afcheck import check, eq, is_hex32, is_time
from afsdk import WireLog, expect_client_error, make_client

APP_USER = "shop-001"
OTHER_APP_USER = "shop-002"

# What the scenario learns as it goes (the tests run in file order and build on each other).
state = {}


# -------------------------------------------------------------------------------------------------
# Helpers
# -------------------------------------------------------------------------------------------------

def raw(response):
    """The JSON the server sent, to name the wire value when the SDK's view of it is wrong."""
    return json.loads(response.raw_content.decode("utf-8")) if response.raw_content else {}


def put(url, data):
    answer = requests.put(url, data=data, headers={"Content-Type": "application/octet-stream"}, timeout=30)
    eq(answer.status_code, 200, f"PUT {url} answered {answer.status_code}: {answer.text}")
    etag = answer.headers.get("ETag")
    eq(etag, '"%s"' % hashlib.md5(data).hexdigest(), "upload ETag is the quoted MD5")
    return etag


def show(client, job_id, app_user=APP_USER):
    return client.show2d_model_training_job(Show2dModelTrainingJobRequest(job_id=job_id, x_app_user_id=app_user))


def command(client, job_id, name):
    request = Execute2dModelTrainingCommandByUserRequest(
        job_id=job_id, x_app_user_id=APP_USER,
        body=Execute2dModelTrainingCommandByUserReq(command=name))
    return client.execute2d_model_training_command_by_user(request)


def list_jobs(client, app_user=APP_USER, **filters):
    return client.list2d_model_training_job(List2dModelTrainingJobRequest(x_app_user_id=app_user, **filters))


def log_types(shown):
    check(isinstance(shown.operation_logs, list), "operation_logs is a list")
    for entry in shown.operation_logs:
        check(isinstance(entry, OperationLogInfo), "operation_logs entries are OperationLogInfo")
        is_time(entry.operate_time, "operation_logs[].operate_time")
    return [entry.log_type for entry in shown.operation_logs]


# -------------------------------------------------------------------------------------------------
# The reference page's Python sample (Show2dModelTrainingJob)
# -------------------------------------------------------------------------------------------------

def test_reference_show_sample(server, client):
    created = client.create2d_model_training_job(Create2dModelTrainingJobRequest(
        body=Create2dModelTrainingJobReq(name="sample_anchor")))
    job_id = created.job_id
    is_hex32(job_id, "job_id")

    # The sample as the API reference shows it; only the endpoint replaces the region.
    ak = os.environ["CLOUD_SDK_AK"]
    sk = os.environ["CLOUD_SDK_SK"]
    projectId = server["project_id"]

    credentials = BasicCredentials(ak, sk, projectId)

    client = MetaStudioClient.new_builder() \
        .with_credentials(credentials) \
        .with_endpoints([server["base_url"]]) \
        .build()

    try:
        request = Show2dModelTrainingJobRequest()
        request.job_id = job_id
        response = client.show2d_model_training_job(request)
        print(response)
    except exceptions.ClientRequestException as e:
        print(e.status_code)
        print(e.request_id)
        print(e.error_code)
        print(e.error_msg)
        raise

    eq(response.status_code, 200, "status")
    eq(response.job_id, job_id, "job_id")
    eq(response.name, "sample_anchor", "name")
    eq(response.state, "WAIT_FILE_UPLOAD", "state")
    eq(response.project_id, server["project_id"], "project_id")
    is_hex32(response.x_request_id, "x_request_id")
    check("sample_anchor" in str(response), "print(response) shows the job")


# -------------------------------------------------------------------------------------------------
# The scenario
# -------------------------------------------------------------------------------------------------

def test_create_with_every_body_field(client, wire):
    body = Create2dModelTrainingJobReq(
        name="anchor_py",
        contact="13800000000",
        command_message="UPLOAD_VIDEO",
        video_multipart_count=2,
        action_video_multipart_count=2,
        is_background_replacement=False,
        batch_name="py-batch",
        tags=["ecommerce", "spring"],
        model_version="V3.3",
        is_ondemand_resource=True,
        is_flexus=True,
        is_fast_flexus=True,
        is_live_copy=True,
        is_only_human_model=True,
        audio_source_type="AUDIO",
        voice_properties=VoiceProperties(job_tag="NEWS", sex="FEMALE", language="CN"),
        supported_service=[SupportedServiceEnum.VIDEO_2D],
    )
    created = client.create2d_model_training_job(Create2dModelTrainingJobRequest(x_app_user_id=APP_USER, body=body))
    eq(created.status_code, 200, "status")
    is_hex32(created.job_id, "job_id")
    is_hex32(created.x_request_id, "x_request_id")
    eq(created.x_request_id, wire.request_id, "x_request_id is the X-Request-Id header")

    eq(len(created.training_video_upload_url), 2, "one training-video URL per part")
    eq(len(created.action_video_upload_url), 2, "one action-video URL per part")
    urls = list(created.training_video_upload_url) + list(created.action_video_upload_url)
    for field in ("audio_upload_url", "cover_upload_url", "id_card_image1_upload_url",
                  "id_card_image2_upload_url", "grant_file_upload_url"):
        value = getattr(created, field)
        check(isinstance(value, str) and value.startswith("http://127.0.0.1:"), f"{field}: {value!r}")
        urls.append(value)
    for url in urls:
        check(isinstance(url, str) and url.startswith("http://127.0.0.1:"), f"upload URL {url!r}")
    eq(len(set(urls)), len(urls), "every upload URL is distinct")
    state["job"] = created.job_id
    state["created"] = created

    # A standard job (every flag false) of the same app user, deleted later while in WAIT_FILE_UPLOAD.
    standard = client.create2d_model_training_job(Create2dModelTrainingJobRequest(
        x_app_user_id=APP_USER,
        body=Create2dModelTrainingJobReq(
            name="anchor_std", batch_name="py-batch", tags=["news"], model_version="V3.2",
            is_flexus=False, is_fast_flexus=False, is_live_copy=False, is_ondemand_resource=False,
            is_only_human_model=False, is_background_replacement=True, audio_source_type="VIDEO",
            supported_service=[SupportedServiceEnum.VIDEO_2D, SupportedServiceEnum.LIVE_2D, SupportedServiceEnum.CHAT_2D])))
    is_hex32(standard.job_id, "standard job_id")
    eq(len(standard.training_video_upload_url), 1, "video_multipart_count defaults to 1")
    eq(standard.audio_upload_url, None, "no audio URL without audio_source_type AUDIO")
    state["standard"] = standard.job_id

    # A job of another app user: List and Show of shop-001 never see it.
    other = client.create2d_model_training_job(Create2dModelTrainingJobRequest(
        x_app_user_id=OTHER_APP_USER, body=Create2dModelTrainingJobReq(name="anchor_other", batch_name="py-batch")))
    is_hex32(other.job_id, "other job_id")
    state["other"] = other.job_id


def test_show_answers_every_stored_value_with_its_type(server, client, wire):
    shown = show(client, state["job"])
    wire_body = raw(shown)
    eq(shown.status_code, 200, "status")
    is_hex32(shown.x_request_id, "x_request_id")
    eq(shown.x_request_id, wire.request_id, "x_request_id is the X-Request-Id header")
    check(shown.x_request_id != state["created"].x_request_id, "every answer has its own request id")

    eq(shown.job_id, state["job"], "job_id")
    eq(shown.name, "anchor_py", "name")
    eq(shown.state, "WAIT_FILE_UPLOAD", "state")
    eq(shown.project_id, server["project_id"], "project_id")
    eq(shown.app_user_id, APP_USER, "app_user_id")
    eq(shown.contact, "13800000000", "contact")
    eq(shown.batch_name, "py-batch", "batch_name")
    eq(shown.tags, ["ecommerce", "spring"], "tags")
    eq(shown.model_version, "V3.3", "model_version")
    eq(shown.matting_type, "AI", "matting_type")
    eq(shown.model_resolution, "1080P", "model_resolution")
    # Booleans: the SDK coerces "false" to True, so check the wire type as well as the SDK value.
    for field, expected in (("is_flexus", True), ("is_live_copy", True), ("is_fast_flexus", True),
                            ("is_only_human_model", True), ("is_background_replacement", False),
                            ("is_ondemand_resource", True), ("is_mask_file_uploaded", False)):
        eq(getattr(shown, field), expected, field)
        eq(wire_body.get(field), expected, f"{field} on the wire")
    eq(shown.audio_source_type, "AUDIO", "audio_source_type")
    check(isinstance(shown.voice_properties, VoiceProperties), f"voice_properties is VoiceProperties: {shown.voice_properties!r}")
    eq(shown.voice_properties.job_tag, "NEWS", "voice_properties.job_tag")
    eq(shown.voice_properties.sex, "FEMALE", "voice_properties.sex")
    eq(shown.voice_properties.language, "CN", "voice_properties.language")
    eq(shown.supported_service, ["VIDEO_2D"], "supported_service")
    check(isinstance(shown.flexus_retry_count, int) and not isinstance(shown.flexus_retry_count, bool),
          f"flexus_retry_count is an int: {shown.flexus_retry_count!r}")
    check(0 <= shown.flexus_retry_count <= 10, "flexus_retry_count in 0..10")
    eq(type(wire_body.get("flexus_retry_count")), int, "flexus_retry_count on the wire is a JSON number")
    is_time(shown.create_time, "create_time")
    is_time(shown.last_update_time, "last_update_time")
    eq(log_types(shown), ["USER_CREATE_JOD"], "operation log after Create")
    eq(shown.operation_logs[0].operate_user, "USER", "operate_user")
    eq(shown.comment_logs in (None, []), True, "no comments yet")
    # Every key the server sent is one the SDK model knows (a misspelt key would vanish silently).
    # Except `beauty_level`: the Show reference page documents it (Integer, 0-3, default 0), but the
    # Python SDK's model has no such attribute, so the SDK drops it; its value is checked on the wire.
    unknown = sorted(set(wire_body) - set(shown.attribute_map.values()))
    eq(unknown, ["beauty_level"], "keys on the wire that the SDK model does not know")
    eq(wire_body["beauty_level"], 0, "beauty_level on the wire (documented default 0)")
    state["shown_after_create"] = shown

    # Another app user's job is not found for this app user.
    expect_client_error(lambda: show(client, state["other"]), 404, "MSS.20010001", wire)


def test_upload_files_and_multipart_commands(client, wire):
    created = state["created"]
    parts = [b"training-video-part-1|", b"training-video-part-2"]
    etags = [put(url, data) for url, data in zip(created.training_video_upload_url, parts)]
    put(created.id_card_image1_upload_url, b"id-card-front")
    put(created.id_card_image2_upload_url, b"id-card-back")
    put(created.grant_file_upload_url, b"grant-letter")
    put(created.audio_upload_url, b"audio-zip")
    # An upload URL works once.
    again = requests.put(created.grant_file_upload_url, data=b"x", timeout=30)
    eq(again.status_code, 403, "a used upload URL is refused")

    listed = command(client, state["job"], "GET_MULTIPART_UPLOADED")
    eq(listed.commond_result, "EXCUTE_SUCCESS", "commond_result")
    is_hex32(listed.x_request_id, "x_request_id")
    check(isinstance(listed.multipart_data, list), f"multipart_data is a list: {listed.multipart_data!r}")
    eq(len(listed.multipart_data), 2, "two parts received")
    for index, part in enumerate(sorted(listed.multipart_data, key=lambda p: p.part_number)):
        check(isinstance(part, MultipartUploadInfo), "parts are MultipartUploadInfo")
        eq(part.part_number, str(index + 1), "part_number is a string")
        eq(part.etag, etags[index], "etag is the upload's ETag")
    for part in raw(listed)["multipart_data"]:
        eq(type(part["part_number"]), str, "part_number on the wire is a JSON string")

    confirmed = command(client, state["job"], "CONFIRM_MULTIPART_UPLOADED")
    eq(confirmed.commond_result, "EXCUTE_SUCCESS", "CONFIRM_MULTIPART_UPLOADED")
    eq(confirmed.excute_failed_msg, None, "no failure message")
    eq(confirmed.error_info, None, "no error_info")

    shown = show(client, state["job"])
    for field in ("training_video_download_url", "id_card_image1_download_url", "id_card_image2_download_url",
                  "grant_file_download_url", "audio_file_download_url"):
        value = getattr(shown, field)
        check(isinstance(value, str) and value.startswith("http://127.0.0.1:"), f"{field}: {value!r}")
    video = requests.get(shown.training_video_download_url, timeout=30)
    eq(video.status_code, 200, "training video download")
    eq(video.content, b"".join(parts), "the parts are joined in order")
    grant = requests.get(shown.grant_file_download_url, timeout=30)
    eq(grant.content, b"grant-letter", "grant file download")


def test_list_filters_paging_and_sorting(client, wire):
    job, standard = state["job"], state["standard"]

    page = list_jobs(client, batch_name="py-batch", sort_key="create_time", sort_dir="desc", offset=0, limit=1)
    eq(page.status_code, 200, "status")
    is_hex32(page.x_request_id, "x_request_id")
    eq(page.count, 2, "count is every match of this app user, not the page size")
    eq(type(raw(page)["count"]), int, "count on the wire is a JSON number")
    eq(len(page.jobs), 1, "limit=1")
    eq(page.jobs[0].job_id, standard, "newest first with sort_dir=desc")
    second = list_jobs(client, batch_name="py-batch", sort_key="create_time", sort_dir="desc", offset=1, limit=1)
    eq([j.job_id for j in second.jobs], [job], "offset=1 is the next page")
    ascending = list_jobs(client, batch_name="py-batch", sort_key="create_time", sort_dir="asc", limit=10)
    eq([j.job_id for j in ascending.jobs], [job, standard], "sort_dir=asc")

    item = ascending.jobs[0]
    check(isinstance(item, TrainingJobBasicInfo), "list items are TrainingJobBasicInfo")
    shown = state["shown_after_create"]
    for field in TrainingJobBasicInfo.openapi_types:
        if field == "cover_download_url":
            continue
        eq(getattr(item, field), getattr(shown, field), f"list item {field} equals Show's")
    unknown = sorted(set(raw(ascending)["jobs"][0]) - set(TrainingJobBasicInfo.attribute_map.values()))
    eq(unknown, [], "keys of a list item the SDK model does not know")

    def ids(**filters):
        return [j.job_id for j in list_jobs(client, batch_name="py-batch", limit=100, **filters).jobs]

    eq(ids(tag="spring"), [job], "tag")
    eq(ids(name="anchor_std"), [standard], "name")
    eq(ids(job_id=job), [job], "job_id")
    eq(ids(is_flexus=True), [job], "is_flexus=true")
    eq(ids(is_flexus=False), [standard], "is_flexus=false")
    eq(ids(is_live_copy=True), [job], "is_live_copy=true")
    eq(ids(is_ondemand_resource=False), [standard], "is_ondemand_resource=false")
    eq(ids(state="WAIT_FILE_UPLOAD,AUTO_VERIFYING"), [job, standard], "state list")
    eq(ids(state="JOB_SUCCESS"), [], "state without matches")
    eq(ids(model_resolution="1080P"), [job, standard], "model_resolution")
    created_at = shown.create_time
    eq(ids(create_since=created_at, sort_key="create_time"), [job, standard], "create_since is inclusive")
    eq(ids(create_until="2000-01-01T00:00:00Z"), [], "create_until before everything")
    eq(ids(update_since="2000-01-01T00:00:00Z", update_until="2999-01-01T00:00:00Z"), [job, standard], "update window")
    eq(ids(sort_key="asset_order"), [job, standard], "sort_key=asset_order")

    other = list_jobs(client, app_user=OTHER_APP_USER, batch_name="py-batch")
    eq([j.job_id for j in other.jobs], [state["other"]], "another app user sees only its own job")
    eq(other.count, 1, "another app user's count")


def test_submit_for_review(client):
    submitted = command(client, state["job"], "SUBMITVERIFYING")
    eq(submitted.status_code, 200, "status")
    eq(submitted.commond_result, "EXCUTE_SUCCESS", "commond_result")
    is_hex32(submitted.x_request_id, "x_request_id")
    shown = show(client, state["job"])
    eq(shown.state, "AUTO_VERIFYING", "state after SUBMITVERIFYING (the emulated review is held)")
    eq(log_types(shown), ["USER_CREATE_JOD", "USER_VERIFYING_SUBMITTED"], "operation logs")
    eq(shown.operation_logs[-1].operate_user, "USER", "operate_user")


def test_update_after_failed_review(server, client, wire):
    job = state["job"]
    # Update is refused while the job is under review.
    expect_client_error(lambda: client.update2d_model_training_job(Update2dModelTrainingJobRequest(
        job_id=job, x_app_user_id=APP_USER, body=Update2dModelTrainingJobReq(name="too_early"))),
        400, "MSS.20010002", wire)

    # Stand-in for the review pipeline (the emulated review is held, and no public call fails a review):
    # write the outcome of a failed automatic review straight into the server's SQLite file.
    with sqlite3.connect(server["db_path"], timeout=10) as db:
        changed = db.execute("UPDATE training_jobs SET state='AUTO_VERIFY_FAILED', version=version+1 WHERE job_id=?",
                             (job,)).rowcount
        db.execute("UPDATE projects SET jobs_version=jobs_version+1")
    eq(changed, 1, "the job row was moved to AUTO_VERIFY_FAILED")
    before = show(client, job)
    eq(before.state, "AUTO_VERIFY_FAILED", "state")

    updated = client.update2d_model_training_job(Update2dModelTrainingJobRequest(
        job_id=job, x_app_user_id=APP_USER,
        body=Update2dModelTrainingJobReq(
            name="anchor_py_v2",
            contact="13900000000",
            command_message="UPDATE_VIDEO",
            video_multipart_count=3,
            action_video_multipart_count=1,
            is_background_replacement=True,
            batch_name="py-batch-2",
            tags=["ecommerce"],
            is_fast_flexus=False,
            voice_properties=VoiceProperties(job_tag="ECOMMERCE", sex="MALE", language="CN"),
            supported_service=[SupportedServiceEnum.VIDEO_2D],
            audio_source_type="AUDIO",
        )))
    eq(updated.status_code, 200, "status")
    eq(updated.job_id, job, "job_id")
    is_hex32(updated.x_request_id, "x_request_id")
    eq(len(updated.training_video_upload_url), 3, "fresh URLs for the new part count")
    eq(len(updated.action_video_upload_url), 1, "fresh action-video URL")
    for field in ("id_card_image1_upload_url", "id_card_image2_upload_url", "grant_file_upload_url", "audio_upload_url"):
        check(isinstance(getattr(updated, field), str), f"{field} after Update")
    stale = requests.put(state["created"].action_video_upload_url[0], data=b"x", timeout=30)
    check(stale.status_code in (403, 404), f"URLs issued before the Update stop working: {stale.status_code}")

    shown = show(client, job)
    eq(shown.state, "AUTO_VERIFY_FAILED", "Update does not change the state")
    eq(shown.name, "anchor_py_v2", "name")
    eq(shown.contact, "13900000000", "contact")
    eq(shown.batch_name, "py-batch-2", "batch_name")
    eq(shown.tags, ["ecommerce"], "tags")
    eq(shown.is_background_replacement, True, "is_background_replacement")
    eq(shown.is_fast_flexus, False, "is_fast_flexus")
    eq(raw(shown).get("is_fast_flexus"), False, "is_fast_flexus on the wire")
    eq(shown.is_flexus, True, "is_flexus is not updatable and stays")
    eq(shown.model_version, "V3.3", "model_version stays")
    eq((shown.voice_properties.job_tag, shown.voice_properties.sex, shown.voice_properties.language),
       ("ECOMMERCE", "MALE", "CN"), "voice_properties")
    eq(shown.supported_service, ["VIDEO_2D"], "supported_service")
    eq(shown.audio_source_type, "AUDIO", "audio_source_type")
    eq(shown.create_time, before.create_time, "create_time stays")
    check(shown.last_update_time >= before.last_update_time, "last_update_time moves forward")
    check("USER_UPDATE_VIDEO" in log_types(shown), "UPDATE_VIDEO logs USER_UPDATE_VIDEO")
    eq([j.job_id for j in list_jobs(client, batch_name="py-batch-2").jobs], [job], "List sees the new batch name")
    by_update = list_jobs(client, sort_key="update_time", sort_dir="desc", limit=1)
    eq(by_update.jobs[0].job_id, job, "sort_key=update_time: the updated job is the most recently updated")


def test_delete_and_show_of_the_deleted_job(client, wire):
    standard = state["standard"]
    eq(show(client, standard).state, "WAIT_FILE_UPLOAD", "deletable state")
    deleted = client.delete2d_model_training_job(Delete2dModelTrainingJobRequest(job_id=standard, x_app_user_id=APP_USER))
    eq(deleted.status_code, 200, "status")
    is_hex32(deleted.x_request_id, "x_request_id")
    eq(deleted.x_request_id, wire.request_id, "x_request_id is the X-Request-Id header")

    error = expect_client_error(lambda: show(client, standard), 404, "MSS.20010001", wire)
    check(error.request_id != deleted.x_request_id, "the error has its own request id")
    eq(list_jobs(client, job_id=standard).count, 0, "List no longer finds the deleted job")


def test_bad_input_is_a_client_error(client, wire):
    expect_client_error(lambda: client.create2d_model_training_job(Create2dModelTrainingJobRequest(
        body=Create2dModelTrainingJobReq(name="too_many_parts", video_multipart_count=1001))),
        400, "MSS.10000003", wire)


def test_wrong_secret_is_refused(server):
    wire = WireLog()
    bad = make_client(server, sk=server["sk"][:-1] + ("0" if server["sk"][-1] != "0" else "1"), wire=wire)
    expect_client_error(lambda: show(bad, state["job"]), 401, "APIG.0301", wire)
