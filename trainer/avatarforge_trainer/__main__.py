"""The reference trainer's command line.

  python -m avatarforge_trainer <input dir> <output dir>      one pipeline stage (or a video job's render), named by AVATARFORGE_STAGE
  python -m avatarforge_trainer render --model DIR (--audio FILE | --text TEXT [--voice NAME]) -o OUT.mp4 [--resolution 1080|720]
  python -m avatarforge_trainer voices                         the voices that say text, one JSON object a line
  python -m avatarforge_trainer say --text TEXT [--voice NAME] -o OUT.wav
                                                               speech alone (docs/voices.md)
  python -m avatarforge_trainer measure VIDEO                  mouth openness per frame, as JSON
  python -m avatarforge_trainer check --model DIR              loads a model as the renderer does; prints its manifest
  python -m avatarforge_trainer sample-video -o OUT.mp4 [--seconds S] …
                                                               a talking-face video made offline (fixture.py's options)

A stage prints its summary as the last line of standard output; a failure prints its reason as the
last line of standard error, on one line, and exits with status 1. A failure that is not the
input's fault (a bug) prints its traceback first, for the log, and a last line that says so
without quoting source code.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
import traceback

from . import lifetime
from .media import TrainerError

STAGES = ("training_data_preprocess", "training", "inference_data_preprocess", "compile", "test_video_check", "video_render")


def run_stage(arguments: list[str]) -> None:
    from . import stages, video

    stage = os.environ.get("AVATARFORGE_STAGE", "")
    if stage not in STAGES:
        raise TrainerError(f"AVATARFORGE_STAGE must be one of {', '.join(STAGES)}, not {stage or 'unset'}")
    if len(arguments) != 2:
        raise TrainerError("usage: python -m avatarforge_trainer <input dir> <output dir>")
    input_dir, output_dir = arguments
    os.makedirs(output_dir, exist_ok=True)
    handler = {"compile": stages.compile_model, "video_render": video.video_render}.get(stage) or getattr(stages, stage)
    print(handler(input_dir, output_dir), flush=True)


def run_render(arguments: list[str]) -> None:
    from .lipsync import Timeline
    from .model import Model, render

    parser = argparse.ArgumentParser(prog="avatarforge render")
    parser.add_argument("--model", required=True, help="the model directory (docs/model-format.md)")
    source = parser.add_mutually_exclusive_group(required=True)
    source.add_argument("--audio", help="speech to say: any audio file ffmpeg reads")
    source.add_argument("--text", help="text to say (English, Mandarin or both); the mouth follows its phonemes")
    parser.add_argument("--voice", help="the voice that says --text (`avatarforge voices` lists them; "
                        "default: the model's voice for the text's language, the stock voice nearest to "
                        "its person; espeak for the espeak-ng fallback)")
    parser.add_argument("--resolution", type=int, choices=(720, 1080), default=1080)
    parser.add_argument("-o", "--output", required=True)
    options = parser.parse_args(arguments)
    model = Model.load(options.model)
    with tempfile.TemporaryDirectory(prefix="avatarforge-render-") as scratch:
        audio = options.audio
        timeline = None
        if options.text is not None:
            from .media import write_wav
            from .voice import synthesize

            try:
                speech = synthesize(options.text, options.voice, preferred=model.voices)
            except ValueError as error:
                raise TrainerError(f"--text: {error}") from error
            audio = os.path.join(scratch, "speech.wav")
            write_wav(audio, speech.samples, speech.sample_rate)
            timeline = Timeline.whole(speech.phonemes, speech.seconds)
        elif not os.path.exists(audio):
            raise TrainerError(f"{audio} does not exist")
        result = render(model, audio, options.output, options.resolution, timeline=timeline)
    result.pop("chosen")
    print(json.dumps({"output": options.output, **result}), flush=True)


def run_measure(arguments: list[str]) -> None:
    from .stages import measure_openness

    if len(arguments) != 1:
        raise TrainerError("usage: python -m avatarforge_trainer measure VIDEO")
    openness, found = measure_openness(arguments[0])
    print(json.dumps({"face_found_ratio": found, "openness": [None if value != value else round(float(value), 5) for value in openness]}))


def run_say(arguments: list[str]) -> None:
    from .media import write_wav
    from .voice import synthesize

    parser = argparse.ArgumentParser(prog="avatarforge say")
    parser.add_argument("--text", required=True, help="the text to say (English, Mandarin or both)")
    parser.add_argument("--voice", help="the voice (`avatarforge voices`; default: the text's language's)")
    parser.add_argument("-o", "--output", required=True, help="the WAV file to write")
    options = parser.parse_args(arguments)
    try:
        speech = synthesize(options.text, options.voice)
    except ValueError as error:
        raise TrainerError(f"--text: {error}") from error
    partial = f"{options.output}.partial"
    write_wav(partial, speech.samples, speech.sample_rate)
    os.replace(partial, options.output)
    print(json.dumps({"output": options.output, "seconds": round(speech.seconds, 3), "sample_rate": speech.sample_rate}), flush=True)


def run_voices(arguments: list[str]) -> None:
    from .voice import voices

    if arguments:
        raise TrainerError("usage: python -m avatarforge_trainer voices")
    for described in voices():
        print(json.dumps(described, ensure_ascii=False), flush=True)


def run_check(arguments: list[str]) -> None:
    from .model import Model

    parser = argparse.ArgumentParser(prog="avatarforge check", description="loads a model and checks every file of it")
    parser.add_argument("--model", required=True, help="the model directory (docs/model-format.md)")
    options = parser.parse_args(arguments)
    model = Model.load(options.model)
    model.verify()
    print(json.dumps(model.manifest), flush=True)


def main() -> int:
    lifetime.die_with_parent()
    arguments = sys.argv[1:]
    try:
        if arguments[:1] == ["render"]:
            run_render(arguments[1:])
        elif arguments[:1] == ["measure"]:
            run_measure(arguments[1:])
        elif arguments[:1] == ["check"]:
            run_check(arguments[1:])
        elif arguments[:1] == ["voices"]:
            run_voices(arguments[1:])
        elif arguments[:1] == ["say"]:
            run_say(arguments[1:])
        elif arguments[:1] == ["sample-video"]:
            from . import fixture

            return fixture.main(arguments[1:])
        else:
            run_stage(arguments)
    except TrainerError as error:
        print(" | ".join(line.strip() for line in str(error).splitlines() if line.strip()), file=sys.stderr)
        return 1
    except Exception as error:  # noqa: BLE001 - a bug: the traceback is for the log, the last line for the user
        traceback.print_exc()
        print(f"the trainer failed on an internal error ({type(error).__name__}); the details are in the log", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
