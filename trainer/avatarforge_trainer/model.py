"""The model as the renderer loads it (docs/model-format.md), and rendering: (model, audio) → video."""

from __future__ import annotations

import json
import os
import re
import stat
import subprocess
import sys
import time
import zipfile
from dataclasses import dataclass

import cv2
import numpy as np

from . import audio_features
from .lipsync import LipSync, Timeline
from .media import FPS, TrainerError, VideoWriter, even, ffprobe_path, probe, read_audio, read_frames
from .mouth_model import RidgeModel, smooth

MODEL_FORMAT = "avatarforge-2d"
# Version 2 drives the mouth from phonemes and a speaker-independent front end (lipsync.py);
# version 3 adds the stock voices nearest to the person ("voices"); version 4 hears audio through the
# mouth-class network (mouth_classes.py) in place of the phone recogniser and the acoustic model.
# Versions 1 (an audio-only ridge model, mouth_model.npz), 2 and 3 still render (1 and 2 with the
# default voices).
MODEL_VERSION = 4
READABLE_VERSIONS = (1, 2, 3, 4)
# What a model directory holds besides model.json (docs/model-format.md).
COMMON_FILES = ("library_shapes.npy", "library_frames.npy", "appearance", "template.npy", "mask.png",
                "background.mp4", "background_transforms.npy")
MOUTH_FILES = {1: "mouth_model.npz", 2: "lipsync.npz", 3: "lipsync.npz", 4: "lipsync.npz"}
# The mouth model's arrays: name → shape (F: a ridge model's feature count), by format version.
RIDGE_ARRAYS = {"feature_mean": ("F",), "feature_scale": ("F",), "weights": ("F", 4), "bias": (4,), "penalty": ()}
LIPSYNC_ARRAYS = {"viseme_shapes": (14, 4), "rest_shape": (4,), "gain": (4,), "offset": (4,)}
RIDGE_PREFIXES = {1: ("mouth",), 2: ("phones", "acoustic"), 3: ("phones", "acoustic"), 4: ("classes",)}
# Arrays a version adds to LIPSYNC_ARRAYS.
LIPSYNC_ADDED = {4: {"spread": (4,)}}
APPEARANCE_NAME = re.compile(r"^\d{6}\.jpg$")
# Cost of a cut to another part of the appearance library, against following the frame after.
JUMP_COST = 3.0
# How much each measure of the mouth's shape (landmarks.mouth_shape: inner-lip gap, width, outer-lip
# height, chin drop; each in units of its spread over the library) counts when a frame is chosen. The
# gap counts double: it is what a viewer follows first. With the four alike, the chosen frames
# followed the predicted gap less closely (on the bench's unseen voices, r of the chosen frames'
# gap 0.00-0.03 lower, median 0.01, for about a fifth fewer cuts).
SHAPE_WEIGHTS = np.array([2.0, 1.0, 1.0, 1.0])


