"""The speaker encoder and the stock voice nearest to a person (speaker.py)."""

import shutil

import numpy as np
import pytest

from avatarforge_trainer import speaker
from avatarforge_trainer.media import TrainerError
from avatarforge_trainer.voice import NEURAL_VOICES, synthesize

# Not the texts the stock voices' prints are made from.
TEXTS = (
    "The museum opens at nine in the morning and closes late on Fridays. Nobody expected the rain to last all weekend.",
    "Please remember to water the plants while I am away. He painted the fence green because his neighbour asked.",
)


def print_of(text: str, voice: str, pitch: float = 1.0) -> np.ndarray:
    speech = synthesize(text, voice)
    # A pitch and formant shift (resampling) makes another speaker from a stock voice.
    return speaker.embed(speech.float_samples, round(speech.sample_rate * pitch))


def test_the_encoder_tells_voices_apart():
    voices = ("af_heart", "am_michael", "bf_emma")
    prints = {(voice, n): print_of(text, voice) for voice in voices for n, text in enumerate(TEXTS)}
    for voice in voices:
        same = float(prints[(voice, 0)] @ prints[(voice, 1)])
        others = [float(prints[(voice, 0)] @ prints[(other, 1)]) for other in voices if other != voice]
        assert same > 0.9 and same > max(others) + 0.15, (voice, same, others)


def test_the_nearest_voice_is_the_voice_itself_and_a_shifted_voice_keeps_its_gender():
    chosen = speaker.nearest(print_of(TEXTS[0], "am_michael"))
    assert chosen["en"]["voice"] == "am_michael" and chosen["en"]["similarity"] > 0.9
    assert NEURAL_VOICES[chosen["zh"]["voice"]].gender == "male"
    lower = speaker.nearest(print_of(TEXTS[1], "bf_isabella", pitch=0.94))
    assert NEURAL_VOICES[lower["en"]["voice"]].gender == "female"
    assert lower["en"]["similarity"] < 0.95


def test_a_print_needs_speech():
    rng = np.random.default_rng(1)
    with pytest.raises(TrainerError, match="too little speech for a voice print"):
        speaker.embed(np.zeros(16000 * 5, np.float32))
    with pytest.raises(TrainerError, match="too little speech for a voice print"):
        speaker.embed(rng.normal(0, 0.1, 16000 * 5).astype(np.float32))
    with pytest.raises(TrainerError, match="too little speech for a voice print"):
        speaker.embed(rng.normal(0, 0.1, 16000).astype(np.float32))


def test_weights_that_are_not_the_pinned_ones_are_refused(tmp_path):
    copy = tmp_path / "pretrained.pt"
    shutil.copyfile(speaker._weights_path(), copy)
    with open(copy, "r+b") as target:
        target.seek(1000)
        target.write(b"\x00")
    with pytest.raises(TrainerError, match="not the voice encoder's pinned weights"):
        speaker._read_weights(str(copy))
