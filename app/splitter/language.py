"""Step helper: the article's language, from the client's BCP 47 tag or detected.

Detection uses lingua (its models ship inside the wheel; nothing is downloaded)
restricted to the languages the newsrooms we serve publish in, in low accuracy
mode: measured here, that builds in 0.3 s and ~40 MB instead of 5.5 s and
~400 MB for every language in high accuracy mode, at ~0.3 ms per article.
The detector is built on first use, once per process, and holds no per-call state.
"""

from __future__ import annotations

import functools
import json
import re
from importlib import resources
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from lingua import LanguageDetector

__all__ = ["DETECTED_LANGUAGES", "detect_language", "primary_language"]

# ISO 639-1 codes the detector chooses between (lingua's Language names), by script:
# the script of the sample picks the detector, so each compares only a few languages.
_BY_SCRIPT: dict[str, dict[str, str]] = {
    "latin": {
        "en": "ENGLISH",
        "de": "GERMAN",
        "fr": "FRENCH",
        "es": "SPANISH",
        "pt": "PORTUGUESE",
        "it": "ITALIAN",
        "nl": "DUTCH",
        "pl": "POLISH",
    },
    "cyrillic": {"ru": "RUSSIAN", "uk": "UKRAINIAN", "be": "BELARUSIAN", "bg": "BULGARIAN"},
}
DETECTED_LANGUAGES: dict[str, str] = {
    **_BY_SCRIPT["latin"],
    **_BY_SCRIPT["cyrillic"],
    "ar": "ARABIC",
}

# A BCP 47 tag, loosely: a primary subtag of 2-3 letters, then subtags (de-AT, sr-Latn-RS).
_TAG = re.compile(r"^([A-Za-z]{2,3})(?:[-_][A-Za-z0-9]{1,8})*$")
# Enough text to tell languages apart. Detection cost grows with the sample and lingua
# works on threads, so a longer one costs more CPU than it is worth: measured here, 600
# characters took ~30% of an English article's split, 250 a tenth of that.
_SAMPLE_CHARS = 250
# Below this many letters the guess is noise: leave the language unknown.
_MIN_LETTERS = 12
_LETTERS = re.compile(r"[^\W\d_]")
_CYRILLIC = re.compile(r"[\u0400-\u04ff]")
_ARABIC = re.compile(r"[\u0600-\u06ff]")


# The fast path: among the sample's words, the leading language's function words must be
# at least this many and this many times the runner-up's (data/function_words.json).
_FAST_MIN_HITS = 6
_FAST_LEAD = 4
_WORD = re.compile(r"[^\W\d_]+")


@functools.cache
def _function_words() -> dict[str, str]:
    raw = json.loads(
        resources.files("app.splitter").joinpath("data/function_words.json").read_text("utf-8")
    )
    return {word: code for code, words in raw.items() if code != "about" for word in words}


def _clear_latin(sample: str) -> str | None:
    """The language whose function words clearly lead in the sample, else None."""
    words = _function_words()
    counts: dict[str, int] = {}
    for word in _WORD.findall(sample.lower()):
        code = words.get(word)
        if code is not None:
            counts[code] = counts.get(code, 0) + 1
    if not counts:
        return None
    ranked = sorted(counts.values(), reverse=True)
    best = max(counts, key=lambda code: counts[code])
    runner_up = ranked[1] if len(ranked) > 1 else 0
    if ranked[0] >= _FAST_MIN_HITS and ranked[0] >= _FAST_LEAD * runner_up:
        return best
    return None


def primary_language(tag: str | None) -> str | None:
    """The lower-case primary subtag of a BCP 47 tag ('de-AT' -> 'de'), None if not a tag."""
    if not tag:
        return None
    match = _TAG.match(tag.strip())
    return match.group(1).lower() if match else None


@functools.cache
def _detector(script: str) -> tuple[LanguageDetector, dict[object, str]]:
    from lingua import Language, LanguageDetectorBuilder

    languages = {getattr(Language, name): code for code, name in _BY_SCRIPT[script].items()}
    detector = LanguageDetectorBuilder.from_languages(*languages).with_low_accuracy_mode().build()
    return detector, dict(languages)


def detect_language(texts: list[str]) -> str | None:
    """ISO 639-1 code of the language the texts are written in, or None when unsure."""
    sample: list[str] = []
    size = 0
    for text in texts:
        sample.append(text)
        size += len(text)
        if size >= _SAMPLE_CHARS:
            break
    joined = " ".join(sample)[:_SAMPLE_CHARS]
    letters = len(_LETTERS.findall(joined))
    if letters < _MIN_LETTERS:
        return None
    cyrillic = len(_CYRILLIC.findall(joined))
    if cyrillic * 2 > letters:
        script = "cyrillic"
    elif len(_ARABIC.findall(joined)) * 2 > letters:
        return "ar"  # the only Arabic-script language we detect
    else:
        script = "latin"
        clear = _clear_latin(joined)
        if clear is not None:
            return clear
    try:
        detector, codes = _detector(script)
        found = detector.detect_language_of(joined)
    except Exception:  # detection only helps: the splitter works without it
        return None
    return codes.get(found) if found is not None else None
