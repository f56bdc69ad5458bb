# coding: utf-8
"""
The official Python SDK (huaweicloudsdkmetastudio 3.1.211) against avatarforge: the 2D
digital-human video jobs (Create2DDigitalHumanVideo, Show2DDigitalHumanVideo,
Cancel2DDigitalHumanVideo, ListDigitalHumanVideo), unchanged.

The server runs in emulator mode with in-process video_render workers forced to succeed: a job
renders a test-pattern MP4 (H.264 + AAC) at the requested size, as long as its scripts (an AUDIO
script's exact audio duration, a TEXT script's estimated length). A finished model is a training
job moved to JOB_SUCCESS with an asset id straight in the server's SQLite file (a quick stand-in:
test_assets.py takes a job through the emulated pipeline). AUDIO scripts fetch from a plain HTTP
server this module runs on $AF_AUDIO_PORT, the one host the server may fetch audio from.

Every assertion is about what the SDK hands its caller; a wire difference the SDK reveals is a
server bug, not something to work around.
"""

import json
import os
import sqlite3
import subprocess
import tempfile
import threading
import time
import uuid
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
import requests

from huaweicloudsdkmetastudio.v1 import (
    Cancel2DDigitalHumanVideoRequest,
    Create2dModelTrainingJobReq,
    Create2dModelTrainingJobRequest,
    Create2DDigitalHumanVideoReq,
    Create2DDigitalHumanVideoRequest,
    DigitalHumanVideo,
    ListDigitalHumanVideoRequest,
    OutputAssetConfig,
    OutputAssetInfo,
    ShootScript,
    ShootScriptItem,
    Show2DDigitalHumanVideoRequest,
    TextConfig,
    VideoConfig,
)

from afcheck import check, eq, is_hex32, is_time
from afsdk import expect_client_error

APP_USER = "video-py"
TEXT = "Hello, and welcome to the show. Today we look at the weather."
POLL_INTERVAL = 0.1
POLL_TIMEOUT = 60.0

# What the scenario learns as it goes (the tests run in file order and build on each other).
state = {"jobs": []}


# -------------------------------------------------------------------------------------------------
# Helpers
# -------------------------------------------------------------------------------------------------

class AudioHost:
    """The "external" audio host on $AF_AUDIO_PORT: one WAV, a 302 redirect to it, else 404."""

    def __init__(self, wav):
        self.wav = wav
        self.requests = []
        host = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self):  # noqa: N802 (http.server's naming)
                host.requests.append(self.path)
                if self.path == "/speech.wav":
                    self.send_response(200)
                    self.send_header("Content-Type", "audio/wav")
                    self.send_header("Content-Length", str(len(host.wav)))
                    self.end_headers()
                    self.wfile.write(host.wav)
                elif self.path == "/redirect":
                    self.send_response(302)
                    self.send_header("Location", "/speech.wav")
                    self.send_header("Content-Length", "0")
                    self.end_headers()
                else:
                    self.send_response(404)
                    self.send_header("Content-Length", "0")
                    self.end_headers()

            def log_message(self, *_):
                pass

        self.port = int(os.environ["AF_AUDIO_PORT"])
        self.httpd = ThreadingHTTPServer(("127.0.0.1", self.port), Handler)
        self.httpd.daemon_threads = True
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)
        self.thread.start()
        self.url = f"http://127.0.0.1:{self.port}"

    def close(self):
        self.httpd.shutdown()
        self.httpd.server_close()
        self.thread.join(timeout=5)


@pytest.fixture(scope="module")
def media():
    with tempfile.TemporaryDirectory(prefix="avatarforge-pyconf-video-") as directory:
        yield directory


@pytest.fixture(scope="module")
def audio(media):
    wav_path = os.path.join(media, "tone.wav")
    subprocess.run(["ffmpeg", "-v", "error", "-y", "-f", "lavfi", "-i",
                    "sine=frequency=300:sample_rate=16000:duration=3", "-ac", "1", wav_path],
                   check=True, timeout=60)
    with open(wav_path, "rb") as handle:
        host = AudioHost(handle.read())
    yield host
    host.close()


def bump_jobs_version(db):
    db.execute("UPDATE projects SET jobs_version=jobs_version+1")


