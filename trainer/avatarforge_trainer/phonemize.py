"""Text → the neural voice's phonemes (IPA), English and Mandarin, mixed within a sentence too.

- English: numbers, money, dates and units are written out as words (normalize_english), then
  espeak-ng reads the text in IPA with stress marks (the phonemes Kokoro's English voices expect).
- Mandarin: misaki's text normalizer (from PaddleSpeech: dates, times, money, percentages, units
  and digits in Chinese), jieba's word segmentation and pypinyin's readings, turned into Kokoro's
  IPA with tone arrows (misaki's path for the v1.0 model).
- Mixed: in a sentence with Chinese characters, runs of Latin letters are English, the rest Mandarin.

`pieces` splits a text into sentences (a long sentence at its clauses, a long clause at its words)
of at most MAX_TOKENS phonemes: each is one run of the model, and the first can be heard before the
rest is made.
"""

from __future__ import annotations

import os
import re
import sys
import threading

from .neural_voice import MAX_TOKENS, VOCAB
from .speech import ipa

HAN = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
# A sentence ends after one of these; an English full stop only before a space or the end (so that
# "3.5" stays whole) and not after an abbreviation or an initial.
SENTENCE_END = re.compile(r"(?<=[。！？!?；;…\n])|(?<=\.)(?=\s|$)")
ABBREVIATION = re.compile(r"(?:\b(?:Mr|Mrs|Ms|Dr|Prof|St|Jr|Sr|vs|No|Mt|e\.g|i\.e|Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sept?|Oct|Nov|Dec)|\b[A-Z])\.$")
CLAUSE_MARKS = ",;:—…"
# The model's punctuation symbols: where a piece pauses; a piece of only these says nothing.
PAUSES = set(";:,.!?—…\"()“”")
# Where the voice pauses in English: . , ; : only before a space or the end ("3:45", "1,000", "2.5"
# are read whole), ! ? — … anywhere.
ENGLISH_PAUSE = re.compile(r"([.,;:]+(?=\s|$)|[!?—…]+)")
# English words within Chinese text; letters right after a number ("25°C", "3kg") are its unit.
LATIN_RUN = re.compile(r"(?<![\d°.A-Za-z])(?<!\d\s)[A-Za-z][A-Za-z'\-]*(?:\s+[A-Za-z][A-Za-z'\-]*)*")
ESPEAK_LANGUAGE_SWITCH = re.compile(r"\([a-z\-]+\)")
# Symbols espeak-ng or pypinyin write that the model knows under another code point.
SYMBOL_FIXES = str.maketrans({"g": "ɡ", "ɝ": "ɚ", "\u032f": None, "\u0361": None})

# ---------------------------------------------------------------------------------------------------
# English text as words.

MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
          "November", "December")
MONTH_ABBREVIATIONS = {name[:3]: name for name in MONTHS} | {"Sept": "September"}
CURRENCIES = {"$": ("dollar", "dollars", "cent", "cents"), "€": ("euro", "euros", "cent", "cents"),
              "£": ("pound", "pounds", "penny", "pence"), "¥": ("yen", "yen", "sen", "sen")}
UNITS = {
    "km": "kilometre", "m": "metre", "cm": "centimetre", "mm": "millimetre", "kg": "kilogram", "g": "gram",
    "mg": "milligram", "l": "litre", "L": "litre", "ml": "millilitre", "mL": "millilitre", "h": "hour",
    "hr": "hour", "min": "minute", "s": "second", "sec": "second", "ms": "millisecond", "km/h": "kilometre per hour",
    "kph": "kilometre per hour", "mph": "mile per hour", "mi": "mile", "ft": "foot", "lb": "pound", "lbs": "pound",
    "oz": "ounce", "°C": "degree Celsius", "°F": "degree Fahrenheit", "KB": "kilobyte", "kB": "kilobyte",
    "MB": "megabyte", "GB": "gigabyte", "TB": "terabyte", "Hz": "hertz", "kHz": "kilohertz", "MHz": "megahertz",
    "GHz": "gigahertz", "W": "watt", "kW": "kilowatt", "kWh": "kilowatt hour", "V": "volt",
}
PLURAL_EXCEPTIONS = {"foot": "feet", "hertz": "hertz", "kilohertz": "kilohertz", "megahertz": "megahertz",
                     "gigahertz": "gigahertz", "degree Celsius": "degrees Celsius",
                     "degree Fahrenheit": "degrees Fahrenheit", "kilometre per hour": "kilometres per hour",
                     "mile per hour": "miles per hour", "kilowatt hour": "kilowatt hours"}
