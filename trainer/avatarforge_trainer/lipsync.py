"""Speech → mouth shapes, learned from the person's own video (model format 2).

Three ways in, one person's mouth out:
- **Text** the product synthesizes: the synthesizer's phoneme timeline → mouth classes (visemes.py)
  → the person's shape for each class, blended across neighbouring sounds (coarticulation).
- **Audio** from anyone: a speaker-independent phone recogniser (phones.py) gives mouth classes in
  a ±240 ms context, mapped to the person's shapes by ridge regression; beside it an acoustic model
  on level- and channel-normalised MFCCs, fitted on the training speech and on copies of it with
  the vocal tract made longer and shorter (so another voice's formants do not mislead it). The two
  predictions are averaged, then stretched so their range matches the person's real range.
- **Pauses** of PAUSE_SECONDS or more, in either: the mouth goes to the person's rest shape (the
  median of their own pauses), not wherever the last word left it.

Every step is fitted on the training video: the classes say which sounds look alike, never how far
this person's mouth opens.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from . import audio_features, phones, visemes
from .media import FPS, SAMPLE_RATE
from .mouth_model import RidgeModel, cross_validated, fit, smooth

STEP_SECONDS = 0.01
# The phone context a frame sees: ±240 ms in 30 ms steps.
PHONE_CONTEXT_STEPS = tuple(range(-24, 25, 3))
# Vocal tract lengths the acoustic model is trained on (frequency-axis warps of the mel bands).
VOCAL_TRACT_WARPS = (0.84, 0.9, 0.95, 1.0, 1.05, 1.11, 1.18)
# Coarticulation: each class's shape is spread over this window (a centred box, in 10 ms steps).
COARTICULATION_STEPS = 5
# Silence this long or longer is a pause: the mouth rests.
PAUSE_SECONDS = 0.3
# The mouth closes over this long at the start of a pause and opens over it at the end.
REST_RAMP_SECONDS = 0.08
# Percentiles whose spread the calibrated prediction matches to the real one (articulation depth).
RANGE_PERCENTILES = (5.0, 95.0)
# How strongly a class seen in few frames is pulled towards the person's mean shape.
CLASS_PENALTY = 50.0
# The audio path's averaged prediction is used as it is: the models' ±200 ms context already makes
# it smooth, and a 3-frame average (what models made before lipsync.npz held `smoothing_frames`
# used) blunted closures and cost 0.02-0.03 of r on new voices.
SMOOTHING_FRAMES = 1
BEFORE_SMOOTHING_FRAMES = 3


@dataclass
class Timeline:
    """The synthesized parts of a recording: their phonemes ((start seconds, phoneme) as voice.py
    gives them, a "_" where each part ends) and the (start, end) seconds each part covers."""

    phonemes: list[tuple[float, str]]
    spans: list[tuple[float, float]]

    @staticmethod
    def whole(phonemes: list[tuple[float, str]], seconds: float) -> "Timeline":
        """A recording that is one synthesized utterance."""
        return Timeline([*phonemes, (seconds, "_")], [(0.0, seconds)])


@dataclass
class LipSync:
    viseme_shapes: np.ndarray    # (classes, 4): the person's mouth for each class
    rest_shape: np.ndarray       # (4,): the person's mouth in pauses
    phone_model: RidgeModel      # phone-class context + relative loudness → shape
    acoustic_model: RidgeModel   # normalised MFCCs → shape
    gain: np.ndarray             # (4,): calibration, shape = offset + gain * averaged prediction
    offset: np.ndarray           # (4,)
    smoothing_frames: int = SMOOTHING_FRAMES  # the averaged prediction's moving average, in frames

    def to_arrays(self) -> dict[str, np.ndarray]:
        return {"viseme_shapes": self.viseme_shapes, "rest_shape": self.rest_shape, "gain": self.gain,
                "offset": self.offset, "smoothing_frames": np.array(self.smoothing_frames),
                **self.phone_model.to_arrays("phones"), **self.acoustic_model.to_arrays("acoustic")}

    @staticmethod
    def from_arrays(arrays) -> "LipSync":
        smoothing = int(arrays["smoothing_frames"]) if "smoothing_frames" in arrays else BEFORE_SMOOTHING_FRAMES
        return LipSync(arrays["viseme_shapes"], arrays["rest_shape"], RidgeModel.from_arrays(arrays, "phones"),
                       RidgeModel.from_arrays(arrays, "acoustic"), arrays["gain"], arrays["offset"], smoothing)

    def from_audio(self, samples: np.ndarray, frames: int) -> np.ndarray:
        """Mouth shapes (frames, 4) for any speech: the speaker-independent path."""
        by_phones = self.phone_model.predict(phone_features(samples, frames))
        by_sound = self.acoustic_model.predict(acoustic_features(samples, frames))
        shapes = self.offset + self.gain * smooth((by_phones + by_sound) / 2.0, self.smoothing_frames)
        return rest_in_pauses(shapes, pause_frames(samples, frames), self.rest_shape)

    def for_speech(self, samples: np.ndarray, frames: int, timeline: Timeline | None = None) -> np.ndarray:
        """Mouth shapes (frames, 4): from the phonemes where the speech was synthesized, from the sound elsewhere."""
        if timeline is None or not timeline.spans:
            return self.from_audio(samples, frames)
        by_text = self.from_phonemes(timeline.phonemes, samples, frames)
        times = np.arange(frames) / FPS
        synthesized = np.zeros(frames, dtype=bool)
        for start, end in timeline.spans:
            synthesized |= (times >= start) & (times < end)
        if synthesized.all():
            return by_text
        return np.where(synthesized[:, None], by_text, self.from_audio(samples, frames))

    def from_phonemes(self, phonemes: list[tuple[float, str]], samples: np.ndarray, frames: int) -> np.ndarray:
        """Mouth shapes (frames, 4) for synthesized speech whose phoneme timeline is known."""
        seconds = frames / FPS
        classes = visemes.class_steps(visemes.phoneme_segments(phonemes, seconds), seconds, STEP_SECONDS)
        shapes = coarticulated(classes, frames) @ self.viseme_shapes
        return rest_in_pauses(shapes, pause_frames(samples, frames), self.rest_shape)


# ---------------------------------------------------------------------------------------------------
# Features.

def _one_hot(classes: np.ndarray) -> np.ndarray:
    table = np.zeros((len(classes), len(visemes.CLASSES)), dtype=np.float32)
    table[np.arange(len(classes)), classes] = 1.0
    return table


def coarticulated(classes: np.ndarray, frames: int) -> np.ndarray:
    """(frames, classes) weights: each frame's share of every class within the coarticulation window."""
    kernel = np.ones(COARTICULATION_STEPS, dtype=np.float32) / COARTICULATION_STEPS
    one_hot = _one_hot(classes)
    spread = np.stack([np.convolve(column, kernel, mode="same") for column in one_hot.T], axis=1)
    return spread[np.clip(audio_features.frame_steps(frames), 0, len(spread) - 1)]


