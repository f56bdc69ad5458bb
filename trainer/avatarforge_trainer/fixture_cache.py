"""Talking-face fixtures made once per content and kept: tests and benchmarks share them.

  python -m avatarforge_trainer.fixture_cache [--seconds S] [--width W] [--height H] [--seed N] [--silent] [--no-face]
      [--language en|zh] [--face astronaut|hopper|coelho] [--voice VOICE] [--texts training|test]

prints the path of the fixture (its truth is beside it, NAME.truth.json), making it first if the
cache (AVATARFORGE_FIXTURE_CACHE, default <tmp>/avatarforge-fixtures) does not hold it. The key is
the arguments and the code that makes fixtures (with a neural voice, also the code that speaks), so a
change to that code makes new ones.
"""

from __future__ import annotations

import argparse
import hashlib
import os
import re
import tempfile

from . import fixture, neural_voice, phonemize, speech
from . import voice as voices


def cache_directory() -> str:
    return os.environ.get("AVATARFORGE_FIXTURE_CACHE") or os.path.join(tempfile.gettempdir(), "avatarforge-fixtures")


def fixture_name(seconds: float, width: int, height: int, seed: int, silent: bool, no_face: bool, language: str,
                 face: str, voice: str | None, texts: str, code_hash: str) -> str:
    """The file name of a fixture: every argument that changes it, the defaults left out (so the
    names from before there were languages, faces, voices and texts to choose stay as they were)."""
    parts = [f"fixture-{seconds:g}s-{width}x{height}-seed{seed}"]
    if language != "en":
        parts.append(language)
    if face != "astronaut":
        parts.append(face)
    if voice:
        parts.append("voice-" + re.sub(r"[^\w.+-]", "_", voice))  # mbrola voices hold a slash: "mb/mb-en1"
    if texts != "training":
        parts.append(f"{texts}-texts")
    if silent:
        parts.append("silent")
    if no_face:
        parts.append("noface")
    parts.append(code_hash)
    return "-".join(parts)


def cached_fixture(seconds: float = 60.0, width: int = 1920, height: int = 1080, seed: int = 1,
                   silent: bool = False, no_face: bool = False, language: str = "en", face: str = "astronaut",
                   voice: str | None = None, texts: str = "training") -> str:
    code = hashlib.sha256()
    # A neural voice's speech is also made by its own modules (and its model, pinned by the requirements).
    spoken_by = (voices, neural_voice, phonemize) if voice in voices.NEURAL_VOICES else ()
    for module in (fixture, speech, *spoken_by):
        with open(module.__file__, "rb") as source:
            code.update(source.read())
    name = fixture_name(seconds, width, height, seed, silent, no_face, language, face, voice, texts,
                        code.hexdigest()[:12])
    directory = cache_directory()
    video = os.path.join(directory, name + ".mp4")
    if os.path.exists(video):
        return video
    os.makedirs(directory, exist_ok=True)
    scratch = tempfile.mkdtemp(prefix="making-", dir=directory)
    made = os.path.join(scratch, name + ".mp4")
    fixture.make_fixture(made, seconds=seconds, width=width, height=height, seed=seed, silent=silent, no_face=no_face,
                         language=language, face=face, voice=voice, texts=texts)
    # The truth first, then the video: a video in the cache always has its truth.
    os.replace(fixture.truth_path(made), fixture.truth_path(video))
    os.replace(made, video)
    os.rmdir(scratch)
    return video


def main() -> None:
    parser = argparse.ArgumentParser(description="Print the path of a cached talking-face fixture, making it if needed.")
    parser.add_argument("--seconds", type=float, default=60.0)
    parser.add_argument("--width", type=int, default=1920)
    parser.add_argument("--height", type=int, default=1080)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--silent", action="store_true")
    parser.add_argument("--no-face", action="store_true")
    parser.add_argument("--language", default="en", choices=sorted(fixture.LANGUAGES))
    parser.add_argument("--face", default="astronaut", choices=fixture.FACES)
    parser.add_argument("--voice", help="an espeak-ng or neural voice (default: the language's espeak-ng voice)")
    parser.add_argument("--texts", default="training", choices=fixture.TEXTS)
    options = parser.parse_args()
    print(cached_fixture(options.seconds, options.width, options.height, options.seed, options.silent, options.no_face,
                         options.language, options.face, options.voice, options.texts))


if __name__ == "__main__":
    main()
