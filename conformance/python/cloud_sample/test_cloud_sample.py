# coding: utf-8
"""The cloud sample (make_videos.py), unchanged, against avatarforge rendering with a real model:
a model trained by the reference trainer from the talking-face fixture, imported into the project.
Both videos must be playable (H.264 + AAC, 1920x1080, as long as Show says), and the one driven by
recorded speech must move its lips with that speech (the fixture's speech comes with the truth of
its mouth opening; the renderer's landmark model measures the video)."""

import json
import os
import subprocess
import sys
import threading
from functools import partial
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer

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


def test_the_cloud_sample_makes_playable_lip_synced_videos(tmp_path):
    speech = os.environ["AF_SPEECH"]
    with open(speech.rsplit(".", 1)[0] + ".truth.json", encoding="utf-8") as source:
        truth = json.load(source)["openness"]
    audio_server = ThreadingHTTPServer(("127.0.0.1", int(os.environ["AF_AUDIO_PORT"])),
                                       partial(SimpleHTTPRequestHandler, directory=os.path.dirname(speech)))
    threading.Thread(target=audio_server.serve_forever, daemon=True).start()
    try:
        env = {**os.environ, "PROJECT_ID": os.environ["AF_PROJECT_ID"], "METASTUDIO_ENDPOINT": os.environ["AF_BASE_URL"],
               "MODEL_ASSET_ID": os.environ["AF_MODEL_ASSET_ID"], "OUTPUT_DIR": str(tmp_path),
               "AUDIO_URL": f"http://127.0.0.1:{os.environ['AF_AUDIO_PORT']}/{os.path.basename(speech)}"}
        run = subprocess.run([sys.executable, os.path.join(here, "make_videos.py")], env=env, capture_output=True, text=True, timeout=1800)
    finally:
        audio_server.shutdown()
    assert run.returncode == 0, run.stdout + run.stderr
    videos = {entry["video"]: entry for entry in map(json.loads, run.stdout.strip().splitlines())}
    for entry in videos.values():
        probed = probe(entry["file"])
        assert probed["codecs"] == ["aac", "h264"]
        assert probed["size"] == (1920, 1080)
        assert abs(probed["duration"] - entry["duration"]) <= 0.2, (probed, entry)
    speech_seconds = probe(speech)["duration"]
    assert abs(videos["audio"]["duration"] - speech_seconds) <= 0.2, (videos["audio"], speech_seconds)
    assert videos["text"]["duration"] > 2

    measured = json.loads(subprocess.run([trainer, "measure", videos["audio"]["file"]], capture_output=True, check=True, text=True).stdout)
    assert measured["face_found_ratio"] >= 0.99
    pairs = [(value, real) for value, real in zip(measured["openness"], truth) if value is not None]
    r = pearson([value for value, _ in pairs], [real for _, real in pairs])
    assert r >= 0.65, f"the rendered mouth follows the speech with r = {r:.2f}"
    print(f"cloud sample: text video {videos['text']['duration']:.2f} s, audio video {videos['audio']['duration']:.2f} s, lip sync r = {r:.2f}")