def recognised_classes(samples: np.ndarray, frames: int) -> np.ndarray:
    seconds = max(frames / FPS, len(samples) / SAMPLE_RATE)
    segments = [(start, end, visemes.arpabet_class(phone)) for start, end, phone in phones.recognize(samples)]
    return visemes.class_steps(segments, seconds, STEP_SECONDS)


def phone_features(samples: np.ndarray, frames: int, classes: np.ndarray | None = None) -> np.ndarray:
    """The recognised mouth classes around each frame (one-hot, ±240 ms) and the relative loudness."""
    if classes is None:
        classes = recognised_classes(samples, frames)
    one_hot = _one_hot(classes)
    index = np.clip(audio_features.frame_steps(frames)[:, None] + np.array(PHONE_CONTEXT_STEPS)[None, :], 0, len(one_hot) - 1)
    context = one_hot[index].reshape(frames, -1)
    return np.hstack([context, audio_features.relative_loudness_features(samples, frames)])


def acoustic_features(samples: np.ndarray, frames: int, warp: float = 1.0) -> np.ndarray:
    return audio_features.normalized_features(samples, frames, warp)


def pause_frames(samples: np.ndarray, frames: int) -> np.ndarray:
    """True for frames inside a silence of PAUSE_SECONDS or more."""
    silent = audio_features.silent_steps(samples)
    pause = np.zeros(len(silent), dtype=bool)
    minimum = int(round(PAUSE_SECONDS / STEP_SECONDS))
    start = None
    for index, quiet in enumerate(np.append(silent, False)):
        if quiet and start is None:
            start = index
        elif not quiet and start is not None:
            if index - start >= minimum:
                pause[start:index] = True
            start = None
    return pause[np.clip(audio_features.frame_steps(frames), 0, len(pause) - 1)] if len(pause) else np.zeros(frames, dtype=bool)


