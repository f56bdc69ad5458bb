"""The mouth-class network: it hears which sound is made in voices it never heard, at any level and
through another channel, learns what it is shown, and never trains on what it is measured with."""

from __future__ import annotations

import numpy as np
import pytest
from scipy.signal import butter, lfilter

from avatarforge_trainer import fixture, lipsync_eval, mouth_classes, visemes
from avatarforge_trainer.audio_features import frame_steps
from avatarforge_trainer.media import SAMPLE_RATE, TrainerError, read_audio
from avatarforge_trainer.mouth_model import pearson

# Each class's openness in the fixture's truth (fixture.CLASS_OPENNESS), by class number.
OPENNESS = np.array([fixture.CLASS_OPENNESS[name] for name in visemes.CLASSES])


@pytest.fixture(scope="module")
def speech(tmp_path_factory):
    """20 s of the fixtures' test sentences in a voice the network never heard."""
    made = {}

    def said(voice: str, language: str = "en") -> lipsync_eval.DrivingSpeech:
        if voice not in made:
            made[voice] = lipsync_eval.driving_speech(str(tmp_path_factory.mktemp("speech") / f"{voice}.wav"), voice,
                                                      language, seconds=20.0)
        return made[voice]

    return said


@pytest.mark.parametrize(("voice", "language", "floor"), [("en-us+f3", "en", 0.8), ("am_michael", "en", 0.7),
                                                           ("zf_xiaobei", "zh", 0.7)])
def test_the_classes_it_hears_in_an_unheard_voice_open_the_mouth_as_the_truth_does(speech, voice, language, floor):
    said = speech(voice, language)
    samples = read_audio(said.wav)
    probabilities = mouth_classes.posteriors(samples)
    assert probabilities.shape[1] == len(visemes.CLASSES)
    assert np.allclose(probabilities.sum(axis=1), 1.0, atol=1e-4)
    heard = (probabilities @ OPENNESS)[np.clip(frame_steps(said.frames), 0, len(probabilities) - 1)]
    r, loudness = pearson(heard, said.openness), lipsync_eval.loudness_r(samples, said.openness)
    print(voice, round(r, 3), "loudness", round(loudness, 3))
    assert r >= floor and r >= loudness + 0.1, (r, loudness)


def test_it_hears_the_same_classes_at_another_level_and_through_another_channel(speech):
    samples = read_audio(speech("am_michael").wav)
    heard = mouth_classes.posteriors(samples).argmax(axis=1)
    quiet = mouth_classes.posteriors(samples * 0.05).argmax(axis=1)
    low, high = butter(2, [200, 4000], btype="band", fs=SAMPLE_RATE)
    telephone = mouth_classes.posteriors(lfilter(low, high, samples).astype(np.float32)).argmax(axis=1)
    assert np.mean(quiet == heard) >= 0.95
    assert np.mean(telephone == heard) >= 0.7


def test_speech_heard_faster_and_slower_lines_up_with_the_speech_as_it_is(speech):
    """The tempos of HEARD_TEMPOS are mapped back to the speech's own steps: averaged, they follow
    the truth best at the same lag as the speech heard once, and at least as well."""
    said = speech("am_michael")
    samples = read_audio(said.wav)
    steps = np.clip(frame_steps(said.frames), 0, None)

    def by_lag(probabilities: np.ndarray) -> dict[int, float]:
        openness = probabilities @ OPENNESS
        return {lag: pearson(openness[np.clip(steps + lag, 0, len(openness) - 1)], said.openness) for lag in range(-4, 5)}

    once, averaged = by_lag(mouth_classes.network().heard(samples)), by_lag(mouth_classes.posteriors(samples))
    print("heard once", {lag: round(r, 3) for lag, r in once.items()}, "at every tempo", {lag: round(r, 3) for lag, r in averaged.items()})
    best = max(once, key=once.get)
    assert max(averaged, key=averaged.get) == best
    assert averaged[best] >= once[best] - 0.005


def test_training_learns_what_it_is_shown(monkeypatch):
    """Four classes, each a noisy cluster of its own: the fitted network tells them apart."""
    monkeypatch.setattr(mouth_classes, "EPOCHS", 5)
    monkeypatch.setattr(mouth_classes, "HIDDEN", 32)
    rng = np.random.default_rng(1)
    centres = rng.normal(size=(4, 20)) * 2.0
    classes = rng.integers(0, 4, 4000)
    inputs = (centres[classes] + rng.normal(size=(4000, 20))).astype(np.float32) * 10.0 + 3.0
    network = mouth_classes.train(inputs[:3000], classes[:3000])
    assert np.mean(network.logits(inputs[3000:]).argmax(axis=1) == classes[3000:]) >= 0.95


def test_what_measures_the_network_never_trains_it():
    taught = {voice for voice, _, _ in mouth_classes.training_voices()}
    assert not taught & set(mouth_classes.HELD_OUT_VOICES)
    # The tests' and the bench's espeak-ng voices (bench/lipsync.py) are not among its voices.
    assert not taught & {"en-us", "en", "en-us+f3", "en+m3", "en-us+m7", "en+f4", "zh-pinyin", "zh-pinyin+m3"}
    measured = {*fixture.SENTENCES_EN, *fixture.SENTENCES_EN_TEST, *fixture.SENTENCES_ZH_HANZI,
                *fixture.SENTENCES_ZH_TEST_HANZI}
    assert not measured & {*mouth_classes.CORPUS["en"], *mouth_classes.CORPUS["zh"]}


def test_a_missing_network_says_how_to_make_it(monkeypatch, tmp_path):
    monkeypatch.setattr(mouth_classes, "network_path", lambda: str(tmp_path / "mouth-classes.npz"))
    mouth_classes.network.cache_clear()
    try:
        with pytest.raises(TrainerError, match="run bash trainer/setup.sh"):
            mouth_classes.posteriors(np.zeros(SAMPLE_RATE, np.float32))
    finally:
        mouth_classes.network.cache_clear()
