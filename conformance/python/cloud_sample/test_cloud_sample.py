# coding: utf-8
"""The cloud sample (make_videos.py), unchanged, against avatarforge rendering with a real model:
a model trained by the reference trainer from the talking-face fixture, imported into the project.
The sample must find that model with ListAssets (it is not told its id), and download each video
through ShowAsset: the files must be the video assets' MAIN files (size and MD5 as ShowAsset
reports them), playable (H.264 + AAC, 1920x1080, as long as Show says), and the one driven by
recorded speech must move its lips with that speech (the fixture's speech comes with the truth of
its mouth opening; the renderer's landmark model measures the video)."""

import base64
import hashlib
import json
import os
import subprocess
import sys
import threading
from functools import partial
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer

from huaweicloudsdkcore.auth.credentials import BasicCredentials
from huaweicloudsdkmetastudio.v1 import MetaStudioClient, Show2DDigitalHumanVideoRequest, ShowAssetRequest

from afcheck import check

here = os.path.dirname(os.path.abspath(__file__))
repo = os.path.abspath(os.path.join(here, "..", "..", ".."))
trainer = os.path.join(repo, "trainer", "bin", "avatarforge-trainer")


def probe(path):
    output = subprocess.run(["ffprobe", "-v", "error", "-print_format", "json", "-show_format", "-show_streams", path],
                            capture_output=True, check=True, text=True).stdout
    parsed = json.loads(output)
    video = next(stream for stream in parsed["streams"] if stream["codec_type"] == "video")
    return {"codecs": sorted(stream["codec_name"] for stream in parsed["streams"]), "size": (video["width"], video["height"]),
            "duration": float(parsed["format"]["duration"])}


def pearson(xs, ys):
    mean_x, mean_y = sum(xs) / len(xs), sum(ys) / len(ys)
    covariance = sum((x - mean_x) * (y - mean_y) for x, y in zip(xs, ys))
    spread = (sum((x - mean_x) ** 2 for x in xs) * sum((y - mean_y) ** 2 for y in ys)) ** 0.5
    return covariance / spread


def run_sample(output_dir, **settings):
    inherited = {key: value for key, value in os.environ.items() if key != "MODEL_ASSET_ID"}
    env = {**inherited, "PROJECT_ID": os.environ["AF_PROJECT_ID"], "METASTUDIO_ENDPOINT": os.environ["AF_BASE_URL"],
           "OUTPUT_DIR": str(output_dir), **settings}
    return subprocess.run([sys.executable, os.path.join(here, "make_videos.py")], env=env, capture_output=True, text=True, timeout=1800)


def sdk_client():
    credentials = BasicCredentials(os.environ["CLOUD_SDK_AK"], os.environ["CLOUD_SDK_SK"], os.environ["AF_PROJECT_ID"])
    return MetaStudioClient.new_builder().with_credentials(credentials).with_endpoints([os.environ["AF_BASE_URL"]]).build()


def base64_md5(path):
    with open(path, "rb") as source:
        return base64.b64encode(hashlib.md5(source.read()).digest()).decode("ascii")


def test_the_cloud_sample_refuses_a_model_that_is_not_an_active_2d_model(tmp_path):
    run = run_sample(tmp_path, MODEL_ASSET_ID="0" * 32, AUDIO_URL="http://127.0.0.1:9/unused.wav")
    check(run.returncode == 1, run.stdout + run.stderr)
    check(run.stdout == "", run.stdout)
    check(run.stderr.strip() == f"model {'0' * 32} is not among the project's active 2D models", run.stderr)


def test_the_cloud_sample_makes_playable_lip_synced_videos(tmp_path):
    speech = os.environ["AF_SPEECH"]
    with open(speech.rsplit(".", 1)[0] + ".truth.json", encoding="utf-8") as source:
        truth = json.load(source)["openness"]
    audio_server = ThreadingHTTPServer(("127.0.0.1", int(os.environ["AF_AUDIO_PORT"])),
                                       partial(SimpleHTTPRequestHandler, directory=os.path.dirname(speech)))
    threading.Thread(target=audio_server.serve_forever, daemon=True).start()
    try:
        # No MODEL_ASSET_ID: the sample must find the imported model, the project's only one, with ListAssets.
        run = run_sample(tmp_path, AUDIO_URL=f"http://127.0.0.1:{os.environ['AF_AUDIO_PORT']}/{os.path.basename(speech)}")
    finally:
        audio_server.shutdown()
    check(run.returncode == 0, run.stdout + run.stderr)
    lines = [json.loads(line) for line in run.stdout.strip().splitlines()]
    check(lines[0] == {"model": os.environ["AF_MODEL_ASSET_ID"], "name": "fixture"}, lines[0])
    videos = {entry["video"]: entry for entry in lines[1:]}
    check(sorted(videos) == ["audio", "text"], lines)
    client = sdk_client()
    for entry in videos.values():
        job = client.show2_d_digital_human_video(Show2DDigitalHumanVideoRequest(job_id=entry["job_id"]))
        check(job.output_asset_config.asset_id == entry["asset_id"], (job.output_asset_config, entry))
        asset = client.show_asset(ShowAssetRequest(asset_id=entry["asset_id"]))
        check((asset.asset_type, asset.asset_state) == ("VIDEO", "ACTIVED"), asset)
        main_file = next(file for file in asset.files if file.asset_file_category == "MAIN")
        check(os.path.getsize(entry["file"]) == main_file.file_size == entry["file_size"], (os.path.getsize(entry["file"]), main_file, entry))
        check(base64_md5(entry["file"]) == main_file.file_md5 == entry["file_md5"], (base64_md5(entry["file"]), main_file, entry))
        probed = probe(entry["file"])
        check(probed["codecs"] == ["aac", "h264"], probed)
        check(probed["size"] == (1920, 1080), probed)
        check(abs(probed["duration"] - entry["duration"]) <= 0.2, (probed, entry))
    speech_seconds = probe(speech)["duration"]
    check(abs(videos["audio"]["duration"] - speech_seconds) <= 0.2, (videos["audio"], speech_seconds))
    check(videos["text"]["duration"] > 2, videos["text"])

    measured = json.loads(subprocess.run([trainer, "measure", videos["audio"]["file"]], capture_output=True, check=True, text=True).stdout)
    check(measured["face_found_ratio"] >= 0.99, measured["face_found_ratio"])
    pairs = [(value, real) for value, real in zip(measured["openness"], truth) if value is not None]
    r = pearson([value for value, _ in pairs], [real for _, real in pairs])
    check(r >= 0.65, f"the rendered mouth follows the speech with r = {r:.2f}")
    print(f"cloud sample: text video {videos['text']['duration']:.2f} s, audio video {videos['audio']['duration']:.2f} s, lip sync r = {r:.2f}")
