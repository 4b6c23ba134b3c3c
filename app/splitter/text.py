"""Extracted text that remembers where each character came from in the input.

A `Block` is one paragraph, heading, list item or reference entry with its
markup removed. Its `text` is what later steps read; `to_input` maps any
half-open range of `text` back to the received input, so spans never come
from searching the text again.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any, Literal

__all__ = [
    "Block",
    "BlockBuilder",
    "BlockKind",
    "Marker",
    "Sentence",
    "cut_markers",
    "fold",
]

BlockKind = Literal["para", "heading", "item", "quote", "caption", "code", "footnote", "line"]

# Characters removed from statement text: zero-width spaces and joiners, word
# joiner, BOM, soft hyphen, NUL (normalise turns them into NUL).
_INVISIBLE = dict.fromkeys(map(ord, "\u200b\u200c\u200d\u2060\ufeff\u00ad\x00"), None)
_SURROGATES = dict.fromkeys(range(55296, 57344), "�")
_FOLD_TABLE: dict[int, str | None] = {**_INVISIBLE, **_SURROGATES}
_ODD = re.compile("[\u200b\u200c\u200d\u2060\ufeff\u00ad\x00\ud800-\udfff]")


def fold(text: str) -> str:
    """Fold whitespace runs to one space, drop invisible characters, strip the ends."""
    # str.isascii is a flag check: ASCII text can only hold the NUL of the odd characters
    if "\x00" in text if text.isascii() else _ODD.search(text):
        text = text.translate(_FOLD_TABLE)
    return " ".join(text.split())  # str.split() splits on exactly what `\s` matches


# Not frozen: made in an inner loop, where a frozen dataclass's __init__ costs four times more.
@dataclass(slots=True)
class Marker:
    """A citation or note marker inside a block's text (block coordinates)."""

    start: int  # includes the whitespace before the marker
    end: int
    labels: tuple[str, ...]  # bare labels; empty for notes such as [citation needed]
    style: str  # "bracket" | "footnote" | "superscript" | "html" | "note"


@dataclass(slots=True)
class Sentence:
    """One sentence of a body block, in block coordinates."""

    block: int
    start: int
    end: int
    markers: list[Marker]
    text: str = ""


@dataclass(slots=True)
class Block:
    """One unit of extracted text with an offset map back into the input."""

    kind: BlockKind
    text: str
    seg_ext: list[int]  # extracted offset where each segment starts (sorted)
    seg_in: list[int]  # input offset where that segment starts
    seg_in_end: list[int]  # input offset where a replacement segment ends
    seg_copy: list[bool]  # True: characters copied one to one; False: replacement
    level: int = 0  # heading level (1-6), 0 otherwise
    blank_before: bool = True  # plain text: a blank line (or block boundary) precedes it
    label: str | None = None  # footnote / reference label given by the markup
    anchor: str | None = None  # HTML id attribute
    container: str = ""  # markup context: "footnotes", "blockquote", ...
    url: str | None = None  # first link target inside the block
    markers: list[Marker] = field(default_factory=list)
    no_markers: list[tuple[int, int]] = field(default_factory=list)  # code ranges
    # extracted offsets of the spaces that stand for a line break of the input (a soft
    # break in Markdown, <br> in HTML, a re-joined line in plain text): where a list
    # written one entry per line may be cut into its entries
    breaks: list[int] = field(default_factory=list)
    _folded: str | None = field(default=None, repr=False, compare=False)

    @property
    def folded(self) -> str:
        """The text folded (see `fold`), worked out once: several steps read it."""
        if self._folded is None:
            self._folded = fold(self.text)
        return self._folded

    def start_of(self, i: int) -> int:
        """Input offset of extracted character i (or of the block end when i == len)."""
        if not self.seg_ext:
            return 0
        if i >= len(self.text):
            return self.end_of(len(self.text))
        j = bisect_right(self.seg_ext, i) - 1
        j = max(j, 0)
        if self.seg_copy[j]:
            return self.seg_in[j] + (i - self.seg_ext[j])
        return self.seg_in[j]

    def end_of(self, i: int) -> int:
        """Input offset just after extracted character i - 1 (exclusive end)."""
        if not self.seg_ext:
            return 0
        if i <= 0:
            return self.seg_in[0]
        j = bisect_right(self.seg_ext, i - 1) - 1
        j = max(j, 0)
        if self.seg_copy[j]:
            return self.seg_in[j] + (i - self.seg_ext[j])
        return self.seg_in_end[j]

    @property
    def start(self) -> int:
        """Input offset of the block's first character."""
        return self.start_of(0)

    @property
    def end(self) -> int:
        """Input offset after the block's last character."""
        return self.end_of(len(self.text))


