"""A talking-face test video with a ground truth, made offline.

The face is a real photo shipped inside a Python package (FACES: scikit-image's astronaut, Grace
Hopper from matplotlib's sample data, Luis Pedro Coelho from mahotas's demos); the speech is
espeak-ng or one of the product's neural voices reading a built-in list of sentences (the training
ones, or test ones that no training fixture says). Each phoneme's start time gives a mouth openness
(PHONEME_OPENNESS; the neural voice's IPA vowels as the same sounds there, its other symbols by
mouth class), and the lower lip and jaw are warped to that openness frame by frame, so dlib's 68-point landmarks measure back an
inner-lip gap that follows the speech. The head drifts and turns slightly and blinks now and then.

    python -m avatarforge_trainer.fixture -o fixture.mp4 --seconds 60 [--width 1920 --height 1080]
        [--fps 25] [--language en] [--face astronaut] [--voice en-us+f3] [--texts training]
        [--silent] [--no-face] [--seed 1]

writes fixture.mp4 (H.264 yuv420p + AAC, --seconds long to the frame) and fixture.truth.json next
to it: {"fps", "frames", "seconds", "openness": [one float 0..1 per frame], "openness_scale",
"speech_seconds" (time covered by phonemes other than pauses; 0 when --silent), "text" (the
sentences in the order spoken, the last one possibly cut off), "language", "voice" (the espeak-ng or
neural voice that spoke), "texts" ("training" or "test"), "audio" ("speech" or "silent"), "face" (false
with --no-face), "photo" (the face's name), "blinks" (start times, 0.2 s each), "seed"}. The same
arguments always give the same files.

`openness` is the mouth's target openness, 0 closed to 1 wide open; the rendered inner-lip gap is
`openness * openness_scale` eye distances, which is what `landmarks.mouth_openness` measures.
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import math
import os
import queue
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass

import cv2
import numpy as np

from . import landmarks as lm
from . import speech, visemes
from . import voice as voices
from .media import ffmpeg_path, write_wav


# Sentences for the speech track: many bilabials (the lips close), open vowels (the jaw drops), and
# a few hums ("mm", "hmm"), which are loud while the mouth stays shut, so loudness alone cannot
# predict the mouth.
SENTENCES_EN = [
    "Mmm, maybe Bob will bring a big map to the park.",
    "Papa bought a pair of bright blue boots at the market.",
    "Open the window and look at the calm, wide ocean.",
    "My mom made a warm apple pie for the barbecue.",
    "Hmm, I am not sure, but maybe the bus comes by nine.",
    "Father parked the car far from the large barn.",
    "Please pass me both of the paper bags, Mary.",
    "The bright balloon bobbed above the palm trees.",
    "Mmm hmm, that sounds about right to me.",
    "Five brave pilots flew across the vast, open sky.",
    "Bob and Pam swam past the boats in the bay.",
    "How about a hot bowl of tomato soup for lunch?",
    "We might meet the mayor at the museum on Monday.",
    "Ah, the big brown owl is out hunting again tonight.",
    "Come on, Amber, grab your bag and hop on the boat.",
]
# Mandarin in pinyin with tone numbers, read by espeak-ng's pinyin voice (Debian's espeak-ng data
# reads many Chinese characters as English words, pinyin it reads correctly).
SENTENCES_ZH = [
    "ma1 ma ma3 bu4 ma4 ma3, ba4 ba mai3 le ping2 guo3.",
    "wo3 men2 ming2 tian1 qu4 pa2 shan1 ba.",
    "da4 jia1 hao3, huan1 ying2 lai2 dao4 bei3 jing1.",
    "ta1 ba3 bao1 fang4 zai4 men2 kou3 le.",
    "mei3 tian1 zao3 shang4 wo3 dou1 he1 ka1 fei1.",
    "pang2 bian1 de ma3 pao3 de hen3 kuai4.",
    "qing3 ba3 na4 ben3 shu1 na2 gei3 wo3.",
    "ba1 dian3 ban4 wo3 men2 zai4 men2 kou3 jian4 mian4.",
]
# The same sentences in characters, for the neural voices (which read Chinese characters, not pinyin).
SENTENCES_ZH_HANZI = [
    "妈妈马不骂马，爸爸买了苹果。",
    "我们明天去爬山吧。",
    "大家好，欢迎来到北京。",
    "他把包放在门口了。",
    "每天早上我都喝咖啡。",
    "旁边的马跑得很快。",
    "请把那本书拿给我。",
    "八点半我们在门口见面。",
]
LANGUAGES = {"en": ("en", SENTENCES_EN), "zh": ("zh-pinyin", SENTENCES_ZH)}
# Sentences no training fixture says, for measuring how a model follows speech it never heard: the
# same sounds (bilabials, open and rounded vowels), pauses at commas, everyday words.
SENTENCES_EN_TEST = [
    "Good morning, could you pass the butter and the warm bread?",
    "Our boat moved slowly, and the moon rose over the pool.",
    "Mark opened a box of mangoes, then shared them with Paul.",
    "Before lunch, we walked by the harbour to watch the ships.",
    "Oh, I forgot my umbrella, so I bought a new one at the mall.",
    "Pour some more water into the big blue pot, please.",
    "The baby smiled, yawned, and fell asleep on my arm.",
    "Wait a moment, I think the shop is open until half past six.",
    "Tom and Maria played ball on the beach all afternoon.",
    "Who wants popcorn, apples, or a bowl of noodles?",
    "Hmm, the bus is late again, maybe we should walk home.",
    "Mom, the phone is ringing, can you answer it for me?",
]
SENTENCES_ZH_TEST = [
    "ni3 hao3, qing3 wen4 ni3 jiao4 shen2 me ming2 zi?",
    "wo3 ba4 ba mei3 tian1 qi2 zi4 xing2 che1 shang4 ban1.",
    "zhe4 ge4 pu2 tao2 hen3 tian2, ni3 chang2 chang2 ba.",
    "wan3 shang4 wo3 men yi4 qi3 qu4 kan4 dian4 ying3.",
    "mao1 mi1 pa1 zai4 chuang1 hu4 pang2 bian1 shui4 jiao4.",
    "bie2 ji2, man4 man4 zou3, hai2 you3 hen3 duo1 shi2 jian1.",
    "ma1 ma zuo4 le yi4 wan3 re4 hu1 hu1 de mian4 tiao2.",
    "ming2 tian1 hui4 xia4 yu3, ni3 yao4 dai4 san3.",
]
SENTENCES_ZH_TEST_HANZI = [
    "你好，请问你叫什么名字？",
    "我爸爸每天骑自行车上班。",
    "这个葡萄很甜，你尝尝吧。",
    "晚上我们一起去看电影。",
    "猫咪趴在窗户旁边睡觉。",
    "别急，慢慢走，还有很多时间。",
    "妈妈做了一碗热乎乎的面条。",
    "明天会下雨，你要带伞。",
]
TEST_SENTENCES = {"en": SENTENCES_EN_TEST, "zh": SENTENCES_ZH_TEST}
# What a neural voice reads in place of the pinyin sentences.
HANZI = {**dict(zip(SENTENCES_ZH, SENTENCES_ZH_HANZI)), **dict(zip(SENTENCES_ZH_TEST, SENTENCES_ZH_TEST_HANZI))}
TEXTS = ("training", "test")
# Pauses between sentences, seconds: the test texts' pauses reach a little longer, so a model's rest
# in pauses of 300 ms and more is measured on a spread of lengths.
PAUSE_SECONDS = {"training": (0.3, 0.8), "test": (0.3, 0.9)}

# espeak-ng phoneme mnemonic (matched by longest prefix) -> mouth openness, 0 closed .. 1 wide open.
PHONEME_OPENNESS: dict[str, float] = {
    # pauses, silence, language switches
    "_": 0.0, "(": 0.0, "": 0.0,
    # bilabials: the lips close
    "p": 0.0, "b": 0.0, "m": 0.0,
    # labiodentals: lower lip against the upper teeth
    "f": 0.15, "v": 0.15,
    # open vowels
    "a": 1.0, "A": 1.0, "aa": 1.0, "aI": 1.0, "aU": 1.0, "a#": 0.75, "0": 0.85,
    # mid vowels
    "e": 0.6, "eI": 0.6, "e@": 0.7, "E": 0.7, "o": 0.6, "oU": 0.6, "O": 0.7, "OI": 0.7,
    "@": 0.55, "3": 0.55, "V": 0.75,
    # close vowels
    "i": 0.35, "I": 0.35, "u": 0.35, "U": 0.35, "y": 0.35,
    # rounded glide
    "w": 0.2,
}
OTHER_CONSONANT_OPENNESS = 0.3
# The neural voice's IPA symbols outside ASCII (its ASCII letters are read as espeak-ng mnemonics):
# vowels as the espeak-ng mnemonic of the same sound, so a sound opens the mouth alike whichever
# voice says it; the rest by their mouth class (visemes.py).
IPA_VOWELS_AS_ESPEAK = {
    "æ": "a", "ɑ": "A", "ɒ": "0", "ʌ": "V", "ɐ": "a#", "ə": "@", "ᵊ": "@", "ɚ": "3", "ɜ": "3", "ɛ": "E",
    "ɪ": "I", "ᵻ": "I", "ʊ": "U", "ɔ": "O",
}
CLASS_OPENNESS: dict[str, float] = {
    "rest": 0.0, "closed": 0.0, "lip_teeth": 0.15, "tongue_teeth": OTHER_CONSONANT_OPENNESS,
    "alveolar": OTHER_CONSONANT_OPENNESS, "postalveolar": OTHER_CONSONANT_OPENNESS, "back": OTHER_CONSONANT_OPENNESS,
    "glide": OTHER_CONSONANT_OPENNESS, "close_front": 0.35, "mid_front": 0.6, "central": 0.55, "open": 1.0,
    "mid_rounded": 0.65, "close_rounded": 0.35,
}
SMOOTHING_SECONDS = 0.03  # the mouth cannot jump: a centred moving average over this window
OPENNESS_SCALE = 0.35  # rendered inner-lip gap at openness 1, in eye distances
MOUTH_EDGE = np.array([40, 34, 92], dtype=np.float32)  # BGR: the mouth's dark red near the lips
MOUTH_DEEP = np.array([14, 10, 26], dtype=np.float32)  # and almost black further in


@dataclass(frozen=True)
class Framing:
    """Where a photo's face sits in the frame."""

    face_width_at_1080: float  # jaw-to-jaw width of the face in a 1080-pixel-high frame
    centre_height: float  # the landmarks' centre, as a share of the frame's height from the top


