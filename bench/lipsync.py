"""Lip sync on faces, voices and texts the model never saw: `npm run bench:lipsync`.

For each case, a training fixture is made of one face (three photos from three installable
packages) in one voice (English or Mandarin; an espeak-ng voice, or one of the product's neural
voices, whose speech is much closer to a person's) and trained through every stage as the pipeline
runs them. Each model then says the fixture's test sentences (none is in any training fixture) in
voices other than its training voice, espeak-ng and neural, as a TEXT script (the mouth follows the synthesizer's phonemes) and as an AUDIO
script (the mouth comes from the sound alone). Each render is measured back with the landmark
model against the truth the fixture knows. Prints one row per (face, voice, script type) and a
summary against the floors, per language, script type and kind of driving voice.

  BENCH_LIPSYNC_SECONDS      length of each training fixture (default 180)
  BENCH_LIPSYNC_SPEECH_SECONDS  length of each driving speech (default 25)
  BENCH_LIPSYNC_FACES        only these faces (comma-separated, e.g. "hopper"; default all)
"""

from __future__ import annotations

import itertools
import json
import os
import sys
import tempfile
import time

import numpy as np

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, os.path.join(ROOT, "trainer"))

from avatarforge_trainer import lipsync_eval, stages  # noqa: E402
from avatarforge_trainer.fixture_cache import cached_fixture  # noqa: E402
from avatarforge_trainer.fixture_model import run_stage  # noqa: E402
from avatarforge_trainer.model import Model  # noqa: E402

SECONDS = float(os.environ.get("BENCH_LIPSYNC_SECONDS", "180"))
SPEECH_SECONDS = float(os.environ.get("BENCH_LIPSYNC_SPEECH_SECONDS", "25"))
FACES = [face for face in os.environ.get("BENCH_LIPSYNC_FACES", "").split(",") if face]
WIDTH, HEIGHT = 1280, 720
# (face, training language, training voice, driving voices): every driving voice differs from the
# training one. Names with an underscore are neural voices (voice.py), the others espeak-ng's.
CASES = [
    ("astronaut", "en", "en-us", ["en-us+f3", "en+m3", "am_michael", "bf_emma"]),
    ("hopper", "en", "en+f2", ["en-us", "en-us+m7", "af_bella"]),
    ("coelho", "en", "en-gb-x-rp+m3", ["en-us+f3", "en+f4", "am_adam"]),
    ("hopper", "zh", "zh-pinyin+f3", ["zh-pinyin", "zh-pinyin+m3", "zf_xiaobei"]),
    ("astronaut", "en", "am_adam", ["af_heart", "bm_george", "en-us+f3"]),
]
FLOORS = {"text": {"rendered_r": 0.85}, "audio": {"predicted_r": 0.80, "rendered_r": 0.75}}
DEPTH_FLOOR, REST_FLOOR, FACE_FLOOR, ABOVE_LOUDNESS = 0.85, 0.9, 0.99, 0.12


def voice_kind(name: str) -> str:
    return "neural" if "_" in name else "espeak-ng"


def train(video: str, work: str) -> tuple[str, str]:
    """The compiled model and the training data of a fixture, through every stage."""
    job = {"inference_data_process_video_mark_info": {"video_start_time": "00:00:00.000", "video_end_time": "00:00:15.000"}}
    data = run_stage(stages.training_data_preprocess, {"training_video": video}, job, work, "training_data")
    package = run_stage(stages.training, {"training_data": data}, job, work, "model_package")
    inference = run_stage(stages.inference_data_preprocess, {"training_video": video}, job, work, "inference_data")
    compiled = run_stage(stages.compile_model, {"model_package": package, "inference_data": inference}, job, work, "compiled_model")
    return compiled, data


