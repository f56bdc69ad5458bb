"""Mouth classes from the sound of anyone's speech: small networks that do not depend on the speaker.

A person's own video teaches the trainer how *their* mouth looks for each sound (lipsync.py), but a
single voice cannot teach which sound is being made when somebody else speaks. These networks do
that part. They are trained once, at set-up, on speech the product makes itself: every neural voice
but the held-out ones, the neural model's voices for its other languages reading English, and
espeak-ng voice variants, all reading CORPUS (sentences no fixture or test says; the neural voices that
read English also read a few of its Mandarin ones), each recording with
the phoneme timeline its synthesizer reports, so the truth is known to the 10 ms. They read 26 mel
bands normalised per recording (level and channel cancel out) and the loudness relative to the
recording's loud parts, ±200 ms around each 10 ms step, and give the probability of each mouth class
(visemes.CLASSES) at that step. The vocal tract is varied while they learn (the mel bands warped, as
a longer or shorter tract moves the formants; each network also hears every recording faster and
slower), so that they follow the sounds and not the voices. The probabilities are the mean of the
three networks of MEMBERS.

HELD_OUT_VOICES never speak to them: they are the voices `npm run bench:lipsync` and the trainer's
tests drive models with, so those figures are on voices they never heard.

The networks (two hidden layers each, numpy) are kept in the environment (share/avatarforge/
mouth-classes.npz) under a key of everything they depend on; set-up makes them when that is missing
or out of date (about 2,150 CPU-seconds, 19 minutes on 2 cores: two thirds of it speaking, the rest training).

CLI: python -m avatarforge_trainer.mouth_classes --make   (set-up runs it)
"""

from __future__ import annotations

import argparse
import concurrent.futures
import functools
import hashlib
import json
import multiprocessing
import os
import sys
import time
from dataclasses import dataclass
from fractions import Fraction

import numpy as np
from scipy.signal import resample_poly

from . import audio_features, visemes
from .media import SAMPLE_RATE, TrainerError, load_arrays, save_arrays

