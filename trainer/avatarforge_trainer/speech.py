"""Offline speech with phoneme timing, through espeak-ng's C library.

`synthesize` returns the samples (22050 Hz mono int16) and the start time of every phoneme, so a
caller can make a mouth that follows the sound. Nothing is downloaded: espeak-ng and its voice data
are system packages. The library is loaded and initialised once per process; every call after the
first reuses it (espeak-ng keeps global state, so calls are serialised with a lock).

espeak-ng carries a little state from one call to the next (the same text can come out 1-2 % longer
or shorter, with slightly different samples, depending on what was said before), so the results are
reproducible for the same sequence of calls in a fresh process, not per call.

CLI: python -m avatarforge_trainer.speech --text "Hello there" --language en -o out.wav

Mandarin: "zh" is espeak-ng's "cmn" voice. Debian's espeak-ng 1.51 data reads many Chinese
characters as English words (numbered pinyin spelled out), so Mandarin written in pinyin with tone
numbers ("ni3 hao3", language "zh-pinyin") sounds right where characters may not.
"""

from __future__ import annotations

import argparse
import ctypes
import os
import sys
import threading
from dataclasses import dataclass, field

import numpy as np

from .media import write_wav

LIBRARY_ENV = "AVATARFORGE_ESPEAK_LIBRARY"


def library_and_data() -> tuple[str, bytes | None]:
    """espeak-ng's library and voice data: the PyPI package espeakng-loader's (a newer espeak-ng whose
    Mandarin dictionary reads Chinese characters), or a library named by AVATARFORGE_ESPEAK_LIBRARY
    with its own data."""
    configured = os.environ.get(LIBRARY_ENV)
    if configured:
        return configured, None
    try:
        import espeakng_loader
    except ImportError:
        return "libespeak-ng.so.1", None
    return espeakng_loader.get_library_path(), espeakng_loader.get_data_path().encode()

# Values from espeak-ng's speak_lib.h.
AUDIO_OUTPUT_SYNCHRONOUS = 2
INITIALIZE_PHONEME_EVENTS = 0x0001
INITIALIZE_DONT_EXIT = 0x8000  # without it, missing voice data makes espeak-ng exit the process
CHARS_UTF8 = 1
POS_CHARACTER = 1
EVENT_LIST_TERMINATED = 0
EVENT_PHONEME = 7
PARAM_RATE = 1
EE_OK = 0
PHONEMES_IPA = 0x02

# Our language names to espeak-ng voice names (`espeak-ng --voices`).
VOICES = {
    "en": "en-us",
    "en-us": "en-us",
    "en-gb": "en",
    "zh": "cmn",
    "cmn": "cmn",
    "zh-pinyin": "cmn-latn-pinyin",  # Mandarin written in pinyin with tone numbers ("ni3 hao3")
}


class _EventId(ctypes.Union):
    _fields_ = [("number", ctypes.c_int), ("name", ctypes.c_char_p), ("string", ctypes.c_char * 8)]


class _Event(ctypes.Structure):
    _fields_ = [
        ("type", ctypes.c_int),
        ("unique_identifier", ctypes.c_uint),
        ("text_position", ctypes.c_int),
        ("length", ctypes.c_int),
        ("audio_position", ctypes.c_int),
        ("sample", ctypes.c_int),
        ("user_data", ctypes.c_void_p),
        ("id", _EventId),
    ]


_CALLBACK = ctypes.CFUNCTYPE(ctypes.c_int, ctypes.POINTER(ctypes.c_short), ctypes.c_int, ctypes.POINTER(_Event))


@dataclass
class Speech:
    """Synthesised speech: samples, their rate, and (start seconds, espeak phoneme mnemonic) pairs."""

    samples: np.ndarray
    sample_rate: int
    phonemes: list[tuple[float, str]] = field(default_factory=list)

    @property
    def seconds(self) -> float:
        return len(self.samples) / float(self.sample_rate)

    @property
    def float_samples(self) -> np.ndarray:
        """The samples as float32 in [-1, 1)."""
        return self.samples.astype(np.float32) / 32768.0


