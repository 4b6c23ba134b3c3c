"""A same-length copy of an HTML document that `html.parser` reads in linear time.

The standard library parser is tolerant, but some hostile inputs make it
rescan the rest of the document once per `<` (`<a <a <a ...`, `<a x="` one
megabyte long, `<!--` that never closes, `</` without `>`): quadratic time.
Browsers read such markup as junk text. This guard walks the document once,
mirroring the parser's tokenisation (its tag, comment, declaration and
script/style rules), and turns every `<` that would not start a complete,
well-formed construct into a space, so the parser reads it as text. A `&#`
that is no character reference is blanked the same way (Python 3.11's parser
otherwise reads the rest of the document as text). The copy has the same
length, so the parser's positions are positions in the original.
"""

from __future__ import annotations

import re

__all__ = ["guard_html"]

_OPENING = re.compile(r"<[a-zA-Z/!?]")
# A complete start tag, with html.parser's quoting rules but no `<` outside
# quotes; possessive loops, so a failing match costs one pass.
_START_TAG = re.compile(
    r"""<[a-zA-Z][^\s/>\x00<]*+
    (?:
        \s++
      | /(?!>)
      | [^\s/>=<][^\s/=><]*+
      | =++\s*+(?:'[^']*+'|"[^"]*+"|[^\s>'"<][^\s><]*+)?+
    )*+
    /?>""",
    re.VERBOSE,
)
_RAW_TEXT = ("script", "style")  # html.parser's CDATA_CONTENT_ELEMENTS
_RAW_END = {name: re.compile(rf"</\s*{name}\s*>", re.IGNORECASE) for name in _RAW_TEXT}
_COMMENT_END = re.compile(r"--\s*>")
_CHARREF = re.compile(r"&#(?:[0-9]+|[xX][0-9a-fA-F]+)[^0-9a-fA-F]")
_LONE_LT = re.compile(r"<(?![a-zA-Z/!?])")  # text either way; blanked to spare one event each


class _Next:
    """Next match of a pattern at or after a position, for non-decreasing positions."""

    __slots__ = ("_found", "_pattern", "_source")

    def __init__(self, source: str, pattern: re.Pattern[str]) -> None:
        self._source = source
        self._pattern = pattern
        self._found: tuple[int, int] | None = (-1, -1)  # None: no match after the last search

    def at(self, position: int) -> tuple[int, int] | None:
        """(start, end) of the first match starting at or after `position`."""
        found = self._found
        if found is not None and found[0] < position:
            match = self._pattern.search(self._source, position)
            found = match.span() if match else None
            self._found = found
        return found


def guard_html(source: str) -> str:
    """`source` with the `<` and `&#` that would make html.parser slow or lost blanked."""
    blanks: list[int] = []
    gt = _Next(source, re.compile(">"))
    comment_end = _Next(source, _COMMENT_END)
    length = len(source)
    position = 0
    while position < length:
        opening = _OPENING.search(source, position)
        if opening is None:
            break
        start = opening.start()
        second = source[start + 1]
        end = -1
        if second == "/" or second == "?":
            found = gt.at(start + 2)
            end = found[1] if found else -1
        elif second == "!":
            if source.startswith("<!--", start):
                found = comment_end.at(start + 4)
                end = found[1] if found else -1
            elif not source.startswith("<![", start):  # marked sections crash 3.11's parser
                found = gt.at(start + 2)
                end = found[1] if found else -1
        else:
            tag = _START_TAG.match(source, start)
            if tag is not None:
                end = tag.end()
                name = source[start + 1 : end].split(None, 1)[0].rstrip("/>").lower()
                if name in _RAW_TEXT and not tag.group().endswith("/>"):
                    closing = _RAW_END[name].search(source, end)
                    end = closing.start() if closing else length
        if end < 0:
            blanks.append(start)
            position = start + 1
        else:
            position = end
    for match in re.finditer("&#", source):
        if not _CHARREF.match(source, match.start()):
            blanks.append(match.start())
    if "<" in source:
        source = _LONE_LT.sub(" ", source)
    if not blanks:
        return source
    blanks.sort()
    parts: list[str] = []
    previous = 0
    for index in blanks:
        parts.append(source[previous:index])
        parts.append(" ")
        previous = index + 1
    parts.append(source[previous:])
    return "".join(parts)
