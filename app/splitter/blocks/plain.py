"""Plain text into blocks: one block per line, hard-wrapped lines re-joined."""

from __future__ import annotations

import re

from app.splitter.text import Block, BlockBuilder

__all__ = ["text_blocks"]

_LINE = re.compile(r"[^\n]+")
# A line that ends a sentence or a clause a reader would not continue.
_TERMINAL = re.compile(r"""[.!?:;…][)\]"'”’»]*\s*(?:\[[^\]\n]{1,20}\]\s*)*$""")
_LIST_START = re.compile(r"^\s*(?:[-*•‣⁃–]\s|\(?\d{1,3}[.)]\s|\[\d{1,3}\]|\^|[a-z][.)]\s)")
_BULLET = re.compile(r"[-*•‣⁃–]\s+(?=\S)")
_NUMBER = re.compile(r"(\d{1,3})[.)]\s+(?=\S)")
_WRAP_MIN = 50  # a document is hard-wrapped when its long lines are this wide or more


def _wrap_width(lines: list[tuple[int, int, bool]]) -> int:
    """Detect a hard-wrap width: most non-final lines of multi-line groups end near it."""
    lengths = [end - start for start, end, _ in lines]
    if len(lengths) < 4:
        return 0
    widest = max(lengths)
    if widest > 100 or widest < _WRAP_MIN:
        return 0
    near = sum(1 for n in lengths if n >= widest - 15)
    return widest if near * 3 >= len(lengths) else 0


def text_blocks(source: str) -> list[Block]:
    """Split plain text into line blocks, joining lines of a hard-wrapped paragraph."""
    lines: list[tuple[int, int, bool]] = []  # (start, end, blank line before)
    previous_end = -1
    for match in _LINE.finditer(source):
        start, end = match.span()
        # strip the line's own leading and trailing spaces
        while start < end and source[start] == " ":
            start += 1
        while end > start and source[end - 1] == " ":
            end -= 1
        if start == end:
            continue
        gap = source.count("\n", previous_end + 1, match.start()) if previous_end >= 0 else 1
        lines.append((start, end, gap >= 1 or previous_end < 0))
        previous_end = match.end()
    width = _wrap_width(lines)
    blocks: list[Block] = []
    builder: BlockBuilder | None = None
    blank_before = True
    label: str | None = None
    last = ""
    for start, end, blank in lines:
        line = source[start:end]
        if builder is not None and not blank and _continues(last, line, width):
            builder.line_break(start - 1, start)
            builder.copy(start, end)
            last = line
            continue
        if builder is not None:
            blocks.append(builder.build("line", blank_before=blank_before, label=label))
        builder = BlockBuilder(source)
        # "- " and "1. " are list markup, not text; the number is the item's label
        bullet = _BULLET.match(line)
        if bullet and f" {line[0]} " in line:
            bullet = None  # "• 9. The first item • 10. The second item": a list in one line
        number = _NUMBER.match(line)
        if number and f" {int(number.group(1)) + 1}{number.group()[len(number.group(1))]} " in line:
            number = None  # "1. The first item 2. The second item": a list run in one line
        label = number.group(1) if number else None
        skip = bullet.end() if bullet else number.end() if number else 0
        builder.copy(start + skip, end)
        blank_before = blank
        last = line
    if builder is not None:
        blocks.append(builder.build("line", blank_before=blank_before, label=label))
    return blocks


def _continues(previous: str, line: str, width: int) -> bool:
    """True when `line` continues the paragraph of `previous` (a hard wrap)."""
    if _LIST_START.match(line):
        return False
    if width and len(previous) + 1 + len(line.split(" ", 1)[0]) > width:
        return True  # the next word would not have fitted: the wrapper broke the line here
    if _TERMINAL.search(previous):
        return False
    first = line[0]
    if first.islower():
        return True
    return bool(width) and len(previous) >= width - 20
