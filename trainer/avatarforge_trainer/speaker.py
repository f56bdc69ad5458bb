"""Who a voice sounds like: a speaker embedding, and the stock voice nearest to a person.

The embedding is Resemblyzer's voice encoder (GE2E: a 3-layer LSTM over 40 mel bands, a 256-value
unit vector per utterance; Apache-2.0), whose weights ship inside the PyPI wheel Resemblyzer 0.1.4
(installed without its dependencies by setup.sh). The network is small, so it runs here in numpy:
the weights are read from the wheel's PyTorch file without PyTorch, and the file's sha256 is pinned.

Every stock voice's print (the embedding of a few sentences it says) is made once, at set-up, and
kept in the environment (share/avatarforge/voice-prints.npz); training compares the person's
speech with them (`nearest`).

CLI: python -m avatarforge_trainer.speaker --prints   (make the stock voices' prints; set-up runs it)
"""

from __future__ import annotations

import argparse
import functools
import hashlib
import importlib.util
import io
import json
import os
import pickle
import sys

import numpy as np
from scipy.ndimage import binary_dilation
from scipy.signal import resample_poly
from scipy.special import expit

from . import audio_features
from .media import SAMPLE_RATE, TrainerError, load_arrays, save_arrays

WEIGHTS_SHA256 = "39373b86598fa3da9fcddee6142382efe09777e8d37dc9c0561f41f0070f134e"
# The encoder's front end (Resemblyzer's hparams): 25 ms windows every 10 ms, 40 mel bands, 16 kHz.
assert SAMPLE_RATE == 16000
FFT_SIZE = 400
HOP = 160
MEL_BANDS = 40
# An utterance is embedded as the mean of 1.6 s partial utterances, 1.3 of them a second.
PARTIAL_STEPS = 160
PARTIALS_PER_SECOND = 1.3
# The last partial counts when at least this much of it has sound.
MIN_COVERAGE = 0.75
# Speech is brought up to this loudness (never down), as the encoder was trained.
TARGET_DBFS = -30.0
# Pauses are cut to this many 10 ms steps on either side of speech.
KEPT_PAUSE_STEPS = 9
# A print needs this much speech.
MIN_SPEECH_SECONDS = 2.0

# The sentences a stock voice says for its print (about 7 s), by the language it speaks.
PRINT_TEXTS = {
    "en": ("Would you like a cup of tea before the meeting starts? "
           "My sister moved to a small town near the coast last summer, and she loves it there."),
    "zh": "今天天气很好，我们一起去公园散步吧。这本书我已经看了三遍，每次都有新的收获。",
}


def prints_path() -> str:
    return os.path.join(sys.prefix, "share", "avatarforge", "voice-prints.npz")


def _weights_path() -> str:
    spec = importlib.util.find_spec("resemblyzer")
    if spec is None or not spec.submodule_search_locations:
        raise TrainerError("the voice encoder (Resemblyzer) is not installed: run bash trainer/setup.sh")
    return os.path.join(list(spec.submodule_search_locations)[0], "pretrained.pt")


class _StateDict(dict):
    """A state dict as saved: a dict that also carries attributes (PyTorch's `_metadata`)."""


class _TorchTensors(pickle.Unpickler):
    """Reads a legacy (non-zip) PyTorch save of tensors: references to storages stay keys, and each
    tensor becomes (storage key, offset, shape, strides)."""

    def persistent_load(self, pid):
        return pid[2]

    def find_class(self, module, name):
        if (module, name) == ("torch._utils", "_rebuild_tensor_v2"):
            return lambda key, offset, shape, strides, *_: (key, offset, shape, strides)
        if module == "torch" and name == "FloatStorage":
            return name
        if (module, name) == ("collections", "OrderedDict"):
            return _StateDict
        raise pickle.UnpicklingError(f"unexpected {module}.{name} in the voice encoder's weights")


def _read_weights(path: str) -> dict[str, np.ndarray]:
    with open(path, "rb") as source:
        data = source.read()
    if hashlib.sha256(data).hexdigest() != WEIGHTS_SHA256:
        raise TrainerError(f"{path} is not the voice encoder's pinned weights (sha256 differs)")
    stream = io.BytesIO(data)
    for _ in range(3):  # magic number, protocol version, system information
        pickle.load(stream)
    state = _TorchTensors(stream).load()["model_state"]
    storages = {}
    for key in pickle.load(stream):
        count = int(np.frombuffer(stream.read(8), "<i8")[0])
        storages[key] = np.frombuffer(stream.read(4 * count), "<f4")
    weights = {}
    for name, (key, offset, shape, strides) in state.items():
        flat = storages[key]
        weights[name] = np.lib.stride_tricks.as_strided(
            flat[offset:], shape=shape, strides=[4 * stride for stride in strides]).astype(np.float32)
    return weights