NUMBER = r"\d[\d,]*(?:\.\d+)?"
UNIT_AFTER_NUMBER = re.compile(rf"({NUMBER})\s?({'|'.join(sorted(map(re.escape, UNITS), key=len, reverse=True))})(?![A-Za-z])")
MONEY = re.compile(rf"([{''.join(map(re.escape, CURRENCIES))}])\s?(\d[\d,]*)(?:\.(\d\d))?(?!\d)")
ISO_DATE = re.compile(r"\b(\d{4})-(\d{2})-(\d{2})\b")
# Titles and Latin abbreviations as said; their full stop is not a pause.
TITLES = {"Mr": "Mister", "Mrs": "Missus", "Ms": "Miz", "Dr": "Doctor", "Prof": "Professor", "St": "Saint",
          "Jr": "Junior", "Sr": "Senior", "vs": "versus", "Mt": "Mount", "e.g": "for example", "i.e": "that is"}
TITLE = re.compile(rf"(?<![\w.])({'|'.join(map(re.escape, TITLES))})\.(?=\s|$)")
NUMBER_SIGN = re.compile(r"\bNo\.\s?(?=\d)")
INITIALS = re.compile(r"\b(?:[A-Z]\.){2,}")
MONTH_ABBREVIATION = re.compile(rf"\b({'|'.join(MONTH_ABBREVIATIONS)})\.(?=\s+\d)")


def _ordinal(day: int) -> str:
    suffix = "th" if 11 <= day % 100 <= 13 else {1: "st", 2: "nd", 3: "rd"}.get(day % 10, "th")
    return f"{day}{suffix}"


def _units(number: str, unit: str) -> str:
    word = UNITS[unit]
    if number.replace(",", "") in ("1", "1.0"):
        return f"{number} {word}"
    return f"{number} {PLURAL_EXCEPTIONS.get(word, word + 's')}"


def _money(match: re.Match) -> str:
    one, many, cent, cents = CURRENCIES[match.group(1)]
    whole, fraction = match.group(2), match.group(3)
    said = f"{whole} {one if whole == '1' else many}"
    if fraction and int(fraction):
        said += f" {int(fraction)} {cent if int(fraction) == 1 else cents}"
    return said


def _iso_date(match: re.Match) -> str:
    year, month, day = (int(part) for part in match.groups())
    if not (1 <= month <= 12 and 1 <= day <= 31):
        return match.group(0)
    return f"{MONTHS[month - 1]} {_ordinal(day)}, {year}"


def normalize_english(text: str) -> str:
    """Money, ISO dates, month abbreviations, titles, initials and units after numbers written as
    words, the way they are read; espeak-ng reads numbers, percentages and times itself."""
    text = MONEY.sub(_money, text)
    text = ISO_DATE.sub(_iso_date, text)
    text = MONTH_ABBREVIATION.sub(lambda match: MONTH_ABBREVIATIONS[match.group(1)], text)
    text = TITLE.sub(lambda match: TITLES[match.group(1)], text)
    text = NUMBER_SIGN.sub("number ", text)
    text = INITIALS.sub(lambda match: " ".join(match.group(0).replace(".", "")), text)
    return UNIT_AFTER_NUMBER.sub(lambda match: _units(match.group(1), match.group(2)), text)


# ---------------------------------------------------------------------------------------------------
# Mandarin.

# Units after a number in Chinese text, as read in Mandarin (the normalizer knows °C and % itself).
MANDARIN_UNITS = {"km": "千米", "kg": "千克", "cm": "厘米", "mm": "毫米", "m": "米", "mg": "毫克", "g": "克",
                  "ml": "毫升", "l": "升", "L": "升", "h": "小时", "min": "分钟", "s": "秒", "ms": "毫秒"}
MANDARIN_UNIT = re.compile(rf"(\d)\s?({'|'.join(sorted(MANDARIN_UNITS, key=len, reverse=True))})(?![A-Za-z])")
_mandarin_lock = threading.Lock()
_normalizer = None


def _mandarin_tools():
    """misaki's normalizer, and jieba told to keep its dictionary cache in the environment, not /tmp."""
    global _normalizer
    with _mandarin_lock:
        if _normalizer is None:
            import jieba
            from misaki.zh_normalization.text_normalization import TextNormalizer

            cache = os.path.join(sys.prefix, "share", "avatarforge", "jieba")
            try:
                os.makedirs(cache, exist_ok=True)
                jieba.dt.tmp_dir = cache
            except OSError:
                pass  # a read-only environment: jieba uses the system's temporary folder
            jieba.setLogLevel(60)
            _normalizer = TextNormalizer()
        return _normalizer