# Portraits that ship inside Python packages (nothing is downloaded), by name. Coelho's photo ends
# just below his chin: his face is framed larger and lower, so the photo reaches the frame's bottom.
FACES = {"astronaut": Framing(415.0, 0.45), "hopper": Framing(415.0, 0.45), "coelho": Framing(540.0, 0.6)}
TEETH_MIN_GAP = 0.08  # inner-lip gap (eye distances) above which the photo's mouth shows its teeth
MOTION_AT_1080 = 15.0  # head translation amplitude, pixels at 1080
ROTATION_DEGREES = 2.0


def phoneme_openness(name: str) -> float:
    """The mouth openness for an espeak-ng phoneme mnemonic (longest matching prefix, stress marks
    ' , % = and length marks : left out) or a neural voice's IPA symbol."""
    if name in IPA_VOWELS_AS_ESPEAK:
        name = IPA_VOWELS_AS_ESPEAK[name]
    elif name in visemes.IPA:
        return CLASS_OPENNESS[visemes.IPA[name]]
    name = name.lstrip("',%=").replace(":", "")
    for length in range(min(len(name), 3), 0, -1):
        value = PHONEME_OPENNESS.get(name[:length])
        if value is not None:
            return value
    return PHONEME_OPENNESS[""] if not name else OTHER_CONSONANT_OPENNESS


