"""The voices: the neural voice's speech and phoneme times, text read as words, the espeak-ng fallback."""

from __future__ import annotations

import numpy as np
import pytest

from avatarforge_trainer import neural_voice, phonemize, visemes, voice
from avatarforge_trainer.fixture import SENTENCES_EN_TEST
from avatarforge_trainer.media import read_audio, write_wav
from avatarforge_trainer.video import NORMAL_PITCH, OUTPUT_RATE, pitch_filter

VOWELS = {visemes.INDEX[name] for name in ("close_front", "mid_front", "central", "open", "mid_rounded", "close_rounded")}
MANDARIN = ["今天的天气非常好，我们一起去公园散步吧。", "学习一门新的语言需要时间和耐心。", "你能帮我把这本书放回书架上吗？"]


def best_lag_ms(parts) -> int:
    """The shift (ms; positive: the phonemes come after the sound) at which vowels in the phoneme
    timeline best match the loudness of the speech."""
    levels, vowels = [], []
    for said in parts:
        hop = said.sample_rate // 200
        samples = said.samples.astype(np.float64) / 32768.0
        count = len(samples) // hop
        rms = np.sqrt((samples[:count * hop].reshape(count, hop) ** 2).mean(axis=1) + 1e-12)
        levels.append(np.maximum(20 * np.log10(rms / rms.max()), -50.0))
        classes = visemes.class_steps(visemes.phoneme_segments(said.phonemes, said.seconds), said.seconds, 0.005)[:count]
        vowels.append(np.array([1.0 if number in VOWELS else 0.0 if number == visemes.REST else 0.4 for number in classes]))
    level, vowel = np.concatenate(levels), np.concatenate(vowels)
    scores = {}
    for lag in range(-30, 31):
        a = vowel[lag:] if lag >= 0 else vowel[:lag]
        b = level[:len(level) - lag] if lag >= 0 else level[-lag:]
        scores[lag * 5] = np.corrcoef(a, b)[0, 1]
    return max(scores, key=scores.get)


def test_neural_english_speech_has_its_phonemes_where_they_sound():
    parts = [voice.synthesize(sentence, "af_heart") for sentence in SENTENCES_EN_TEST[:6]]
    for said, sentence in zip(parts, SENTENCES_EN_TEST):
        assert said.sample_rate == neural_voice.SAMPLE_RATE
        times = [at for at, _ in said.phonemes]
        assert times == sorted(times) and 0.0 <= times[0] < 0.2 and times[-1] <= said.seconds
        assert float(np.abs(said.samples).max()) > 3000  # speech, not silence
        assert 0.15 < said.seconds / len(sentence.split()) < 0.6
    assert abs(best_lag_ms(parts)) <= 25


@pytest.mark.parametrize("name", ["zf_xiaoxiao", "zm_yunxi"])
def test_neural_mandarin_speech_has_its_phonemes_where_they_sound(name):
    parts = [voice.synthesize(sentence, name) for sentence in MANDARIN]
    for said, sentence in zip(parts, MANDARIN):
        symbols = {symbol for _, symbol in said.phonemes}
        assert not symbols & set("↓→↗↘ˈ ")  # tones and stress change no mouth shape
        assert 0.12 < said.seconds / len(sentence) < 0.45
    assert abs(best_lag_ms(parts)) <= 25


def test_a_sentence_is_a_piece_and_pauses_rest_the_mouth():
    pieces = list(voice.stream("Good morning, everyone. Please sit down! Are you ready?", "am_michael"))
    assert len(pieces) == 3
    first = pieces[0]
    rests = [at for at, symbol in first.phonemes if symbol == "_"]
    assert len(rests) >= 2  # the comma and the end
    classes = [visemes.phoneme_class(symbol) for _, symbol in first.phonemes]
    assert visemes.INDEX["closed"] in classes  # the m of "morning"
    joined = voice.synthesize("Good morning, everyone. Please sit down! Are you ready?", "am_michael")
    assert joined.seconds == pytest.approx(sum(piece.seconds for piece in pieces))


