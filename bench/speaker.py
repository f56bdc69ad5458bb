"""The nearest stock voice's benchmark: `npm run bench:speaker`.

Does the voice training picks (speaker.nearest, from the person's training speech) sound more like
the person than the default voice does? Measured on speech of the person that the choice never
heard (other sentences), for "persons" that are not stock voices:
- the Kokoro-82M voices of other languages (Spanish, French, Hindi, Italian, Japanese, Portuguese
  speakers: in the same npm tarball as the stock voices, not in the catalogue) reading English,
  and some of them reading Mandarin;
- stock voices with their pitch and formants moved by ±6 % (resampled): people who resemble one;
- two real people: the speakers of the AMI meeting excerpt that ships in the PyPI wheel
  pyannote.audio 4.0.7 (sample.wav, CC BY 4.0; fetched from PyPI into the fixture cache, sha256
  pinned; their speech is split by its own annotation into a training half and a held-out half).

Per person, the chosen voice against the default voice, each reading a third text:
- the encoder's cosine similarity to the person's held-out speech (the choice used the same encoder,
  on other speech), and the chosen voice's rank among all the language's stock voices by it (1: no
  stock voice was nearer on held-out speech);
- two measures independent of the encoder: the distance between the voice's median pitch and the
  person's (autocorrelation, semitones), and whether the voice has the person's gender (known for the
  Kokoro persons).

  BENCH_SPEAKER_QUICK=1   fewer persons (a smoke run)
"""

from __future__ import annotations

import hashlib
import os
import subprocess
import sys
import tempfile
import time
import zipfile

import numpy as np

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, os.path.join(ROOT, "trainer"))

from avatarforge_trainer import audio_features, neural_voice, phonemize, speaker  # noqa: E402
from avatarforge_trainer.media import SAMPLE_RATE, read_audio  # noqa: E402
from avatarforge_trainer.voice import DEFAULT_VOICES, NEURAL_VOICES  # noqa: E402
from avatarforge_trainer.fixture_cache import cache_directory  # noqa: E402
from pitch import pitch_track  # noqa: E402

QUICK = os.environ.get("BENCH_SPEAKER_QUICK") == "1"

# What a person says in training (the choice hears it), what they say held out, and what the
# voices say to be compared with it: three different texts, none a print text.
TEXTS = {
    "en": {
        "training": ("The library opens early on weekdays and closes late on Fridays. My brother bought a new "
                     "bicycle because his old one was stolen. We walked along the river until the sun went down."),
        "held_out": "The children laughed when the little dog chased its own tail. Could you tell me where the station is?",
        "voice": "The teacher wrote the answer on the board and asked us to copy it into our notebooks before lunch.",
    },
    "zh": {
        "training": "我每天早上七点起床，先喝一杯热水，然后出门跑步。周末我们常常去郊外爬山，呼吸新鲜空气。",
        "held_out": "这家饭馆的菜很有名，每到晚上门口都排着长队。",
        "voice": "请把会议的资料提前发给大家，我们下午三点在二楼开会。",
    },
}
OTHER_LANGUAGE_VOICES = ("ef_dora", "em_alex", "em_santa", "ff_siwis", "hf_alpha", "hf_beta", "hm_omega", "hm_psi",
                         "if_sara", "im_nicola", "jf_alpha", "jf_gongitsune", "jf_nezumi", "jf_tebukuro", "jm_kumo",
                         "pf_dora", "pm_alex", "pm_santa")
SHIFTED = {"en": ("af_bella", "am_adam", "bf_alice", "bm_lewis"), "zh": ("zf_xiaoni", "zm_yunjian")}
SHIFTS = (0.94, 1.06)

AMI_WHEEL = "pyannote_audio-4.0.7-py3-none-any.whl"
AMI_WHEEL_SHA256 = "852ea15c4d85bc34773e618267603ffca6a521669a74d33742692cc67fc700d6"
# speaker: (training segments, held-out segments), seconds, from the wheel's sample.rttm.
AMI_SPEAKERS = {
    "speaker90": ([(8.32, 10.02), (10.57, 14.70)], [(18.59, 21.49), (27.85, 30.0)]),
    "speaker91": ([(9.92, 11.03), (14.49, 17.92)], [(21.78, 28.50)]),
}


def say(text: str, voice: str, language: str, shift: float = 1.0) -> np.ndarray:
    """Float samples at SAMPLE_RATE of `voice` (any Kokoro voice file) reading `text`."""
    model = neural_voice.get_model()
    accent = "en-us" if language == "en" else "zh"
    audio = np.concatenate([model.run(piece, voice)[0] for piece in phonemize.pieces(text, accent)])
    with tempfile.NamedTemporaryFile(suffix=".raw") as raw:
        raw.write(audio.astype("<f4").tobytes())
        raw.flush()
        made = subprocess.run(["ffmpeg", "-v", "error", "-f", "f32le", "-ar", str(round(neural_voice.SAMPLE_RATE * shift)),
                               "-ac", "1", "-i", raw.name, "-ar", str(SAMPLE_RATE), "-f", "f32le", "-"],
                              capture_output=True, check=True)
    return np.frombuffer(made.stdout, "<f4").copy()