@dataclass
class Model:
    directory: str
    manifest: dict
    mouth: RidgeModel | LipSync
    library_shapes: np.ndarray
    library_frames: np.ndarray
    transforms: np.ndarray
    mask: np.ndarray

    @staticmethod
    def load(directory: str) -> "Model":
        path = os.path.join(directory, "model.json")
        if not os.path.exists(path):
            raise TrainerError(f"{directory} is not a model: it has no model.json")
        try:
            with open(path, encoding="utf-8") as source:
                manifest = json.load(source)
        except (ValueError, OSError) as error:
            raise TrainerError(f"model.json is not valid JSON: {error}") from error
        if not isinstance(manifest, dict):
            raise TrainerError("model.json is not a JSON object")
        version = manifest.get("version")
        if manifest.get("format") != MODEL_FORMAT or version not in READABLE_VERSIONS:
            raise TrainerError(f"unsupported model format {manifest.get('format')} version {version} "
                               f"(this renderer reads {MODEL_FORMAT} versions {', '.join(map(str, READABLE_VERSIONS))})")
        missing = [name for name in (MOUTH_FILES[version], *COMMON_FILES) if not os.path.exists(os.path.join(directory, name))]
        if missing:
            raise TrainerError(f"the model in {directory} is incomplete: {', '.join(missing)} missing")
        try:
            library, background, crop = manifest["library"]["frames"], manifest["background"], manifest["crop"]
            frames, width, height = background["frames"], background["width"], background["height"]
            crop_size = (crop["height"], crop["width"])
        except (KeyError, TypeError) as error:
            raise TrainerError(f"model.json lacks {error} (docs/model-format.md)") from error
        mask = cv2.imread(os.path.join(directory, "mask.png"), cv2.IMREAD_GRAYSCALE)
        if mask is None or mask.shape != crop_size:
            raise TrainerError(f"mask.png is not a {crop_size[1]}x{crop_size[0]} image")
        model = Model(
            directory=directory,
            manifest=manifest,
            mouth=_mouth_model(os.path.join(directory, MOUTH_FILES[version]), version),
            library_shapes=_array(directory, "library_shapes.npy", (library, 4), "f"),
            library_frames=_array(directory, "library_frames.npy", (library,), "iu"),
            transforms=_array(directory, "background_transforms.npy", (frames, 2, 3), "f"),
            mask=mask.astype(np.float32) / 255.0,
        )
        _array(directory, "template.npy", (68, 2), "f")
        if not (isinstance(width, int) and isinstance(height, int) and width > 0 and height > 0):
            raise TrainerError(f"model.json: background size {width}x{height} is not a size")
        return model

    def verify(self) -> None:
        """What loading does not look at, for a model from elsewhere (`avatarforge model import`): only
        the format's regular files and nothing else, every appearance frame a JPEG of the crop's size,
        and the background an H.264 video of the declared size and frame count."""
        expected = {"model.json", MOUTH_FILES[self.manifest["version"]], *COMMON_FILES}
        for root, directories, files in os.walk(self.directory):
            for name in [*directories, *files]:
                path = os.path.join(root, name)
                shown = os.path.relpath(path, self.directory)
                mode = os.lstat(path).st_mode
                if stat.S_ISLNK(mode):
                    raise TrainerError(f"{shown} is a symbolic link: a model holds only regular files")
                if not (stat.S_ISREG(mode) or stat.S_ISDIR(mode)):
                    raise TrainerError(f"{shown} is not a regular file")
                top = root == self.directory
                if (top and name not in expected) or (not top and not APPEARANCE_NAME.match(name)):
                    raise TrainerError(f"{shown} is not part of the model format (docs/model-format.md)")
        crop = (self.manifest["crop"]["height"], self.manifest["crop"]["width"])
        library = self.manifest["library"]["frames"]
        appearance = sorted(os.listdir(os.path.join(self.directory, "appearance")))
        if appearance != [f"{number:06d}.jpg" for number in range(library)]:
            raise TrainerError(f"appearance/ holds {len(appearance)} frames, not 000000.jpg to {library - 1:06d}.jpg")
        for name in appearance:
            image = cv2.imread(os.path.join(self.directory, "appearance", name), cv2.IMREAD_COLOR)
            if image is None or image.shape[:2] != crop:
                raise TrainerError(f"appearance/{name} is not a {crop[1]}x{crop[0]} JPEG")
        background = self.manifest["background"]
        video = os.path.join(self.directory, "background.mp4")
        info = probe(video)
        if (info.width, info.height) != (background["width"], background["height"]):
            raise TrainerError(f"background.mp4 is {info.width}x{info.height}, not the {background['width']}x{background['height']} of model.json")
        try:
            self.mouth_shapes(np.zeros(audio_features.SAMPLE_RATE, np.float32), FPS)
        except ValueError as error:
            raise TrainerError(f"{MOUTH_FILES[self.manifest['version']]} does not fit this renderer's features: {error}") from error
        counted = subprocess.run([ffprobe_path(), "-v", "error", "-select_streams", "v:0", "-count_frames",
                                  "-show_entries", "stream=codec_name,nb_read_frames", "-of", "csv=p=0", video],
                                 capture_output=True, text=True)
        codec, _, count = counted.stdout.strip().partition(",")
        if counted.returncode != 0 or codec != "h264" or count != str(background["frames"]):
            raise TrainerError(f"background.mp4 is not an H.264 video of {background['frames']} frames "
                               f"({codec or 'unreadable'}, {count or 'no'} frames)")

    @property
    def voices(self) -> dict[str, str]:
        """The voice that speaks each language's text for this person ({} for models before version 3)."""
        return {language: chosen["voice"] for language, chosen in self.manifest.get("voices", {}).items()}

    def crop(self, number: int) -> np.ndarray:
        image = cv2.imread(os.path.join(self.directory, "appearance", f"{number:06d}.jpg"), cv2.IMREAD_COLOR)
        if image is None:
            raise TrainerError(f"appearance frame {number} is missing from the model")
        return image

    def mouth_shapes(self, samples: np.ndarray, frames: int, timeline: Timeline | None = None) -> np.ndarray:
        """The mouth for each frame: from the phonemes where the speech was synthesized, else from the sound."""
        if isinstance(self.mouth, RidgeModel):
            return smooth(self.mouth.predict(audio_features.frame_features(samples, frames)))
        return self.mouth.for_speech(samples, frames, timeline)