def finished_model(server, client, name, app_user=APP_USER):
    """A training job made finished (JOB_SUCCESS with a model asset id) in the server's database."""
    created = client.create2d_model_training_job(Create2dModelTrainingJobRequest(
        x_app_user_id=app_user, body=Create2dModelTrainingJobReq(name=name)))
    is_hex32(created.job_id, "training job_id")
    asset_id = uuid.uuid4().hex
    with sqlite3.connect(server["db_path"], timeout=10) as db:
        changed = db.execute(
            "UPDATE training_jobs SET state='JOB_SUCCESS', asset_id=?, version=version+1 WHERE job_id=?",
            (asset_id, created.job_id)).rowcount
        bump_jobs_version(db)
    eq(changed, 1, "the training job row was moved to JOB_SUCCESS")
    return asset_id


def text_body(model_asset_id, text=TEXT, asset_name="welcome video", script_id=None, video_config=None):
    return Create2DDigitalHumanVideoReq(
        script_id=script_id,
        model_asset_id=model_asset_id,
        video_config=video_config or VideoConfig(codec="H264", width=1920, height=1080, frame_rate="25", bitrate=4000),
        shoot_scripts=[ShootScriptItem(sequence_no=0, shoot_script=ShootScript(
            script_type="TEXT", text_config=TextConfig(text=text)))],
        output_asset_config=OutputAssetConfig(asset_name=asset_name),
    )


def audio_body(model_asset_id, url, width=1280, height=720):
    return Create2DDigitalHumanVideoReq(
        model_asset_id=model_asset_id,
        video_config=VideoConfig(codec="H264", width=width, height=height),
        shoot_scripts=[ShootScriptItem(sequence_no=0, shoot_script=ShootScript(
            script_type="AUDIO", audio_drive_file_external_url=url))],
        output_asset_config=OutputAssetConfig(asset_name="audio video"),
    )


def create(client, body, app_user=APP_USER):
    return client.create2_d_digital_human_video(Create2DDigitalHumanVideoRequest(x_app_user_id=app_user, body=body))


def show(client, job_id, app_user=APP_USER, show_script=None):
    return client.show2_d_digital_human_video(Show2DDigitalHumanVideoRequest(
        job_id=job_id, x_app_user_id=app_user, show_script=show_script))


def cancel(client, job_id, app_user=APP_USER):
    return client.cancel2_d_digital_human_video(Cancel2DDigitalHumanVideoRequest(job_id=job_id, x_app_user_id=app_user))


def list_videos(client, app_user=APP_USER, **filters):
    return client.list_digital_human_video(ListDigitalHumanVideoRequest(x_app_user_id=app_user, **filters))


def wait_for(client, job_id, final_state="SUCCEED", app_user=APP_USER):
    """Show until the job leaves WAITING/PROCESSING (short poll interval, overall timeout)."""
    deadline = time.monotonic() + POLL_TIMEOUT
    while True:
        shown = show(client, job_id, app_user=app_user)
        if shown.state not in ("WAITING", "PROCESSING"):
            break
        if time.monotonic() > deadline:
            break
        time.sleep(POLL_INTERVAL)
    eq(shown.state, final_state, f"job {job_id} state after polling (error_info: {shown.error_info!r})")
    return shown


def download(url, path):
    answer = requests.get(url, timeout=30)
    eq(answer.status_code, 200, f"GET {url} answered {answer.status_code}")
    with open(path, "wb") as handle:
        handle.write(answer.content)
    return answer.content


def probe(path):
    output = subprocess.run(["ffprobe", "-v", "error", "-print_format", "json", "-show_format", "-show_streams", path],
                            check=True, capture_output=True, timeout=60).stdout
    parsed = json.loads(output)
    return float(parsed["format"]["duration"]), parsed["format"].get("format_name", ""), parsed["streams"]


def video_stream(streams):
    return next(stream for stream in streams if stream["codec_type"] == "video")


# -------------------------------------------------------------------------------------------------
# The scenario
# -------------------------------------------------------------------------------------------------

def test_a_finished_model(server, client):
    state["model"] = finished_model(server, client, "video presenter")


