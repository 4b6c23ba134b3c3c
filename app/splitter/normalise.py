"""Step 1: a same-length working copy of the input that later steps can read safely.

Offsets stay valid because every replacement is one code point for one code
point: CR LF becomes space + LF, other line separators become LF, exotic
spaces become a plain space and lone surrogates become U+FFFD. Invisible
characters stay (they are folded away in statement text).
"""

from __future__ import annotations

import re

__all__ = ["normalise"]

_SPACES = "\u00a0\u1680\u2000-\u200a\u202f\u205f\u3000\t\x0c"  # a character class body
_LINES = "\r\x0b\x85\u2028\u2029"
_SPACE_CHARS = re.compile(f"[{_SPACES}]")
_LINE_CHARS = re.compile(f"[{_LINES}]")
_SURROGATE = re.compile("[\ud800-\udfff]")


def normalise(text: str) -> str:
    """Return the working copy of `text`: same length, tame whitespace, no surrogates."""
    clean = text.replace("\r\n", " \n")
    clean = _SPACE_CHARS.sub(" ", clean)
    clean = _LINE_CHARS.sub("\n", clean)
    if _SURROGATE.search(clean):
        clean = _SURROGATE.sub("\ufffd", clean)
    return clean
