"""The talking-face fixture: a real H.264 + AAC file whose mouth dlib measures back as the truth says.

Run from trainer/: python -m pytest tests/test_fixture.py
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import wave

import cv2
import numpy as np
import pytest

from avatarforge_trainer import fixture, landmarks, speech

TRAINER_DIR = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
SECONDS = 12
WIDTH, HEIGHT = 1280, 720

pytestmark = pytest.mark.skipif(shutil.which("ffmpeg") is None or shutil.which("ffprobe") is None,
                                reason="ffmpeg and ffprobe are needed")


def _run_fixture(path, *args: str) -> dict:
    """Make a fixture through the CLI, as a user would; return its truth."""
    command = [sys.executable, "-m", "avatarforge_trainer.fixture", "-o", str(path), *args]
    result = subprocess.run(command, cwd=TRAINER_DIR, capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stderr
    with open(fixture.truth_path(str(path)), encoding="utf-8") as handle:
        return json.load(handle)


def _probe(path) -> dict:
    out = subprocess.run(
        ["ffprobe", "-v", "error", "-show_streams", "-show_format", "-of", "json", str(path)],
        capture_output=True, text=True, check=True,
    ).stdout
    return json.loads(out)


def _frames(path):
    capture = cv2.VideoCapture(str(path))
    try:
        while True:
            ok, frame = capture.read()
            if not ok:
                return
            yield frame
    finally:
        capture.release()


def _audio(path, rate: int = 48000) -> np.ndarray:
    raw = subprocess.run(
        ["ffmpeg", "-v", "error", "-nostdin", "-i", str(path), "-map", "0:a:0", "-f", "s16le", "-ac", "1",
         "-ar", str(rate), "-"],
        capture_output=True, check=True,
    ).stdout
    return np.frombuffer(raw, dtype=np.int16)


@pytest.fixture(scope="module")
def talking(tmp_path_factory):
    path = tmp_path_factory.mktemp("talking") / "fixture.mp4"
    truth = _run_fixture(path, "--seconds", str(SECONDS), "--width", str(WIDTH), "--height", str(HEIGHT), "--seed", "3")
    return path, truth


@pytest.fixture(scope="module")
def model():
    return landmarks.LandmarkModel()


def test_container_is_h264_and_aac_at_25_fps_and_exactly_as_long_as_asked(talking):
    path, truth = talking
    info = _probe(path)
    video = [s for s in info["streams"] if s["codec_type"] == "video"]
    audio = [s for s in info["streams"] if s["codec_type"] == "audio"]
    assert len(video) == 1 and len(audio) == 1
    assert video[0]["codec_name"] == "h264"
    assert video[0]["pix_fmt"] == "yuv420p"
    assert (video[0]["width"], video[0]["height"]) == (WIDTH, HEIGHT)
    assert video[0]["r_frame_rate"] == "25/1"
    assert audio[0]["codec_name"] == "aac"
    assert int(audio[0]["sample_rate"]) in (44100, 48000)
    assert abs(float(info["format"]["duration"]) - SECONDS) <= 0.1
    assert abs(float(video[0]["duration"]) - SECONDS) <= 0.1
    assert abs(float(audio[0]["duration"]) - SECONDS) <= 0.1
    assert truth["fps"] == 25
    assert len(truth["openness"]) == SECONDS * 25
    assert all(0.0 <= value <= 1.0 for value in truth["openness"])
    assert 0.4 * SECONDS < truth["speech_seconds"] < SECONDS
    assert truth["text"]


def test_measured_mouth_follows_the_truth(talking, model):
    path, truth = talking
    measured = []
    for index, frame in enumerate(_frames(path)):
        faces = model.find_faces(frame)
        assert faces, f"no face found in frame {index}"
        measured.append(landmarks.mouth_openness(model.landmarks(frame, faces[0])))
    expected = np.array(truth["openness"])
    assert len(measured) == len(expected)
    measured = np.array(measured)
    r = float(np.corrcoef(measured, expected)[0, 1])
    print(f"Pearson r between measured and true openness: {r:.4f}")
    assert r >= 0.9
    # The mouth opens and closes for real: closed frames measure near zero, wide ones well open.
    assert np.median(measured[expected < 0.05]) < 0.05
    assert np.median(measured[expected > 0.8]) > 0.2


def test_truth_has_closed_and_open_mouths_and_the_audio_carries_speech(talking):
    path, truth = talking
    openness = np.array(truth["openness"])
    assert (openness < 0.05).mean() > 0.1  # pauses and bilabials
    assert (openness > 0.6).mean() > 0.1  # open vowels
    samples = _audio(path).astype(np.float64)
    assert np.abs(samples).max() > 3000


def test_synthesize_gives_phonemes_in_time_order_covering_the_audio():
    said = speech.synthesize("Mmm, maybe Bob will bring a big map to the park.")
    assert said.sample_rate == 22050
    assert said.samples.dtype == np.int16
    assert said.seconds > 1.5
    times = [start for start, _ in said.phonemes]
    names = [name for _, name in said.phonemes]
    assert len(times) > 20
    assert times == sorted(times)
    assert times[0] < 0.1
    assert said.seconds - 0.1 < times[-1] <= said.seconds + 0.01
    assert {"m", "b", "p"} <= set(names)
    # A second call in the same process works and says the same phonemes.
    again = speech.synthesize("Mmm, maybe Bob will bring a big map to the park.")
    assert [name for _, name in again.phonemes] == names


def test_speech_cli_writes_a_wav(tmp_path):
    out = tmp_path / "hello.wav"
    result = subprocess.run(
        [sys.executable, "-m", "avatarforge_trainer.speech", "--text", "Hello, my name is Pam.", "--language", "en",
         "-o", str(out)],
        cwd=TRAINER_DIR, capture_output=True, text=True, timeout=60,
    )
    assert result.returncode == 0, result.stderr
    with wave.open(str(out), "rb") as wav:
        assert wav.getnchannels() == 1 and wav.getsampwidth() == 2 and wav.getframerate() == 22050
        assert wav.getnframes() > 22050 // 2


def test_phoneme_openness_map():
    for closed in ("p", "b", "m", "_", "_:", "_|"):
        assert fixture.phoneme_openness(closed) == 0.0
    assert fixture.phoneme_openness("f") == fixture.phoneme_openness("v") == 0.15
    for wide in ("a", "aI", "aU", "A:", "A@"):
        assert fixture.phoneme_openness(wide) == 1.0
    assert 0.55 <= fixture.phoneme_openness("E") <= 0.75
    assert fixture.phoneme_openness("i:") == fixture.phoneme_openness("U") == 0.35
    assert fixture.phoneme_openness("k") == fixture.OTHER_CONSONANT_OPENNESS


def test_no_face_has_no_face_but_has_speech(tmp_path, model):
    path = tmp_path / "noface.mp4"
    truth = _run_fixture(path, "--seconds", "3", "--width", str(WIDTH), "--height", str(HEIGHT), "--no-face")
    assert truth["face"] is False
    count = 0
    for index, frame in enumerate(_frames(path)):
        count += 1
        assert model.find_faces(frame) == [], f"a face was found in frame {index}"
    assert count == 75
    assert np.abs(_audio(path)).max() > 3000


def test_silent_has_a_silent_audio_track(tmp_path):
    path = tmp_path / "silent.mp4"
    truth = _run_fixture(path, "--seconds", "2", "--width", "640", "--height", "360", "--silent")
    assert truth["audio"] == "silent" and truth["speech_seconds"] == 0.0
    codecs = {s["codec_type"]: s["codec_name"] for s in _probe(path)["streams"]}
    assert codecs == {"video": "h264", "audio": "aac"}
    samples = _audio(path)
    assert len(samples) > 48000
    peak = int(np.abs(samples.astype(np.int32)).max())
    assert peak == 0 or 20 * np.log10(peak / 32768.0) < -60


def test_sample_video_command_is_the_fixture_maker_from_any_directory(tmp_path):
    """`trainer/bin/avatarforge-trainer sample-video` (the README's try-it recipe) runs fixture.py from wherever it is called."""
    args = ["--seconds", "2", "--width", "640", "--height", "360"]
    command = [os.path.join(TRAINER_DIR, "bin", "avatarforge-trainer"), "sample-video", "-o", "sample.mp4", *args]
    result = subprocess.run(command, cwd=tmp_path, capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stderr
    with open(fixture.truth_path(str(tmp_path / "sample.mp4")), encoding="utf-8") as handle:
        sample_truth = json.load(handle)
    assert sample_truth == _run_fixture(tmp_path / "direct.mp4", *args)
    assert _probe(tmp_path / "sample.mp4")["format"]["duration"].startswith("2.0")
