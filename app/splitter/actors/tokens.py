"""Small token helpers for the actor tagger's context rules.

A token is a plain tuple (text, start, end) into the sentence: cheap to make, and
only made around the few automaton hits that need context.
"""

from __future__ import annotations

import re
from itertools import islice

from app.splitter.actors.text import fold_letters

__all__ = ["Tok", "after", "bare", "before", "is_cap", "is_word", "previous_word"]

Tok = tuple[str, int, int]

# words (inner apostrophes and hyphens kept), single-letter initials ("J."), punctuation
_TOKEN = re.compile(r"[^\W\d_]\.(?=\s)|[^\W_][\w'’\-]*|[^\w\s]")


def after(text: str, pos: int, limit: int) -> list[Tok]:
    """Up to `limit` tokens starting at `pos`, in order."""
    return [(m.group(), m.start(), m.end()) for m in islice(_TOKEN.finditer(text, pos), limit)]


def before(text: str, pos: int, limit: int) -> list[Tok]:
    """Up to `limit` tokens ending before `pos`, nearest first."""
    lo = max(0, pos - 24 * limit)
    toks = [(m.group(), m.start(), m.end()) for m in _TOKEN.finditer(text, lo, pos)]
    if lo > 0 and toks:
        toks = toks[1:]  # may have been cut in half
    toks.reverse()
    return toks[:limit]


def previous_word(text: str, pos: int) -> str:
    """The whitespace-separated word right before `pos` ('' at the start)."""
    end = pos
    while end > 0 and text[end - 1] == " ":
        end -= 1
    return text[text.rfind(" ", 0, end) + 1 : end]


def is_word(tok: Tok) -> bool:
    """A word token (not punctuation)."""
    return tok[0][0].isalnum()


def is_cap(tok: Tok) -> bool:
    """A capitalised word token."""
    return tok[0][0].isupper()


def bare(word: str) -> str:
    """Fold a token and drop a possessive: "Russia's" -> "russia"."""
    folded = fold_letters(word)
    return folded[:-2] if folded.endswith("'s") else folded