def _array(directory: str, name: str, shape: tuple, kinds: str) -> np.ndarray:
    """An array file of the model, checked: its shape and its kind of number ("f" float, "iu" integer)."""
    try:
        array = np.load(os.path.join(directory, name))  # allow_pickle=False: a model never runs code
    except (ValueError, OSError, EOFError) as error:
        raise TrainerError(f"{name} is not a NumPy array file: {error}") from error
    if not isinstance(array, np.ndarray) or array.dtype.kind not in kinds or array.shape != shape:
        raise TrainerError(f"{name} holds {getattr(array, 'shape', '?')} {getattr(array, 'dtype', '')}, "
                           f"not {'x'.join(map(str, shape))} {'floats' if kinds == 'f' else 'integers'}")
    return array


def _mouth_model(path: str, version: int) -> RidgeModel | LipSync:
    """The mouth model file, its arrays checked against the format (docs/model-format.md)."""
    name = os.path.basename(path)
    try:
        with np.load(path) as arrays:
            loaded = {key: arrays[key] for key in arrays.files}
    except (ValueError, OSError, EOFError, zipfile.BadZipFile, AttributeError) as error:
        raise TrainerError(f"{name} is not a NumPy .npz file: {error}") from error
    wanted = {**LIPSYNC_ARRAYS, **LIPSYNC_ADDED.get(version, {})} if version > 1 else {}
    for prefix in RIDGE_PREFIXES[version]:
        features = loaded.get(f"{prefix}_weights", np.zeros((0,))).shape[:1] or (0,)
        wanted.update({f"{prefix}_{key}": tuple(features[0] if size == "F" else size for size in shape)
                       for key, shape in RIDGE_ARRAYS.items()})
    for key, shape in wanted.items():
        if key not in loaded or loaded[key].shape != shape or loaded[key].dtype.kind not in "fiu":
            found = f"{loaded[key].shape} {loaded[key].dtype}" if key in loaded else "missing"
            raise TrainerError(f"{name}: {key} should be {shape or 'a scalar'} numbers ({found})")
    return RidgeModel.from_arrays(loaded, "mouth") if version == 1 else LipSync.from_arrays(loaded)


def choose_frames(predicted: np.ndarray, library: np.ndarray, library_frames: np.ndarray) -> np.ndarray:
    """Which appearance frame shows each output frame: the best shape match, preferring to play the
    library on (frame k then k+1) over cutting (dynamic programming over the whole clip)."""
    scale = (library.std(axis=0) + 1e-6) / SHAPE_WEIGHTS
    p, lib = predicted / scale, library / scale
    follows = np.zeros(len(lib), dtype=bool)
    follows[1:] = np.diff(library_frames) == 1
    cost = ((lib - p[0]) ** 2).sum(axis=1)
    back = np.zeros((len(p), len(lib)), dtype=np.int32)
    for t in range(1, len(p)):
        best = int(np.argmin(cost))
        cut = cost[best] + JUMP_COST
        on = np.full(len(lib), np.inf)
        on[1:] = cost[:-1]
        on[~follows] = np.inf
        take_on = on <= cut
        back[t] = np.where(take_on, np.arange(len(lib)) - 1, best)
        cost = np.where(take_on, on, cut) + ((lib - p[t]) ** 2).sum(axis=1)
    chosen = np.zeros(len(p), dtype=np.int32)
    chosen[-1] = int(np.argmin(cost))
    for t in range(len(p) - 1, 0, -1):
        chosen[t - 1] = back[t, chosen[t]]
    return chosen