class _Engine:
    """The loaded library, its sample rate, and the buffers the callback fills during one call."""

    def __init__(self) -> None:
        path, data = library_and_data()
        try:
            lib = ctypes.CDLL(path)
        except OSError as error:
            raise RuntimeError(f"cannot load espeak-ng's library {path!r}: {error}") from error
        lib.espeak_Initialize.argtypes = [ctypes.c_int, ctypes.c_int, ctypes.c_char_p, ctypes.c_int]
        lib.espeak_Initialize.restype = ctypes.c_int
        lib.espeak_SetSynthCallback.argtypes = [_CALLBACK]
        lib.espeak_SetSynthCallback.restype = None
        lib.espeak_SetVoiceByName.argtypes = [ctypes.c_char_p]
        lib.espeak_SetVoiceByName.restype = ctypes.c_int
        lib.espeak_SetParameter.argtypes = [ctypes.c_int, ctypes.c_int, ctypes.c_int]
        lib.espeak_SetParameter.restype = ctypes.c_int
        lib.espeak_Synth.argtypes = [
            ctypes.c_void_p, ctypes.c_size_t, ctypes.c_uint, ctypes.c_int, ctypes.c_uint, ctypes.c_uint,
            ctypes.POINTER(ctypes.c_uint), ctypes.c_void_p,
        ]
        lib.espeak_Synth.restype = ctypes.c_int
        lib.espeak_Synchronize.argtypes = []
        lib.espeak_Synchronize.restype = ctypes.c_int
        lib.espeak_TextToPhonemes.argtypes = [ctypes.POINTER(ctypes.c_char_p), ctypes.c_int, ctypes.c_int]
        lib.espeak_TextToPhonemes.restype = ctypes.c_char_p

        rate = lib.espeak_Initialize(AUDIO_OUTPUT_SYNCHRONOUS, 200, data,
                                     INITIALIZE_PHONEME_EVENTS | INITIALIZE_DONT_EXIT)
        if rate <= 0:
            raise RuntimeError("espeak-ng failed to initialise (is espeak-ng-data installed?)")
        self.lib = lib
        self.sample_rate = int(rate)
        self.lock = threading.Lock()
        self._chunks: list[np.ndarray] = []
        self._phonemes: list[tuple[int, str]] = []
        # Keep a reference: ctypes must not free the trampoline while the library holds it.
        self._callback = _CALLBACK(self._on_audio)
        lib.espeak_SetSynthCallback(self._callback)

    def _use_voice(self, voice: str) -> None:
        """Sets the voice of the calls that follow; the caller holds the lock."""
        if self.lib.espeak_SetVoiceByName(voice.encode()) != EE_OK:
            raise ValueError(f"espeak-ng has no voice {voice!r}")

    def _on_audio(self, wav, count, events) -> int:
        if wav and count > 0:
            self._chunks.append(np.ctypeslib.as_array(wav, shape=(count,)).astype(np.int16, copy=True))
        if events:
            index = 0
            while True:
                event = events[index]
                if event.type == EVENT_LIST_TERMINATED:
                    break
                if event.type == EVENT_PHONEME:
                    name = bytes(event.id.string).split(b"\0", 1)[0].decode("utf-8", "replace")
                    if not name.startswith("("):  # "(en)", "(cmn)": a language switch, not a sound
                        self._phonemes.append((int(event.audio_position), name))
                index += 1
        return 0

    def synthesize(self, text: str, voice: str, rate_wpm: int) -> Speech:
        with self.lock:
            self._use_voice(voice)
            self.lib.espeak_SetParameter(PARAM_RATE, int(rate_wpm), 0)
            self._chunks, self._phonemes = [], []
            data = text.encode("utf-8") + b"\0"
            buffer = ctypes.create_string_buffer(data, len(data))
            result = self.lib.espeak_Synth(buffer, len(data), 0, POS_CHARACTER, 0, CHARS_UTF8, None, None)
            if result != EE_OK:
                raise RuntimeError(f"espeak_Synth failed with code {result}")
            self.lib.espeak_Synchronize()
            samples = np.concatenate(self._chunks) if self._chunks else np.zeros(0, dtype=np.int16)
            phonemes = [(ms / 1000.0, name) for ms, name in self._phonemes]
            self._chunks, self._phonemes = [], []
        # Events arrive in time order; keep that order stable even if two share a millisecond.
        phonemes.sort(key=lambda item: item[0])
        return Speech(samples=samples, sample_rate=self.sample_rate, phonemes=phonemes)

    def ipa(self, text: str, voice: str) -> str:
        """The text's phonemes in IPA with stress marks, words separated by spaces (clauses too)."""
        with self.lock:
            self._use_voice(voice)
            pointer = ctypes.pointer(ctypes.c_char_p(text.encode("utf-8")))
            clauses = []
            while pointer.contents.value is not None:
                phonemes = self.lib.espeak_TextToPhonemes(pointer, CHARS_UTF8, PHONEMES_IPA)
                if phonemes:
                    clauses.append(phonemes.decode("utf-8", "replace").strip())
        return " ".join(clause for clause in clauses if clause)


_engine: _Engine | None = None
_engine_lock = threading.Lock()


def _get_engine() -> _Engine:
    global _engine
    with _engine_lock:
        if _engine is None:
            _engine = _Engine()
        return _engine


def voice_for(language: str) -> str:
    """The espeak-ng voice for one of our language names ("en", "zh"), keeping a variant after "+"
    ("zh-pinyin+f3" → "cmn-latn-pinyin+f3"); other names pass through."""
    base, plus, variant = language.partition("+")
    return VOICES.get(base.lower(), base) + plus + variant


def synthesize(text: str, language: str = "en", rate_wpm: int = 160) -> Speech:
    """Speak `text` offline; return the samples (int16 mono) and each phoneme's start time."""
    return _get_engine().synthesize(text, voice_for(language), rate_wpm)


def ipa(text: str, language: str = "en") -> str:
    """The text's phonemes in IPA as espeak-ng reads it (the neural voice's English phonemes)."""
    return _get_engine().ipa(text, voice_for(language))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Speak text offline with espeak-ng and write a WAV.")
    parser.add_argument("--text", required=True, help="the text to speak (UTF-8)")
    parser.add_argument("--language", default="en",
                        help="en, zh (Mandarin), zh-pinyin (Mandarin written in pinyin); other espeak-ng voices pass through")
    parser.add_argument("--rate", type=int, default=160, help="speaking rate in words per minute")
    parser.add_argument("-o", "--output", required=True, help="the WAV file to write")
    parser.add_argument("--phonemes", action="store_true", help="also print each phoneme's start time to stdout")
    args = parser.parse_args(argv)
    try:
        speech = synthesize(args.text, args.language, args.rate)
    except (RuntimeError, ValueError) as error:
        print(f"speech: {error}", file=sys.stderr)
        return 1
    if len(speech.samples) == 0:
        print("speech: espeak-ng produced no audio", file=sys.stderr)
        return 1
    write_wav(args.output, speech.samples, speech.sample_rate)
    if args.phonemes:
        for start, name in speech.phonemes:
            print(f"{start:.3f}\t{name}")
    print(f"speech: wrote {args.output} ({speech.seconds:.2f} s, {len(speech.phonemes)} phonemes)", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
