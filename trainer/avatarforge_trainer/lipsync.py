"""Speech → mouth shapes, learned from the person's own video (model format 4).

Three ways in, one person's mouth out:
- **Text** the product synthesizes: the synthesizer's phoneme timeline → mouth classes (visemes.py)
  → the person's shape for each class, blended across neighbouring sounds (coarticulation).
- **Audio** from anyone: a speaker-independent network (mouth_classes.py, trained on many voices)
  gives each mouth class's probability every 10 ms. Two predictions from them are averaged: the
  probabilities in a ±240 ms context, with the relative loudness, mapped to the person's shapes by
  ridge regression; and the person's class shapes weighted by the probabilities, blended as for
  text. The average is stretched so its range matches the person's real range.
- **Pauses** of PAUSE_SECONDS or more, in either: the mouth goes to the person's rest shape (the
  median of their own pauses), not wherever the last word left it.

Every step is fitted on the training video: the classes say which sounds look alike, never how far
this person's mouth opens. The person's shape for each class is fitted on the network's
probabilities over their own speech.

Models of formats 2 and 3 heard the sound through a phone recogniser (phones.py) and an acoustic
model of the person's own voice, averaged; they still render so.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from . import audio_features, mouth_classes, phones, visemes
from .media import FPS, SAMPLE_RATE
from .mouth_model import RidgeModel, cross_validated, fit, smooth

STEP_SECONDS = 0.01
# The phone context a frame sees: ±240 ms in 30 ms steps.
PHONE_CONTEXT_STEPS = tuple(range(-24, 25, 3))
# Coarticulation: each class's shape is spread over this window (a centred box, in 10 ms steps).
COARTICULATION_STEPS = 5
# Silence this long or longer is a pause: the mouth rests.
PAUSE_SECONDS = 0.3
# The mouth closes over this long at the start of a pause and opens over it at the end.
REST_RAMP_SECONDS = 0.08
# Percentiles whose spread the calibrated prediction matches to the real one (articulation depth).
RANGE_PERCENTILES = (5.0, 95.0)
# On a new recording the prediction's spread while speaking is brought towards the person's own, by
# a factor within these bounds (another voice is heard less surely, which narrows the prediction, and
# another synthesizer's shorter phonemes narrow the text path's; it is never narrowed, and stretched
# at most this far, as natural speech moves less than the person's training speech may), when the
# recording has this much speech outside pauses.
DEPTH_FACTOR_BOUNDS = (1.0, 1.25)
DEPTH_MIN_SPEECH_SECONDS = 2.0
# How far the widest class opens: the person's lip gap at this percentile of their training video.
# Open vowels are a small share of speech: at the 95th percentile a person who trained on natural
# speech, driven by espeak-ng's longer vowels, opened only 0.78 as far as the truth (rendered); at
# 97.5, with model.SHAPE_WEIGHTS, 0.93, and the bench's text rows 0.93-1.21.
WIDEST_CLASS_PERCENTILE = 97.5
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
    sound_model: RidgeModel      # class probabilities in context + relative loudness → shape
    gain: np.ndarray             # (4,): calibration, shape = offset + gain * prediction
    offset: np.ndarray           # (4,)
    smoothing_frames: int = SMOOTHING_FRAMES  # the prediction's moving average, in frames
    # (4,): the 5-95 % spread of the person's shapes while speaking, which a new recording's
    # predicted spread is brought towards (format 4 on; None before).
    spread: np.ndarray | None = None
    # Formats 2 and 3: sound_model reads the phone recogniser's classes, and this acoustic model
    # (normalised MFCCs → shape) is averaged with it.
    acoustic_model: RidgeModel | None = None

    def to_arrays(self) -> dict[str, np.ndarray]:
        arrays = {"viseme_shapes": self.viseme_shapes, "rest_shape": self.rest_shape, "gain": self.gain,
                  "offset": self.offset, "smoothing_frames": np.array(self.smoothing_frames)}
        if self.acoustic_model is None:
            return {**arrays, "spread": self.spread, **self.sound_model.to_arrays("classes")}
        return {**arrays, **self.sound_model.to_arrays("phones"), **self.acoustic_model.to_arrays("acoustic")}

    @staticmethod
    def from_arrays(arrays) -> "LipSync":
        smoothing = int(arrays["smoothing_frames"]) if "smoothing_frames" in arrays else BEFORE_SMOOTHING_FRAMES
        common = (arrays["viseme_shapes"], arrays["rest_shape"])
        if "classes_weights" in arrays:
            return LipSync(*common, RidgeModel.from_arrays(arrays, "classes"), arrays["gain"], arrays["offset"], smoothing,
                           arrays["spread"])
        return LipSync(*common, RidgeModel.from_arrays(arrays, "phones"), arrays["gain"], arrays["offset"], smoothing,
                       acoustic_model=RidgeModel.from_arrays(arrays, "acoustic"))

    def from_audio(self, samples: np.ndarray, frames: int, probabilities: np.ndarray | None = None) -> np.ndarray:
        """Mouth shapes (frames, 4) for any speech: the speaker-independent path. `probabilities` are
        mouth_classes.posteriors of the samples when they have been heard already."""
        if self.acoustic_model is None:
            if probabilities is None:
                probabilities = mouth_classes.posteriors(samples)
            by_context = self.sound_model.predict(class_features(samples, frames, probabilities))
            prediction = (by_context + coarticulated(probabilities, frames) @ self.viseme_shapes) / 2.0
        else:
            by_phones = self.sound_model.predict(phone_features(samples, frames))
            prediction = (by_phones + self.acoustic_model.predict(acoustic_features(samples, frames))) / 2.0
        shapes = self.offset + self.gain * smooth(prediction, self.smoothing_frames)
        pauses = pause_frames(samples, frames)
        if self.spread is not None:
            shapes = matched_depth(shapes, ~pauses, self.spread)
        return rest_in_pauses(shapes, pauses, self.rest_shape)

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
        shapes = coarticulated(_one_hot(classes), frames) @ self.viseme_shapes
        pauses = pause_frames(samples, frames)
        if self.spread is not None:
            shapes = matched_depth(shapes, ~pauses, self.spread)
        return rest_in_pauses(shapes, pauses, self.rest_shape)


# ---------------------------------------------------------------------------------------------------
# Features.

def _one_hot(classes: np.ndarray) -> np.ndarray:
    table = np.zeros((len(classes), len(visemes.CLASSES)), dtype=np.float32)
    table[np.arange(len(classes)), classes] = 1.0
    return table


def coarticulated(weights: np.ndarray, frames: int) -> np.ndarray:
    """(frames, classes): each frame's share of every class within the coarticulation window, from
    (steps, classes) weights of every 10 ms step (one-hot classes, or their probabilities)."""
    kernel = np.ones(COARTICULATION_STEPS, dtype=np.float32) / COARTICULATION_STEPS
    spread = np.stack([np.convolve(column, kernel, mode="same") for column in weights.T], axis=1)
    return spread[np.clip(audio_features.frame_steps(frames), 0, len(spread) - 1)]


def recognised_classes(samples: np.ndarray, frames: int) -> np.ndarray:
    seconds = max(frames / FPS, len(samples) / SAMPLE_RATE)
    segments = [(start, end, visemes.arpabet_class(phone)) for start, end, phone in phones.recognize(samples)]
    return visemes.class_steps(segments, seconds, STEP_SECONDS)


def _in_context(per_step: np.ndarray, samples: np.ndarray, frames: int) -> np.ndarray:
    """(steps, classes) weights around each frame (±240 ms) and the relative loudness."""
    context = audio_features.around(per_step, audio_features.frame_steps(frames), PHONE_CONTEXT_STEPS)
    return np.hstack([context, audio_features.relative_loudness_features(samples, frames)])


def class_features(samples: np.ndarray, frames: int, probabilities: np.ndarray) -> np.ndarray:
    """The mouth classes' probabilities (mouth_classes.posteriors of the samples) around each frame and
    the relative loudness."""
    return _in_context(probabilities, samples, frames)


def phone_features(samples: np.ndarray, frames: int) -> np.ndarray:
    """Formats 2 and 3: the phone recogniser's mouth classes around each frame (one-hot) and the
    relative loudness."""
    return _in_context(_one_hot(recognised_classes(samples, frames)), samples, frames)


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


def matched_depth(shapes: np.ndarray, speaking: np.ndarray, spread: np.ndarray) -> np.ndarray:
    """The shapes stretched about their median while speaking so that their 5-95 % spread there comes
    towards `spread`, by a factor within DEPTH_FACTOR_BOUNDS; unchanged when the
    recording has less than DEPTH_MIN_SPEECH_SECONDS of speech."""
    if speaking.sum() < DEPTH_MIN_SPEECH_SECONDS * FPS:
        return shapes
    spoken = shapes[speaking]
    low, high = np.percentile(spoken, RANGE_PERCENTILES, axis=0)
    factor = np.clip(spread / np.maximum(high - low, 1e-9), *DEPTH_FACTOR_BOUNDS)
    middle = np.median(spoken, axis=0)
    return middle + factor * (shapes - middle)


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


def fit_lipsync(samples: np.ndarray, shapes: np.ndarray, rows: np.ndarray, probabilities: np.ndarray) -> tuple[LipSync, dict]:
    """Fits every part on the frames in `rows` (boolean; frames with a face), `probabilities` being
    mouth_classes.posteriors of the samples. Returns the model and its fit figures."""
    frames = len(shapes)
    target = shapes[rows].astype(np.float64)

    by_class = coarticulated(probabilities, frames)
    viseme_shapes = _class_shapes(by_class[rows].astype(np.float64), target)
    pauses = pause_frames(samples, frames)
    resting = rows & pauses
    rest_shape = np.median(shapes[resting], axis=0) if resting.sum() >= FPS // 2 else np.percentile(target, 5, axis=0)
    viseme_shapes[visemes.REST] = rest_shape
    # Each class's shape averages frames where the network was unsure or wrong, which pulls the
    # classes towards each other. Stretch them about rest so that the widest class opens as far as
    # the person's mouth does at its WIDEST_CLASS_PERCENTILE.
    widest = float(viseme_shapes[:, 0].max())
    reach = (np.percentile(target[:, 0], WIDEST_CLASS_PERCENTILE) - rest_shape[0]) / max(widest - rest_shape[0], 1e-9)
    text_gain = max(float(reach), 1.0)
    viseme_shapes = rest_shape[None, :] + text_gain * (viseme_shapes - rest_shape[None, :])

    sound_x = class_features(samples, frames, probabilities)[rows]
    sound_model, sound_r = fit(sound_x, target)

    # Calibration on the averaged prediction, its ridge part for speech the ridge model did not see
    # (contiguous folds): its 5-95 % spread stretched to the real one, per shape measure.
    by_classes = by_class[rows] @ viseme_shapes
    unseen = smooth((cross_validated(sound_x, target, sound_model.penalty) + by_classes) / 2.0, SMOOTHING_FRAMES)
    gain, offset = np.ones(4), np.zeros(4)
    for measure in range(4):
        low, high = _range(unseen[:, measure])
        real_low, real_high = _range(target[:, measure])
        gain[measure] = (real_high - real_low) / max(high - low, 1e-9)
        offset[measure] = real_low - gain[measure] * low
    speaking = target[~pauses[rows]]
    spread = np.subtract(*np.percentile(speaking, RANGE_PERCENTILES[::-1], axis=0))
    model = LipSync(viseme_shapes.astype(np.float32), rest_shape.astype(np.float32), sound_model,
                    gain.astype(np.float32), offset.astype(np.float32), spread=spread.astype(np.float32))
    figures = {"sound_cross_validated_r": round(sound_r, 4), "pause_frames": int(resting.sum()),
               "audio_depth_gain": round(float(gain[0]), 3), "text_depth_gain": round(text_gain, 3)}
    return model, figures
