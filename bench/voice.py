"""The voices' benchmark: `npm run bench:voice`.

In one process, with each voice loaded and warmed up first, against espeak-ng in the same run:
- speed per language: the real-time factor (synthesis time / seconds of speech) of whole sentences,
  and the first-audio latency of a sentence as the live avatar asks for it (voice.stream with a
  short first piece: the time from the text to its first samples); and, played from that moment,
  whether any later piece comes after the audio before it has run out (a gap the listener hears),
  with the least margin;
- intelligibility in English: PocketSphinx's en-us recogniser (its model ships in the PyPI package)
  transcribes the same 50 sentences spoken by the neural voices and by espeak-ng; the word error
  rate of each (no sentence here is in any fixture or test);
- Mandarin, where no offline recogniser is available: the tones. For every syllable of tone 2
  (rising) or 4 (falling), the pitch contour of its vowel as the neural voice says it, measured
  by autocorrelation; the share whose slope goes the way the tone does (chance: 50 %).

  BENCH_VOICE_THREADS   onnxruntime threads (default: the service's default, up to 2)
"""

from __future__ import annotations

import os
import re
import sys
import time

import numpy as np

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, os.path.join(ROOT, "trainer"))

if os.environ.get("BENCH_VOICE_THREADS"):
    os.environ["AVATARFORGE_VOICE_THREADS"] = os.environ["BENCH_VOICE_THREADS"]

from avatarforge_trainer import neural_voice, phonemize, voice  # noqa: E402
from pitch import pitch_track  # noqa: E402

ENGLISH = [
    "The library opens early on weekdays and closes late on Fridays.",
    "Please remember to water the plants before you leave the house.",
    "My brother bought a new bicycle because his old one was stolen.",
    "The weather was cold and windy, so we stayed inside all afternoon.",
    "She asked the waiter for a glass of water and a bowl of soup.",
    "We walked along the river until the sun went down behind the hills.",
    "The children laughed when the little dog chased its own tail.",
    "He forgot his keys at the office and had to wait outside.",
    "Could you tell me where the nearest train station is?",
    "The teacher wrote the answer on the board and asked us to copy it.",
    "A good night of sleep makes a big difference the next morning.",
    "They painted the kitchen yellow and the bedroom a pale blue.",
    "Our neighbours are moving to a smaller house near the coast.",
    "The meeting was moved to the large room on the second floor.",
    "I would like to order a cup of coffee with a little milk.",
    "The market sells fresh fruit, vegetables and bread every morning.",
    "It took them three hours to drive through the heavy traffic.",
    "Most people prefer to travel by train when the roads are busy.",
    "The museum has a famous painting of a ship in a storm.",
    "She practices the piano for an hour every evening after dinner.",
    "The doctor told him to rest and drink plenty of water.",
    "We need to buy more paper before the printer runs out.",
    "The old bridge was closed for repairs during the whole summer.",
    "He likes to read the newspaper while he eats his breakfast.",
    "The farmer keeps chickens, goats and two very noisy geese.",
    "Turn left at the church and the bakery is on your right.",
    "The film was long, but the ending was worth the wait.",
    "My sister is learning to speak French before her trip to Paris.",
    "The phone rang twice and then stopped before I could answer.",
    "Everyone clapped when the band played the last song of the night.",
    "The garden looks beautiful after a week of warm rain.",
    "Please close the window, because the wind is blowing the papers away.",
    "The shop on the corner sells the best bread in town.",
    "He carried the heavy box up the stairs without any help.",
    "We watched the birds build a nest in the tree outside.",
    "The students finished their project a day before the deadline.",
    "A small boat sailed slowly across the calm blue lake.",
    "She found an old letter hidden inside a book from the attic.",
    "The cake needs another ten minutes in the oven.",
    "They decided to walk home because the evening was so pleasant.",
    "The light in the hallway has been broken for a week.",
    "My grandfather tells funny stories about his life on the farm.",
    "The company hired five new engineers this spring.",
    "We should leave now if we want to catch the early bus.",
    "The cat slept in the sun on the warm kitchen floor.",
    "He wrote a long email to thank everyone for their help.",
    "The road to the village is narrow and full of sharp turns.",
    "Fresh snow covered the mountains when we woke up this morning.",
    "The nurse checked his temperature and gave him some medicine.",
    "I keep my old photographs in a wooden box under the bed.",
]
MANDARIN = [
    "今天的天气非常好，我们一起去公园散步吧。",
    "这个周末我打算在家里看书和听音乐。",
    "请问去火车站应该怎么走？",
    "他每天早上六点起床，然后去跑步。",
    "我们学校的图书馆有很多有意思的书。",
    "妈妈在厨房里做晚饭，爸爸在客厅看电视。",
    "明天下午三点我们在会议室开会。",
    "这家饭店的菜很好吃，价格也不贵。",
    "冬天快到了，别忘了多穿一件衣服。",
    "我的朋友下个月要去上海工作。",
]
NEURAL_VOICES = {"en": ["af_heart", "am_michael", "bf_emma"], "zh": ["zf_xiaoxiao", "zm_yunxi"]}
TONES = {"↗": "rising", "↘": "falling"}
VOWELS = set("aeiouyəɤɨɚɛɔʊɪæɑʌ")