def test_text_script_renders_an_mp4_and_a_cover(client, wire, media):
    created = create(client, text_body(state["model"], script_id="script-1"))
    eq(created.status_code, 200, "status")
    is_hex32(created.job_id, "job_id")
    is_hex32(created.x_request_id, "x_request_id")
    eq(created.x_request_id, wire.request_id, "x_request_id is the X-Request-Id header")
    state["jobs"].append(created.job_id)
    state["text_job"] = created.job_id

    done = wait_for(client, created.job_id)
    eq(done.status_code, 200, "status")
    eq(done.job_id, created.job_id, "job_id")
    eq(done.job_type, "2D_DIGITAL_HUMAN_VIDEO", "job_type")
    for field in ("create_time", "lastupdate_time", "start_time", "end_time"):
        is_time(getattr(done, field), field)
    check(done.start_time <= done.end_time, "start_time <= end_time")
    check(isinstance(done.duration, float) and done.duration > 0, f"duration is a positive float: {done.duration!r}")
    eq(done.error_info, None, "no error_info")
    eq(done.shoot_scripts, None, "the script fields only with show_script=true")
    eq(done.model_asset_id, None, "model_asset_id only with show_script=true")
    output = done.output_asset_config
    check(isinstance(output, OutputAssetInfo), f"output_asset_config is OutputAssetInfo: {output!r}")
    eq(output.asset_name, "welcome video", "output asset_name")
    is_hex32(output.asset_id, "output asset_id")
    for field in ("preview_video_url", "cover_url"):
        value = getattr(output, field)
        check(isinstance(value, str) and value.startswith("http://127.0.0.1:"), f"{field}: {value!r}")

    content = download(output.preview_video_url, os.path.join(media, "text.mp4"))
    check(len(content) > 0, "the video is not empty")
    duration, format_name, streams = probe(os.path.join(media, "text.mp4"))
    check("mp4" in format_name, f"the video is an MP4: {format_name}")
    eq(sorted(stream["codec_name"] for stream in streams), ["aac", "h264"], "codecs")
    picture = video_stream(streams)
    eq((picture["width"], picture["height"]), (1920, 1080), "video size")
    check(abs(duration - done.duration) <= 0.2, f"the MP4 lasts {duration} s, the job says {done.duration}")
    cover = download(output.cover_url, os.path.join(media, "cover.jpg"))
    eq(cover[:3], b"\xff\xd8\xff", "the cover is a JPEG")

    with_script = show(client, created.job_id, show_script=True)
    eq(with_script.state, "SUCCEED", "state with show_script")
    eq(with_script.model_asset_id, state["model"], "model_asset_id")
    eq(with_script.script_id, "script-1", "script_id")
    eq(with_script.video_making_type, "MODEL", "video_making_type")
    eq(len(with_script.shoot_scripts), 1, "one shoot script")
    item = with_script.shoot_scripts[0]
    check(isinstance(item, ShootScriptItem), f"shoot_scripts items are ShootScriptItem: {item!r}")
    eq(item.sequence_no, 0, "sequence_no")
    eq(item.shoot_script.script_type, "TEXT", "script_type")
    eq(item.shoot_script.text_config.text, TEXT, "text")
    check(isinstance(with_script.video_config, VideoConfig), "video_config is VideoConfig")
    eq((with_script.video_config.width, with_script.video_config.height), (1920, 1080), "video_config size")
    eq(with_script.video_config.codec, "H264", "video_config.codec")
    eq(with_script.video_config.frame_rate, "25", "video_config.frame_rate is a string")
    eq(with_script.duration, done.duration, "duration is the same with show_script")


def test_audio_script_from_an_allowed_host(client, audio, media):
    before = len(audio.requests)
    created = create(client, audio_body(state["model"], f"{audio.url}/speech.wav"))
    is_hex32(created.job_id, "job_id")
    state["jobs"].append(created.job_id)
    state["audio_job"] = created.job_id
    eq(audio.requests[before:], ["/speech.wav"], "the audio was fetched once, at Create")

    done = wait_for(client, created.job_id)
    check(isinstance(done.duration, float) and abs(done.duration - 3.0) <= 0.2, f"job duration {done.duration!r} for 3 s of audio")
    download(done.output_asset_config.preview_video_url, os.path.join(media, "audio.mp4"))
    duration, _, streams = probe(os.path.join(media, "audio.mp4"))
    eq(sorted(stream["codec_name"] for stream in streams), ["aac", "h264"], "codecs")
    picture = video_stream(streams)
    eq((picture["width"], picture["height"]), (1280, 720), "video size")
    check(abs(duration - 3.0) <= 0.2, f"the MP4 lasts {duration} s for 3 s of audio")

    shown = show(client, created.job_id, show_script=True)
    eq(shown.model_asset_id, state["model"], "model_asset_id")
    eq(len(shown.shoot_scripts), 1, "one shoot script")
    script = shown.shoot_scripts[0].shoot_script
    eq(script.script_type, "AUDIO", "script_type")
    eq(script.audio_drive_file_external_url, f"{audio.url}/speech.wav", "audio_drive_file_external_url")
    check(isinstance(script.audio_duration, float) and abs(script.audio_duration - 3.0) < 0.05,
          f"audio_duration is about 3 s: {script.audio_duration!r}")
    eq((shown.video_config.width, shown.video_config.height), (1280, 720), "video_config size")
    eq(audio.requests[before:], ["/speech.wav"], "rendering did not fetch the audio again")