# The sentences the network learns from: everyday English and Mandarin with every mouth class, none
# of them in the fixtures' training or test sentences.
CORPUS = {
    "en": (
        "The quick brown fox jumps over the lazy dog near the river bank.",
        "She sells sea shells by the sea shore every summer morning.",
        "A large wooden bridge crosses the wide, muddy stream.",
        "Please remember to feed the fish before you leave for work.",
        "Thirty thousand feathers floated through the thick, foggy air.",
        "My brother thinks that math problems are fun on a rainy day.",
        "Every evening, the old man walks his dog along the beach.",
        "We should visit the zoo when the weather gets warmer.",
        "I would love a cup of hot chocolate with whipped cream.",
        "The children laughed as the puppy chased its own tail.",
        "Could you measure the length of the kitchen table, please?",
        "Jane found a shiny penny under the couch cushion.",
        "Yesterday I baked fresh bread, and the whole house smelled great.",
        "Turn off the lights when you go upstairs to sleep.",
        "The orchestra played a beautiful piece by an unknown composer.",
        "How much money do you need for the train ticket to Boston?",
        "Our neighbour grows tomatoes, peppers and pumpkins in his garden.",
        "The airplane landed smoothly despite the strong wind.",
        "Why are you always so early for every meeting?",
        "Maybe we can watch a movie after dinner tonight.",
        "The teacher asked us to read chapter four by Thursday.",
        "Bright yellow flowers bloomed all over the hillside in April.",
        "Uh, well, I guess we could try again tomorrow.",
        "Judge the job by the quality of the joints and the finish.",
        "Their voices echoed through the empty hall like thunder.",
        "A big black bear ate the berries by the boulder.",
        "Oh no, the milk spilled all over my new shoes!",
        "Wow, look at how far the kite flew above the field.",
        "The farmer loaded the hay onto the wagon before noon.",
        "You can choose either the red one or the blue one.",
        "Seven sleepy sheep slowly wandered down the valley.",
        "Remember, the museum closes at five on Sundays.",
    ),
    "zh": (
        "今天天气很好，我们去公园散步吧。",
        "他每天晚上都要看一个小时的书。",
        "这家饭馆的饺子特别好吃。",
        "请你帮我把窗户关上，外面太冷了。",
        "我的朋友下个月要去上海工作。",
        "小狗在草地上跑来跑去，非常开心。",
        "你喜欢喝茶还是喝咖啡？",
        "明年夏天我们打算去海边旅游。",
        "老师说明天的考试很重要。",
        "妹妹买了一件红色的毛衣。",
        "火车站离这里大概有两公里。",
        "我们一边吃饭一边聊天。",
    ),
}
# The voices the bench and the tests drive models with (and the bench's neural training voice):
# never in the network's training.
HELD_OUT_VOICES = ("am_adam", "am_michael", "bf_emma", "af_bella", "af_heart", "bm_george", "zf_xiaobei")
# espeak-ng variants it learns from; the bench's and tests' espeak-ng voices (en-us, en-us+f3, en+m3,
# en-us+m7, en+f4, the pinyin voices) are not among them.
ESPEAK_VOICES = {
    "en": ("en-us+m1", "en-us+m2", "en+m4", "en-gb-x-rp+f1", "en+f5", "en-us+m5", "en-gb-x-rp", "en-us+f2",
           "en+m6", "en-us+f4"),
    "zh": ("zh+f2", "zh+m1"),
}
# The neural model's voices for its other languages (Spanish, French, Hindi, Italian, Japanese,
# Portuguese): not on offer, but 18 more vocal tracts, reading the English corpus with American phonemes.
OTHER_LANGUAGE_VOICES = ("ef_dora", "em_alex", "em_santa", "ff_siwis", "hf_alpha", "hf_beta", "hm_omega", "hm_psi",
                         "if_sara", "im_nicola", "jf_alpha", "jf_gongitsune", "jf_nezumi", "jf_tebukuro", "jm_kumo",
                         "pf_dora", "pm_alex", "pm_santa")
SENTENCES_PER_VOICE = {"neural": 12, "other-language": 8, "espeak-ng": 12}
# The neural voices that read English (those on offer and those of other languages) also read this many
# Mandarin sentences of CORPUS after their English ones: Mandarin heard from its own 9 voices alone
# opened the mouth too little for a new Mandarin voice (depth 0.74 against 0.87 with them, one network).
MANDARIN_SENTENCES_PER_ENGLISH_VOICE = {"neural": 4, "other-language": 4}
# Each recording is learnt from at every STEP_STRIDE-th 10 ms step.
STEP_STRIDE = 2
PAUSE_SECONDS = (0.3, 0.8)
# Vocal tract warps each recording is learnt at (espeak-ng's variants differ less than people do).
WARPS = {"neural": (0.94, 1.0, 1.06), "other-language": (0.94, 1.0, 1.06), "espeak-ng": (0.88, 0.94, 1.0, 1.06, 1.13)}


@dataclass(frozen=True)
class Member:
    """One network of the ensemble: its seed, whether it learns from OTHER_LANGUAGE_VOICES too, and the
    tempos (besides the recordings' own) each recording is also learnt at, faster or slower speech with
    pitch and formants moved alike (by resampling)."""
    seed: int
    other_languages: bool
    speeds: tuple[float, ...]


# The posteriors are the mean of these networks'. Networks that learnt at other tempos and from other
# seeds err in different places: together they hear new voices better than any one of them. A network
# that also hears every recording faster and slower follows held-out neural voices a little better
# than one that does not (r 0.803-0.815 alone, against 0.800-0.803; one network's figure moves by about
# 0.01 from one set-up to the next, as the speech it learns from is not synthesized bit for bit alike);
# three such together 0.822-0.823, their weakest recording 0.793-0.797 (the three before, two of them
# without other tempos: 0.821 and 0.784). The longest to train comes first, so that the other two
# share the second core.
MEMBERS = (Member(25, True, (0.8, 0.9, 1.1, 1.2)), Member(22, True, (0.9, 1.1)), Member(24, True, (0.85, 1.15)))

