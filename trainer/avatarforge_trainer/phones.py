"""Speaker-independent phones: PocketSphinx's English acoustic model decoding phones (allphone).

The acoustic model and the phone language model ship inside the PyPI package pocketsphinx; nothing
is downloaded. The model was trained on many speakers' recorded speech, so its phones do not depend
on who speaks; the mouth is then learned per person on top of them (lipsync.py). It knows English
phones; other languages come out as the nearest English ones (Mandarin is measured in docs/lip-sync.md).
"""

from __future__ import annotations

import os

import numpy as np

from .media import SAMPLE_RATE

# PocketSphinx analyses 100 frames a second.
FRAME_SECONDS = 0.01
# The phone language model's weight: lower trusts the sound more than phone sequences (measured best
# on voices unlike the training video's).
LANGUAGE_WEIGHT = 1.0
# Speech is scaled so its loud peaks sit here before decoding: recordings of any level decode alike.
PEAK_LEVEL = 0.5

def _new_decoder():
    """A decoder of its own for each recording (about 0.1 s to load): a decoder carries what it
    estimated of one recording (noise, cepstral means) into the next, so a reused one would hear the
    same speech differently depending on what it heard before."""
    from pocketsphinx import Decoder, get_model_path

    models = get_model_path()
    return Decoder(hmm=os.path.join(models, "en-us", "en-us"), allphone=os.path.join(models, "en-us", "en-us-phone.lm.bin"),
                   lw=LANGUAGE_WEIGHT, beam=1e-20, pbeam=1e-20, loglevel="FATAL")


def recognize(samples: np.ndarray) -> list[tuple[float, float, str]]:
    """(start, end, ARPAbet phone) segments of mono float speech at SAMPLE_RATE, in time order."""
    if len(samples) == 0:
        return []
    peak = float(np.percentile(np.abs(samples), 99.5))
    scaled = samples * (PEAK_LEVEL / peak) if peak > 1e-6 else samples
    pcm = (np.clip(scaled, -1.0, 1.0) * 32767.0).astype("<i2").tobytes()
    decoder = _new_decoder()
    decoder.start_utt()
    decoder.process_raw(pcm, full_utt=True)
    decoder.end_utt()
    segments = [(segment.start_frame * FRAME_SECONDS, (segment.end_frame + 1) * FRAME_SECONDS, segment.word)
                for segment in decoder.seg()]
    assert SAMPLE_RATE == 16000, "PocketSphinx's en-us model expects 16 kHz audio"
    return segments
