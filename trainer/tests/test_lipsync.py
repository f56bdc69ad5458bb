"""The lip-sync front ends on their own: mouth classes for every phoneme the synthesizer says, phones
that do not depend on the recording's level, pauses found in a noisy room, rest in pauses."""

from __future__ import annotations

import numpy as np
import pytest

from avatarforge_trainer import lipsync, phones, visemes
from avatarforge_trainer.fixture import SENTENCES_EN, SENTENCES_ZH
from avatarforge_trainer.media import FPS, SAMPLE_RATE
from avatarforge_trainer.speech import synthesize


def as_16k(speech) -> np.ndarray:
    """espeak-ng's int16 at its own rate → float at SAMPLE_RATE (linear interpolation is enough here)."""
    seconds = len(speech.samples) / speech.sample_rate
    times = np.arange(int(seconds * SAMPLE_RATE)) / SAMPLE_RATE
    return np.interp(times, np.arange(len(speech.samples)) / speech.sample_rate, speech.float_samples).astype(np.float32)


@pytest.mark.parametrize(("voice", "sentences"), [("en-us", SENTENCES_EN), ("en", SENTENCES_EN), ("zh-pinyin", SENTENCES_ZH),
                                                   ("zh", ["你好！我是你的数字人。", "八百标兵奔北坡，今天天气很好。"])])
def test_every_phoneme_the_synthesizer_says_has_a_mouth_class_of_its_own(voice, sentences):
    names = {name for sentence in sentences for _, name in synthesize(sentence, voice).phonemes}
    bare = {name.lstrip("',%=").replace(":", "") for name in names} - {""}
    unmatched = sorted(name for name in bare if not any(name.startswith(known) for known in visemes.ESPEAK) and not name.startswith("("))
    assert unmatched == []
    assert visemes.phoneme_class("p") == visemes.phoneme_class("m") == visemes.INDEX["closed"]
    assert visemes.phoneme_class("'aI") == visemes.phoneme_class("A:") == visemes.INDEX["open"]
    assert visemes.phoneme_class("_:") == visemes.phoneme_class("(en)") == visemes.REST


def test_the_recogniser_hears_the_same_phones_at_any_level():
    samples = as_16k(synthesize("Maybe Bob will bring a big map to the park.", "en-us+m3"))
    loud = [phone for _, _, phone in phones.recognize(samples)]
    quiet = [phone for _, _, phone in phones.recognize(samples * 0.05)]
    assert loud == quiet
    assert len(loud) >= 10 and set(loud) <= set(visemes.ARPABET), loud


def test_pauses_are_found_in_a_noisy_room_and_the_mouth_rests_in_them():
    speech = as_16k(synthesize("Open the window.", "en-us"))
    silence = np.zeros(int(0.6 * SAMPLE_RATE), dtype=np.float32)
    samples = np.concatenate([speech, silence, speech])
    noisy = samples + np.random.default_rng(1).normal(0, 0.01 * np.abs(speech).max(), len(samples)).astype(np.float32)
    frames = int(len(samples) / SAMPLE_RATE * FPS)
    pauses = lipsync.pause_frames(noisy, frames)
    start, end = len(speech) / SAMPLE_RATE, (len(speech) + len(silence)) / SAMPLE_RATE
    inside = np.arange(frames) / FPS
    assert pauses[(inside > start + 0.1) & (inside < end - 0.1)].all()
    assert not pauses[(inside > 0.2) & (inside < start - 0.2)].any()

    shapes = np.tile([0.3, 1.0, 0.4, 1.1], (frames, 1))
    rest = np.array([0.02, 1.0, 0.2, 1.0])
    rested = lipsync.rest_in_pauses(shapes, pauses, rest)
    assert np.allclose(rested[(inside > start + 0.1) & (inside < end - 0.1)], rest)
    assert np.allclose(rested[inside < start - 0.2], shapes[0])


def test_a_model_saved_before_smoothing_frames_keeps_its_3_frame_average():
    rng = np.random.default_rng(3)
    ridge = {f"{prefix}_{name}": value for prefix in ("phones", "acoustic") for name, value in
             (("feature_mean", np.zeros(2)), ("feature_scale", np.ones(2)), ("weights", np.zeros((2, 4))),
              ("bias", np.zeros(4)), ("penalty", np.array(1.0)))}
    model = lipsync.LipSync(rng.random((len(visemes.CLASSES), 4)), np.zeros(4), lipsync.RidgeModel.from_arrays(ridge, "phones"),
                            np.ones(4), np.zeros(4), acoustic_model=lipsync.RidgeModel.from_arrays(ridge, "acoustic"))
    saved = model.to_arrays()
    assert int(saved["smoothing_frames"]) == lipsync.SMOOTHING_FRAMES == 1
    assert lipsync.LipSync.from_arrays(saved).smoothing_frames == 1
    del saved["smoothing_frames"]
    assert lipsync.LipSync.from_arrays(saved).smoothing_frames == 3


def test_a_new_recordings_audio_path_is_stretched_towards_the_persons_depth_never_narrowed():
    rng = np.random.default_rng(4)
    speaking = np.ones(250, dtype=bool)
    narrow = 0.3 + 0.01 * rng.standard_normal((250, 4))
    spread = np.subtract(*np.percentile(narrow, [95, 5], axis=0))
    for wanted, factor in ((spread * 1.1, 1.1), (spread * 3.0, 1.25), (spread * 0.5, 1.0)):
        stretched = lipsync.matched_depth(narrow, speaking, wanted)
        got = np.subtract(*np.percentile(stretched, [95, 5], axis=0)) / spread
        assert np.allclose(got, factor, atol=1e-6), (factor, got)
        assert np.allclose(np.median(stretched, axis=0), np.median(narrow, axis=0))
    # Too little speech (under 2 s) to judge its depth by: left as it is.
    few = speaking.copy()
    few[40:] = False
    assert np.array_equal(lipsync.matched_depth(narrow, few, spread * 2.0), narrow)


def test_text_is_brought_towards_the_persons_depth_as_audio_is():
    rng = np.random.default_rng(5)
    ridge = {f"phones_{name}": value for name, value in (("feature_mean", np.zeros(2)), ("feature_scale", np.ones(2)),
                                                         ("weights", np.zeros((2, 4))), ("bias", np.zeros(4)),
                                                         ("penalty", np.array(1.0)))}
    common = (rng.random((len(visemes.CLASSES), 4)), np.zeros(4), lipsync.RidgeModel.from_arrays(ridge, "phones"),
              np.ones(4), np.zeros(4))
    samples = (0.1 * rng.standard_normal(5 * SAMPLE_RATE)).astype(np.float32)   # speech throughout: no pause
    phonemes = [(0.12 * number, "a" if number % 2 else "m") for number in range(40)] + [(4.8, "_")]
    frames = 5 * FPS
    as_made = lipsync.LipSync(*common).from_phonemes(phonemes, samples, frames)
    spread = np.subtract(*np.percentile(as_made, [95, 5], axis=0))
    stretched = lipsync.LipSync(*common, spread=spread * 1.2).from_phonemes(phonemes, samples, frames)
    assert np.allclose(np.subtract(*np.percentile(stretched, [95, 5], axis=0)) / spread, 1.2, atol=1e-6)
