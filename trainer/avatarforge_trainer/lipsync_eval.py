"""How well a model's mouth follows speech it never heard: new sentences in another voice, rendered
and measured back with the landmark model against the truth the fixture knows.

The driving speech is espeak-ng reading the fixture's test sentences (none of them is in any training
fixture) in the voice asked for, with the fixture's pauses between them (fixture.build_soundtrack); its truth is the phoneme timeline's
openness (fixture.openness_track), turned into this person's lip gap by the line that relates the
training fixture's truth to the gap measured on it. Used by the trainer's tests and by
`npm run bench:lipsync`.
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass

import numpy as np

from . import audio_features, fixture
from .landmarks import mouth_openness
from .lipsync import REST_RAMP_SECONDS, LipSync, Timeline, pause_frames
from .media import FPS, SAMPLE_RATE, read_audio, write_wav
from .model import Model, render
from .mouth_model import pearson

# A pause-interior frame rests when its lip gap is within this share of the real range of the rest gap.
REST_TOLERANCE = 0.15


@dataclass
class DrivingSpeech:
    wav: str                           # 16 kHz mono
    timeline: Timeline                 # its phonemes (what a TEXT script knows)
    openness: np.ndarray               # truth per frame, 0 closed .. 1 wide open
    frames: int


def driving_speech(path: str, voice: str, language: str = "en", seconds: float = 25.0, seed: int = 7) -> DrivingSpeech:
    """`seconds` of the test sentences in `voice`, with the fixture's pauses between them, written to `path`."""
    track = fixture.build_soundtrack(seconds, language, np.random.default_rng(seed), voice, texts="test")
    write_wav(path, track.samples, track.sample_rate)
    frames = int(np.ceil(len(read_audio(path)) / SAMPLE_RATE * FPS))
    openness = fixture.openness_track(track.phonemes, frames / FPS, FPS)[:frames]
    return DrivingSpeech(path, Timeline(track.phonemes, [(0.0, seconds)]), openness, frames)


def gap_line(training_data: str, training_truth: str) -> tuple[float, float]:
    """(offset, slope): the measured lip gap of the training fixture as a line in its truth openness."""
    points = np.load(os.path.join(training_data, "landmarks.npy"))
    with open(training_truth, encoding="utf-8") as source:
        openness = np.array(json.load(source)["openness"])
    found = ~np.isnan(points[:, 0, 0])
    count = min(len(points), len(openness))
    gaps = np.array([mouth_openness(p) for p in points[:count][found[:count]]])
    slope, offset = np.polyfit(openness[:count][found[:count]], gaps, 1)
    return float(offset), float(slope)


def agreement(rendered: np.ndarray, truth: np.ndarray, pauses: np.ndarray, rest_gap: float) -> dict:
    """How a lip gap follows the real one: correlation, depth (its 5-95 % spread over the real one)
    and the share of frames inside pauses of 300 ms or more (away from their edges) at rest."""
    count = min(len(rendered), len(truth), len(pauses))
    rendered, truth, pauses = rendered[:count], truth[:count], pauses[:count]
    both = ~np.isnan(rendered) & ~np.isnan(truth)
    real_low, real_high = np.percentile(truth[both], [5, 95])
    low, high = np.percentile(rendered[both], [5, 95])
    inside = pauses & both
    for shift in range(1, int(round(REST_RAMP_SECONDS * FPS)) + 1):
        inside &= np.roll(pauses, shift) & np.roll(pauses, -shift)
    resting = np.abs(rendered[inside] - rest_gap) <= REST_TOLERANCE * (real_high - real_low)
    return {"r": pearson(rendered[both], truth[both]), "depth": float((high - low) / max(real_high - real_low, 1e-9)),
            "rest": float(resting.mean()) if inside.any() else 1.0}


def loudness_r(samples: np.ndarray, truth: np.ndarray) -> float:
    """"Open the mouth when it is loud": the frame's audio energy against the truth."""
    _, energy = audio_features.steps(samples)
    at_frames = np.clip(audio_features.frame_steps(len(truth)), 0, len(energy) - 1)
    return pearson(np.sqrt(np.exp(energy[at_frames])), truth)


def evaluate(model: Model, speech: DrivingSpeech, line: tuple[float, float], output: str, mode: str,
             measure) -> dict:
    """Renders the speech as a TEXT script (mode "text": the mouth follows the phonemes) or an AUDIO
    one (mode "audio"), measures the lip gap back with `measure(video) -> (gaps, face_found)`, and
    returns predicted r, rendered r, loudness-only r, depth, rest and face found."""
    samples = read_audio(speech.wav)
    truth = line[0] + line[1] * speech.openness
    timeline = speech.timeline if mode == "text" else None
    predicted = model.mouth_shapes(samples, speech.frames, timeline)[:, 0]
    render(model, speech.wav, output, 720, timeline=timeline)
    measured, face_found = measure(output)
    pauses = pause_frames(samples, speech.frames)
    rest_gap = float(model.mouth.rest_shape[0]) if isinstance(model.mouth, LipSync) else line[0]
    rendered = agreement(measured, truth, pauses, rest_gap)
    os.remove(output)
    return {"predicted_r": pearson(predicted, truth), "rendered_r": rendered["r"], "loudness_r": loudness_r(samples, truth),
            "depth": rendered["depth"], "rest": rendered["rest"], "face_found": face_found}