# The speech is also heard played at these tempos (faster and slower, pitch and formants moved alike,
# as the networks learnt it), and the probabilities averaged: on held-out neural voices the openness
# the classes call for followed the truth with r 0.822 heard once, 0.828 at these five (the weakest
# recording 0.793 → 0.809), for five times the networks' small share of a render's time (0.4 s for
# 25 s of speech).
HEARD_TEMPOS = (0.8, 0.9, 1.0, 1.1, 1.2)
# The input: ±200 ms of 10 ms steps, every second step.
CONTEXT_STEPS = tuple(range(-20, 21, 2))
# The steps normalised on are those within this many dB of the recording's loud steps (its speech).
SPEECH_DB_BELOW_LOUD = 30.0
# A recording is scaled so that its peaks (99.5th percentile of the samples) sit here, and its mel
# bands are held at no less than this many dB below its loudest: any level reads alike.
PEAK_LEVEL = 0.5
BAND_FLOOR_DB = 70.0
HIDDEN = 256
EPOCHS = 12
BATCH = 512
LEARNING_RATE = 2e-3
WEIGHT_DECAY = 1e-4
DROPOUT = 0.2
# Each recording's sentences' pauses come from RECORDING_SEED + its number (part of the recipe).
RECORDING_SEED = 20
# What the networks depend on besides the voices' models; change it with the code that makes them.
RECIPE = 3


def network_path() -> str:
    return os.path.join(sys.prefix, "share", "avatarforge", "mouth-classes.npz")


# ---------------------------------------------------------------------------------------------------
# The input.

def step_features(samples: np.ndarray, warp: float = 1.0) -> np.ndarray:
    """(steps, 27) for every 10 ms step: the mel bands (warped by `warp`) less their mean over the
    recording's speech, over their spread there, and the relative loudness. The recording is first
    scaled so that its peaks sit at PEAK_LEVEL, and bands more than BAND_FLOOR_DB below the loudest
    are held there, so that silence and noise read alike at any level."""
    peak = float(np.percentile(np.abs(samples), 99.5)) if len(samples) else 0.0
    scaled = samples * np.float32(PEAK_LEVEL / peak) if peak > 1e-6 else samples
    log_mel, energy = audio_features.log_mel_steps(scaled, audio_features.warped_filterbank(warp))
    log_mel = np.maximum(log_mel, np.percentile(log_mel, 99) - BAND_FLOOR_DB * np.log(10.0) / 10.0)
    speech = energy > np.percentile(energy, 95) - SPEECH_DB_BELOW_LOUD * np.log(10.0) / 10.0
    reference = log_mel[speech] if speech.sum() >= 50 else log_mel
    normalized = (log_mel - reference.mean(axis=0)) / (reference.std(axis=0) + 1e-6)
    relative = audio_features.relative_energy(energy) / -audio_features.RELATIVE_FLOOR
    return np.hstack([normalized, relative[:, None]]).astype(np.float32)


# ---------------------------------------------------------------------------------------------------
# The network.

