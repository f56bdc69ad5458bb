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
    return np.interp(times, np.arange(len(speech.samples)) / speech.sample_rate, speech.samples / 32768.0).astype(np.float32)


@pytest.mark.parametrize(("voice", "sentences"), [("en-us", SENTENCES_EN), ("en", SENTENCES_EN), ("zh-pinyin", SENTENCES_ZH),
                                                   ("zh", ["你好！我是你的数字人。", "八百标兵奔北坡，今天天气很好。"])])
def test_every_phoneme_the_synthesizer_says_has_a_mouth_class_of_its_own(voice, sentences):
    names = {name for sentence in sentences for _, name in synthesize(sentence, voice).phonemes}
    bare = {name.lstrip("',%=").replace(":", "") for name in names} - {""}
    unmatched = sorted(name for name in bare if not any(name.startswith(known) for known in visemes.ESPEAK) and not name.startswith("("))
    assert unmatched == []
    assert visemes.espeak_class("p") == visemes.espeak_class("m") == visemes.INDEX["closed"]
    assert visemes.espeak_class("'aI") == visemes.espeak_class("A:") == visemes.INDEX["open"]
    assert visemes.espeak_class("_:") == visemes.espeak_class("(en)") == visemes.REST


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
