"""A rule-based recogniser of organisations the registry lacks, by their head word.

"the Suez Canal Authority", "the Federal Statistical Office", "the Patriotic Electoral
Bloc", "the Party of Action and Solidarity": a run of capitalised words ending in (or
opening with "<Head> of") a word that names a body. Registry names still win: the
matcher only asks it about text the registry has not decided (actor_match.extra).
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable

import ahocorasick

from app.splitter.types import ActorType

__all__ = ["OrganisationRecognizer"]

# Words that end an organisation's name (data: actors_rules.yaml, organisation_heads).
_NAME_WORD = r"[A-Z][A-Za-z-]*"
_JOINERS = r"(?:of|and|for|the|on)"


class OrganisationRecognizer:
    """Capitalised runs that end in (or open with) an organisation head word."""

    __slots__ = ("_heads", "_pattern")

    def __init__(self, heads: Iterable[str]) -> None:
        """Compile the pattern over these head words ('Authority', 'Party', ...)."""
        alternation = "|".join(sorted((re.escape(h) for h in heads), key=len, reverse=True))
        ending = rf"(?:{_NAME_WORD}\s+(?:{_JOINERS}\s+)?){{1,4}}(?:{alternation})"
        opening = rf"(?:{alternation})\s+of\s+(?:(?:{_NAME_WORD}|{_JOINERS})\s+){{0,4}}{_NAME_WORD}"
        self._pattern = re.compile(rf"(?<![\w'’.-])(?:{opening}|{ending})(?![\w-])")
        # most sentences hold no head word: one Aho-Corasick pass rules them out cheaply
        self._heads = ahocorasick.Automaton()
        for head in heads:
            self._heads.add_word(head, head)
        self._heads.make_automaton()

    def find(self, text: str) -> Iterable[tuple[int, int, ActorType]]:
        """Spans of organisation names in `text`."""
        if next(self._heads.iter(text), None) is None:
            return
        for match in self._pattern.finditer(text):
            start, end = match.span()
            cut = _TITLE_AFTER_AND.search(match.group())
            if cut is not None:
                end = start + cut.start()  # "Ministry of Foreign Affairs and Foreign Minister"
            words = text[start:end].split()
            if words[0] in ("The", "A", "An"):
                start += len(words[0]) + 1
                if len(words) < 3:
                    continue
            if start == 0 or text[start - 2 : start] in (". ", "? ", "! "):
                # a sentence's first word may be any capitalised word: keep the rest
                first = words[1] if words[0] in ("The", "A", "An") else words[0]
                if first in _OPENERS:
                    continue
            yield start, end, "organization"


_TITLE_AFTER_AND = re.compile(
    r"\s+and\s+(?:[A-Z][A-Za-z-]*\s+){0,2}(?:Minister|President|Secretary|Chief|Director|Head|"
    r"Spokesman|Spokeswoman|Chairman|Ambassador)\b"
)
_OPENERS = frozenset({"In", "On", "At", "By", "For", "From", "With", "After", "Before", "But"})


@functools.cache
def default_recognizer(heads: tuple[str, ...]) -> OrganisationRecognizer:
    """One compiled recogniser per head-word list."""
    return OrganisationRecognizer(heads)