class BlockBuilder:
    """Accumulates extracted text and its offset map, then yields a Block."""

    __slots__ = ("_breaks", "_copy", "_ext", "_in", "_in_end", "_len", "_parts", "_source")

    def __init__(self, source: str) -> None:
        self._source = source
        self._parts: list[str] = []
        self._ext: list[int] = []
        self._in: list[int] = []
        self._in_end: list[int] = []
        self._copy: list[bool] = []
        self._breaks: list[int] = []
        self._len = 0

    def __len__(self) -> int:
        return self._len

    def copy(self, start: int, end: int, *, text: str | None = None) -> None:
        """Append source[start:end] (or `text` of the same length standing for it)."""
        if end <= start:
            return
        piece = self._source[start:end] if text is None else text
        if self._copy and self._copy[-1] and self._in[-1] + (self._len - self._ext[-1]) == start:
            pass  # contiguous with the previous copy segment
        else:
            self._ext.append(self._len)
            self._in.append(start)
            self._in_end.append(end)
            self._copy.append(True)
        self._parts.append(piece)
        self._len += len(piece)

    def put(self, text: str, start: int, end: int) -> None:
        """Append `text` standing for source[start:end] (an entity, a line break...)."""
        if not text:
            return
        self._ext.append(self._len)
        self._in.append(start)
        self._in_end.append(end)
        self._copy.append(False)
        self._parts.append(text)
        self._len += len(text)

    def line_break(self, start: int, end: int) -> None:
        """Append one space standing for the line break source[start:end]."""
        self._breaks.append(self._len)
        self.put(" ", start, end)

    def mark(self) -> int:
        """A bookmark for `since`: the number of pieces appended so far."""
        return len(self._parts)

    def since(self, mark: int) -> str:
        """The text appended after `mark` (without joining everything before it)."""
        return "".join(self._parts[mark:])

    def before(self, mark: int, size: int) -> str:
        """The last `size` characters appended before `mark` (without joining everything)."""
        pieces: list[str] = []
        length = 0
        index = mark - 1
        while index >= 0 and length < size:
            pieces.append(self._parts[index])
            length += len(self._parts[index])
            index -= 1
        return "".join(reversed(pieces))[-size:]

    def text(self) -> str:
        """The text accumulated so far."""
        return "".join(self._parts)

    def build(self, kind: BlockKind, **extra: Any) -> Block:
        """Freeze what was accumulated into a Block."""
        return Block(
            kind=kind,
            text="".join(self._parts),
            seg_ext=self._ext,
            seg_in=self._in,
            seg_in_end=self._in_end,
            seg_copy=self._copy,
            breaks=self._breaks,
            **extra,
        )


def cut_markers(
    text: str, markers: Sequence[Marker], start: int = 0, end: int | None = None
) -> str:
    """text[start:end] without the markers inside it."""
    end = len(text) if end is None else end
    if not markers:
        return text[start:end]
    parts: list[str] = []
    position = start
    for marker in markers:
        if marker.end <= start or marker.start >= end:
            continue
        parts.append(text[position : max(position, marker.start)])
        position = max(position, marker.end)
    parts.append(text[position:end])
    return "".join(parts)
