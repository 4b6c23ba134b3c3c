"""Inflection-aware phrase matching for topic patterns: one automaton pass per text.

Each pattern word is expanded at build time into its regular English inflections
("ceasefire" -> "ceasefires", "shell" -> "shelling", "annex" -> "annexed", "casualty"
-> "casualties"), so a text only needs folding before one Aho-Corasick scan. A final
`*` leaves the last word open ("negotiat*" hits "negotiations", "negotiators").
Irregular forms ("fought") are listed as patterns of their own.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from itertools import product
from typing import Any

import ahocorasick

from app.splitter.actors.text import fold_joined, fold_words

__all__ = ["PatternMatcher", "inflections", "pattern_keys"]

_VOWELS = frozenset("aeiou")
_DOUBLING = frozenset("bdgklmnprt")


def inflections(word: str) -> set[str]:
    """The word and its regular plural, past and -ing forms (over-generation is harmless)."""
    out = {word}
    if len(word) < 3 or not word.isalpha():
        return out | {word + "s"} if word.isalpha() else out
    if word.endswith("y") and word[-2] not in _VOWELS:
        out |= {word[:-1] + "ies", word[:-1] + "ied", word + "ing"}
        return out
    if word.endswith(("s", "x", "z", "ch", "sh")):
        out.add(word + "es")
    else:
        out.add(word + "s")
    base = word[:-1] if word.endswith("e") and not word.endswith("ee") else word
    out |= {base + "ed", base + "ing"}
    if word.endswith("e"):
        out.add(word + "d")
    if len(word) <= 6 and word[-1] in _DOUBLING and word[-2] in _VOWELS and word[-3] not in _VOWELS:
        out |= {word + word[-1] + "ed", word + word[-1] + "ing"}
    return out


def pattern_keys(pattern: str) -> list[str]:
    """Automaton keys of one pattern: ' ceasefire ', ' ceasefires ', ..., or ' negotiat'."""
    prefix = pattern.rstrip().endswith("*")
    words = fold_words(pattern.replace("*", " ")).split()
    if not words:
        return []
    options = [sorted(inflections(w)) for w in words]
    if prefix:
        options[-1] = [words[-1]]
    tail = "" if prefix else " "
    return [" " + " ".join(combo) + tail for combo in product(*options)]


class PatternMatcher:
    """Weighted patterns of many topics compiled into one automaton."""

    __slots__ = ("_automaton", "_size")

    def __init__(self, patterns: Sequence[Iterable[tuple[str, float]]]) -> None:
        """`patterns[i]` are the (pattern, weight) pairs of topic i."""
        # key -> {topic: weight}; two patterns sharing a key count once, at the higher weight
        table: dict[str, dict[int, float]] = {}
        for topic, pairs in enumerate(patterns):
            for pattern, weight in pairs:
                for key in pattern_keys(pattern):
                    weights = table.setdefault(key, {})
                    weights[topic] = max(weights.get(topic, float(weight)), float(weight))
        automaton: Any = ahocorasick.Automaton()
        for key, weights in table.items():
            automaton.add_word(key, (key, tuple(weights.items())))
        if table:
            automaton.make_automaton()
        self._automaton = automaton
        self._size = len(patterns)

    def scores(self, text: str) -> list[float]:
        """Summed weight per topic of the distinct patterns found in `text`."""
        totals = [0.0] * self._size
        if not self._size or not text:
            return totals
        seen: set[str] = set()
        for _, (key, targets) in self._automaton.iter(" " + fold_words(text) + " "):
            if key in seen:
                continue
            seen.add(key)
            for topic, weight in targets:
                totals[topic] += weight
        return totals

    def scores_each(self, texts: Sequence[str]) -> list[list[float] | None]:
        """`scores` of every text from one automaton pass; None where nothing matched."""
        out: list[list[float] | None] = [None] * len(texts)
        if not self._size or not any(texts):
            return out
        joined, starts = fold_joined(texts)
        size = self._size
        position = 0
        bound = starts[1] if len(starts) > 1 else len(joined)
        seen: set[str] = set()
        totals: list[float] | None = None
        for last, (key, targets) in self._automaton.iter(joined):
            if last >= bound:  # matches come in order of their end: the next text's
                while last >= bound:
                    position += 1
                    bound = starts[position + 1] if position + 1 < len(starts) else len(joined)
                seen = set()
                totals = None
            if key in seen:
                continue
            seen.add(key)
            if totals is None:
                totals = out[position] = [0.0] * size
            for topic, weight in targets:
                totals[topic] += weight
        return out
