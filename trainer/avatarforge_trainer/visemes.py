"""Mouth classes (visemes): the sounds of speech grouped by what the mouth does while saying them.

The phone sets the trainer meets map onto one list of classes: the phonemes of synthesized speech
(IPA symbols from the neural voice, espeak-ng's mnemonics from the fallback voice; English and
Mandarin) and the ARPAbet phones of the phone recogniser (phones.py). A person's mouth shape for each class is learned from their own video
(lipsync.py), so the classes only say which sounds look alike, never how far a mouth opens.
"""

from __future__ import annotations

import numpy as np

CLASSES = (
    "rest",          # pauses: the mouth at rest
    "closed",        # p b m: the lips shut
    "lip_teeth",     # f v: lower lip against the upper teeth
    "tongue_teeth",  # th (English T, D)
    "alveolar",      # t d n s z l
    "postalveolar",  # sh zh ch j, Mandarin zh ch sh j q x
    "back",          # k g ng h
    "glide",         # w r
    "close_front",   # ee, i, y
    "mid_front",     # e, ay
    "central",       # uh, er, schwa
    "open",          # ah, a, ai, au
    "mid_rounded",   # o, aw, oy
    "close_rounded", # oo, u, ü
)
INDEX = {name: number for number, name in enumerate(CLASSES)}
REST = INDEX["rest"]

# The phone recogniser's ARPAbet phones (CMU dictionary set); fillers and noise are rest.
ARPABET = {
    "SIL": "rest", "P": "closed", "B": "closed", "M": "closed", "F": "lip_teeth", "V": "lip_teeth",
    "TH": "tongue_teeth", "DH": "tongue_teeth", "T": "alveolar", "D": "alveolar", "N": "alveolar", "S": "alveolar",
    "Z": "alveolar", "L": "alveolar", "SH": "postalveolar", "ZH": "postalveolar", "CH": "postalveolar",
    "JH": "postalveolar", "K": "back", "G": "back", "NG": "back", "HH": "back", "W": "glide", "R": "glide",
    "IY": "close_front", "IH": "close_front", "Y": "close_front", "EH": "mid_front", "EY": "mid_front",
    "AH": "central", "ER": "central", "AA": "open", "AE": "open", "AY": "open", "AW": "open",
    "AO": "mid_rounded", "OW": "mid_rounded", "OY": "mid_rounded", "UW": "close_rounded", "UH": "close_rounded",
}

# espeak-ng mnemonics of its English (en-us, en) and Mandarin (cmn, cmn-latn-pinyin) voices, matched
# by longest prefix after stress and length marks are dropped. In the Mandarin voice "th", "kh" and
# "ph" are aspirated t, k and p, and "s.", "ts.", "tS;" the retroflex and palatal series.
ESPEAK = {
    "_": "rest",
    "p": "closed", "b": "closed", "m": "closed",
    "f": "lip_teeth", "v": "lip_teeth",
    "T": "tongue_teeth", "D": "tongue_teeth",
    "t": "alveolar", "d": "alveolar", "n": "alveolar", "s": "alveolar", "z": "alveolar", "l": "alveolar",
    "th": "alveolar", "ts": "alveolar",
    "S": "postalveolar", "Z": "postalveolar", "tS": "postalveolar", "dZ": "postalveolar", "s.": "postalveolar",
    "z.": "postalveolar", "ts.": "postalveolar", "S;": "postalveolar", "tS;": "postalveolar",
    "k": "back", "g": "back", "N": "back", "h": "back", "x": "back", "X": "back", "kh": "back",
    "w": "glide", "r": "glide",
    "i": "close_front", "I": "close_front", "j": "close_front",
    "e": "mid_front", "E": "mid_front", "iE": "mid_front",
    "@": "central", "3": "central", "a#": "central", "o-": "central", "y&": "central", "y@": "central",
    "a": "open", "A": "open", "V": "open", "0": "open", "ua": "open", "iA": "open",
    "o": "mid_rounded", "O": "mid_rounded", "uo": "mid_rounded", "iou": "mid_rounded", "ong": "mid_rounded",
    "u": "close_rounded", "U": "close_rounded", "y": "close_rounded",
}
# A mnemonic that matches nothing (a new voice's consonant) counts as this class.
ESPEAK_OTHER = "alveolar"