@functools.lru_cache(maxsize=1)
def _encoder() -> dict[str, np.ndarray]:
    return _read_weights(_weights_path())


@functools.lru_cache(maxsize=1)
def _mel_filterbank() -> np.ndarray:
    """Slaney-style mel filters (librosa's default), (MEL_BANDS, FFT_SIZE // 2 + 1)."""
    linear_step, log_start, log_step = 200.0 / 3, 1000.0, np.log(6.4) / 27.0

    def to_mel(hz):
        hz = np.asarray(hz, dtype=np.float64)
        return np.where(hz < log_start, hz / linear_step,
                        log_start / linear_step + np.log(np.maximum(hz, 1e-9) / log_start) / log_step)

    def to_hz(mel):
        return np.where(mel < log_start / linear_step, mel * linear_step,
                        log_start * np.exp(log_step * (mel - log_start / linear_step)))

    edges = to_hz(np.linspace(to_mel(0.0), to_mel(SAMPLE_RATE / 2), MEL_BANDS + 2))
    frequencies = np.linspace(0, SAMPLE_RATE / 2, FFT_SIZE // 2 + 1)
    ramps = edges[:, None] - frequencies[None, :]
    widths = np.diff(edges)
    rising = -ramps[:-2] / widths[:-1, None]
    falling = ramps[2:] / widths[1:, None]
    bank = np.maximum(0.0, np.minimum(rising, falling))
    return (bank * (2.0 / (edges[2:] - edges[:-2]))[:, None]).astype(np.float32)


def _mel_power(samples: np.ndarray) -> np.ndarray:
    """The mel power spectrogram (steps, MEL_BANDS): centred frames, zero-padded, Hann window."""
    padded = np.pad(samples.astype(np.float32), FFT_SIZE // 2)
    count = 1 + (len(padded) - FFT_SIZE) // HOP
    frames = np.lib.stride_tricks.sliding_window_view(padded, FFT_SIZE)[::HOP][:count]
    window = np.hanning(FFT_SIZE + 1)[:-1].astype(np.float32)
    power = np.abs(np.fft.rfft(frames * window, axis=1)) ** 2
    return (power @ _mel_filterbank().T).astype(np.float32)


def _embed_partials(mels: np.ndarray) -> np.ndarray:
    """The encoder on a batch of partial utterances (batch, PARTIAL_STEPS, MEL_BANDS): unit vectors."""
    weights = _encoder()
    layer_input = mels
    batch = len(mels)
    for layer in range(3):
        w_ih, w_hh = weights[f"lstm.weight_ih_l{layer}"], weights[f"lstm.weight_hh_l{layer}"]
        bias = weights[f"lstm.bias_ih_l{layer}"] + weights[f"lstm.bias_hh_l{layer}"]
        projected = layer_input @ w_ih.T + bias
        hidden = np.zeros((batch, w_hh.shape[1]), np.float32)
        cell = np.zeros_like(hidden)
        outputs = np.empty((batch, layer_input.shape[1], w_hh.shape[1]), np.float32)
        for step in range(layer_input.shape[1]):
            gates = projected[:, step] + hidden @ w_hh.T
            i, f, g, o = np.split(gates, 4, axis=1)  # PyTorch's gate order
            cell = expit(f) * cell + expit(i) * np.tanh(g)
            hidden = expit(o) * np.tanh(cell)
            outputs[:, step] = hidden
        layer_input = outputs
    raw = np.maximum(0.0, hidden @ weights["linear.weight"].T + weights["linear.bias"])
    return raw / np.linalg.norm(raw, axis=1, keepdims=True)


def speech_only(samples: np.ndarray) -> np.ndarray:
    """The samples with pauses cut short (speech and KEPT_PAUSE_STEPS around it), brought up to
    TARGET_DBFS."""
    keep = binary_dilation(~audio_features.silent_steps(samples), np.ones(2 * KEPT_PAUSE_STEPS + 1, bool))
    per_sample = np.repeat(keep, audio_features.HOP)[:len(samples)]
    kept = samples[:len(per_sample)][per_sample]
    rms = float(np.sqrt(np.mean(kept.astype(np.float64) ** 2))) if len(kept) else 0.0
    if rms > 0:
        gain = 10 ** ((TARGET_DBFS - 20 * np.log10(rms)) / 20)
        kept = kept * max(gain, 1.0)
    return kept.astype(np.float32)


def embed(samples: np.ndarray, sample_rate: int = SAMPLE_RATE) -> np.ndarray:
    """The voice print of speech (float samples at `sample_rate`): a 256-value unit vector."""
    if sample_rate != SAMPLE_RATE:
        divisor = np.gcd(SAMPLE_RATE, sample_rate)
        samples = resample_poly(samples, SAMPLE_RATE // divisor, sample_rate // divisor).astype(np.float32)
    seconds = audio_features.speech_seconds(samples)
    if seconds < MIN_SPEECH_SECONDS:
        raise TrainerError(f"too little speech for a voice print: {seconds:.1f} s, at least {MIN_SPEECH_SECONDS} s needed")
    speech = speech_only(samples)
    mel = _mel_power(speech)
    step = int(round(SAMPLE_RATE / PARTIALS_PER_SECOND / HOP))
    starts = list(range(0, max(1, len(mel) - PARTIAL_STEPS + step + 1), step))
    if len(starts) > 1 and (len(speech) / HOP - starts[-1]) / PARTIAL_STEPS < MIN_COVERAGE:
        starts.pop()
    mel = np.pad(mel, ((0, max(0, starts[-1] + PARTIAL_STEPS - len(mel))), (0, 0)))
    partials = _embed_partials(np.stack([mel[start:start + PARTIAL_STEPS] for start in starts]))
    mean = partials.mean(axis=0)
    return (mean / np.linalg.norm(mean)).astype(np.float32)


def _prints_key() -> str:
    """What the prints depend on: the encoder, the voice model, the voices and the texts."""
    from . import neural_voice
    from .voice import NEURAL_VOICES

    return hashlib.sha256(json.dumps([WEIGHTS_SHA256, neural_voice.MODEL_SHA256, sorted(NEURAL_VOICES),
                                      PRINT_TEXTS]).encode()).hexdigest()


def make_prints() -> dict[str, np.ndarray]:
    """Every neural voice's print, from PRINT_TEXTS in its language."""
    from .voice import NEURAL_VOICES, synthesize

    made = {}
    for number, (name, voice) in enumerate(NEURAL_VOICES.items(), 1):
        speech = synthesize(PRINT_TEXTS["zh" if voice.language == "zh" else "en"], name)
        made[name] = embed(speech.float_samples, speech.sample_rate)
        print(f"voice print {number}/{len(NEURAL_VOICES)}: {name}", file=sys.stderr, flush=True)
    return made


def _stored_prints() -> dict[str, np.ndarray] | None:
    """The prints kept in the environment, or None when they are missing or out of date."""
    return load_arrays(prints_path(), _prints_key())


@functools.lru_cache(maxsize=1)
def stock_prints() -> dict[str, np.ndarray]:
    prints = _stored_prints()
    if prints is None:
        raise TrainerError(f"the stock voices' prints are missing or out of date ({prints_path()}): "
                           "run bash trainer/setup.sh")
    return prints


def nearest(person: np.ndarray) -> dict[str, dict]:
    """For each language a text can be in ("en", "zh"), the stock voice whose print is nearest to the
    person's (cosine similarity): {"en": {"voice": name, "similarity": s}, ...}."""
    from .voice import NEURAL_VOICES

    prints = stock_prints()
    chosen = {}
    for language in ("en", "zh"):
        names = [name for name, voice in NEURAL_VOICES.items() if (voice.language == "zh") == (language == "zh")]
        similarities = {name: float(prints[name] @ person) for name in names}
        best = max(similarities, key=similarities.get)
        chosen[language] = {"voice": best, "similarity": round(similarities[best], 4)}
    return chosen


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m avatarforge_trainer.speaker")
    parser.add_argument("--prints", action="store_true", help="make the stock voices' prints")
    options = parser.parse_args()
    if options.prints and _stored_prints() is None:
        made = make_prints()
        save_arrays(prints_path(), {"key": np.array(_prints_key()), **made})
        print(f"{len(made)} voice prints in {prints_path()}", file=sys.stderr)


if __name__ == "__main__":
    main()