def openness_track(phonemes: list[tuple[float, str]], seconds: float, fps: float,
                   smoothing: float = SMOOTHING_SECONDS) -> np.ndarray:
    """Per-frame openness: each phoneme's value held until the next one, smoothed, sampled at i / fps."""
    step = 0.001
    grid = np.zeros(int(math.ceil(seconds / step)) + 1, dtype=np.float64)
    for index, (start, name) in enumerate(phonemes):
        end = phonemes[index + 1][0] if index + 1 < len(phonemes) else seconds
        a, b = int(round(start / step)), int(round(end / step))
        if b > a:
            grid[max(a, 0):max(min(b, len(grid)), 0)] = phoneme_openness(name)
    width = max(1, int(round(smoothing / step)) | 1)
    kernel = np.ones(width) / width
    smooth = np.convolve(np.pad(grid, width // 2, mode="edge"), kernel, mode="valid")
    frames = int(round(seconds * fps))
    times = np.arange(frames) / fps
    return np.clip(smooth[np.minimum(np.round(times / step).astype(int), len(smooth) - 1)], 0.0, 1.0)


@dataclass
class Soundtrack:
    samples: np.ndarray  # int16 mono
    sample_rate: int
    phonemes: list[tuple[float, str]]  # (start seconds in the track, mnemonic)
    text: str
    speech_seconds: float  # time covered by phonemes other than pauses
    voice: str  # the espeak-ng or neural voice that spoke


def build_soundtrack(seconds: float, language: str, rng: np.random.Generator, voice: str | None = None,
                     texts: str = "training") -> Soundtrack:
    """Sentences in a seeded order, with pauses (PAUSE_SECONDS), until `seconds` is filled (then cut);
    spoken by `voice` (an espeak-ng voice or a neural voice's name), or by the language's own
    espeak-ng voice when it is None."""
    if language not in LANGUAGES:
        raise ValueError(f"language must be one of {sorted(LANGUAGES)}")
    if texts not in TEXTS:
        raise ValueError(f"texts must be one of {list(TEXTS)}")
    language_voice, training_sentences = LANGUAGES[language]
    sentences = TEST_SENTENCES[language] if texts == "test" else training_sentences
    voice = voice or language_voice
    shortest_pause, longest_pause = PAUSE_SECONDS[texts]
    order = list(rng.permutation(len(sentences)))
    cache: dict[int, speech.Speech] = {}
    rate = None
    pieces: list[np.ndarray] = []
    phonemes: list[tuple[float, str]] = [(0.0, "_")]
    spoken: list[str] = []
    position = 0  # samples
    total = None
    turn = 0
    while total is None or position < total:
        index = int(order[turn % len(order)])
        turn += 1
        if index not in cache:
            cache[index] = _say(sentences[index], voice)
        said = cache[index]
        if rate is None:
            rate = said.sample_rate
            total = int(round(seconds * rate))
            lead = int(round(rng.uniform(0.3, 0.6) * rate))
            pieces.append(np.zeros(lead, dtype=np.int16))
            position = lead
        offset = position / rate
        phonemes.extend((offset + start, name) for start, name in said.phonemes)
        pieces.append(said.samples)
        position += len(said.samples)
        spoken.append(sentences[index])
        pause = int(round(rng.uniform(shortest_pause, longest_pause) * rate))
        phonemes.append((position / rate, "_"))
        pieces.append(np.zeros(pause, dtype=np.int16))
        position += pause
    samples = np.concatenate(pieces)[:total]
    phonemes = [(t, n) for t, n in phonemes if t < seconds]
    phonemes.sort(key=lambda item: item[0])
    speaking = 0.0
    for index, (start, name) in enumerate(phonemes):
        end = phonemes[index + 1][0] if index + 1 < len(phonemes) else seconds
        if not name.startswith(("_", "(")) and name:
            speaking += max(0.0, min(end, seconds) - start)
    return Soundtrack(samples, rate, phonemes, " ".join(spoken), round(speaking, 3), voice)


def _say(sentence: str, voice: str) -> speech.Speech:
    """A sentence in an espeak-ng voice, or in a neural voice (Mandarin from its characters)."""
    if voice in voices.NEURAL_VOICES:
        return voices.synthesize(HANZI.get(sentence, sentence), voice)
    return speech.synthesize(sentence, voice)


def _smoothstep(edge0: float, edge1: float, x: np.ndarray) -> np.ndarray:
    t = np.clip((x - edge0) / (edge1 - edge0), 0.0, 1.0)
    return t * t * (3.0 - 2.0 * t)


def _curve(points: np.ndarray):
    """y(x) through the points (sorted by x): an interpolating polynomial, clamped to their x range."""
    points = points[np.argsort(points[:, 0])]
    coeffs = np.polyfit(points[:, 0], points[:, 1], min(len(points) - 1, 4))
    lo, hi = float(points[0, 0]), float(points[-1, 0])
    return lambda x: np.polyval(coeffs, np.clip(x, lo, hi))


def face_photo(face: str) -> np.ndarray:
    """The photo (BGR) of one of FACES: scikit-image's astronaut (Eileen Collins), Grace Hopper from
    matplotlib's sample data, Luis Pedro Coelho from mahotas's demo data (found without importing
    mahotas, which loads its C extensions)."""
    if face == "astronaut":
        from skimage import data as skdata

        return cv2.cvtColor(skdata.astronaut(), cv2.COLOR_RGB2BGR)
    if face == "hopper":
        try:
            import matplotlib
        except ImportError as error:
            raise RuntimeError("the hopper face needs matplotlib (pip install matplotlib)") from error
        path = os.path.join(matplotlib.get_data_path(), "sample_data", "grace_hopper.jpg")
    elif face == "coelho":
        spec = importlib.util.find_spec("mahotas")
        if spec is None or not spec.submodule_search_locations:
            raise RuntimeError("the coelho face needs mahotas (pip install mahotas)")
        path = os.path.join(list(spec.submodule_search_locations)[0], "demos", "data", "luispedro.jpg")
    else:
        raise ValueError(f"face must be one of {list(FACES)}")
    photo = cv2.imread(path, cv2.IMREAD_COLOR)
    if photo is None:
        raise RuntimeError(f"cannot read the {face} photo {path}")
    return photo


class _TalkingHead:
    """A photo's head and shoulders on a blurred backdrop, with a mouth that opens on demand."""

    def __init__(self, width: int, height: int, model: lm.LandmarkModel, face: str = "astronaut") -> None:
        self.width, self.height = width, height
        photo = face_photo(face)
        faces = model.find_faces(photo, scale=1.0)
        if not faces:
            raise RuntimeError(f"no face found in the {face} photo")
        source_points = model.landmarks(photo, faces[0])
        framing = FACES[face]
        unit = min(width, height) / 1080.0
        jaw = float(source_points[16, 0] - source_points[0, 0])
        face_width = framing.face_width_at_1080 * unit
        scale = face_width / jaw
        centre = (source_points.min(axis=0) + source_points.max(axis=0)) / 2
        target = np.array([width / 2.0, framing.centre_height * height])
        affine = np.array([[scale, 0, target[0] - scale * centre[0]], [0, scale, target[1] - scale * centre[1]]])
        self.motion = MOTION_AT_1080 * unit

        # Backdrop: the photo at the same place, much blurred (computed small, then enlarged).
        small = 0.25
        small_affine = affine * small
        small_size = (max(1, int(width * small)), max(1, int(height * small)))
        placed = cv2.warpAffine(photo, small_affine, small_size, flags=cv2.INTER_LINEAR, borderMode=cv2.BORDER_REPLICATE)
        back = cv2.GaussianBlur(placed, (0, 0), 6.0 * scale * small)
        # Where a photo smaller than the frame ends, its edge pixels smear outwards into stripes:
        # there, a much wider blur turns them into soft colour.
        in_photo = cv2.warpAffine(np.ones(photo.shape[:2], np.float32), small_affine, small_size,
                                  flags=cv2.INTER_LINEAR, borderMode=cv2.BORDER_CONSTANT, borderValue=0)
        if in_photo.min() < 1.0:
            wide = 0.08 * min(small_size)
            far = cv2.GaussianBlur(placed, (0, 0), wide)
            near = np.clip(2.0 * cv2.GaussianBlur(in_photo, (0, 0), wide / 2) - 1.0, 0.0, 1.0)[:, :, None]
            back = np.clip(back * near + far * (1.0 - near) + 0.5, 0, 255).astype(np.uint8)
        self.backdrop = cv2.resize(back, (width, height), interpolation=cv2.INTER_CUBIC)

        # The sharp patch: an ellipse around hair, face and neck, feathered; its box in frame pixels.
        face_centre = target + np.array([0.0, 0.25 * face_width])
        axes = np.array([1.05 * face_width, 1.55 * face_width])
        feather = 0.12 * face_width
        margin = 3 * feather + 2 * self.motion
        x0, y0 = np.floor(face_centre - axes - margin).astype(int)
        x1, y1 = np.ceil(face_centre + axes + margin).astype(int)
        self.box = (x0, y0, x1, y1)
        pw, ph = x1 - x0, y1 - y0
        patch_affine = affine.copy()
        patch_affine[:, 2] -= (x0, y0)
        patch = cv2.warpAffine(photo, patch_affine, (pw, ph), flags=cv2.INTER_CUBIC, borderMode=cv2.BORDER_REPLICATE)
        blur = cv2.GaussianBlur(patch, (0, 0), max(0.6, 0.35 * scale))
        patch = cv2.addWeighted(patch, 1.6, blur, -0.6, 0)  # undo some of the enlargement's softness
        alpha = np.zeros((ph, pw), dtype=np.uint8)
        cv2.ellipse(alpha, (int(face_centre[0] - x0), int(face_centre[1] - y0)), (int(axes[0]), int(axes[1])),
                    0, 0, 360, 255, -1, cv2.LINE_AA)
        alpha = cv2.GaussianBlur(alpha, (0, 0), feather)
        # A photo cut off close around the head (Coelho's, at the chest and the sides): the sharp
        # patch fades out inside the photo, so its edge pixels, smeared outwards, never show sharp.
        photo_start = affine[:, 2] - 0.5 * scale
        photo_end = photo_start + scale * np.array([photo.shape[1], photo.shape[0]])
        if (face_centre - axes < photo_start).any() or (face_centre + axes > photo_end).any():
            edge = 0.04 * face_width
            inset = 2.5 * edge
            start = np.round(photo_start + inset - (x0, y0)).astype(int)
            end = np.round(photo_end - inset - (x0, y0)).astype(int)
            photo_area = cv2.rectangle(np.zeros((ph, pw), dtype=np.uint8), start.tolist(), end.tolist(), 255, -1)
            photo_area = cv2.GaussianBlur(photo_area, (0, 0), edge)
            alpha = (alpha.astype(np.uint16) * photo_area // 255).astype(np.uint8)
        self.pivot = (float(target[0] - x0), float(target[1] - y0))

        # Landmarks on the enlarged patch (what a tracker of the output sees): in the detector's box
        # (found at a scale where the face is about 100 pixels wide), else in the box the photo's
        # landmarks give.
        found = model.find_faces(patch, scale=min(1.0, 100.0 / face_width))
        if found:
            box = found[0]
        else:
            moved = source_points.astype(np.float64) @ patch_affine[:, :2].T + patch_affine[:, 2]
            box = lm.box_around(moved.astype(np.float32))
        points = model.landmarks(patch, box).astype(np.float64)
        self.points = points
        self.eye = lm.eye_distance(points.astype(np.float32))
        self.as_photographed = patch  # the mouth before it is closed: teeth it shows come from here
        self.base = self._close_mouth(patch, points)
        self._prepare_mouth(points)
        self._prepare_eyes(points)
        self.alpha = alpha

    # -- the mouth -----------------------------------------------------------------------------

    def _close_mouth(self, patch: np.ndarray, p: np.ndarray) -> np.ndarray:
        """Lift the lower lip onto the upper one, so openness 0 is a closed mouth (the astronaut smiles
        with her teeth showing; lips that already meet hardly move)."""
        upper = _curve(p[[60, 61, 62, 63, 64]])
        lower = _curve(p[[60, 67, 66, 65, 64]])
        x_lo, x_hi = p[60, 0], p[64, 0]
        lip_bottom, chin = p[57, 1], p[8, 1]
        x0, x1 = int(p[48, 0] - 0.2 * self.eye), int(p[54, 0] + 0.2 * self.eye) + 1
        y0, y1 = int(min(p[50:53, 1].min(), p[61:64, 1].min()) - 0.1 * self.eye), int(chin + 2)
        xs, ys = np.meshgrid(np.arange(x0, x1, dtype=np.float32), np.arange(y0, y1, dtype=np.float32))
        gap = np.where((xs >= x_lo) & (xs <= x_hi), np.maximum(lower(xs) - upper(xs), 0.0), 0.0)
        below = ys >= upper(xs)
        fade = 1.0 - _smoothstep(lip_bottom, chin, ys)
        shift = np.where(below, gap * fade, 0.0).astype(np.float32)
        out = patch.copy()
        out[y0:y1, x0:x1] = cv2.remap(patch, xs, ys + shift, cv2.INTER_LINEAR, borderMode=cv2.BORDER_REPLICATE)
        return out

    def _prepare_mouth(self, p: np.ndarray) -> None:
        """A unit displacement field: the lower lip and jaw go down, fading to nothing at the nose,
        the cheeks and the neck; the upper lip stays. Scaled by the wanted gap each frame."""
        e = self.eye
        upper = _curve(p[[60, 61, 62, 63, 64]])
        centre_x = (p[62, 0] + p[66, 0]) / 2
        inner_mid, inner_half = (p[60, 0] + p[64, 0]) / 2, max((p[64, 0] - p[60, 0]) / 2, 1.0)
        lip_reach, jaw_reach = 1.6 * inner_half, 1.1 * e
        cheek, chin = p[29, 1], p[8, 1]
        neck = 0.8 * e

        def bell(x, reach):  # 1 in the middle, 0 at `reach` to either side
            return np.cos(0.5 * np.pi * np.clip(np.abs(x - centre_x) / reach, 0, 1)) ** 2

        def split(x):  # 1 where the lips part, 0 at the mouth corners and beyond
            return 1.0 - _smoothstep(0.55, 1.0, np.abs(x - inner_mid) / inner_half)

        x0, x1 = int(centre_x - jaw_reach) - 1, int(centre_x + jaw_reach) + 2
        y0, y1 = int(cheek) - 1, int(chin + neck) + 2
        xs, ys = np.meshgrid(np.arange(x0, x1, dtype=np.float32), np.arange(y0, y1, dtype=np.float32))
        line = upper(xs)
        # Below the lip line: the lower lip's narrow U widening into the whole jaw, then the neck.
        jaw = _smoothstep(line, chin, ys)
        below = (1.0 - jaw) * bell(xs, lip_reach) + jaw * bell(xs, jaw_reach)
        below = below * (1.0 - _smoothstep(chin, chin + neck, ys))
        # Above it: nothing over the parted lips; towards the corners and the cheeks the skin
        # follows the corner down, fading out towards the eyes.
        above = bell(xs, lip_reach) * (1.0 - split(xs)) * _smoothstep(cheek, line, ys)
        self.mouth_box = (x0, y0, x1, y1)
        self.mouth_grid = (xs, ys)
        self.mouth_field = np.where(ys >= line, below, above).astype(np.float32)
        # The lip line of the mouth interior, sampled between the inner corners.
        lx = np.linspace(p[60, 0], p[64, 0], 33)
        self.lip_x, self.lip_y = lx, upper(lx)
        self.lip_drop, self.lip_split = bell(lx, lip_reach), split(lx)
        # How far the photo's teeth show below the upper lip (the upper teeth), per column; a mouth
        # photographed closed has none to show, so its opening is dark throughout.
        lower = _curve(p[[60, 67, 66, 65, 64]])
        shows_teeth = lm.mouth_openness(p) > TEETH_MIN_GAP
        self.teeth_band = np.maximum(lower(lx) - upper(lx), 0.0) * 0.8 * split(lx) * shows_teeth
        pairs_x = p[[61, 62, 63], 0]
        self.gap_per_unit = float(np.mean(bell(pairs_x, lip_reach) * split(pairs_x)))

    def _mouth(self, frame: np.ndarray, openness: float) -> None:
        gap = openness * OPENNESS_SCALE * self.eye
        if gap <= 0.05:
            return
        drop = gap / self.gap_per_unit
        x0, y0, x1, y1 = self.mouth_box
        xs, ys = self.mouth_grid
        frame[y0:y1, x0:x1] = cv2.remap(self.base, xs, ys - drop * self.mouth_field, cv2.INTER_LINEAR,
                                        borderMode=cv2.BORDER_REPLICATE)
        # The opening between the lips: the upper teeth (if the photo shows them) under the upper
        # lip, then a dark mouth that gets darker towards the middle.
        top = self.lip_y + drop * self.lip_drop * (1.0 - self.lip_split)
        bottom = self.lip_y + drop * self.lip_drop
        ix0, ix1 = int(self.lip_x[0]) - 2, int(self.lip_x[-1]) + 3
        iy0, iy1 = int(top.min()) - 2, int(math.ceil(bottom.max())) + 3
        outline = np.concatenate([np.stack([self.lip_x, top], 1), np.stack([self.lip_x[::-1], bottom[::-1]], 1)])
        mask = np.zeros((iy1 - iy0, ix1 - ix0), dtype=np.uint8)
        cv2.fillPoly(mask, [np.round((outline - (ix0, iy0)) * 16).astype(np.int32)], 255, cv2.LINE_AA, shift=4)
        cover = mask.astype(np.float32) * (1.0 / 255.0)
        depth = cv2.GaussianBlur(cover, (0, 0), max(1.0, 0.2 * gap))
        shade = np.clip((depth - 0.3) / 0.6, 0.0, 1.0)[:, :, None]
        inside = MOUTH_EDGE * (1.0 - shade) + MOUTH_DEEP * shade
        # Teeth: pixel rows of the photo's open mouth, hung from the (possibly lowered) upper lip line.
        cols = np.arange(ix0, ix1, dtype=np.float32)
        lip_top = np.interp(cols, self.lip_x, top).astype(np.float32)
        lip_line = np.interp(cols, self.lip_x, self.lip_y).astype(np.float32)
        teeth_depth = np.interp(cols, self.lip_x, self.teeth_band, left=0.0, right=0.0).astype(np.float32)
        gx, gy = np.meshgrid(cols, np.arange(iy0, iy1, dtype=np.float32))
        below_lip = gy - lip_top[None, :]
        teeth = cv2.remap(self.as_photographed, gx, lip_line[None, :] + below_lip, cv2.INTER_LINEAR,
                          borderMode=cv2.BORDER_REPLICATE).astype(np.float32)
        on_teeth = np.clip((teeth_depth[None, :] - below_lip) / 2.0, 0.0, 1.0)[:, :, None]
        inside = teeth * on_teeth + inside * (1.0 - on_teeth)
        region = frame[iy0:iy1, ix0:ix1].astype(np.float32)
        cover = cover[:, :, None]
        frame[iy0:iy1, ix0:ix1] = np.clip(region * (1.0 - cover) + inside * cover + 0.5, 0, 255).astype(np.uint8)

    # -- the eyes ------------------------------------------------------------------------------

    def _prepare_eyes(self, p: np.ndarray) -> None:
        self.eyes = []
        for idx in (lm.RIGHT_EYE, lm.LEFT_EYE):
            eye = p[idx]
            upper = _curve(eye[[0, 1, 2, 3]])
            lower = _curve(eye[[3, 4, 5, 0]])
            width = eye[3, 0] - eye[0, 0]
            x0, x1 = int(eye[0, 0] - 0.25 * width), int(eye[3, 0] + 0.25 * width) + 1
            y0, y1 = int(eye[:, 1].mean() - 0.9 * width), int(eye[:, 1].mean() + 0.4 * width) + 1
            xs, ys = np.meshgrid(np.arange(x0, x1, dtype=np.float32), np.arange(y0, y1, dtype=np.float32))
            inside = (xs >= eye[0, 0]) & (xs <= eye[3, 0])
            opening = np.where(inside, np.maximum(lower(xs) - upper(xs) + 0.08 * width, 0.0), 0.0)
            opening = cv2.GaussianBlur(opening.astype(np.float32), (0, 0), 0.04 * width + 0.5)
            # The upper lid slides down onto the lower one; the skin above it stretches, starting
            # under the eyebrow. Below the lower lid nothing moves.
            line = lower(xs)
            crease = upper(xs) - 0.4 * width
            ramp = np.where(ys < line, np.clip((ys - crease) / (line - crease), 0.0, 1.0), 0.0)
            self.eyes.append(((x0, y0, x1, y1), xs, ys, (opening * ramp).astype(np.float32)))

    def _blink(self, frame: np.ndarray, amount: float) -> None:
        if amount <= 0.02:
            return
        for (x0, y0, x1, y1), xs, ys, lid in self.eyes:
            frame[y0:y1, x0:x1] = cv2.remap(self.base, xs, ys - amount * lid, cv2.INTER_LINEAR,
                                            borderMode=cv2.BORDER_REPLICATE)

    # -- a frame -------------------------------------------------------------------------------

    def render(self, openness: float, blink: float, pose: tuple[float, float, float]) -> np.ndarray:
        face = self.base.copy()
        self._mouth(face, openness)
        self._blink(face, blink)
        return self.place(face, self.alpha, pose)

    def place(self, picture: np.ndarray, alpha: np.ndarray, pose: tuple[float, float, float]) -> np.ndarray:
        """The frame: the backdrop with `picture` (patch-sized) blended in through `alpha`, moved by `pose`."""
        dx, dy, angle = pose
        x0, y0, x1, y1 = self.box
        matrix = cv2.getRotationMatrix2D(self.pivot, angle, 1.0)
        matrix[:, 2] += (dx, dy)
        # Only the part of the patch's box inside the frame.
        fx0, fy0, fx1, fy1 = max(x0, 0), max(y0, 0), min(x1, self.width), min(y1, self.height)
        matrix[:, 2] -= (fx0 - x0, fy0 - y0)
        size = (fx1 - fx0, fy1 - fy0)
        moved = cv2.warpAffine(picture, matrix, size, flags=cv2.INTER_LINEAR, borderMode=cv2.BORDER_REPLICATE)
        weight = cv2.warpAffine(alpha, matrix, size, flags=cv2.INTER_LINEAR, borderMode=cv2.BORDER_CONSTANT, borderValue=0)
        weight = weight.astype(np.float32) * (1.0 / 255.0)
        frame = self.backdrop.copy()
        region = np.ascontiguousarray(frame[fy0:fy1, fx0:fx1])
        frame[fy0:fy1, fx0:fx1] = cv2.blendLinear(moved, region, weight, 1.0 - weight)
        return frame


class _NoFace:
    """The same backdrop with a drifting, turning brick texture where the head would be."""

    def __init__(self, head: _TalkingHead) -> None:
        from skimage import data as skdata

        self.head = head
        x0, y0, x1, y1 = head.box
        bricks = skdata.brick()  # grey, 512 x 512
        tiled = np.tile(bricks, (int(math.ceil((y1 - y0) / 512)) + 1, int(math.ceil((x1 - x0) / 512)) + 1))
        tiled = tiled[: y1 - y0, : x1 - x0]
        tint = np.array([0.55, 0.75, 1.0], dtype=np.float32)  # a warm brick colour
        colour = np.clip(tiled[:, :, None].astype(np.float32) * tint, 0, 255).astype(np.uint8)
        self.picture = np.ascontiguousarray(colour)

    def render(self, openness: float, blink: float, pose: tuple[float, float, float]) -> np.ndarray:
        return self.head.place(self.picture, self.head.alpha, pose)


def _pose(t: float, phases: np.ndarray, amplitude: float) -> tuple[float, float, float]:
    """Slow head motion: (dx, dy) pixels and a turn in degrees, sums of sines of unrelated periods."""
    def wave(period: float, phase: float) -> float:
        return math.sin(2 * math.pi * t / period + phase)

    dx = amplitude * (0.8 * wave(6.3, phases[0]) + 0.2 * wave(2.9, phases[1]))
    dy = amplitude * (0.7 * wave(8.1, phases[2]) + 0.3 * wave(3.7, phases[3]))
    return dx, dy, ROTATION_DEGREES * wave(10.7, phases[4])


def _blink_times(seconds: float, rng: np.random.Generator) -> list[float]:
    times, t = [], float(rng.uniform(1.0, 3.0))
    while t < seconds - 0.3:
        times.append(round(t, 3))
        t += float(rng.uniform(2.5, 6.0))
    return times


def _blink_amount(t: float, blinks: list[float], duration: float = 0.2) -> float:
    for start in blinks:
        if start <= t < start + duration:
            return math.sin(math.pi * (t - start) / duration) ** 2
    return 0.0


def truth_path(video_path: str) -> str:
    root, _ = os.path.splitext(video_path)
    return root + ".truth.json"


def make_fixture(output: str, seconds: float = 60.0, width: int = 1920, height: int = 1080, fps: int = 25,
                 language: str = "en", silent: bool = False, no_face: bool = False, seed: int = 1,
                 face: str = "astronaut", voice: str | None = None, texts: str = "training",
                 progress: bool = True) -> dict:
    """Write the video and its truth JSON; return the truth."""
    if width % 2 or height % 2:
        raise ValueError("width and height must be even (yuv420p)")
    frames = int(round(seconds * fps))
    if frames < 1:
        raise ValueError("seconds too short")
    duration = frames / fps
    rng = np.random.default_rng(seed)
    track = build_soundtrack(duration, language, rng, voice, texts)
    openness = openness_track(track.phonemes, duration, fps)
    phases = rng.uniform(0, 2 * math.pi, 5)
    blinks = _blink_times(duration, rng)

    started = time.monotonic()
    model = lm.LandmarkModel()
    head = _TalkingHead(width, height, model, face)
    scene = _NoFace(head) if no_face else head

    truth = {
        "fps": fps,
        "frames": frames,
        "seconds": duration,
        "openness": [round(float(v), 4) for v in openness],
        "openness_scale": OPENNESS_SCALE,
        "speech_seconds": 0.0 if silent else track.speech_seconds,
        "text": track.text,
        "language": language,
        "voice": track.voice,
        "texts": texts,
        "audio": "silent" if silent else "speech",
        "face": not no_face,
        "photo": face,
        "blinks": [] if no_face else blinks,
        "seed": seed,
    }

    directory = os.path.dirname(os.path.abspath(output))
    os.makedirs(directory, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="fixture-", dir=directory) as scratch:
        wav = os.path.join(scratch, "speech.wav")
        samples = np.zeros_like(track.samples) if silent else track.samples
        write_wav(wav, samples, track.sample_rate)
        command = [
            ffmpeg_path(), "-hide_banner", "-loglevel", "error", "-nostdin", "-y",
            "-f", "rawvideo", "-pix_fmt", "bgr24", "-s", f"{width}x{height}", "-r", str(fps), "-i", "pipe:0",
            "-i", wav,
            "-map", "0:v:0", "-map", "1:a:0",
            "-c:v", "libx264", "-preset", "veryfast", "-crf", "18", "-pix_fmt", "yuv420p",
            "-c:a", "aac", "-b:a", "128k", "-ar", "48000", "-ac", "1",
            "-t", f"{duration:.6f}", "-shortest", "-movflags", "+faststart",
            "-fflags", "+bitexact", "-flags:v", "+bitexact", "-flags:a", "+bitexact", "-map_metadata", "-1",
            output,
        ]
        process = subprocess.Popen(command, stdin=subprocess.PIPE)
        # A writer thread feeds ffmpeg while the next frame is drawn (both release the GIL).
        pending: queue.Queue = queue.Queue(maxsize=3)
        failure: list[BaseException] = []

        def feed() -> None:
            try:
                while (frame := pending.get()) is not None:
                    if not failure:
                        process.stdin.write(memoryview(frame).cast("B"))
            except BaseException as error:  # noqa: BLE001 - reported below
                failure.append(error)
                while pending.get() is not None:
                    pass

        writer = threading.Thread(target=feed, name="fixture-ffmpeg-writer", daemon=True)
        writer.start()
        last_report = time.monotonic()
        try:
            for index in range(frames):
                if failure:
                    break
                t = index / fps
                frame = scene.render(float(openness[index]), _blink_amount(t, blinks), _pose(t, phases, head.motion))
                pending.put(np.ascontiguousarray(frame))
                if progress and (time.monotonic() - last_report > 2.0 or index == frames - 1):
                    last_report = time.monotonic()
                    elapsed = last_report - started
                    print(f"fixture: frame {index + 1}/{frames} ({elapsed:.1f} s)", file=sys.stderr, flush=True)
        finally:
            pending.put(None)
            writer.join()
            try:
                process.stdin.close()
            except BrokenPipeError:
                pass
            code = process.wait()
        if code != 0 or failure:
            raise RuntimeError(f"ffmpeg failed (exit code {code}{': ' + str(failure[0]) if failure else ''})")

    with open(truth_path(output), "w", encoding="utf-8") as out:
        json.dump(truth, out)
        out.write("\n")
    if progress:
        print(f"fixture: wrote {output} and {truth_path(output)} in {time.monotonic() - started:.1f} s", file=sys.stderr)
    return truth


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Make a talking-face test video and its ground truth, offline.")
    parser.add_argument("-o", "--output", required=True, help="the MP4 to write (the truth goes to NAME.truth.json)")
    parser.add_argument("--seconds", type=float, default=60.0)
    parser.add_argument("--width", type=int, default=1920)
    parser.add_argument("--height", type=int, default=1080)
    parser.add_argument("--fps", type=int, default=25)
    parser.add_argument("--language", default="en", choices=sorted(LANGUAGES))
    parser.add_argument("--face", default="astronaut", choices=FACES, help="the photo that talks")
    parser.add_argument("--voice", help="an espeak-ng voice, a variant allowed (en-us+f3, en-gb-x-rp+m2), or a "
                                        "neural voice (am_michael, zf_xiaobei); default: the language's espeak-ng voice")
    parser.add_argument("--texts", default="training", choices=TEXTS,
                        help="the training sentences, or test ones that no training fixture says")
    parser.add_argument("--silent", action="store_true", help="the same video with a silent audio track")
    parser.add_argument("--no-face", action="store_true", help="no face in the picture, speech in the audio")
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args(argv)
    try:
        make_fixture(args.output, args.seconds, args.width, args.height, args.fps, args.language,
                     args.silent, args.no_face, args.seed, args.face, args.voice, args.texts)
    except (RuntimeError, ValueError) as error:
        print(f"fixture: {error}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