def mandarin_ipa(text: str) -> str:
    """Mandarin text (normalized: numbers as characters) in Kokoro's IPA with tone arrows."""
    import jieba
    from misaki.zh import ZHG2P

    normalizer = _mandarin_tools()
    with _mandarin_lock:
        text = MANDARIN_UNIT.sub(lambda match: match.group(1) + MANDARIN_UNITS[match.group(2)], text)
        text = "".join(normalizer.normalize(text))
        words = []
        for run in re.findall(f"[{HAN}]+|[^{HAN}]+", ZHG2P.map_punctuation(text)):
            if re.match(f"[{HAN}]", run):
                words += [ZHG2P.word2ipa(word) for word in jieba.lcut(run, cut_all=False)]
            else:
                words.append(run.strip())
    return " ".join(word for word in words if word)


# ---------------------------------------------------------------------------------------------------
# Sentences to phonemes.

def english_ipa(text: str, accent: str = "en-us") -> str:
    """English text in IPA, with its punctuation kept where the voice should pause."""
    said = []
    for part in ENGLISH_PAUSE.split(normalize_english(text)):
        if ENGLISH_PAUSE.fullmatch(part):
            if said:
                said[-1] += part[0]
        elif part.strip():
            said.append(ESPEAK_LANGUAGE_SWITCH.sub("", ipa(part, accent)).strip())
    return " ".join(said)


def language_of(text: str) -> str:
    """zh for text with Chinese characters, en otherwise (as the API decides a script's language)."""
    return "zh" if re.search(f"[{HAN}]", text) else "en"


def sentence_ipa(sentence: str, accent: str = "en-us") -> str:
    if language_of(sentence) == "en":
        return english_ipa(sentence, accent)
    said, position = [], 0
    for match in LATIN_RUN.finditer(sentence):
        said.append(mandarin_ipa(sentence[position:match.start()]))
        said.append(english_ipa(match.group(0), accent))
        position = match.end()
    said.append(mandarin_ipa(sentence[position:]))
    return " ".join(part for part in said if part)


def _spoken(phonemes: str) -> str:
    """The symbols the model takes, spaces collapsed."""
    phonemes = " ".join(phonemes.translate(SYMBOL_FIXES).split())
    return "".join(symbol for symbol in phonemes if symbol in VOCAB).strip()


def _split_long(phonemes: str, limit: int) -> list[str]:
    """A piece of more than `limit` symbols cut at clause marks, then at spaces."""
    if len(phonemes) <= limit:
        return [phonemes]
    for separator in (*CLAUSE_MARKS, " "):
        cut = phonemes.rfind(separator, 0, limit)
        if cut > 0:
            return [phonemes[:cut + 1].strip(), *_split_long(phonemes[cut + 1:].strip(), limit)]
    return [phonemes[:limit], *_split_long(phonemes[limit:], limit)]


def sentences(text: str) -> list[str]:
    out: list[str] = []
    joined = ""
    for part in SENTENCE_END.split(text):
        joined += part
        if joined.strip() and not ABBREVIATION.search(joined.rstrip()):
            out.append(joined.strip())
            joined = ""
    if joined.strip():
        out.append(joined.strip())
    return out


# A streamed sentence's rest this many phonemes longer than its piece's cap is still said in one piece.
STREAM_TAIL_SYMBOLS = 12


def pieces(text: str, accent: str = "en-us", limit: int = MAX_TOKENS, first: int | None = None) -> list[str]:
    """The text's phonemes, a sentence a piece (cut further when longer than `limit`); pieces with
    nothing to say are left out. With `first`, the first piece is cut to at most that many phonemes
    (at a clause mark, else between words), so that it is said soon, and each later piece of its
    sentence to about twice the one before: a piece is then made while the one before it is heard
    (the whole rest of a long sentence took longer to make than its first piece took to say, and a
    listener heard a gap). A rest at most STREAM_TAIL_SYMBOLS longer than its cap stays whole, so
    that no word or two are left to be said alone."""
    out: list[str] = []
    for sentence in sentences(text):
        spoken = _spoken(sentence_ipa(sentence, accent))
        if not set(spoken) - PAUSES - {" "}:
            continue
        if first is not None and not out:
            cap = first
            while spoken and cap < limit and (cap == first or len(spoken) > cap + STREAM_TAIL_SYMBOLS):
                head, *rest = _split_long(spoken, cap)
                out.append(head)
                spoken = " ".join(rest)
                cap *= 2
        out += [piece for piece in _split_long(spoken, limit) if piece]
    return out