def output_size(model: Model, resolution: int | None) -> tuple[int, int]:
    """The background's size, or scaled so its shorter side is `resolution` (720, 1080)."""
    width, height = model.manifest["background"]["width"], model.manifest["background"]["height"]
    if not resolution:
        return width, height
    factor = resolution / min(width, height)
    return even(width * factor), even(height * factor)


def paste(frame: np.ndarray, crop: np.ndarray, mask: np.ndarray, crop_to_frame: np.ndarray) -> None:
    """Blends the lower-face crop into the frame where the mask says, in place."""
    h, w = crop.shape[:2]
    corners = cv2.transform(np.array([[[0, 0], [w, 0], [0, h], [w, h]]], np.float32), crop_to_frame)[0]
    x0, y0 = np.maximum(np.floor(corners.min(axis=0)).astype(int), 0)
    x1, y1 = np.minimum(np.ceil(corners.max(axis=0)).astype(int), [frame.shape[1], frame.shape[0]])
    if x1 <= x0 or y1 <= y0:
        return
    to_roi = crop_to_frame.copy()
    to_roi[:, 2] -= [x0, y0]
    size = (int(x1 - x0), int(y1 - y0))
    warped = cv2.warpAffine(crop, to_roi, size, flags=cv2.INTER_LINEAR, borderMode=cv2.BORDER_REPLICATE)
    alpha = cv2.warpAffine(mask, to_roi, size, flags=cv2.INTER_LINEAR, borderValue=0)[:, :, None]
    region = frame[y0:y1, x0:x1].astype(np.float32)
    frame[y0:y1, x0:x1] = (region + alpha * (warped.astype(np.float32) - region)).astype(np.uint8)


def background_index(output_frame: int, background_frames: int) -> int:
    """The background frame under an output frame: the (palindromic) sequence, looped."""
    return output_frame % background_frames


def render(model: Model, audio_file: str, output: str, resolution: int | None = None,
           bitrate_kbps: int | None = None, timeline: Timeline | None = None) -> dict:
    """Renders the model speaking the audio into an H.264 + AAC MP4. Returns what it did. Where the
    audio was synthesized, `timeline` holds its phonemes, and the mouth follows them."""
    started = time.monotonic()
    samples = read_audio(audio_file)
    if len(samples) == 0:
        raise TrainerError(f"{audio_file} has no audio")
    frames = max(1, int(np.ceil(len(samples) / audio_features.SAMPLE_RATE * FPS)))
    predicted = model.mouth_shapes(samples, frames, timeline)
    chosen = choose_frames(predicted, model.library_shapes, model.library_frames)
    width, height = output_size(model, resolution)
    scale = width / model.manifest["background"]["width"]
    background = read_frames(os.path.join(model.directory, "background.mp4"), width, height, loop=True)
    writer = VideoWriter(output, width, height, audio=audio_file, bitrate_kbps=bitrate_kbps)
    cached_number, cached_crop = -1, None
    try:
        for index in range(frames):
            frame = next(background).copy()
            number = int(chosen[index])
            if number != cached_number:
                cached_number, cached_crop = number, model.crop(number)
            crop_to_frame = model.transforms[background_index(index, len(model.transforms))].astype(np.float64) * scale
            paste(frame, cached_crop, model.mask, crop_to_frame)
            writer.write(frame)
            if index % 250 == 249:
                print(f"progress: rendered {index + 1}/{frames} frames", file=sys.stderr, flush=True)
    finally:
        background.close()
        writer.close()
    seconds = len(samples) / audio_features.SAMPLE_RATE
    elapsed = time.monotonic() - started
    cuts = int(np.count_nonzero(np.diff(chosen) != 1))
    return {"frames": frames, "seconds": round(seconds, 3), "width": width, "height": height,
            "elapsed_seconds": round(elapsed, 2), "real_time_factor": round(elapsed / max(seconds, 1e-6), 3),
            "cuts_per_second": round(cuts / max(seconds, 1e-6), 2), "chosen": chosen}