def open_in_silence(said) -> float:
    """The share of the speech's silent time (runs of 200 ms or more, 50 dB below its peak, their first
    100 ms left out) in which the timeline holds a sounding phoneme instead of rest."""
    hop = said.sample_rate // 100
    samples = said.samples.astype(np.float64) / 32768.0
    count = len(samples) // hop
    rms = np.sqrt((samples[:count * hop].reshape(count, hop) ** 2).mean(axis=1) + 1e-12)
    silent = rms < rms.max() * 10 ** (-50 / 20)
    classes = visemes.class_steps(visemes.phoneme_segments(said.phonemes, said.seconds), said.seconds, 0.01)[:count]
    judged, sounding, start = 0, 0, None
    for index, quiet in enumerate(np.append(silent, False)):
        if quiet and start is None:
            start = index
        elif not quiet and start is not None:
            if index - start >= 20:
                judged += index - start - 10
                sounding += int(np.sum(classes[start + 10:index] != visemes.REST))
            start = None
    return sounding / max(judged, 1)


@pytest.mark.parametrize("sentence, name", [
    ("Who wants popcorn, apples, or a bowl of noodles?", "am_michael"),
    ("Mom, the phone is ringing, can you answer it for me?", "af_heart"),
    ("Well, maybe. I am not sure; let me think about it.", "bm_george"),
    (MANDARIN[0], "zf_xiaoxiao"),
])
def test_the_mouth_rests_where_the_neural_voice_is_silent(sentence, name):
    # The model gives the silence after a phrase to its last phoneme (a final "z" of 400 ms): the
    # timeline must not hold the mouth open there.
    assert open_in_silence(voice.synthesize(sentence, name)) <= 0.05


def test_a_live_stream_starts_with_a_short_piece_and_says_everything():
    text = "The library opens early on weekdays and closes late on Fridays. Then it rains."
    whole = list(voice.stream(text, "af_heart"))
    live = list(voice.stream(text, "af_heart", first_piece=voice.FIRST_PIECE_SYMBOLS))
    assert len(whole) == 2 and len(live) == 3
    assert live[0].seconds < 1.6 < whole[0].seconds
    spoken = [symbol for part in live for _, symbol in part.phonemes if symbol != "_"]
    assert spoken == [symbol for part in whole for _, symbol in part.phonemes if symbol != "_"]


def test_a_live_streams_later_pieces_grow_so_that_each_is_ready_before_the_one_before_is_heard():
    long = ("我们一边吃饭一边聊天，聊到了小时候住过的那条老街，还有街口那家每天早上都排长队的包子铺，"
            "以及后来搬走的那些老邻居。")
    live = phonemize.pieces(long, first=voice.FIRST_PIECE_SYMBOLS)
    caps = [voice.FIRST_PIECE_SYMBOLS] + [voice.FIRST_PIECE_SYMBOLS * 2 ** number + phonemize.STREAM_TAIL_SYMBOLS for number in range(1, len(live))]
    assert len(live) >= 3
    assert all(len(piece) <= cap for piece, cap in zip(live, caps)), [len(piece) for piece in live]
    assert "".join(live).replace(" ", "") == "".join(phonemize.pieces(long)).replace(" ", "")


def test_mixed_text_reads_each_language_in_its_own_way():
    mixed = phonemize.pieces("我喜欢用Python写代码。")
    assert len(mixed) == 1 and "pˈaɪθən" in mixed[0] and "↓" in mixed[0]
    said = voice.synthesize("我喜欢用Python写代码。")
    assert said.seconds > 1.0