def main() -> None:
    rows = []
    header = (f"{'face':<10} {'trained on':<16} {'driven by':<16} {'script':<6} {'pred r':>7} {'rend r':>7} "
              f"{'loud r':>7} {'depth':>6} {'rest':>6} {'face':>6}")
    started = time.monotonic()
    with tempfile.TemporaryDirectory(prefix="avatarforge-bench-lipsync-") as scratch:
        for number, (face, language, training_voice, driving_voices) in enumerate(CASES):
            if FACES and face not in FACES:
                continue
            print(f"making (or reusing) a {SECONDS:g} s fixture of {face} speaking {language} in {training_voice} …", flush=True)
            video = cached_fixture(seconds=SECONDS, width=WIDTH, height=HEIGHT, seed=11 + number, face=face,
                                   language=language, voice=training_voice)
            work = os.path.join(scratch, f"case-{number}")
            os.makedirs(work)
            compiled, data = train(video, work)
            model = Model.load(compiled)
            line = lipsync_eval.gap_line(data, video[:-4] + ".truth.json")
            for voice in driving_voices:
                speech = lipsync_eval.driving_speech(os.path.join(work, f"{voice}.wav"), voice, language, SPEECH_SECONDS)
                for mode in ("text", "audio"):
                    figures = lipsync_eval.evaluate(model, speech, line, os.path.join(work, "render.mp4"), mode,
                                                    stages.measure_openness)
                    rows.append({"face": face, "language": language, "trained_on": training_voice, "voice": voice, "mode": mode, **figures})
                    print(f"  {face:<10} {training_voice:<16} {voice:<16} {mode:<6} {figures['predicted_r']:7.3f} "
                          f"{figures['rendered_r']:7.3f} {figures['loudness_r']:7.3f} {figures['depth']:6.2f} "
                          f"{figures['rest']:6.2f} {figures['face_found']:6.3f}", flush=True)

    print()
    print(f"{len({(row['face'], row['language'], row['trained_on']) for row in rows})} models ({SECONDS:g} s training fixtures at {WIDTH}x{HEIGHT}), {len(rows)} renders of "
          f"{SPEECH_SECONDS:g} s of unseen sentences each, {time.monotonic() - started:.0f} s")
    print(header)
    for row in rows:
        print(f"{row['face']:<10} {row['trained_on']:<16} {row['voice']:<16} {row['mode']:<6} {row['predicted_r']:7.3f} "
              f"{row['rendered_r']:7.3f} {row['loudness_r']:7.3f} {row['depth']:6.2f} {row['rest']:6.2f} {row['face_found']:6.3f}")
    print()
    print("summary (min / median / max over the rows; floors in brackets):")
    failures = []
    for language in sorted({row["language"] for row in rows}):
        for mode, kind in itertools.product(("text", "audio"), ("espeak-ng", "neural")):
            chosen = [row for row in rows if row["mode"] == mode and row["language"] == language and voice_kind(row["voice"]) == kind]
            if not chosen:
                continue
            parts = []
            for name in ("predicted_r", "rendered_r", "depth", "rest", "face_found"):
                values = np.array([row[name] for row in chosen])
                floor = FLOORS[mode].get(name) or {"depth": DEPTH_FLOOR, "rest": REST_FLOOR, "face_found": FACE_FLOOR}.get(name)
                parts.append(f"{name} {values.min():.2f}/{np.median(values):.2f}/{values.max():.2f}" + (f" [≥ {floor}]" if floor else ""))
                if floor and language == "en" and values.min() < floor:
                    failures.append(f"{language} {mode} {kind} {name} {values.min():.3f} < {floor}")
            margin = np.array([row["rendered_r"] - row["loudness_r"] for row in chosen])
            parts.append(f"rendered − loudness {margin.min():+.2f}/{np.median(margin):+.2f}" + (f" [≥ +{ABOVE_LOUDNESS}]" if mode == "audio" else ""))
            if mode == "audio" and language == "en" and margin.min() < ABOVE_LOUDNESS:
                failures.append(f"{language} audio {kind} rendered r only {margin.min():+.3f} above loudness")
            print(f"  {language} {mode:<5} {kind:<9} " + "; ".join(parts))
    print("floors (English): " + ("all held" if not failures else "NOT held: " + "; ".join(failures)))
    with open(os.path.join(tempfile.gettempdir(), "avatarforge-bench-lipsync.json"), "w") as target:
        json.dump(rows, target, indent=1)


if __name__ == "__main__":
    main()