def streamed(sentence: str, name: str) -> tuple[float, float]:
    """A sentence streamed as the live avatar asks for it, played from the moment its first piece is
    ready: (the time to that first piece, the least time any later piece was ready before the audio
    before it ran out; negative when the listener hears a gap)."""
    started = time.perf_counter()
    first, played_until, margin = None, 0.0, float("inf")
    for piece in voice.stream(sentence, name, first_piece=voice.FIRST_PIECE_SYMBOLS):
        ready = time.perf_counter() - started
        if first is None:
            first, played_until = ready, ready
        else:
            margin = min(margin, played_until - ready)
        played_until = max(played_until, ready) + piece.seconds
    return first, margin


def timed_sentences(sentences: list[str], name: str) -> tuple[float, list[float], list[float]]:
    """The real-time factor over whole sentences, and each sentence's first-audio latency and
    streaming margin (streamed)."""
    voice.synthesize(sentences[0], name)  # warm-up
    spent = said = 0.0
    first_audio, margins = [], []
    for sentence in sentences:
        started = time.perf_counter()
        speech = voice.synthesize(sentence, name)
        spent += time.perf_counter() - started
        said += speech.seconds
        first, margin = streamed(sentence, name)
        first_audio.append(first)
        margins.append(margin)
    return spent / said, first_audio, margins


def words(text: str) -> list[str]:
    return re.sub(r"[^a-z' ]", " ", text.lower()).split()


def word_errors(reference: list[str], heard: list[str]) -> int:
    distance = list(range(len(heard) + 1))
    for row, word in enumerate(reference, 1):
        previous, distance[0] = distance[0], row
        for column, other in enumerate(heard, 1):
            previous, distance[column] = distance[column], min(distance[column] + 1, distance[column - 1] + 1, previous + (word != other))
    return distance[-1]


def word_error_rate(name: str, decoder) -> float:
    """Each sentence reaches the recogniser after the same 0.5 s of faint noise (-60 dB), whatever
    silence the voice starts with: PocketSphinx estimates the noise floor from a recording's start."""
    errors = total = 0
    lead_in = np.random.default_rng(0).normal(0.0, 0.001, 8000).astype(np.float32)
    for sentence in ENGLISH:
        speech = voice.synthesize(sentence, name)
        samples = speech.float_samples
        times = np.arange(int(speech.seconds * 16000)) / 16000.0
        resampled = np.interp(times, np.arange(len(samples)) / speech.sample_rate, samples).astype(np.float32)
        pcm = (np.concatenate([lead_in, resampled]) * 32767).astype("<i2").tobytes()
        decoder.start_utt()
        decoder.process_raw(pcm, full_utt=True)
        decoder.end_utt()
        hypothesis = decoder.hyp()
        errors += word_errors(words(sentence), words(hypothesis.hypstr if hypothesis else ""))
        total += len(words(sentence))
    return errors / total


