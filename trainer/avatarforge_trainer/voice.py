"""The product's voices, behind one interface: text in, speech with every phoneme's time out.

- Neural voices (the default): Kokoro-82M (neural_voice.py), 20 American English, 8 British English
  and 8 Mandarin voices. Any of them reads English, Mandarin and text mixing both.
- espeak-ng (speech.py), the fallback: "espeak" speaks with the text's language's espeak-ng voice,
  "espeak:<espeak-ng voice>" with that one ("espeak:en-gb-x-rp+f2").

`synthesize` returns a speech.Speech: int16 samples, their rate, and (start seconds, phoneme) pairs,
where a phoneme is an IPA symbol (neural voices) or an espeak-ng mnemonic (espeak-ng), "_" a pause;
visemes.py maps both onto mouth classes. `stream` yields the same speech a sentence at a time.

CLI: python -m avatarforge_trainer voices          (the voices on offer, as JSON lines)
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Iterator

import numpy as np

from . import neural_voice, phonemize, speech
from .speech import Speech

ESPEAK = "espeak"
DEFAULT_VOICES = {"en": "af_heart", "zh": "zf_xiaoxiao"}
# espeak-ng's rate at speed 1.
ESPEAK_WORDS_PER_MINUTE = 160
# Kokoro's durations lag the sound: a phoneme's sound starts about this much before the time the
# graph gives it (measured in docs/voices.md), so the mouth is moved this much earlier.
NEURAL_LEAD_SECONDS = 0.07
# A live avatar's first piece of a text: at most this many phonemes (about a second of speech), so
# that its first audio comes within the live latency budget; the rest follows a sentence at a time.
FIRST_PIECE_SYMBOLS = 24
# Of the silence the model puts before each piece (about 0.35 s), this many duration steps are kept.
LEADING_PAD_STEPS = 2
# Silence inside a piece's audio rests the mouth: at least SILENT_GAP_STEPS duration steps (100 ms,
# longer than a stop's closure) more than SILENCE_DB_BELOW_PEAK below the piece's loudest step.
SILENCE_DB_BELOW_PEAK = 45.0
SILENT_GAP_STEPS = 4
# Symbols that change the sound before them (stress, length, aspiration, tone, nasalization) or
# separate words: the mouth keeps the phoneme before them.
NO_MOUTH_CHANGE = set("ˈˌːʰʲᵝ↓→↗↘\u0303 ")


@dataclass(frozen=True)
class Voice:
    name: str
    language: str   # en-us, en-gb, zh
    gender: str     # female, male
    engine: str     # kokoro, espeak-ng

    @property
    def accent(self) -> str:
        return "en-gb" if self.language == "en-gb" else "en-us"

    def describe(self) -> dict:
        return {"name": self.name, "language": self.language, "gender": self.gender, "engine": self.engine,
                "default_for": [language for language, name in DEFAULT_VOICES.items() if name == self.name]}


_PREFIXES = {"a": "en-us", "b": "en-gb", "z": "zh"}
NEURAL_VOICES = {
    name: Voice(name, _PREFIXES[name[0]], "female" if name[1] == "f" else "male", "kokoro")
    for name in (
        "af_alloy", "af_aoede", "af_bella", "af_heart", "af_jessica", "af_kore", "af_nicole", "af_nova", "af_river",
        "af_sarah", "af_sky", "am_adam", "am_echo", "am_eric", "am_fenrir", "am_liam", "am_michael", "am_onyx",
        "am_puck", "am_santa", "bf_alice", "bf_emma", "bf_isabella", "bf_lily", "bm_daniel", "bm_fable",
        "bm_george", "bm_lewis", "zf_xiaobei", "zf_xiaoni", "zf_xiaoxiao", "zf_xiaoyi", "zm_yunjian", "zm_yunxi",
        "zm_yunxia", "zm_yunyang",
    )
}
ESPEAK_VOICES = {
    "espeak:en": Voice("espeak:en", "en-us", "male", "espeak-ng"),
    "espeak:zh": Voice("espeak:zh", "zh", "male", "espeak-ng"),
}


def voices() -> list[dict]:
    """The voices on offer: the neural ones, then the espeak-ng fallbacks."""
    return [voice.describe() for voice in (*NEURAL_VOICES.values(), *ESPEAK_VOICES.values())]


def resolve(voice: str | None, text: str, preferred: dict[str, str] | None = None) -> str:
    """The voice that speaks `text`: the one named; else the `preferred` voice for the text's language
    (a model's: the stock voice nearest to its person); else the language's default."""
    if not voice:
        language = phonemize.language_of(text)
        return (preferred or {}).get(language) or DEFAULT_VOICES[language]
    if voice == ESPEAK or voice in NEURAL_VOICES or voice.startswith(ESPEAK + ":"):
        return voice
    raise ValueError(f"there is no voice {voice!r}; the voices are listed by `avatarforge voices`")


def synthesize(text: str, voice: str | None = None, speed: float = 1.0,
               preferred: dict[str, str] | None = None) -> Speech:
    """Speaks `text` with `voice` (a neural voice's name, "espeak" or "espeak:<voice>"; by default the
    `preferred` voice for the text's language, else its default voice) at `speed` (0.5 to 2)."""
    parts = list(stream(text, voice, speed, preferred=preferred))
    if not parts:
        raise ValueError("the text has nothing to say")
    return join(parts)


def stream(text: str, voice: str | None = None, speed: float = 1.0, first_piece: int | None = None,
           preferred: dict[str, str] | None = None) -> Iterator[Speech]:
    """The speech of `text` a piece at a time (a sentence, or a clause of a long one), each starting
    at 0. `first_piece` (phonemes) cuts the first piece short, for speech that must start soon
    (FIRST_PIECE_SYMBOLS is the live avatar's choice); the rest of its sentence follows in pieces
    that grow (phonemize.pieces), each made while the one before is heard."""
    if not 0.5 <= speed <= 2.0:
        raise ValueError(f"speed {speed}: 0.5 to 2")
    name = resolve(voice, text, preferred)
    if name == ESPEAK or name.startswith(ESPEAK + ":"):
        language = name.partition(":")[2] or phonemize.language_of(text)
        yield speech.synthesize(text, language, round(ESPEAK_WORDS_PER_MINUTE * speed))
        return
    yield from _neural_pieces(text, name, NEURAL_VOICES[name].accent, speed, first_piece)


def synthesize_as(text: str, voice_file: str, accent: str = "en-us") -> Speech:
    """`text` read in `accent` by any voice file the neural model's package ships (NEURAL_VOICES and the
    voices of its other languages): for speech the product learns from, not a voice on offer."""
    return join(list(_neural_pieces(text, voice_file, accent, 1.0)))


def _neural_pieces(text: str, voice_file: str, accent: str, speed: float, first_piece: int | None = None) -> Iterator[Speech]:
    """`text`'s pieces (phonemize.pieces) said one by one by the neural model with `voice_file`."""
    model = neural_voice.get_model()
    for piece in phonemize.pieces(text, accent, first=first_piece):
        yield _neural_piece(model, piece, voice_file, speed)


def _neural_piece(model: neural_voice.Kokoro, phonemes: str, voice: str, speed: float) -> Speech:
    audio, durations, symbols = model.run(phonemes, voice, speed)
    step = neural_voice.FRAME_SAMPLES
    cut = max(int(durations[0]) - LEADING_PAD_STEPS, 0)
    audio = audio[cut * step:]
    rate = float(neural_voice.SAMPLE_RATE)
    position = (int(durations[0]) - cut) * step
    events: list[tuple[float, str]] = []
    for symbol, length in zip(symbols, durations[1:-1]):
        if symbol in phonemize.PAUSES:
            events.append((position, "_"))
        elif symbol not in NO_MOUTH_CHANGE:
            events.append((position, symbol))
        position += int(length) * step
    events.append((position, "_"))
    phonemes_at = [(max(at / rate - NEURAL_LEAD_SECONDS, 0.0), name) for at, name in events]
    phonemes_at = _resting_in_silences(phonemes_at, _silences(audio, step, rate))
    samples = (np.clip(audio, -1.0, 1.0) * 32767.0).astype(np.int16)
    return Speech(samples=samples, sample_rate=neural_voice.SAMPLE_RATE, phonemes=phonemes_at)


def _silences(audio: np.ndarray, step: int, rate: float) -> list[tuple[float, float]]:
    """(start, end) seconds of the silences in a piece's audio: runs of at least SILENT_GAP_STEPS
    steps more than SILENCE_DB_BELOW_PEAK below its loudest step."""
    count = len(audio) // step
    if count == 0:
        return []
    levels = np.sqrt(np.mean(audio[:count * step].reshape(count, step).astype(np.float64) ** 2, axis=1))
    quiet = levels < levels.max() * 10.0 ** (-SILENCE_DB_BELOW_PEAK / 20.0)
    runs, start = [], None
    for index, silent in enumerate(np.append(quiet, False)):
        if silent and start is None:
            start = index
        elif not silent and start is not None:
            if index - start >= SILENT_GAP_STEPS:
                runs.append((start * step / rate, index * step / rate))
            start = None
    return runs


def _resting_in_silences(phonemes: list[tuple[float, str]], silences: list[tuple[float, float]]) -> list[tuple[float, str]]:
    """The timeline with the mouth at rest ("_") through every silence, and the phoneme that was
    sounding when a silence ends said again from there. Kokoro gives the silence after a phrase to
    its last phoneme (a final "z" of 400 ms, of which 300 ms are silent), which would hold the mouth
    open in the pause."""
    def sounding_at(moment: float) -> str:
        before = [name for at, name in phonemes if at <= moment]
        return before[-1] if before else "_"

    result = list(phonemes)
    for start, end in silences:
        resumed = sounding_at(end)
        result = [(at, name) for at, name in result if not start <= at < end]
        result.append((start, "_"))
        if resumed != "_" and end < phonemes[-1][0]:
            result.append((end, resumed))
    return sorted(result, key=lambda event: event[0])


def join(parts: list[Speech]) -> Speech:
    """One speech from pieces said one after another (all at one sample rate)."""
    rate = parts[0].sample_rate
    phonemes, offset = [], 0.0
    for part in parts:
        phonemes += [(offset + at, name) for at, name in part.phonemes]
        offset += part.seconds
    return Speech(samples=np.concatenate([part.samples for part in parts]), sample_rate=rate, phonemes=phonemes)
