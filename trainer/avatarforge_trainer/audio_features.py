"""Audio features per video frame: MFCCs in a window around the frame, loudness alone, and silence."""

from __future__ import annotations

import functools

import numpy as np

from .media import FPS, SAMPLE_RATE

HOP = SAMPLE_RATE // 100          # 10 ms
WINDOW = SAMPLE_RATE * 25 // 1000  # 25 ms
FFT_SIZE = 512
MEL_BANDS = 26
MFCC_COUNT = 13
# The context a frame sees: ±200 ms of 10 ms steps, every second step.
CONTEXT_STEPS = tuple(range(-20, 21, 2))
# A 10 ms step counts as speech when its energy is within this many dB of the loud steps.
SPEECH_DB_BELOW_LOUD = 30.0


def _mel_band_edges() -> np.ndarray:
    def to_mel(hz: np.ndarray) -> np.ndarray:
        return 2595.0 * np.log10(1.0 + hz / 700.0)

    def to_hz(mel: np.ndarray) -> np.ndarray:
        return 700.0 * (10.0 ** (mel / 2595.0) - 1.0)

    return to_hz(np.linspace(to_mel(np.array(60.0)), to_mel(np.array(SAMPLE_RATE / 2 - 200.0)), MEL_BANDS + 2))


def _mel_filterbank() -> np.ndarray:
    """The format-1 models' bands: triangles on whole FFT bins."""
    bins = np.floor((FFT_SIZE + 1) * _mel_band_edges() / SAMPLE_RATE).astype(int)
    bank = np.zeros((MEL_BANDS, FFT_SIZE // 2 + 1), dtype=np.float32)
    for band in range(MEL_BANDS):
        left, centre, right = bins[band], bins[band + 1], bins[band + 2]
        for k in range(left, centre):
            bank[band, k] = (k - left) / max(centre - left, 1)
        for k in range(centre, right):
            bank[band, k] = (right - k) / max(right - centre, 1)
    return bank


@functools.lru_cache(maxsize=16)
def warped_filterbank(warp: float) -> np.ndarray:
    """Mel bands with their frequencies scaled by `warp` (a shorter vocal tract's formants sit
    higher), as triangles on fractional FFT bins so that a small warp moves them smoothly."""
    bins = _mel_band_edges() * warp * (FFT_SIZE + 1) / SAMPLE_RATE
    k = np.arange(FFT_SIZE // 2 + 1, dtype=np.float64)
    bank = np.zeros((MEL_BANDS, len(k)), dtype=np.float32)
    for band in range(MEL_BANDS):
        left, centre, right = bins[band], bins[band + 1], bins[band + 2]
        bank[band] = np.clip(np.minimum((k - left) / (centre - left), (right - k) / (right - centre)), 0.0, None)
    return bank


_MEL = _mel_filterbank()
_DCT = np.cos(np.pi / MEL_BANDS * (np.arange(MEL_BANDS)[None, :] + 0.5) * np.arange(MFCC_COUNT)[:, None]).astype(np.float32)


def log_mel_steps(samples: np.ndarray, bank: np.ndarray | None = None) -> tuple[np.ndarray, np.ndarray]:
    """The log mel bands (n, 26) and log energy (n,) of every 10 ms step (mel bands `bank`, or the
    standard ones)."""
    count = max(1, 1 + (len(samples) - WINDOW) // HOP) if len(samples) >= WINDOW else 1
    padded = np.zeros(HOP * (count - 1) + WINDOW, dtype=np.float32)
    padded[: min(len(samples), len(padded))] = samples[: len(padded)]
    emphasised = np.append(padded[0], padded[1:] - 0.97 * padded[:-1])
    index = np.arange(WINDOW)[None, :] + HOP * np.arange(count)[:, None]
    frames = emphasised[index] * np.hamming(WINDOW).astype(np.float32)
    power = np.abs(np.fft.rfft(frames, FFT_SIZE)) ** 2 / FFT_SIZE
    log_mel = np.log(power @ (_MEL if bank is None else bank).T + 1e-10)
    energy = np.log(np.sum(padded[index] ** 2, axis=1) + 1e-10)
    return log_mel.astype(np.float32), energy.astype(np.float32)


def steps(samples: np.ndarray, bank: np.ndarray | None = None) -> tuple[np.ndarray, np.ndarray]:
    """MFCCs (n, 13) and log energy (n,) of every 10 ms step (mel bands `bank`, or the standard ones)."""
    log_mel, energy = log_mel_steps(samples, bank)
    return (log_mel @ _DCT.T).astype(np.float32), energy


def frame_steps(frame_count: int) -> np.ndarray:
    """The 10 ms step at each video frame's time."""
    return np.round(np.arange(frame_count) * (100.0 / FPS)).astype(int)


def around(per_step: np.ndarray, steps: np.ndarray, context: tuple[int, ...] = CONTEXT_STEPS) -> np.ndarray:
    """For each of `steps`, the rows of `per_step` at the `context` offsets around it (clipped to the
    recording), side by side."""
    index = np.clip(steps[:, None] + np.array(context)[None, :], 0, len(per_step) - 1)
    return per_step[index].reshape(len(steps), -1)


def _around_frames(per_step: np.ndarray, frame_count: int) -> np.ndarray:
    """For each video frame, the steps at CONTEXT_STEPS around its time, side by side."""
    return around(per_step, frame_steps(frame_count))


def frame_features(samples: np.ndarray, frame_count: int) -> np.ndarray:
    """The mouth model's input for each video frame: MFCCs and log energy in a ±200 ms window."""
    mfcc, energy = steps(samples)
    return _around_frames(np.hstack([mfcc, energy[:, None]]), frame_count)


def loudness_features(samples: np.ndarray, frame_count: int) -> np.ndarray:
    """The loudness-only baseline's input: log energy in the same window."""
    _, energy = steps(samples)
    return _around_frames(energy[:, None], frame_count)


def _energy_db(samples: np.ndarray) -> np.ndarray:
    """The energy of every 10 ms step in dB."""
    _, energy = steps(samples)
    return 10.0 * energy / np.log(10.0)


def speech_seconds(samples: np.ndarray) -> float:
    """Seconds of the audio that carry speech-level sound (a simple energy detector)."""
    if len(samples) < WINDOW:
        return 0.0
    energy_db = _energy_db(samples)
    loud = np.percentile(energy_db, 95)
    # Digital silence or a hum with no dynamics is no speech.
    if loud < -60.0 or loud - np.percentile(energy_db, 5) < 10.0:
        return 0.0
    return float(np.count_nonzero(energy_db > loud - SPEECH_DB_BELOW_LOUD) * HOP / SAMPLE_RATE)


# Relative loudness is clipped this far below the loud steps: quieter is silence, whatever the level.
RELATIVE_FLOOR = -12.0


def relative_energy(energy: np.ndarray) -> np.ndarray:
    """Log energy relative to the recording's loud steps (its 95th percentile), clipped below."""
    return np.clip(energy - np.percentile(energy, 95), RELATIVE_FLOOR, 0.0)


def relative_loudness_features(samples: np.ndarray, frame_count: int) -> np.ndarray:
    """Loudness relative to the recording's own loud parts, in the ±200 ms window: level-free."""
    _, energy = steps(samples)
    return _around_frames(relative_energy(energy)[:, None], frame_count)


def normalized_features(samples: np.ndarray, frame_count: int, warp: float = 1.0) -> np.ndarray:
    """MFCCs with each coefficient's mean and spread over the recording removed (the channel and the
    level cancel out) and the relative loudness, in the ±200 ms window."""
    mfcc, energy = steps(samples, warped_filterbank(warp))
    normalized = (mfcc - mfcc.mean(axis=0)) / (mfcc.std(axis=0) + 1e-6)
    return _around_frames(np.hstack([normalized, relative_energy(energy)[:, None]]), frame_count)


# A step also counts as silent within this many dB of the recording's quietest steps.
SILENCE_DB_ABOVE_FLOOR = 6.0


def silent_steps(samples: np.ndarray) -> np.ndarray:
    """True for every 10 ms step without speech: below the loud level by SPEECH_DB_BELOW_LOUD, or near
    the recording's noise floor (so a noisy room's pauses count too)."""
    if len(samples) < WINDOW:
        return np.ones(1, dtype=bool)
    energy_db = _energy_db(samples)
    loud, floor = np.percentile(energy_db, 95), np.percentile(energy_db, 2)
    threshold = max(loud - SPEECH_DB_BELOW_LOUD, min(floor + SILENCE_DB_ABOVE_FLOOR, loud - 12.0))
    return energy_db < threshold