def test_cancel_of_a_finished_or_unknown_job(client, wire):
    job = state["text_job"]
    expect_client_error(lambda: cancel(client, job), 400, "MSS.20010002", wire)
    eq(show(client, job).state, "SUCCEED", "a refused cancel leaves the job SUCCEED")
    expect_client_error(lambda: cancel(client, "0" * 32), 404, "MSS.20040001", wire)
    expect_client_error(lambda: show(client, "0" * 32), 404, "MSS.20040001", wire)


def test_list_filters_paging_and_sorting(client, wire):
    ids = []
    for name in ("list-alpha", "list-beta", "list-gamma"):
        created = create(client, text_body(state["model"], text="one two", asset_name=name))
        ids.append(created.job_id)
        state["jobs"].append(created.job_id)
        wait_for(client, created.job_id)

    everything = list_videos(client, limit=100)
    eq(everything.status_code, 200, "status")
    is_hex32(everything.x_request_id, "x_request_id")
    eq(everything.x_request_id, wire.request_id, "x_request_id is the X-Request-Id header")
    eq(everything.count, len(state["jobs"]), "count: every job of this app user")
    eq([job.job_id for job in everything.jobs], state["jobs"], "ascending by create_time by default")
    item = everything.jobs[0]
    check(isinstance(item, DigitalHumanVideo), f"list items are DigitalHumanVideo: {item!r}")
    eq(item.state, "SUCCEED", "list item state")
    eq(item.job_type, "2D_DIGITAL_HUMAN_VIDEO", "list item job_type")
    is_time(item.create_time, "list item create_time")
    is_time(item.lastupdate_time, "list item lastupdate_time")
    check(isinstance(item.output_asset_config, OutputAssetInfo), "list item output_asset_config")
    check(isinstance(item.output_asset_config.preview_video_url, str), "list item preview_video_url")
    check(isinstance(item.duration, float), "list item duration is a float")

    succeeded = list_videos(client, state="SUCCEED", limit=100)
    eq(succeeded.count, len(state["jobs"]), "state=SUCCEED: every job")
    eq(list_videos(client, state="FAILED,CANCELED", limit=100).count, 0, "state=FAILED,CANCELED: none")
    eq(list_videos(client, state="WAITING", limit=100).jobs, [], "state=WAITING: no jobs")

    fuzzy = list_videos(client, asset_name="list-", fuzzy_query_field=["asset_name"], limit=100)
    eq(fuzzy.count, 3, "fuzzy asset_name count")
    eq([job.job_id for job in fuzzy.jobs], ids, "fuzzy asset_name: the three list jobs, oldest first")
    eq(list_videos(client, asset_name="list-").count, 0, "without fuzzy_query_field the name matches exactly")
    exact = list_videos(client, asset_name="list-beta")
    eq([job.job_id for job in exact.jobs], [ids[1]], "exact asset_name")
    eq(exact.jobs[0].output_asset_config.asset_name, "list-beta", "asset_name of the match")

    eq([job.job_id for job in list_videos(client, job_id=ids[2]).jobs], [ids[2]], "job_id")
    eq(list_videos(client, job_id=ids[2]).count, 1, "job_id count")
    by_ids = list_videos(client, job_ids=[ids[0], ids[2]])
    eq(sorted(job.job_id for job in by_ids.jobs), sorted([ids[0], ids[2]]), "job_ids (repeated keys)")

    page = list_videos(client, asset_name="list-", fuzzy_query_field=["asset_name"], limit=1, offset=1, sort_dir="desc")
    eq(page.count, 3, "count is every match, not the page size")
    eq([job.job_id for job in page.jobs], [ids[1]], "limit=1 offset=1 sort_dir=desc")
    first = list_videos(client, asset_name="list-", fuzzy_query_field=["asset_name"], limit=2, offset=0, sort_dir="desc")
    eq([job.job_id for job in first.jobs], [ids[2], ids[1]], "limit=2 sort_dir=desc")
    last = list_videos(client, asset_name="list-", fuzzy_query_field=["asset_name"], limit=2, offset=2, sort_dir="asc")
    eq([job.job_id for job in last.jobs], [ids[2]], "the last page")
    eq(list_videos(client, limit=100, sort_dir="desc").jobs[0].job_id, ids[2], "sort_dir=desc: newest first")

    eq(list_videos(client, create_since="2999-01-01T00:00:00Z").count, 0, "create_since in the future")
    eq(list_videos(client, create_since="2000-01-01T00:00:00Z", limit=100).count, len(state["jobs"]), "create_since long ago")
    expect_client_error(lambda: list_videos(client, state="DONE"), 400, "MSS.00000003", wire)
    expect_client_error(lambda: list_videos(client, create_since="yesterday"), 400, "MSS.00000003", wire)


