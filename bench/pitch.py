"""Pitch by autocorrelation, for the voice benchmarks."""

from __future__ import annotations

import numpy as np

# A 30 ms frame is voiced when its autocorrelation at the pitch lag is above this share of its energy.
VOICED_CORRELATION = 0.5


def pitch_track(samples: np.ndarray, rate: int, quietest: float = 0.02) -> tuple[np.ndarray, np.ndarray]:
    """(times in seconds, pitch in semitones above 1 Hz) of the voiced 30 ms frames (every 10 ms) whose
    RMS is at least `quietest`, for pitches from 70 to 450 Hz."""
    window, hop = int(0.03 * rate), int(0.01 * rate)
    shortest, longest = rate // 450, rate // 70
    pitches, times = [], []
    for start in range(0, len(samples) - window, hop):
        frame = samples[start:start + window]
        if np.sqrt((frame ** 2).mean()) < quietest:
            continue
        correlation = np.correlate(frame, frame, "full")[window - 1:]
        lag = shortest + int(np.argmax(correlation[shortest:longest]))
        if correlation[lag] > VOICED_CORRELATION * correlation[0]:
            pitches.append(12 * np.log2(rate / lag))
            times.append(start / rate)
    return np.array(times), np.array(pitches)