@dataclass
class Network:
    mean: np.ndarray            # (inputs,) of the training input
    scale: np.ndarray           # (inputs,)
    weights: list[np.ndarray]   # three layers
    biases: list[np.ndarray]

    def logits(self, inputs: np.ndarray) -> np.ndarray:
        hidden = (inputs - self.mean) / self.scale
        for layer, (weights, bias) in enumerate(zip(self.weights, self.biases)):
            hidden = hidden @ weights + bias
            if layer < len(self.weights) - 1:
                hidden = np.maximum(hidden, 0.0)
        return hidden

    def to_arrays(self, prefix: str = "") -> dict[str, np.ndarray]:
        arrays = {f"{prefix}mean": self.mean, f"{prefix}scale": self.scale}
        for layer, (weights, bias) in enumerate(zip(self.weights, self.biases)):
            arrays[f"{prefix}weights{layer}"], arrays[f"{prefix}bias{layer}"] = weights, bias
        return arrays

    @staticmethod
    def from_arrays(arrays, prefix: str = "") -> "Network":
        layers = len([name for name in arrays if name.startswith(f"{prefix}weights")])
        return Network(arrays[f"{prefix}mean"], arrays[f"{prefix}scale"],
                       [arrays[f"{prefix}weights{n}"] for n in range(layers)],
                       [arrays[f"{prefix}bias{n}"] for n in range(layers)])


@dataclass
class Ensemble:
    """The networks of MEMBERS; their probabilities averaged."""
    networks: list[Network]

    def posteriors(self, samples: np.ndarray) -> np.ndarray:
        """(steps, classes): each mouth class's probability at every 10 ms step of mono float speech,
        heard at each of HEARD_TEMPOS and averaged."""
        heard = self.heard(samples)
        # Where each step's window is centred, in steps: step i's window centre is that of step
        # (i + centre) / tempo - centre of the speech played `tempo` times as fast.
        centre = audio_features.WINDOW / (2 * audio_features.HOP)
        steps = np.arange(len(heard))
        for tempo in HEARD_TEMPOS:
            if tempo != 1.0 and len(samples):
                faster = self.heard(played_at(samples, tempo))
                matching = np.round((steps + centre) / tempo - centre).astype(int)
                heard += faster[np.clip(matching, 0, len(faster) - 1)]
        return heard / len(HEARD_TEMPOS)

    def heard(self, samples: np.ndarray) -> np.ndarray:
        """(steps, classes): the networks' mean probabilities for the speech as it is."""
        per_step = step_features(samples)
        inputs = audio_features.around(per_step, np.arange(len(per_step)), CONTEXT_STEPS)
        return np.mean([softmax(network.logits(inputs)) for network in self.networks], axis=0)

    def to_arrays(self) -> dict[str, np.ndarray]:
        return {name: array for number, network in enumerate(self.networks)
                for name, array in network.to_arrays(f"member{number}_").items()}

    @staticmethod
    def from_arrays(arrays) -> "Ensemble":
        count = len([name for name in arrays if name.endswith("_mean")])
        return Ensemble([Network.from_arrays(arrays, f"member{number}_") for number in range(count)])


def _standardized_in_place(x: np.ndarray, chunk: int = 65536) -> tuple[np.ndarray, np.ndarray]:
    """Each column of the float32 array less its mean, over its standard deviation, in place, with
    no full-size temporary; returns (mean, scale)."""
    mean = x.mean(axis=0, dtype=np.float64)
    x -= mean.astype(np.float32)
    squares = sum(np.square(x[start:start + chunk], dtype=np.float64).sum(axis=0) for start in range(0, len(x), chunk))
    scale = np.sqrt(squares / max(len(x), 1)) + 1e-6
    x /= scale.astype(np.float32)
    return mean, scale


def softmax(logits: np.ndarray) -> np.ndarray:
    shifted = np.exp(logits - logits.max(axis=1, keepdims=True))
    return shifted / shifted.sum(axis=1, keepdims=True)