def test_create_errors_reach_the_sdk_exceptions(server, client, wire, audio):
    model = state["model"]
    expect_client_error(lambda: create(client, text_body(uuid.uuid4().hex)), 404, "MSS.20040002", wire)

    unfinished = client.create2d_model_training_job(Create2dModelTrainingJobRequest(
        x_app_user_id=APP_USER, body=Create2dModelTrainingJobReq(name="still training")))
    unfinished_asset = uuid.uuid4().hex
    with sqlite3.connect(server["db_path"], timeout=10) as db:
        changed = db.execute("UPDATE training_jobs SET asset_id=?, version=version+1 WHERE job_id=?",
                             (unfinished_asset, unfinished.job_id)).rowcount
        bump_jobs_version(db)
    eq(changed, 1, "the unfinished training job got an asset id")
    expect_client_error(lambda: create(client, text_body(unfinished_asset)), 400, "MSS.20040003", wire)

    expect_client_error(lambda: create(client, text_body(model, text="   ")), 400, "MSS.00000003", wire)
    expect_client_error(lambda: create(client, text_body(model, video_config=VideoConfig(codec="VP8"))),
                        400, "MSS.20040004", wire)
    expect_client_error(lambda: create(client, text_body(model, video_config=VideoConfig(width=1080, height=1920))),
                        400, "MSS.20040004", wire)

    before = len(audio.requests)
    for url in ("http://169.254.169.254/latest/meta-data/", "http://127.0.0.1:1/x.wav"):
        expect_client_error(lambda: create(client, audio_body(model, url)), 400, "MSS.20040005", wire)
    redirected = expect_client_error(lambda: create(client, audio_body(model, f"{audio.url}/redirect")),
                                     400, "MSS.20040005", wire)
    check("redirect" in redirected.error_msg, f"the message names the redirect: {redirected.error_msg!r}")
    eq(audio.requests[before:], ["/redirect"], "only the allowed host was contacted, and the redirect not followed")
    missing = expect_client_error(lambda: create(client, audio_body(model, f"{audio.url}/missing.wav")),
                                  400, "MSS.20040006", wire)
    check(isinstance(missing.error_msg, str), "missing audio message")

    eq(list_videos(client, limit=100).count, len(state["jobs"]), "no refused Create stored a job")


def test_app_users_see_only_their_own(server, client, wire):
    alice_model = finished_model(server, client, "alice presenter", app_user="alice")
    expect_client_error(lambda: create(client, text_body(alice_model, text="hi"), app_user="bob"),
                        404, "MSS.20040002", wire)
    created = create(client, text_body(alice_model, text="hi", asset_name="alice video"), app_user="alice")
    is_hex32(created.job_id, "alice's job_id")
    eq(show(client, created.job_id, app_user="alice").job_id, created.job_id, "alice sees her video")
    expect_client_error(lambda: show(client, created.job_id, app_user="bob"), 404, "MSS.20040001", wire)
    expect_client_error(lambda: cancel(client, created.job_id, app_user="bob"), 404, "MSS.20040001", wire)
    bobs = list_videos(client, app_user="bob", limit=100)
    eq(bobs.count, 0, "bob has no videos")
    eq(list_videos(client, app_user=APP_USER, job_id=created.job_id).count, 0, "another app user does not list it")
    alices = list_videos(client, app_user="alice", limit=100)
    eq([job.job_id for job in alices.jobs], [created.job_id], "alice lists her video")
    wait_for(client, created.job_id, app_user="alice")
