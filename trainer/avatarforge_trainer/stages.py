"""The reference trainer's share of each pipeline stage.

Each stage reads an input directory and writes an output directory, as any trainer command does
(docs/pipeline.md, "Plugging a trainer in"); the formats are in docs/model-format.md.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
import time

import cv2
import numpy as np

from . import audio_features, mouth_classes, speaker
from .alignment import Canonical, invert
from .lipsync import LipSync, Timeline, fit_lipsync, pause_frames
from .lipsync_eval import agreement
from .landmarks import LandmarkModel, mouth_openness, mouth_shape
from .media import FPS, SAMPLE_RATE, TrainerError, VideoWriter, ffmpeg_path, probe, read_audio, read_frames, read_wav, write_wav
from .model import MODEL_FORMAT, MODEL_VERSION, Model, render
from .mouth_model import fit, pearson, smooth
from .track import FaceTracker, fill_gaps

# Seconds of speech the marked range must hold for the mouth model to learn from.
MIN_SPEECH_SECONDS = 10.0
# The last part of the marked range is kept out of the fit, to measure the model on speech it never saw.
HELD_OUT_FRACTION = 0.2
# Without an inference-preprocessing mark, the background is the start of the training range; either way at most this long.
BACKGROUND_MAX_SECONDS = 30.0
# The appearance library holds at most this many frames (3 minutes).
LIBRARY_MAX_FRAMES = 4500
CROP_JPEG_QUALITY = 92


def progress(message: str) -> None:
    """Progress for the worker's log (stderr); the last stdout line is the stage's summary. A message
    that states a percentage ("… 40 %") is also shown in the job at every tenth (docs/pipeline.md)."""
    print(f"progress: {message}", file=sys.stderr, flush=True)


def percent(done: int, total: int) -> str:
    """`done` of `total` as "42 %", floored and at most 100 %."""
    return f"{min(100, 100 * done // total) if total > 0 else 0} %"


def read_job(input_dir: str) -> dict:
    path = os.path.join(input_dir, "job.json")
    if not os.path.exists(path):
        return {}
    with open(path, encoding="utf-8") as source:
        return json.load(source)


def mark_seconds(text: str | None) -> float | None:
    """'HH:MM:SS.mmm' as seconds (the API's mark format)."""
    if not text:
        return None
    match = re.fullmatch(r"(\d{1,2}):(\d{2}):(\d{2})(\.\d{1,3})?", text)
    if not match:
        raise TrainerError(f"invalid mark time {text}, expected HH:MM:SS.mmm")
    return int(match[1]) * 3600 + int(match[2]) * 60 + int(match[3]) + float(match[4] or 0)


def marked_range(mark: dict | None) -> tuple[float | None, float | None]:
    mark = mark or {}
    return mark_seconds(mark.get("video_start_time")), mark_seconds(mark.get("video_end_time"))


def describe_range(start: float | None, end: float | None) -> str:
    return f"{start or 0:.1f} s to {'the end' if end is None else f'{end:.1f} s'}"


def training_video(input_dir: str) -> str:
    path = os.path.join(input_dir, "training_video")
    if not os.path.exists(path):
        raise TrainerError("the job has no training video")
    return path


def write_json(path: str, value: dict) -> None:
    with open(path, "w", encoding="utf-8") as target:
        json.dump(value, target, indent=2)


# ---------------------------------------------------------------------------------------------------
# training_data_preprocess: audio, landmarks for every frame, aligned lower-face crops.

def training_data_preprocess(input_dir: str, output_dir: str) -> str:
    job = read_job(input_dir)
    video = training_video(input_dir)
    start, end = marked_range(job.get("traning_video_mark_info"))
    info = probe(video)
    audio = read_audio(video, start, end) if info.has_audio else np.zeros(0, np.float32)
    speech = audio_features.speech_seconds(audio)
    if speech < MIN_SPEECH_SECONDS:
        raise TrainerError(
            f"too little speech in the marked range ({describe_range(start, end)}): {speech:.1f} s found, "
            f"at least {MIN_SPEECH_SECONDS:.0f} s needed" + ("" if info.has_audio else " (the video has no audio track)"))
    write_wav(os.path.join(output_dir, "audio.wav"), audio)

    crops_dir = os.path.join(output_dir, "crops")
    os.makedirs(crops_dir)
    tracker = FaceTracker(LandmarkModel(), info.height)
    canonical: Canonical | None = None
    started = time.monotonic()
    expected = int(((end or info.duration) - (start or 0)) * FPS)
    for index, frame in enumerate(read_frames(video, info.width, info.height, start, end)):
        points = tracker.add(frame)
        if points is not None:
            canonical = canonical or Canonical.from_landmarks(points)
            cv2.imwrite(os.path.join(crops_dir, f"{index:06d}.jpg"), canonical.crop(frame, points),
                        [cv2.IMWRITE_JPEG_QUALITY, CROP_JPEG_QUALITY])
        if index % 250 == 249:
            progress(f"landmarks {index + 1}/{expected} frames, {percent(index + 1, expected)} ({time.monotonic() - started:.0f} s)")
    track = tracker.finish()
    track.check("marked range")
    assert canonical is not None
    np.save(os.path.join(output_dir, "landmarks.npy"), track.points)
    np.save(os.path.join(output_dir, "template.npy"), canonical.template)
    found = float(track.found.mean())
    write_json(os.path.join(output_dir, "manifest.json"), {
        "format": "avatarforge-training-data", "version": 1, "fps": FPS, "sample_rate": SAMPLE_RATE,
        "frames": len(track.points), "width": info.width, "height": info.height,
        "range": {"start": start, "end": end}, "speech_seconds": round(speech, 2),
        "face_found_ratio": round(found, 4), "crop": {"width": canonical.width, "height": canonical.height},
    })
    return (f"{len(track.points)} frames of the marked range ({describe_range(start, end)}): face in "
            f"{100 * found:.1f} %, {speech:.1f} s of speech")


# ---------------------------------------------------------------------------------------------------
# training: the audio → mouth-shape model, its held-out check, and the appearance library.

def training(input_dir: str, output_dir: str) -> str:
    data = os.path.join(input_dir, "training_data")
    with open(os.path.join(data, "manifest.json"), encoding="utf-8") as source:
        manifest = json.load(source)
    points = np.load(os.path.join(data, "landmarks.npy"))
    frames = len(points)
    found = ~np.isnan(points[:, 0, 0])
    shapes = np.array([mouth_shape(p) if ok else np.full(4, np.nan, np.float32) for p, ok in zip(points, found)])
    audio = read_wav(os.path.join(data, "audio.wav"))
    loudness = audio_features.loudness_features(audio, frames)
    split = int(round(frames * (1.0 - HELD_OUT_FRACTION)))
    fit_rows = found & (np.arange(frames) < split)
    held_rows = found & (np.arange(frames) >= split)
    if fit_rows.sum() < 10 * FPS or held_rows.sum() < 2 * FPS:
        raise TrainerError(f"too few frames with a face to learn from ({int(found.sum())} of {frames})")

    progress(f"fitting the mouth model on {fit_rows.sum()} frames")
    # Heard once (at every tempo of mouth_classes.HEARD_TEMPOS), for the fit and the held-out check.
    probabilities = mouth_classes.posteriors(audio)
    model, figures = fit_lipsync(audio, shapes, fit_rows, probabilities)
    loudness_model, _ = fit(loudness[fit_rows], shapes[fit_rows][:, :1])
    held_out = pearson(model.from_audio(audio, frames, probabilities)[held_rows, 0], shapes[held_rows, 0])
    held_out_loudness = pearson(smooth(loudness_model.predict(loudness))[held_rows, 0], shapes[held_rows, 0])

    library = np.flatnonzero(fit_rows)[:LIBRARY_MAX_FRAMES]
    appearance_dir = os.path.join(output_dir, "appearance")
    os.makedirs(appearance_dir)
    for number, frame in enumerate(library):
        shutil.copyfile(os.path.join(data, "crops", f"{frame:06d}.jpg"), os.path.join(appearance_dir, f"{number:06d}.jpg"))
    np.save(os.path.join(output_dir, "library_frames.npy"), library.astype(np.int32))
    np.save(os.path.join(output_dir, "library_shapes.npy"), shapes[library].astype(np.float32))
    np.save(os.path.join(output_dir, "template.npy"), np.load(os.path.join(data, "template.npy")))
    np.savez(os.path.join(output_dir, "lipsync.npz"), **model.to_arrays())
    progress("finding the stock voices nearest to the person's voice")
    voices = speaker.nearest(speaker.embed(audio))
    metrics = {
        "fit_frames": int(fit_rows.sum()), "held_out_frames": int(held_rows.sum()),
        "held_out_start_seconds": round(split / FPS, 2), **figures,
        "held_out_r": round(held_out, 4), "held_out_r_loudness_only": round(held_out_loudness, 4),
    }
    write_json(os.path.join(output_dir, "manifest.json"), {
        "format": "avatarforge-model-package", "version": 1, "fps": FPS, "crop": manifest["crop"],
        "library_frames": int(len(library)), "metrics": metrics, "voices": voices,
    })
    return (f"mouth model fit on {fit_rows.sum() / FPS:.1f} s; held-out r = {held_out:.2f} "
            f"(loudness only: {held_out_loudness:.2f}); appearance library of {len(library)} frames; "
            f"nearest voices {voices['en']['voice']} (English), {voices['zh']['voice']} (Mandarin)")


# ---------------------------------------------------------------------------------------------------
# inference_data_preprocess: the background sequence (head motion, blinks) with its landmarks.

def inference_data_preprocess(input_dir: str, output_dir: str) -> str:
    job = read_job(input_dir)
    video = training_video(input_dir)
    info = probe(video)
    start, end = marked_range(job.get("inference_data_process_video_mark_info"))
    if start is None and end is None:
        start, _ = marked_range(job.get("traning_video_mark_info"))
    start = start or 0.0
    end = min(end if end is not None else info.duration, start + BACKGROUND_MAX_SECONDS)
    tracker = FaceTracker(LandmarkModel(), info.height)
    encoded: list[bytes] = []
    expected = int((end - start) * FPS)
    for frame in read_frames(video, info.width, info.height, start, end):
        tracker.add(frame)
        encoded.append(cv2.imencode(".jpg", frame, [cv2.IMWRITE_JPEG_QUALITY, 95])[1].tobytes())
        if len(encoded) % 75 == 0:
            progress(f"background {len(encoded)}/{expected} frames, {percent(len(encoded), expected)}")
    track = tracker.finish()
    track.check("inference-preprocessing range", min_found=0.9)
    points = fill_gaps(track.points)
    # Forward, then backward without repeating the ends: the sequence loops with no jump.
    order = list(range(len(encoded))) + list(range(len(encoded) - 2, 0, -1))
    writer = VideoWriter(os.path.join(output_dir, "background.mp4"), info.width, info.height, crf=16)
    for index in order:
        writer.write(cv2.imdecode(np.frombuffer(encoded[index], np.uint8), cv2.IMREAD_COLOR))
    writer.close()
    np.save(os.path.join(output_dir, "background_landmarks.npy"), points[order].astype(np.float32))
    actions = (job.get("inference_data_process_action_mark_info") or {}).get("action_info") or []
    write_json(os.path.join(output_dir, "actions.json"), {"action_info": actions})
    write_json(os.path.join(output_dir, "manifest.json"), {
        "format": "avatarforge-inference-data", "version": 1, "fps": FPS, "width": info.width, "height": info.height,
        "range": {"start": start, "end": end}, "source_frames": len(encoded), "frames": len(order),
        "face_found_ratio": round(float(track.found.mean()), 4),
    })
    return f"background sequence of {len(encoded) / FPS:.1f} s ({describe_range(start, end)}), face in {100 * track.found.mean():.1f} %"


# ---------------------------------------------------------------------------------------------------
# compile: the render-ready model (docs/model-format.md).

def compile_model(input_dir: str, output_dir: str) -> str:
    package = os.path.join(input_dir, "model_package")
    inference = os.path.join(input_dir, "inference_data")
    with open(os.path.join(package, "manifest.json"), encoding="utf-8") as source:
        package_manifest = json.load(source)
    with open(os.path.join(inference, "manifest.json"), encoding="utf-8") as source:
        background = json.load(source)
    template = np.load(os.path.join(package, "template.npy"))
    crop = package_manifest["crop"]
    canonical = Canonical(template, crop["width"], crop["height"])
    background_points = np.load(os.path.join(inference, "background_landmarks.npy"))
    # crop → frame for every background frame.
    transforms = np.array([invert(canonical.to_crop(points)) for points in background_points], dtype=np.float32)

    shutil.copytree(os.path.join(package, "appearance"), os.path.join(output_dir, "appearance"))
    for name in ("lipsync.npz", "library_shapes.npy", "library_frames.npy", "template.npy"):
        shutil.copyfile(os.path.join(package, name), os.path.join(output_dir, name))
    shutil.copyfile(os.path.join(inference, "background.mp4"), os.path.join(output_dir, "background.mp4"))
    np.save(os.path.join(output_dir, "background_transforms.npy"), transforms)
    cv2.imwrite(os.path.join(output_dir, "mask.png"), np.round(canonical.mask() * 255).astype(np.uint8))
    write_json(os.path.join(output_dir, "model.json"), {
        "format": MODEL_FORMAT, "version": MODEL_VERSION, "fps": FPS,
        "audio": {"sample_rate": SAMPLE_RATE, "front_end": f"mouth-classes-{mouth_classes.recipe_key()[:12]}", "text": "synthesizer phoneme timeline (IPA or espeak-ng)"},
        "mouth_shape": ["inner_lip_gap", "mouth_width", "outer_lip_height", "chin_drop"],
        "crop": crop,
        "library": {"frames": package_manifest["library_frames"]},
        "background": {"frames": background["frames"], "width": background["width"], "height": background["height"]},
        "training_metrics": package_manifest["metrics"],
        **({"voices": package_manifest["voices"]} if "voices" in package_manifest else {}),
    })
    # Load it back as the renderer would: a model that does not load is not compiled.
    Model.load(output_dir)
    return f"render-ready model: {package_manifest['library_frames']} appearance frames, {background['frames']} background frames at {background['width']}x{background['height']}"


# ---------------------------------------------------------------------------------------------------
# test_video_check: the held-out reconstruction, measured, and the test video of a standard sentence.

STANDARD_SENTENCES = {
    "en": "Hello! I am your digital human. I was trained from a short video, and I can say anything you type.",
    "zh": "你好！我是你的数字人。我由一段视频训练而成，可以说出你输入的任何话。",
}


def measure_openness(video: str) -> tuple[np.ndarray, float]:
    """Mouth openness of every frame of a video (NaN where no face), and the share of frames with a face."""
    info = probe(video)
    tracker = FaceTracker(LandmarkModel(), info.height)
    openness = []
    for frame in read_frames(video, info.width, info.height):
        points = tracker.add(frame)
        openness.append(mouth_openness(points) if points is not None else np.nan)
    tracker.finish()
    values = np.array(openness, dtype=np.float64)
    return values, float(np.mean(~np.isnan(values))) if len(values) else 0.0


# The held-out speech is re-voiced before it drives the model, as another person's recording would
# come: pitch and formants raised by this factor (duration kept), another microphone's band and a
# lower level.
REVOICE_FACTOR = 1.18
REVOICE_FILTER = (f"asetrate={round(SAMPLE_RATE * REVOICE_FACTOR)},aresample={SAMPLE_RATE},atempo={1 / REVOICE_FACTOR:.6f},"
                  "highpass=f=150,lowpass=f=5500,volume=-8dB")


def revoiced(source: str, target: str) -> None:
    made = subprocess.run([ffmpeg_path(), "-v", "error", "-y", "-nostdin", "-i", source, "-af", REVOICE_FILTER,
                           "-ac", "1", "-ar", str(SAMPLE_RATE), target], capture_output=True)
    if made.returncode != 0:
        raise TrainerError(f"ffmpeg could not re-voice the held-out speech: {made.stderr.decode(errors='replace').strip()[-300:]}")


def test_video_check(input_dir: str, output_dir: str) -> str:
    from .voice import resolve, synthesize

    model = Model.load(os.path.join(input_dir, "compiled_model"))
    data = os.path.join(input_dir, "training_data")
    points = np.load(os.path.join(data, "landmarks.npy"))
    audio = read_wav(os.path.join(data, "audio.wav"))
    split = int(round(model.manifest["training_metrics"]["held_out_start_seconds"] * FPS))
    truth = np.array([mouth_openness(p) if not np.isnan(p[0, 0]) else np.nan for p in points[split:]])
    held_out_samples = audio[int(split / FPS * SAMPLE_RATE):]
    held_out_audio = os.path.join(output_dir, "held_out.wav")
    write_wav(held_out_audio, held_out_samples)
    other_voice = os.path.join(output_dir, "held_out_revoiced.wav")
    revoiced(held_out_audio, other_voice)
    reconstruction = os.path.join(output_dir, "held_out_reconstruction.mp4")
    progress(f"rendering the held-out {len(truth) / FPS:.1f} s in another voice")
    render(model, other_voice, reconstruction)
    measured, face_found = measure_openness(reconstruction)
    pauses = pause_frames(held_out_samples, len(truth))
    rest_gap = float(model.mouth.rest_shape[0]) if isinstance(model.mouth, LipSync) else float(np.nanpercentile(truth, 5))
    figures = agreement(measured, truth, pauses, rest_gap)
    os.remove(held_out_audio)
    os.remove(other_voice)

    language = read_job(input_dir).get("test_video_language", "en")
    sentence = STANDARD_SENTENCES.get(language, STANDARD_SENTENCES["en"])
    speech = synthesize(sentence, preferred=model.voices)
    sentence_audio = os.path.join(output_dir, "sentence.wav")
    write_wav(sentence_audio, speech.samples, speech.sample_rate)
    progress("rendering the test video")
    render(model, sentence_audio, os.path.join(output_dir, "test_video.mp4"), timeline=Timeline.whole(speech.phonemes, speech.seconds))
    os.remove(sentence_audio)
    os.remove(reconstruction)
    write_json(os.path.join(output_dir, "quality.json"), {
        "mouth_correlation": round(figures["r"], 4), "mouth_depth": round(figures["depth"], 4),
        "mouth_rest": round(figures["rest"], 4), "held_out_seconds": round(len(truth) / FPS, 2),
        "driving_voice": f"the held-out speech re-voiced ({REVOICE_FILTER})",
        "face_found_ratio": round(face_found, 4), "sentence": sentence,
        "voice": resolve(None, sentence, model.voices), "voices": model.voices,
        "training_metrics": model.manifest["training_metrics"],
    })
    return (f"held-out {len(truth) / FPS:.1f} s in another voice: mouth opening r = {figures['r']:.2f} against the "
            f"real video, depth {100 * figures['depth']:.0f} %, at rest in {100 * figures['rest']:.0f} % of pause frames, "
            f"face in {100 * face_found:.1f} % of frames; test video made")
