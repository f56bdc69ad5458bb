"""The video-job stage: a finished model says a video job's scripts, in order, into one MP4 and a cover.

The input dir holds the job's `render_plan` in job.json (docs/pipeline.md, "Video jobs"), the model
unpacked in `compiled_model/`, and the audio of each AUDIO script under the name the plan gives.
"""

from __future__ import annotations

import json
import os
import subprocess
import time

import numpy as np

from .lipsync import Timeline
from .media import TrainerError, ffmpeg_path, read_audio, write_wav
from .model import Model, output_size, render
from .stages import progress, read_job
from .voice import synthesize

# The API's speed scale: 100 is the voice's own pace.
NORMAL_SPEED = 100
# The API's volume scale: 140 is the voice as it comes.
NORMAL_VOLUME = 140
# The API's pitch scale: 100 is the voice's own; 50 an octave lower, 200 an octave higher.
NORMAL_PITCH = 100
# The video's sound: the neural voice's own rate (AUDIO scripts are resampled to it).
OUTPUT_RATE = 24000


def pitch_filter(pitch: int) -> str | None:
    """ffmpeg's filter that moves the voice's pitch (and its formants with it) by pitch/100, keeping
    its timing, so the phoneme timeline still holds."""
    if pitch == NORMAL_PITCH:
        return None
    factor = pitch / NORMAL_PITCH
    return f"asetrate={round(OUTPUT_RATE * factor)},aresample={OUTPUT_RATE},atempo={1 / factor:.6f}"


def script_samples(script: dict, input_dir: str, plan: dict, preferred: dict[str, str]) -> tuple[np.ndarray, list[tuple[float, str]] | None]:
    """One script's speech as float samples at OUTPUT_RATE: its text spoken by the plan's voice (with
    the phoneme timeline; by default the `preferred` voice of the text's language: the model's) at
    the plan's speed and pitch, or its audio file (no timeline)."""
    label = f"script {script['sequence_no']}"
    phonemes = None
    if "text" in script:
        try:
            speech = synthesize(script["text"], plan.get("voice"), plan.get("speed", NORMAL_SPEED) / NORMAL_SPEED, preferred)
        except ValueError as error:
            raise TrainerError(f"{label}: {error}") from error
        wav = os.path.join(input_dir, f"speech-{script['sequence_no']}.wav")
        write_wav(wav, speech.samples, speech.sample_rate)
        samples = read_audio(wav, rate=OUTPUT_RATE, filters=pitch_filter(plan.get("pitch", NORMAL_PITCH)))
        phonemes = speech.phonemes
    else:
        path = os.path.join(input_dir, script["audio"])
        if not os.path.exists(path):
            raise TrainerError(f"{label}: its audio file {script['audio']} is missing from the input")
        samples = read_audio(path, rate=OUTPUT_RATE)
    if len(samples) == 0:
        raise TrainerError(f"{label}: there is no sound to say")
    return samples, phonemes


def video_render(input_dir: str, output_dir: str) -> str:
    started = time.monotonic()
    plan = read_job(input_dir).get("render_plan")
    if not plan:
        raise TrainerError("job.json has no render_plan: this stage renders video jobs")
    model = Model.load(os.path.join(input_dir, "compiled_model"))
    width, height = output_size(model, min(plan["width"], plan["height"]))
    if (width, height) != (plan["width"], plan["height"]):
        raise TrainerError(f"this model renders {width}x{height} at that resolution, not the {plan['width']}x{plan['height']} the job asked for")

    pieces = []
    timeline = Timeline([], [])
    position = 0
    for script in plan["scripts"]:
        progress(f"speech of script {script['sequence_no']}")
        piece, phonemes = script_samples(script, input_dir, plan, model.voices)
        start, end = position / OUTPUT_RATE, (position + len(piece)) / OUTPUT_RATE
        if phonemes is not None:
            timeline.phonemes += [(start + at, name) for at, name in phonemes] + [(end, "_")]
            timeline.spans.append((start, end))
        pieces.append(piece)
        position += len(piece)
    samples = np.concatenate(pieces) * (plan.get("volume", NORMAL_VOLUME) / NORMAL_VOLUME)
    speech = os.path.join(input_dir, "speech.wav")
    write_wav(speech, samples, OUTPUT_RATE)

    video = os.path.join(output_dir, "video.mp4")
    result = render(model, speech, video, min(width, height), plan.get("bitrate_kbps"), timeline)
    cover = os.path.join(output_dir, "cover.jpg")
    made = subprocess.run([ffmpeg_path(), "-v", "error", "-y", "-nostdin", "-i", video, "-frames:v", "1", "-q:v", "3", cover], capture_output=True)
    if made.returncode != 0:
        raise TrainerError(f"ffmpeg could not make the cover: {made.stderr.decode(errors='replace').strip()[-300:]}")
    elapsed = time.monotonic() - started
    report = {
        "seconds": result["seconds"],
        "width": width,
        "height": height,
        "frames": result["frames"],
        "scripts": len(plan["scripts"]),
        "elapsed_seconds": round(elapsed, 2),
        "real_time_factor": round(elapsed / max(result["seconds"], 1e-6), 3),
    }
    with open(os.path.join(output_dir, "video.json"), "w", encoding="utf-8") as target:
        json.dump(report, target, indent=2)
    return (f"video of {report['seconds']:.2f} s at {width}x{height} from {report['scripts']} script(s); "
            f"real-time factor {report['real_time_factor']}")