def test_numbers_money_dates_and_units_are_read_as_words():
    assert phonemize.normalize_english("$5.50 on 2026-12-06") == "5 dollars 50 cents on December 6th, 2026"
    assert phonemize.normalize_english("12 km, 1 kg, 25°C, Dec. 3") == "12 kilometres, 1 kilogram, 25 degrees Celsius, December 3"
    assert phonemize.normalize_english("Dr. Li met the U.S. team") == "Doctor Li met the U S team"
    assert phonemize.sentences("Dr. Li met Mr. Wang. They talked.") == ["Dr. Li met Mr. Wang.", "They talked."]
    english = phonemize.pieces("It is 3.5 km away, at 3:45.")[0]
    assert "pɔɪnt" in english and "fˈɔːɹɾi" in english and not any(character.isdigit() for character in english)
    assert phonemize.mandarin_ipa("25°C") == phonemize.mandarin_ipa("二十五度")
    assert phonemize.mandarin_ipa("2026年12月6日") == phonemize.mandarin_ipa("二零二六年十二月六日")
    assert phonemize.mandarin_ipa("3kg") == phonemize.mandarin_ipa("三千克")


def test_text_without_anything_to_say_and_unknown_voices_are_refused():
    for text in ("", "   ", "...", "—", "!?"):
        with pytest.raises(ValueError, match="nothing to say"):
            voice.synthesize(text)
    with pytest.raises(ValueError, match="no voice"):
        voice.synthesize("Hello.", "nobody")
    with pytest.raises(ValueError, match="speed"):
        voice.synthesize("Hello.", speed=3.0)


def test_speed_changes_the_pace():
    normal = voice.synthesize("The quick brown fox jumps over the lazy dog.", "af_bella")
    fast = voice.synthesize("The quick brown fox jumps over the lazy dog.", "af_bella", speed=1.5)
    assert fast.seconds < 0.8 * normal.seconds


def test_pitch_moves_the_voice_and_keeps_its_timing(tmp_path):
    said = voice.synthesize("She sells sea shells by the sea shore.", "af_bella")
    wav = str(tmp_path / "said.wav")
    write_wav(wav, said.samples, said.sample_rate)
    plain = read_audio(wav, rate=OUTPUT_RATE)
    assert pitch_filter(NORMAL_PITCH) is None

    def median_f0(samples, window=960):
        """The median fundamental (70-400 Hz) of the loud 40 ms frames, by autocorrelation."""
        found = []
        for start in range(0, len(samples) - window, window // 2):
            frame = samples[start:start + window]
            if np.sqrt((frame ** 2).mean()) < 0.03:
                continue
            correlation = np.correlate(frame, frame, "full")[window - 1:]
            shortest, longest = OUTPUT_RATE // 400, OUTPUT_RATE // 70
            found.append(OUTPUT_RATE / (shortest + int(np.argmax(correlation[shortest:longest]))))
        return float(np.median(found))

    for pitch in (80, 125):
        moved = read_audio(wav, rate=OUTPUT_RATE, filters=pitch_filter(pitch))
        assert abs(len(moved) - len(plain)) < 0.02 * len(plain)
        assert median_f0(moved) / median_f0(plain) == pytest.approx(pitch / NORMAL_PITCH, rel=0.05)


def test_espeak_stays_a_choice():
    said = voice.synthesize("Hello there.", "espeak")
    assert said.sample_rate == 22050 and said.seconds > 0.5
    assert any(symbol == "D" for _, symbol in said.phonemes)  # espeak-ng's mnemonic for the th of "there"
    mandarin = voice.synthesize("ni3 hao3", "espeak:zh-pinyin")
    assert mandarin.seconds > 0.3


def test_the_voices_on_offer():
    listed = voice.voices()
    names = [entry["name"] for entry in listed]
    assert len(names) == len(set(names)) == 38
    assert {entry["language"] for entry in listed} == {"en-us", "en-gb", "zh"}
    assert {entry["name"] for entry in listed if entry["default_for"]} == set(voice.DEFAULT_VOICES.values())
    assert voice.resolve(None, "你好") == "zf_xiaoxiao" and voice.resolve(None, "Hello") == "af_heart"


def test_every_symbol_the_model_says_has_a_mouth_class():
    for symbol in neural_voice.VOCAB:
        if symbol in voice.NO_MOUTH_CHANGE or symbol in phonemize.PAUSES:
            continue
        assert symbol in visemes.IPA or symbol in visemes.ESPEAK, symbol


def test_the_installed_model_and_voices_match_their_pinned_hashes():
    assert neural_voice.check() == []