def train(inputs: np.ndarray, classes: np.ndarray, seed: int = 20, log=lambda line: None) -> Network:
    """A network of two ReLU layers fitted to (steps, inputs) → class by cross-entropy: Adam on
    shuffled batches, dropout on the hidden layers, a little weight decay. The float32 inputs are
    standardised in place (the examples take gigabytes): the caller's array is used up."""
    rng = np.random.default_rng(seed)
    x = np.asarray(inputs, dtype=np.float32)
    mean, scale = _standardized_in_place(x)
    sizes = (x.shape[1], HIDDEN, HIDDEN, len(visemes.CLASSES))
    weights = [rng.normal(0.0, np.sqrt(2.0 / a), (a, b)).astype(np.float32) for a, b in zip(sizes[:-1], sizes[1:])]
    biases = [np.zeros(b, np.float32) for b in sizes[1:]]
    parameters = weights + biases
    first = [np.zeros_like(p) for p in parameters]
    second = [np.zeros_like(p) for p in parameters]
    updates = 0
    for epoch in range(EPOCHS):
        loss = 0.0
        for batch in np.array_split(rng.permutation(len(x)), max(1, len(x) // BATCH)):
            activations, masks = [x[batch]], []
            for layer in range(len(weights)):
                out = activations[-1] @ weights[layer] + biases[layer]
                if layer < len(weights) - 1:
                    mask = (rng.random(out.shape, dtype=np.float32) >= DROPOUT) / np.float32(1.0 - DROPOUT)
                    out = np.maximum(out, 0.0) * mask
                    masks.append(mask)
                activations.append(out)
            probabilities = softmax(activations[-1])
            truth = classes[batch]
            loss += float(-np.log(probabilities[np.arange(len(batch)), truth] + 1e-9).sum())
            gradient = probabilities
            gradient[np.arange(len(batch)), truth] -= 1.0
            gradient /= len(batch)
            weight_gradients, bias_gradients = [None] * len(weights), [None] * len(weights)
            for layer in range(len(weights) - 1, -1, -1):
                weight_gradients[layer] = activations[layer].T @ gradient + WEIGHT_DECAY * weights[layer]
                bias_gradients[layer] = gradient.sum(axis=0)
                if layer > 0:
                    # Through the ReLU (zero where it was off or dropped) and the dropout's scaling.
                    gradient = (gradient @ weights[layer].T) * (activations[layer] > 0) * masks[layer - 1]
            updates += 1
            for number, (parameter, grad) in enumerate(zip(parameters, weight_gradients + bias_gradients)):
                first[number] = 0.9 * first[number] + 0.1 * grad
                second[number] = 0.999 * second[number] + 0.001 * grad * grad
                step = LEARNING_RATE * (first[number] / (1 - 0.9 ** updates)) / (np.sqrt(second[number] / (1 - 0.999 ** updates)) + 1e-8)
                parameter -= step.astype(np.float32)
        log(f"epoch {epoch + 1}/{EPOCHS}: loss {loss / len(x):.3f}")
    return Network(mean.astype(np.float32), scale.astype(np.float32), weights, biases)


# ---------------------------------------------------------------------------------------------------
# Making it.

def training_voices() -> list[tuple[str, str, str]]:
    """(voice, language, kind) of every voice the networks learn from; kind is "neural" (a voice on
    offer), "other-language" (OTHER_LANGUAGE_VOICES) or "espeak-ng"."""
    from .voice import NEURAL_VOICES

    chosen = [(name, "zh" if voice.language == "zh" else "en", "neural")
              for name, voice in NEURAL_VOICES.items() if name not in HELD_OUT_VOICES]
    chosen += [(name, "en", "other-language") for name in OTHER_LANGUAGE_VOICES]
    chosen += [(name, language, "espeak-ng") for language, names in ESPEAK_VOICES.items() for name in names]
    return chosen


def recipe_key() -> str:
    """What the networks depend on: the recipe, the texts, the voices and the voice model."""
    from . import neural_voice

    recipe = [RECIPE, CORPUS, training_voices(), SENTENCES_PER_VOICE, MANDARIN_SENTENCES_PER_ENGLISH_VOICE, STEP_STRIDE, PAUSE_SECONDS, WARPS, CONTEXT_STEPS,
              SPEECH_DB_BELOW_LOUD, PEAK_LEVEL, BAND_FLOOR_DB, HIDDEN, EPOCHS, BATCH, LEARNING_RATE, WEIGHT_DECAY, DROPOUT,
              [list(member.__dict__.values()) for member in MEMBERS], visemes.CLASSES, neural_voice.MODEL_SHA256]
    return hashlib.sha256(json.dumps(recipe).encode()).hexdigest()


@dataclass
class Recording:
    samples: np.ndarray   # 16 kHz float
    classes: np.ndarray   # the mouth class of every 10 ms step
    kind: str             # as in training_voices()


def _recording(job: tuple[int, str, str, str]) -> Recording:
    """SENTENCES_PER_VOICE[kind] sentences of CORPUS (a different run of them for each voice) in `voice`,
    then MANDARIN_SENTENCES_PER_ENGLISH_VOICE[kind] Mandarin ones for a neural voice that reads English,
    with pauses between them, and the mouth class of every 10 ms step."""
    from . import speech
    from .voice import synthesize, synthesize_as

    number, voice, language, kind = job
    rng = np.random.default_rng(RECORDING_SEED + number)
    texts = _run_of(CORPUS[language], number, SENTENCES_PER_VOICE[kind])
    if language == "en":
        texts += _run_of(CORPUS["zh"], number, MANDARIN_SENTENCES_PER_ENGLISH_VOICE.get(kind, 0))
    pieces = [np.zeros(int(rng.uniform(*PAUSE_SECONDS) * SAMPLE_RATE), np.float32)]
    segments = []
    position = len(pieces[0])
    for text in texts:
        if kind == "espeak-ng":
            said = speech.synthesize(text, voice)
        elif kind == "other-language":
            said = synthesize_as(text, voice)
        else:
            said = synthesize(text, voice)
        samples = resample_poly(said.float_samples, SAMPLE_RATE, said.sample_rate).astype(np.float32)
        offset = position / SAMPLE_RATE
        timeline = sorted(said.phonemes) + [(len(samples) / SAMPLE_RATE, "_")]
        segments += [(offset + start, offset + end, mouth_class) for start, end, mouth_class in
                     visemes.phoneme_segments(timeline[:-1], timeline[-1][0])]
        pieces.append(samples)
        position += len(samples)
        pause = int(rng.uniform(*PAUSE_SECONDS) * SAMPLE_RATE)
        pieces.append(np.zeros(pause, np.float32))
        position += pause
    samples = np.concatenate(pieces)
    return Recording(samples, visemes.class_steps(segments, len(samples) / SAMPLE_RATE), kind)


def _run_of(texts: tuple[str, ...], number: int, count: int) -> list[str]:
    """The `number`-th run of `count` texts (wrapping around): each voice reads a different run."""
    return [texts[(number * count + offset) % len(texts)] for offset in range(count)]


def played_at(samples: np.ndarray, speed: float) -> np.ndarray:
    """The speech `speed` times as fast, pitch and formants moved alike (resampled)."""
    ratio = Fraction(speed).limit_denominator(100)
    return resample_poly(samples, ratio.denominator, ratio.numerator).astype(np.float32)


def at_speed(recording: Recording, speed: float) -> Recording:
    """The recording `speed` times as fast (pitch and formants moved alike), its classes with it."""
    samples = played_at(recording.samples, speed)
    steps = len(samples) // audio_features.HOP + 1
    classes = recording.classes[np.minimum((np.arange(steps) * speed).astype(int), len(recording.classes) - 1)]
    return Recording(samples, classes, recording.kind)


def _examples(recording: Recording, warps: tuple[float, ...]) -> tuple[np.ndarray, np.ndarray]:
    """The network's inputs and classes from one recording at each of `warps`: every STEP_STRIDE-th step
    (neighbouring steps are much alike), starting one step later at each warp."""
    inputs, truths = [], []
    for turn, warp in enumerate(warps):
        per_step = step_features(recording.samples, warp)
        steps = np.arange(turn % STEP_STRIDE, min(len(per_step), len(recording.classes)), STEP_STRIDE)
        inputs.append(audio_features.around(per_step, steps, CONTEXT_STEPS))
        truths.append(recording.classes[steps])
    return np.vstack(inputs), np.concatenate(truths)


def _member_network(member: Member, recordings: list[Recording]) -> Network:
    """One member trained on the recordings it learns from: each at its kind's warps, and at each of the
    member's other tempos unwarped."""
    parts, classes = [], []
    for recording in recordings:
        if recording.kind == "other-language" and not member.other_languages:
            continue
        examples = [_examples(recording, WARPS[recording.kind])]
        examples += [_examples(at_speed(recording, speed), (1.0,)) for speed in member.speeds]
        parts += [x for x, _ in examples]
        classes += [y for _, y in examples]
    return train(_stacked(parts), np.concatenate(classes).astype(np.int64), seed=member.seed)


def _stacked(parts: list[np.ndarray]) -> np.ndarray:
    """The float32 parts one under another, each freed from the list once copied: memory is committed
    as the stack is written, so the examples are held about once, not twice."""
    stacked = np.empty((sum(len(part) for part in parts), parts[0].shape[1]), np.float32)
    row = 0
    while parts:
        part = parts.pop(0)
        stacked[row:row + len(part)] = part
        row += len(part)
    return stacked


def _speaker_setup() -> None:
    # Each worker process speaks on one thread; the processes share the cores.
    from . import neural_voice

    os.environ[neural_voice.THREADS_ENV] = "1"


def make(log=lambda line: print(line, file=sys.stderr, flush=True)) -> Ensemble:
    """Synthesizes the training speech, then trains the members (one process per core for each)."""
    started = time.monotonic()
    voices = training_voices()
    jobs = [(number, voice, language, kind) for number, (voice, language, kind) in enumerate(voices)]
    recordings = []
    workers = min(2, os.cpu_count() or 1)
    with concurrent.futures.ProcessPoolExecutor(max_workers=workers, initializer=_speaker_setup) as pool:
        for done, recording in enumerate(pool.map(_recording, jobs), 1):
            recordings.append(recording)
            log(f"mouth classes: speech of voice {done}/{len(jobs)} ({jobs[done - 1][1]}), {time.monotonic() - started:.0f} s")
    # Fresh processes, numpy on one thread each: the members train side by side.
    os.environ["OPENBLAS_NUM_THREADS"] = os.environ["OMP_NUM_THREADS"] = "1"
    context = multiprocessing.get_context("spawn")
    with concurrent.futures.ProcessPoolExecutor(max_workers=workers, mp_context=context) as pool:
        futures = [pool.submit(_member_network, member, recordings) for member in MEMBERS]
        networks = []
        for number, future in enumerate(futures, 1):
            networks.append(future.result())
            log(f"mouth classes: network {number}/{len(MEMBERS)} trained, {time.monotonic() - started:.0f} s")
    return Ensemble(networks)


def _stored() -> Ensemble | None:
    stored = load_arrays(network_path(), recipe_key())
    return None if stored is None else Ensemble.from_arrays(stored)


@functools.lru_cache(maxsize=1)
def network() -> Ensemble:
    found = _stored()
    if found is None:
        raise TrainerError(f"the mouth-class network is missing or out of date ({network_path()}): run bash trainer/setup.sh")
    return found


def posteriors(samples: np.ndarray) -> np.ndarray:
    """(steps, classes): the mouth classes' probabilities at every 10 ms step of any speech."""
    return network().posteriors(samples)


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m avatarforge_trainer.mouth_classes")
    parser.add_argument("--make", action="store_true", help="make the network when it is missing or out of date")
    options = parser.parse_args()
    if options.make and _stored() is None:
        save_arrays(network_path(), {"key": np.array(recipe_key()), **make().to_arrays()})
        print(f"the mouth-class network is in {network_path()}", file=sys.stderr)


if __name__ == "__main__":
    main()