# The neural voice's IPA symbols outside ASCII (its ASCII letters mean what espeak-ng's do). In
# Mandarin "ʂ ꭧ ɻ" are the retroflex series, "ɕ ʨ" the palatal one, "ʦ" is z, "ɨ" the vowel of
# "zi, shi" and "ɤ" that of "de, he".
IPA = {
    "ɸ": "closed", "β": "closed",
    "θ": "tongue_teeth", "ð": "tongue_teeth",
    "ɾ": "alveolar", "ʦ": "alveolar", "ʣ": "alveolar", "ɳ": "alveolar", "ɲ": "alveolar", "ʎ": "alveolar",
    "ʃ": "postalveolar", "ʒ": "postalveolar", "ʧ": "postalveolar", "ʤ": "postalveolar", "ʂ": "postalveolar",
    "ɕ": "postalveolar", "ʨ": "postalveolar", "ʥ": "postalveolar", "ꭧ": "postalveolar", "ɻ": "postalveolar",
    "ʈ": "postalveolar", "ɖ": "postalveolar", "ɽ": "postalveolar", "ç": "postalveolar", "ʝ": "postalveolar",
    "ŋ": "back", "ɡ": "back", "ɴ": "back", "χ": "back", "ɣ": "back", "ʔ": "back", "ʁ": "back", "ɟ": "back",
    "ɹ": "glide", "ʋ": "glide", "ɰ": "glide",
    "ɪ": "close_front", "ᵻ": "close_front",
    "ɛ": "mid_front",
    "ə": "central", "ᵊ": "central", "ɚ": "central", "ɜ": "central", "ɐ": "central", "ʌ": "central", "ɨ": "central",
    "ɤ": "central", "ɯ": "central",
    "æ": "open", "ɑ": "open", "ɒ": "open",
    "ɔ": "mid_rounded", "ø": "mid_rounded", "œ": "mid_rounded",
    "ʊ": "close_rounded", "ɥ": "close_rounded",
    "c": "back", "q": "back",
    # Diphthong letters of the model's vocabulary (its English front end's; ours writes IPA pairs).
    "W": "open", "Y": "mid_rounded", "Q": "mid_rounded",
}


def phoneme_class(name: str) -> int:
    """The class of a synthesized phoneme: an IPA symbol ("ʃ", "ɑ") or an espeak-ng mnemonic ("'aI",
    ",u:", "tS;h")."""
    if name in IPA:
        return INDEX[IPA[name]]
    name = name.lstrip("',%=").replace(":", "")
    if not name or name.startswith("("):
        return REST
    for length in range(min(len(name), 3), 0, -1):
        found = ESPEAK.get(name[:length])
        if found:
            return INDEX[found]
    return INDEX[ESPEAK_OTHER]


def arpabet_class(name: str) -> int:
    """The class of an ARPAbet phone ("AA", "SIL"); fillers such as "+NSN+" are rest."""
    return INDEX[ARPABET.get(name.upper(), "rest")]


def class_steps(segments: list[tuple[float, float, int]], seconds: float, step: float = 0.01) -> np.ndarray:
    """The class at every `step` seconds from (start, end, class) segments; rest where none is."""
    count = int(np.ceil(seconds / step)) + 1
    classes = np.full(count, REST, dtype=np.int16)
    for start, end, number in segments:
        first, last = int(round(start / step)), int(round(end / step))
        classes[max(first, 0):max(min(last, count), 0)] = number
    return classes


def phoneme_segments(phonemes: list[tuple[float, str]], seconds: float) -> list[tuple[float, float, int]]:
    """A synthesizer's (start, phoneme) events as (start, end, class) segments: each lasts to the next."""
    ordered = sorted(phonemes, key=lambda item: item[0])
    return [(start, ordered[number + 1][0] if number + 1 < len(ordered) else seconds, phoneme_class(name))
            for number, (start, name) in enumerate(ordered)]