def ami_persons() -> dict[str, tuple[np.ndarray, np.ndarray]]:
    directory = os.path.join(cache_directory(), "pypi")
    wheel = os.path.join(directory, AMI_WHEEL)
    if not os.path.exists(wheel):
        os.makedirs(directory, exist_ok=True)
        subprocess.run([sys.executable, "-m", "pip", "download", "--quiet", "--no-deps", "--dest", directory,
                        "pyannote.audio==4.0.7"], check=True)
    with open(wheel, "rb") as source:
        if hashlib.sha256(source.read()).hexdigest() != AMI_WHEEL_SHA256:
            raise SystemExit(f"{wheel} is not the pinned pyannote.audio wheel")
    with zipfile.ZipFile(wheel) as archive, tempfile.NamedTemporaryFile(suffix=".wav") as sample:
        sample.write(archive.read("pyannote/audio/sample/sample.wav"))
        sample.flush()
        recording = read_audio(sample.name)

    def cut(segments):
        return np.concatenate([recording[int(a * SAMPLE_RATE):int(b * SAMPLE_RATE)] for a, b in segments])

    return {f"AMI {name}": (cut(training), cut(held)) for name, (training, held) in AMI_SPEAKERS.items()}


def median_pitch(samples: np.ndarray) -> float:
    """The median pitch (semitones above 1 Hz) of the voiced speech, the level first brought to a
    common loudness."""
    level = np.percentile(np.abs(samples), 99) + 1e-9
    _, pitches = pitch_track(samples * (0.5 / level), SAMPLE_RATE)
    return float(np.median(pitches))


def gender_of(person: str) -> str | None:
    """A Kokoro voice's gender, from its name (xf_… or xm_…); None for the AMI speakers."""
    return None if person.startswith("AMI") else {"f": "female", "m": "male"}[person[1]]


def main() -> None:
    started = time.monotonic()
    persons = {"en": {}, "zh": {}}
    others = OTHER_LANGUAGE_VOICES[:4] if QUICK else OTHER_LANGUAGE_VOICES
    for language in ("en", "zh"):
        texts = TEXTS[language]
        speakers = others if language == "en" else others[::3]
        for voice in speakers:
            persons[language][voice] = (say(texts["training"], voice, language), say(texts["held_out"], voice, language))
        for voice in SHIFTED[language][: 1 if QUICK else None]:
            for shift in SHIFTS:
                persons[language][f"{voice} ×{shift}"] = (say(texts["training"], voice, language, shift),
                                                          say(texts["held_out"], voice, language, shift))
        print(f"{language}: {len(persons[language])} synthetic persons ({time.monotonic() - started:.0f} s)", file=sys.stderr)
    persons["en"].update(ami_persons())

    for language in ("en", "zh"):
        stock = [name for name, voice in NEURAL_VOICES.items() if (voice.language == "zh") == (language == "zh")]
        spoken = {name: say(TEXTS[language]["voice"], name, language) for name in stock}
        spoken_prints = {name: speaker.embed(samples) for name, samples in spoken.items()}
        pitches = {name: median_pitch(samples) for name, samples in spoken.items()}
        default = DEFAULT_VOICES[language]
        print(f"\n## {language}: {len(persons[language])} persons, {len(stock)} stock voices, default {default}")
        print("| person | chosen | encoder similarity to held-out speech: chosen / default | its rank of "
              f"{len(stock)} | pitch distance (semitones): chosen / default |")
        print("|---|---|---|---|---|")
        rows, genders = [], []
        for person, (training, held) in persons[language].items():
            chosen = speaker.nearest(speaker.embed(training))[language]["voice"]
            held_print = speaker.embed(held)
            similarity = {name: float(voice_print @ held_print) for name, voice_print in spoken_prints.items()}
            rank = 1 + sum(value > similarity[chosen] for value in similarity.values())
            pitch = median_pitch(held)
            rows.append((similarity[chosen], similarity[default], rank,
                         abs(pitches[chosen] - pitch), abs(pitches[default] - pitch)))
            if gender_of(person):
                genders.append((NEURAL_VOICES[chosen].gender == gender_of(person),
                                NEURAL_VOICES[default].gender == gender_of(person)))
            print(f"| {person} | {chosen} | {rows[-1][0]:.3f} / {rows[-1][1]:.3f} | {rank} | "
                  f"{rows[-1][3]:.1f} / {rows[-1][4]:.1f} |")
        table, matched = np.array(rows), np.array(genders)
        gain = table[:, 0] - table[:, 1]
        print(f"\n{language}: similarity gain (chosen − default) median {np.median(gain):+.3f}, range "
              f"{gain.min():+.3f} … {gain.max():+.3f}, chosen at least as similar for {np.mean(gain >= 0) * 100:.0f} % "
              f"of {len(gain)} persons; the chosen voice is the most similar stock voice on held-out speech for "
              f"{np.mean(table[:, 2] == 1) * 100:.0f} % (median rank {np.median(table[:, 2]):.0f} of {len(stock)})")
        print(f"{language}: pitch distance to the person median {np.median(table[:, 3]):.1f} semitones chosen, "
              f"{np.median(table[:, 4]):.1f} default; same gender as the person {matched[:, 0].mean() * 100:.0f} % chosen, "
              f"{matched[:, 1].mean() * 100:.0f} % default ({len(matched)} persons of known gender)")
    print(f"\n{time.monotonic() - started:.0f} s", file=sys.stderr)


if __name__ == "__main__":
    main()
