"""The talking-face fixture: a real H.264 + AAC file whose mouth dlib measures back as the truth says.

Run from trainer/: python -m pytest tests/test_fixture.py
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
import wave

import cv2
import numpy as np
import pytest

from avatarforge_trainer import fixture, fixture_cache, landmarks, speech, visemes

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


# -- other faces, voices and texts ---------------------------------------------------------------

# Grace Hopper's and Luis Pedro Coelho's photos are small, his face turned and cut off below the
# chin, and both mouths are closed: every opening is drawn dark, with no teeth to show. Coelho also
# speaks in another voice, reading the test sentences. Face: (CLI options, what the truth says).
OTHER_FACES = {
    "hopper": ([], {"voice": "en", "texts": "training"}),
    "coelho": (["--voice", "en-us+f3", "--texts", "test"], {"voice": "en-us+f3", "texts": "test"}),
}


def _sentences(text: str) -> list[str]:
    return re.split(r"(?<=[.?!]) ", text)


def _measure_mouths(path, model, scale: float) -> tuple[np.ndarray, np.ndarray, list[np.ndarray]]:
    """Per frame: the inner-lip gap (NaN without a face), the eye distance, and the grey pixels
    between the inner lips."""
    gaps, eyes, insides = [], [], []
    for frame in _frames(path):
        faces = model.find_faces(frame, scale)
        if not faces:
            gaps.append(np.nan)
            eyes.append(np.nan)
            insides.append(np.zeros(0, np.uint8))
            continue
        points = model.landmarks(frame, faces[0])
        gaps.append(landmarks.mouth_openness(points))
        eyes.append(landmarks.eye_distance(points))
        mask = np.zeros(frame.shape[:2], np.uint8)
        cv2.fillPoly(mask, [np.round(points[landmarks.INNER_LIPS]).astype(np.int32)], 255)
        insides.append(cv2.cvtColor(frame, cv2.COLOR_BGR2GRAY)[mask > 0])
    return np.array(gaps), np.array(eyes), insides


@pytest.mark.parametrize("face", sorted(OTHER_FACES))
def test_other_faces_talk_as_the_truth_says_with_a_dark_open_mouth(tmp_path, model, face):
    options, said = OTHER_FACES[face]
    path = tmp_path / f"{face}.mp4"
    truth = _run_fixture(path, "--seconds", "8", "--width", "640", "--height", "360", "--seed", "3", "--face", face,
                         *options)
    assert truth["photo"] == face and truth["face"] is True
    assert {key: truth[key] for key in said} == said
    sentences = fixture.SENTENCES_EN_TEST if said["texts"] == "test" else fixture.SENTENCES_EN
    assert set(_sentences(truth["text"])) <= set(sentences)
    # At 640x360 the face is about 140 px wide: searched on a half-size copy, as a 360p tracker would.
    gaps, eyes, insides = _measure_mouths(path, model, scale=0.5)
    expected = np.array(truth["openness"])
    found = ~np.isnan(gaps)
    assert len(gaps) == len(expected) == 200
    assert found.mean() >= 0.99, f"a face in only {100 * found.mean():.1f} % of the frames"
    assert np.nanmedian(eyes) >= 40  # what the trainer's tracker needs
    r = float(np.corrcoef(gaps[found], expected[found])[0, 1])
    print(f"{face}: Pearson r between measured and true openness: {r:.4f}")
    assert r >= 0.9
    assert np.median(gaps[found & (expected < 0.05)]) < 0.05
    assert np.median(gaps[found & (expected > 0.8)]) > 0.2
    # Wide open, the mouth is dark inside: no teeth (the astronaut's would be near white) and no
    # band of lip-coloured pixels hung under the upper lip.
    wide = [insides[index] for index in np.flatnonzero(found & (expected > 0.8)) if len(insides[index])]
    assert len(wide) > 5
    assert np.median([pixels.mean() for pixels in wide]) < 60
    assert np.median([np.percentile(pixels, 95) for pixels in wide]) < 120


def _median_pitch(track: fixture.Soundtrack) -> float:
    """Median fundamental frequency (Hz) of the loud 40 ms windows, by autocorrelation over 70-400 Hz."""
    samples, rate = track.samples.astype(np.float64), track.sample_rate
    size = int(0.04 * rate)
    shortest, longest = int(rate / 400), int(rate / 70)
    pitches = []
    for start in range(0, len(samples) - size, size):
        window = samples[start:start + size]
        if np.abs(window).mean() < 1500:
            continue
        window = window - window.mean()
        correlation = np.correlate(window, window, "full")[size - 1:]
        pitches.append(rate / (shortest + int(np.argmax(correlation[shortest:longest]))))
    return float(np.median(pitches))


def _pause_energy_share(track: fixture.Soundtrack, seconds: float) -> float:
    """The share of the audio's energy inside the phoneme timeline's pauses."""
    energy = track.samples.astype(np.float64) ** 2
    in_pauses = 0.0
    for index, (start, name) in enumerate(track.phonemes):
        end = track.phonemes[index + 1][0] if index + 1 < len(track.phonemes) else seconds
        if name.startswith("_"):
            in_pauses += energy[int(start * track.sample_rate):int(end * track.sample_rate)].sum()
    return in_pauses / energy.sum()


def test_a_voice_changes_the_audio_but_the_phonemes_still_match_it():
    seconds = 8.0
    usual = fixture.build_soundtrack(seconds, "en", np.random.default_rng(4))
    other = fixture.build_soundtrack(seconds, "en", np.random.default_rng(4), voice="en-us+f3")
    assert (usual.voice, other.voice) == ("en", "en-us+f3")
    # Another voice: a woman's, an octave or so above the default man's.
    assert _median_pitch(other) > 1.5 * _median_pitch(usual)
    # The same sentences in the same order, the same phonemes (until one track is cut off) ...
    shorter, longer = sorted((usual.text, other.text), key=len)
    assert longer.startswith(shorter)
    sounds = [[name for _, name in track.phonemes if not name.startswith("_")] for track in (usual, other)]
    count = min(map(len, sounds))
    assert count > 40 and sounds[0][:count] == sounds[1][:count]
    # ... timed to this voice's audio: silent in the pauses, speech in between.
    for track in (usual, other):
        assert _pause_energy_share(track, seconds) < 0.001
        assert 0.4 * seconds < track.speech_seconds < seconds


@pytest.mark.parametrize("language, name", [("en", "am_michael"), ("zh", "zf_xiaobei")])
def test_a_neural_voice_speaks_the_fixture_with_its_own_phoneme_timing(language, name):
    seconds = 8.0
    track = fixture.build_soundtrack(seconds, language, np.random.default_rng(4), voice=name)
    assert track.voice == name and track.sample_rate == 24000
    # Its phonemes are IPA symbols, every one with an openness of its mouth class.
    symbols = {symbol for _, symbol in track.phonemes}
    assert symbols & set(visemes.IPA)
    openness = fixture.openness_track(track.phonemes, seconds, 25)
    assert openness.min() == 0.0 and openness.max() >= 0.6
    assert fixture.phoneme_openness("ɑ") == 1.0 and fixture.phoneme_openness("ʃ") == fixture.OTHER_CONSONANT_OPENNESS
    # Timed to its audio: nearly silent in the pauses (the mouth at rest; a word's fading end may
    # reach into them), speech in between.
    assert _pause_energy_share(track, seconds) < 0.005
    assert 0.4 * seconds < track.speech_seconds < seconds


def test_test_texts_are_the_test_sentences_with_pauses_of_300_ms_or_more():
    for language, sentences in (("en", fixture.SENTENCES_EN_TEST), ("zh", fixture.SENTENCES_ZH_TEST)):
        track = fixture.build_soundtrack(12.0, language, np.random.default_rng(5), texts="test")
        said = _sentences(track.text)
        assert len(said) >= 2 and set(said) <= set(sentences)
        # The pauses added between sentences: silent runs of 0.3 s and more.
        silent = np.abs(track.samples) == 0
        edges = np.flatnonzero(np.diff(np.concatenate([[0], silent.astype(np.int8), [0]])))
        runs = (edges[1::2] - edges[::2]) / track.sample_rate
        assert (runs >= 0.3).sum() >= len(said) - 1


def test_test_sentences_share_none_with_the_training_sentences():
    for training, test in ((fixture.SENTENCES_EN, fixture.SENTENCES_EN_TEST), (fixture.SENTENCES_ZH, fixture.SENTENCES_ZH_TEST)):
        assert len(set(test)) == len(test) >= 8
        normalised = {sentence.lower().strip(" .?!") for sentence in training}
        assert not normalised & {sentence.lower().strip(" .?!") for sentence in test}
    assert len(fixture.SENTENCES_EN_TEST) >= 12


def test_cache_names_keep_the_defaults_and_name_every_other_option():
    default = fixture_cache.fixture_name(60.0, 1920, 1080, 1, False, False, "en", "astronaut", None, "training", "abc")
    assert default == "fixture-60s-1920x1080-seed1-abc"
    silent = fixture_cache.fixture_name(15.0, 640, 360, 1, True, True, "en", "astronaut", None, "training", "abc")
    assert silent == "fixture-15s-640x360-seed1-silent-noface-abc"
    other = fixture_cache.fixture_name(8.0, 640, 360, 3, False, False, "zh", "coelho", "mb/mb-en1", "test", "abc")
    assert other == "fixture-8s-640x360-seed3-zh-coelho-voice-mb_mb-en1-test-texts-abc"