def rest_in_pauses(shapes: np.ndarray, pauses: np.ndarray, rest: np.ndarray) -> np.ndarray:
    """Blends the shapes to rest in pauses, ramped over REST_RAMP_SECONDS across each pause's edges."""
    ramp = max(1, int(round(REST_RAMP_SECONDS * FPS)))
    weight = np.convolve(pauses.astype(np.float64), np.ones(ramp) / ramp, mode="same")
    return shapes * (1.0 - weight[:, None]) + rest[None, :] * weight[:, None]


# ---------------------------------------------------------------------------------------------------
# Fitting.

def _class_shapes(weights: np.ndarray, shapes: np.ndarray) -> np.ndarray:
    """The shape of each class: least squares of shapes ≈ weights @ class_shapes, classes seen in few
    frames pulled towards the mean shape."""
    mean = shapes.mean(axis=0)
    gram = weights.T @ weights + CLASS_PENALTY * np.eye(weights.shape[1])
    return mean[None, :] + np.linalg.solve(gram, weights.T @ (shapes - mean[None, :]))


def _range(values: np.ndarray) -> tuple[float, float]:
    low, high = np.percentile(values, RANGE_PERCENTILES)
    return float(low), float(high)


def fit_lipsync(samples: np.ndarray, shapes: np.ndarray, rows: np.ndarray) -> tuple[LipSync, dict]:
    """Fits every part on the frames in `rows` (boolean; frames with a face). Returns the model and
    its fit figures."""
    frames = len(shapes)
    classes = recognised_classes(samples, frames)
    target = shapes[rows].astype(np.float64)

    by_class = coarticulated(classes, frames)
    viseme_shapes = _class_shapes(by_class[rows].astype(np.float64), target)
    pauses = pause_frames(samples, frames)
    resting = rows & pauses
    rest_shape = np.median(shapes[resting], axis=0) if resting.sum() >= FPS // 2 else np.percentile(target, 5, axis=0)
    viseme_shapes[visemes.REST] = rest_shape
    # Each class's shape averages frames whose recognised class is sometimes wrong, which pulls the
    # classes towards each other. Stretch them about rest so that the widest class opens as far as
    # the person's mouth does at its 95th percentile.
    widest = float(viseme_shapes[:, 0].max())
    reach = (np.percentile(target[:, 0], RANGE_PERCENTILES[1]) - rest_shape[0]) / max(widest - rest_shape[0], 1e-9)
    text_gain = max(float(reach), 1.0)
    viseme_shapes = rest_shape[None, :] + text_gain * (viseme_shapes - rest_shape[None, :])

    phone_x = phone_features(samples, frames, classes)[rows]
    phone_model, phone_r = fit(phone_x, target)
    by_warp = {warp: acoustic_features(samples, frames, warp)[rows] for warp in VOCAL_TRACT_WARPS}
    acoustic_model, acoustic_r = fit(np.vstack(list(by_warp.values())), np.vstack([target] * len(VOCAL_TRACT_WARPS)),
                                     copies=len(VOCAL_TRACT_WARPS))

    # Calibration on predictions for speech each model did not see (contiguous folds): the averaged
    # prediction's 5-95 % spread stretched to the real one, per shape measure.
    unaugmented = by_warp[1.0]
    averaged = smooth((cross_validated(phone_x, target, phone_model.penalty)
                       + cross_validated(unaugmented, target, acoustic_model.penalty)) / 2.0, SMOOTHING_FRAMES)
    gain, offset = np.ones(4), np.zeros(4)
    for measure in range(4):
        low, high = _range(averaged[:, measure])
        real_low, real_high = _range(target[:, measure])
        gain[measure] = (real_high - real_low) / max(high - low, 1e-9)
        offset[measure] = real_low - gain[measure] * low
    model = LipSync(viseme_shapes.astype(np.float32), rest_shape.astype(np.float32), phone_model, acoustic_model,
                    gain.astype(np.float32), offset.astype(np.float32))
    figures = {"phone_cross_validated_r": round(phone_r, 4), "acoustic_cross_validated_r": round(acoustic_r, 4),
               "pause_frames": int(resting.sum()), "audio_depth_gain": round(float(gain[0]), 3),
               "text_depth_gain": round(text_gain, 3)}
    return model, figures
