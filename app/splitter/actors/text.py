"""Length-preserving text folding and slugs shared by the actor and topic taggers.

`fold_letters` lower-cases and strips diacritics one code point for one code point, so
an offset found in the folded text is the same offset in the original.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence

__all__ = ["fold_joined", "fold_letters", "fold_words", "slugify"]

# Letters that NFKD does not decompose into base + combining mark.
_SPECIAL: dict[str, str] = {
    "ø": "o",
    "ł": "l",
    "đ": "d",
    "ð": "d",
    "þ": "t",
    "æ": "a",
    "œ": "o",
    "ß": "s",
    "ı": "i",
    "ħ": "h",
    # punctuation variants news text mixes freely
    "\u2019": "'",
    "\u2018": "'",
    "\u02bc": "'",
    "`": "'",
    "\u2010": "-",
    "\u2011": "-",
    "\u2012": "-",
    "\u2013": "-",
    "\u2014": "-",
    "\u00a0": " ",
}


class _FoldTable(dict[int, str]):
    """A str.translate table that computes (and remembers) each code point's fold."""

    def __missing__(self, key: int) -> str:
        char = chr(key)
        low = char.lower()
        if len(low) != 1:
            low = char
        folded = _SPECIAL.get(low)
        if folded is None:
            base = unicodedata.normalize("NFKD", low)
            folded = base[0] if base and len(base[0]) == 1 and base[0].isascii() else low
        self[key] = folded
        return folded


_TABLE = _FoldTable()
for _code in range(128):
    _TABLE[_code] = chr(_code).lower()
_TABLE[ord("`")] = "'"


def fold_letters(text: str) -> str:
    """Lower-case and strip diacritics, keeping exactly one output char per input char."""
    if text.isascii():
        return text.lower()
    return text.translate(_TABLE)


class _WordsTable(dict[int, str]):
    """Like _FoldTable, but every character that is not a letter or digit becomes a space."""

    def __missing__(self, key: int) -> str:
        char = chr(key)
        folded = _TABLE[key] if char.isalnum() else " "
        if not folded.isalnum():
            folded = " "
        self[key] = folded
        return folded


_WORDS = _WordsTable()


def fold_words(text: str) -> str:
    """`fold_letters` with every non-alphanumeric character turned into a space (same length)."""
    return text.translate(_WORDS)


def fold_joined(texts: Sequence[str]) -> tuple[str, list[int]]:
    """Each text as `" " + fold_words(text) + " "`, joined by NUL, and where each starts.

    No automaton key holds a NUL (folded keys are letters, digits and spaces), so one
    scan of the joined text finds exactly the matches of scanning each text alone.
    """
    if not texts:
        return "", []
    starts: list[int] = []
    position = 0
    for text in texts:
        starts.append(position)
        position += len(text) + 3
    return " " + " \x00 ".join(map(fold_words, texts)) + " ", starts


_NON_SLUG = re.compile(r"[^a-z0-9]+")


def slugify(text: str) -> str:
    """A stable ASCII slug: 'Dan Jørgensen' -> 'dan-jorgensen'."""
    return _NON_SLUG.sub("-", fold_letters(text).replace("'", "").replace(".", "")).strip("-")