def recogniser():
    from pocketsphinx import Decoder, get_model_path

    models = get_model_path()
    return Decoder(hmm=os.path.join(models, "en-us", "en-us"), lm=os.path.join(models, "en-us", "en-us.lm.bin"),
                   dict=os.path.join(models, "en-us", "cmudict-en-us.dict"), loglevel="FATAL")


def pitch_slope(samples: np.ndarray, rate: int) -> float | None:
    """The slope (semitones a second) of the pitch over a stretch of voiced speech, or None."""
    times, pitches = pitch_track(samples, rate)
    if len(pitches) < 4:
        return None
    return float(np.polyfit(times, pitches, 1)[0])


def tone_agreement(name: str) -> tuple[int, int]:
    """Syllables of tone 2 or 4 whose pitch moves the way their tone does, of those measured."""
    model = neural_voice.get_model()
    agree = measured = 0
    for sentence in MANDARIN:
        for piece in phonemize.pieces(sentence):
            audio, durations, symbols = model.run(piece, name)
            starts = np.concatenate([[0], np.cumsum(durations)]) * neural_voice.FRAME_SAMPLES
            syllable_start = None
            for index, symbol in enumerate(symbols, start=1):  # token 0 is the pad
                if symbol in VOWELS and syllable_start is None:
                    syllable_start = starts[index]
                elif symbol in "↓→↗↘ ":
                    if symbol in TONES and syllable_start is not None:
                        slope = pitch_slope(audio[int(syllable_start):int(starts[index + 1])], neural_voice.SAMPLE_RATE)
                        if slope is not None:
                            measured += 1
                            agree += (slope > 0) == (TONES[symbol] == "rising")
                    syllable_start = None
    return agree, measured


def main() -> None:
    print(f"onnxruntime threads: {os.environ.get('AVATARFORGE_VOICE_THREADS') or min(2, os.cpu_count() or 1)}; "
          f"first piece of a stream: up to {voice.FIRST_PIECE_SYMBOLS} phonemes", flush=True)
    print("speed              voice          real-time factor   first audio (median, max)   streamed: gaps, least margin")
    rows = [("en", name, ENGLISH[:12]) for name in NEURAL_VOICES["en"]] + [("en", "espeak:en", ENGLISH[:12])]
    rows += [("zh", name, MANDARIN) for name in NEURAL_VOICES["zh"]] + [("zh", "espeak:zh", MANDARIN)]
    for language, name, sentences in rows:
        factor, first, margins = timed_sentences(sentences, name)
        target = "  (≤ 0.3, ≤ 400 ms, no gap)" if not name.startswith("espeak") else ""
        gaps = sum(margin < 0 for margin in margins)
        least = min(margins)
        least_text = "one piece" if least == float("inf") else f"{1000 * least:5.0f} ms"
        print(f"  {language:<16} {name:<14} {factor:6.3f}            {1000 * np.median(first):4.0f} ms, {1000 * max(first):4.0f} ms"
              f"          {gaps}/{len(margins)}, {least_text}{target}", flush=True)

    decoder = recogniser()
    print(f"\nintelligibility: PocketSphinx en-us word error rate over {len(ENGLISH)} sentences ({sum(len(words(s)) for s in ENGLISH)} words)")
    for name in (*NEURAL_VOICES["en"], "espeak:en", "espeak:en-us+f3"):
        print(f"  {name:<16} {100 * word_error_rate(name, decoder):5.1f} %", flush=True)

    print(f"\nMandarin tones: syllables of tone 2 (rising) and 4 (falling) over {len(MANDARIN)} sentences whose pitch moves that way")
    for name in NEURAL_VOICES["zh"]:
        agree, measured = tone_agreement(name)
        print(f"  {name:<16} {agree}/{measured} = {100 * agree / max(measured, 1):.0f} % (chance 50 %)", flush=True)


if __name__ == "__main__":
    main()
