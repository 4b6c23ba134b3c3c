"""Step: find the reference list (and other end matter) and parse its entries.

Runs before segmentation so the list is never split into sentences. The list
is read as a grammar, not as one rule per layout: a reference list is a run of
entries; an entry is an optional label, then text. Layouts differ only in how
entries are separated (blocks, line breaks, or nothing but the next label on
the same line) and in the label's form (`[1]`, `1.`, `1)`, `(1)`, `¹`, `^`, a
list item's number, an HTML anchor, none). So the blocks are cut into lines
at their line breaks, end matter is found line by line, and each line is cut
at the labels of its own form that continue its numbering.

End matter starts at a references/notes/see-also heading, at a `[n]` entry,
at a run of numbered entries from 1 to the end of the text that read like
references, or at trailing URL-only lines; everything after it is a reference
entry, a note, or furniture. An unnumbered list takes its numbers from its
order when the body cites by number.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass

from app.splitter.furniture import FurnitureRules, has_terminal
from app.splitter.sources import SourceRegistry
from app.splitter.text import Block, fold
from app.splitter.types import Reference, Span

__all__ = ["find_references"]

_URL = re.compile(r"(?:https?://|www\.)[^\s<>\"'\])]+", re.IGNORECASE)
_URLS_ONLY = re.compile(r"(?:(?:https?://|www\.)\S+\s*)+", re.IGNORECASE)
_SUPER_DIGITS = "⁰¹²³⁴⁵⁶⁷⁸⁹"
_SUPER_TO_ASCII = str.maketrans(_SUPER_DIGITS, "0123456789")

# The label forms an entry may start with: (form, pattern matched at the entry's start).
# Group 1 is the label. Numbered forms continue their numbering within a line.
_LABEL_FORMS: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("bracket", re.compile(r"\[(\d{1,3})\]:?(?=\s|$)\s*")),
    ("paren", re.compile(r"\((\d{1,3})\)(?=\s|$)\s*")),
    ("number", re.compile(r"(\d{1,3})[.)](?=\s|$)\s*")),
    ("superscript", re.compile(rf"([{_SUPER_DIGITS}]{{1,3}})\s*")),
    ("letter", re.compile(r"\[([a-z])\]:?(?=\s|$)\s*|([a-z])[.)](?=\s)\s*")),
    # "Source 1: Reuters", "Ref. 2 - AP", "Note 3. BBC"
    (
        "named",
        re.compile(r"(?:[Ss]ource|[Rr]ef(?:erence)?\.?|[Nn]ote)\s?(\d{1,3})\s*[:.)–—-](?=\s)\s*"),
    ),
)
_LABEL_OPENERS = frozenset("[(SsRrNn" + _SUPER_DIGITS)
_NUMBERED = frozenset({"bracket", "paren", "number", "superscript", "item", "named"})
# Wikipedia's back-links before an entry: "^", "^ a b c".
_BACKLINK = re.compile(r"\^\s*(?:(?:[a-z]\s+){1,26}(?=\S))?")
_SOURCES_LINE = re.compile(r"^(?:sources?|via)\s*:\s*(\S.*)$", re.IGNORECASE)
_NAME_SEPARATOR = re.compile(r"\s*[,;]\s*|\s+and\s+|\s+&\s+")
# A body that cites by number: [1], [1, 2], (1), superscript digits.
_NUMERIC_MARKER = re.compile(rf"\[\s*\d{{1,3}}\s*[\],;–—-]|\(\d{{1,3}}\)|[{_SUPER_DIGITS}]")
_LIST_LINE_MAX_WORDS = 25  # headlines and entries of a "Related" list are shorter than prose
_SENTENCE_MIN_WORDS = 12  # ... but a shorter line ending in a full stop is prose too
_NEXT_LABEL_GAP = 5  # a numbered list may skip a few numbers, never jump far


# Not frozen: made in an inner loop, where a frozen dataclass's __init__ costs four times more.
@dataclass(slots=True)
class _Line:
    """One line of a block (blocks are cut at their line breaks), in block coordinates."""

    block: int
    start: int
    end: int
    text: str  # folded
    label: tuple[str, str, int] | None  # _label_at(text, 0): the entry label it starts with


# Not frozen: made in an inner loop, where a frozen dataclass's __init__ costs four times more.
@dataclass(slots=True)
class _Entry:
    """One parsed entry: its label (None: unlabelled) and text range in its block."""

    label: str | None
    start: int
    end: int
    form: str  # a _LABEL_FORMS name, "item" (the markup's label), "caret", "url" or "plain"
    note: bool = False


def find_references(
    blocks: list[Block], roles: list[str], *, registry: SourceRegistry, rules: FurnitureRules
) -> list[Reference]:
    """Mark reference and end-matter blocks in `roles`; return the parsed references."""
    lines = list(_lines(blocks))
    zone = _zone_start(blocks, lines, rules, registry)
    zone_block = lines[zone].block if zone < len(lines) else len(blocks)
    collected: list[tuple[_Entry, Block]] = []  # every entry with its block, in order

    for index in range(zone_block):
        block = blocks[index]
        if block.container == "footnotes" and block.kind == "heading":
            roles[index] = "furniture"  # "Sources" heading inside an HTML footnotes section
        elif block.kind == "footnote" or block.container == "footnotes":
            roles[index] = "reference"
            collected.extend((entry, block) for entry in _footnote_entries(block))
        else:
            match = _SOURCES_LINE.match(block.folded)
            if match and block.kind in ("line", "para"):
                roles[index] = "reference"
                collected.extend((e, block) for e in _name_entries(block, match.start(1)))

    mode = "run"
    for line in lines[zone:] if zone < len(lines) else ():
        block = blocks[line.block]
        if roles[line.block] == "body":
            roles[line.block] = "furniture"  # until one of its lines gives an entry
        if block.container == "footnotes" and block.kind == "heading":
            continue
        if block.kind == "footnote" or block.container == "footnotes":
            if line.start == 0:
                roles[line.block] = "reference"
                collected.extend((entry, block) for entry in _footnote_entries(block))
            continue
        kind = rules.heading_kind(line.text)
        if kind is not None and block.kind in ("heading", "line", "para"):
            mode = kind
            continue
        entries = _line_entries(block, line)
        if mode == "end" and entries and entries[0].form in ("bracket", "url"):
            mode = "run"  # a reference run after a "Related" box
        if entries and mode in ("run", "references", "notes"):
            for entry in entries:
                note = entry.note or (mode == "notes" and entry.form not in _NUMBERED)
                if not note:
                    collected.append((entry, block))
            roles[line.block] = "reference"
            continue
        if mode == "references":
            match = _SOURCES_LINE.match(line.text)
            if match:
                named = _name_entries(
                    block, line.start + _offset_of(block, line, match.start(1)), line.end
                )
                collected.extend((entry, block) for entry in named)
                roles[line.block] = "reference"
                continue
            if not rules.is_furniture(line.text) and _words(line.text) <= 12:
                collected.append((_Entry(None, line.start, line.end, "plain"), block))
                roles[line.block] = "reference"
                continue
        if mode == "run":
            mode = "end"

    number_unlabelled = (
        any(entry.label is None for entry, _block in collected)
        and not any(entry.label is not None and entry.form in _NUMBERED for entry, _ in collected)
        and _cites_by_number(blocks[:zone_block], roles)
    )
    references: list[Reference] = []
    ordinal = 0
    for entry, block in collected:
        label = entry.label
        if label is None:
            ordinal += 1
            label = str(ordinal) if number_unlabelled or entry.form == "caret" else ""
        text = fold(_BACKLINK.sub("", block.text[entry.start : entry.end], count=1))
        if not text:
            continue
        url = _entry_url(block, entry, text)
        span = Span(block.start_of(entry.start), block.end_of(entry.end))
        sources = registry.resolve_all(text, url)
        for source in sources or (None,):
            references.append(Reference(label=label, text=text, url=url, source=source, span=span))
    return references


def _reads_as_prose(folded: str) -> bool:
    """A sentence of the article, not a headline of a "Related" list.

    Headlines are short and seldom end in a full stop; a question or a colon may end one.
    """
    words = _words(folded)
    if words > _LIST_LINE_MAX_WORDS:
        return has_terminal(folded)
    return words > _SENTENCE_MIN_WORDS and folded.rstrip("\"'”’»)").endswith(".")


def _words(folded: str) -> int:
    """Words of folded text (single spaces, no ends), without splitting it."""
    return folded.count(" ") + 1 if folded else 0


def _lines(blocks: list[Block]) -> Iterator[_Line]:
    """Every block cut at its line breaks, in order."""
    for index, block in enumerate(blocks):
        if not block.breaks:
            if block.folded:
                yield _Line(index, 0, len(block.text), block.folded, _label_at(block.folded, 0))
            continue
        start = 0
        for cut in [*block.breaks, len(block.text)]:
            text = fold(block.text[start:cut])
            if text:
                yield _Line(index, start, cut, text, _label_at(text, 0))
            start = cut + 1


def _offset_of(block: Block, line: _Line, folded_offset: int) -> int:
    """The offset in the raw line of a position in its folded text (leading space skipped)."""
    raw = block.text[line.start : line.end]
    return len(raw) - len(raw.lstrip()) + folded_offset


def _footnote_entries(block: Block) -> list[_Entry]:
    """A block the markup declares a footnote: one entry labelled by the markup when it can."""
    whole = _Line(0, 0, len(block.text), block.folded, _label_at(block.folded, 0))
    entries = _line_entries(block, whole)
    if block.label is not None and len(entries) <= 1:
        start = entries[0].start if entries else 0
        return [_Entry(block.label, start, len(block.text), "item", not block.label.isdigit())]
    return entries or [_Entry(None, 0, len(block.text), "plain")]


def _name_entries(block: Block, start: int, stop: int | None = None) -> list[_Entry]:
    """'Sources: Reuters; AP and BBC': one unlabelled entry per name from `start` on.

    A lead-in followed by labels ('Sources: [1] Reuters [2] AP') is a labelled list on
    one line, read as any other.
    """
    text = block.text
    stop = len(text) if stop is None else stop
    while start < stop and text[start].isspace():
        start += 1
    labelled = _label_at(text, start)
    if labelled is not None and labelled[0] in _NUMBERED:
        return _line_entries(block, _Line(-1, start, stop, "", labelled))
    entries: list[_Entry] = []
    end = len(text[:stop].rstrip().rstrip("."))
    position = start
    for separator in _NAME_SEPARATOR.finditer(text, start, end):
        if separator.start() > position:
            entries.append(_Entry(None, position, separator.start(), "plain"))
        position = separator.end()
    if end > position:
        entries.append(_Entry(None, position, end, "plain"))
    return entries


def _label_at(text: str, position: int) -> tuple[str, str, int] | None:
    """(form, label, end of the label) when an entry label starts at `position`."""
    first = text[position : position + 1]
    if not (first in _LABEL_OPENERS or first.isdigit() or first.islower()):
        return None  # most lines: prose starting with a capital
    for form, pattern in _LABEL_FORMS:
        match = pattern.match(text, position)
        if match is None:
            continue
        label = match.group(1) or match.group(match.lastindex or 1)
        if form == "superscript":
            label = label.translate(_SUPER_TO_ASCII)
        return form, label.lstrip("0") or label, match.end()
    return None


def _line_entries(block: Block, line: _Line) -> list[_Entry]:
    """The entries of one line: cut at each label continuing its numbering, or at URLs."""
    text = block.text
    position = line.start
    while position < line.end and text[position].isspace():
        position += 1
    labelled = _label_at(text, position)
    item = block.label is not None and block.kind in ("item", "line") and line.start == 0
    if labelled is None and item and block.label is not None:
        if not block.label.isdigit():
            return [_Entry(block.label, position, line.end, "item", note=True)]
        labelled = ("item", block.label, position)  # the markup's number: "1. Reuters 2. AP"
    if labelled is None:
        rest = text[position : line.end]
        if _URLS_ONLY.fullmatch(rest.rstrip()):
            return [
                _Entry(None, position + m.start(), position + m.end(), "url")
                for m in _URL.finditer(rest)
            ]
        if rest.startswith("^"):
            return [_Entry(None, position, line.end, "caret")]
        return []
    form, label, body = labelled
    if form not in _NUMBERED:
        return [_Entry(label, body, line.end, form, note=True)]
    entries: list[_Entry] = []
    continued = "number" if form == "item" else form
    pattern = dict(_LABEL_FORMS)[continued]
    while True:
        following = _next_label(text, pattern, continued, int(label), body, line.end)
        if following is None:
            entries.append(_Entry(label, body, line.end, form))
            return entries
        at, next_label, next_body = following
        entries.append(_Entry(label, body, at, form))
        label, body = next_label, next_body


def _next_label(
    text: str, pattern: re.Pattern[str], form: str, current: int, start: int, end: int
) -> tuple[int, str, int] | None:
    """The next label of the same form after whitespace that continues the numbering."""
    opener = {"bracket": "[", "paren": "("}.get(form)
    position = start
    while position < end:
        if opener is not None:
            found = text.find(opener, position, end)
            at = found if found >= 0 else None
        else:
            at = _next_label_start(text, form, position, end)
        if at is None:
            return None
        position = at + 1
        if at == 0 or not text[at - 1].isspace():
            continue
        match = pattern.match(text, at, end)
        if match is None:
            continue
        raw = match.group(1)
        label = raw.translate(_SUPER_TO_ASCII) if form == "superscript" else raw
        if current < int(label) <= current + _NEXT_LABEL_GAP:
            return at, label.lstrip("0") or label, match.end()
    return None


# where a candidate label of a form without an opening bracket may start
_LABEL_STARTS = {
    "number": re.compile(r"\d{1,3}[.)]"),
    "superscript": re.compile(f"[{_SUPER_DIGITS}]"),
    "named": re.compile(r"[SsRrNn]"),
}


def _next_label_start(text: str, form: str, start: int, end: int) -> int | None:
    """Where the next candidate label of an unbracketed form starts."""
    found = _LABEL_STARTS[form].search(text, start, end)
    return found.start() if found else None


def _entry_url(block: Block, entry: _Entry, text: str) -> str | None:
    """The entry's link: its own URL text, else the block's link when the entry is the block."""
    found = _URL.search(text)
    if found:
        return found.group()
    if block.url is not None and (entry.start, entry.end) == (0, len(block.text)):
        return block.url
    if block.url is not None and entry.form in ("item", "plain") and not block.breaks:
        return block.url
    return None


def _cites_by_number(blocks: list[Block], roles: list[str] | None) -> bool:
    """True when a body block (every block, without roles) holds a numeric citation marker."""
    return any(
        block.markers or _NUMERIC_MARKER.search(block.text)
        for index, block in enumerate(blocks)
        if roles is None or (index < len(roles) and roles[index] == "body")
    )


# -- where end matter starts ---------------------------------------------------------------


def _zone_start(
    blocks: list[Block], lines: list[_Line], rules: FurnitureRules, registry: SourceRegistry
) -> int:
    """Index of the first end-matter line, or len(lines) when there is none."""
    count = len(lines)
    listed = [_is_listed(blocks[line.block], line) for line in lines]
    headings = [rules.heading_kind(line.text) for line in lines]
    # Suffix tables, so that every question about "the rest of the text" costs O(1).
    tail_ok = [True] * (count + 1)  # from here on: only entries, end headings or furniture
    tail_urls = [True] * (count + 1)  # from here on: only URL entries or furniture
    prose_after = [False] * (count + 1)  # a paragraph of prose stands after this line
    entries_after = [0] * (count + 1)  # listed lines from here on
    strong_after = [0] * (count + 1)  # ... of which plainly read like references
    weak_after = [0] * (count + 1)  # ... or are short bare names
    for index in range(count - 1, -1, -1):
        line = lines[index]
        block = blocks[line.block]
        # The tails only grow while they hold: past that, what a line is no longer matters;
        # and whether it is furniture is asked only when nothing cheaper decided.
        urls = (tail_ok[index + 1] or tail_urls[index + 1]) and bool(
            _URLS_ONLY.fullmatch(_unlabelled(line))
        )
        entry_like = urls or listed[index] or headings[index] is not None
        wanted = (tail_ok[index + 1] and not entry_like) or (tail_urls[index + 1] and not urls)
        furniture = wanted and rules.is_furniture(line.text)
        tail_urls[index] = tail_urls[index + 1] and (urls or furniture)
        tail_ok[index] = tail_ok[index + 1] and (entry_like or furniture)
        notes = block.kind == "footnote" or block.container == "footnotes"
        prose_after[index] = prose_after[index + 1] or (
            not notes and not listed[index] and _reads_as_prose(line.text)
        )
        entries_after[index] = entries_after[index + 1] + listed[index]
        strong, weak = _reference_likeness(line, registry) if listed[index] else (0, 0)
        strong_after[index] = strong_after[index + 1] + strong
        weak_after[index] = weak_after[index + 1] + weak
    after_headings = True  # every earlier line of the current block names a section
    for index in range(count):
        line = lines[index]
        block = blocks[line.block]
        if index == 0 or lines[index - 1].block != line.block:
            after_headings = True
        elif headings[index - 1] is None:
            after_headings = False
        if index == 0 or block.kind == "footnote" or block.container == "footnotes":
            continue
        if line.start > 0 and not after_headings:
            continue  # end matter starts at a block, or after a heading line inside one
        text = line.text
        kind = headings[index]
        if kind == "boilerplate":
            return index
        if kind is not None and block.kind in ("heading", "line", "para"):
            if kind == "end":
                # "Related" / "Read more" ends the article only when no prose follows it
                if not prose_after[index + 1]:
                    return index
            elif index + 1 >= count or _starts_list(lines[index + 1], listed[index + 1]):
                return index
        if block.kind in ("line", "para") and line.label and line.label[0] == "bracket":
            return index
        if tail_urls[index] and _URLS_ONLY.fullmatch(_unlabelled(line)):
            return index
        if (
            tail_ok[index]
            and (_label_of(block, line) == "1" or text.startswith("^"))
            and _reads_as_references(
                strong_after[index],
                weak_after[index],
                entries_after[index],
                lambda: _cites_by_number(blocks, None),
            )
        ):
            return index  # a numbered list from 1 to the end whose entries read like references
    return count


def _starts_list(line: _Line, listed: bool) -> bool:
    """True when a line under a references heading begins its list."""
    return listed or bool(_URLS_ONLY.fullmatch(line.text)) or _words(line.text) <= 12


def _unlabelled(line: _Line) -> str:
    """The line without a leading entry label."""
    return line.text[line.label[2] :] if line.label else line.text


def _is_listed(block: Block, line: _Line) -> bool:
    """True when the line starts like a list entry (a label, back-links or list markup)."""
    if block.kind == "footnote" or block.container == "footnotes":
        return True
    if block.kind in ("item", "line") and block.label is not None and line.start == 0:
        return True
    return line.label is not None or line.text.startswith("^")


def _label_of(block: Block, line: _Line) -> str | None:
    """The numeric label a line starts with (or its list item's number)."""
    if line.label is not None:
        return line.label[1] if line.label[0] in _NUMBERED else None
    if block.kind in ("item", "line") and line.start == 0 and block.label:
        return block.label if block.label.isdigit() else None
    return None


_YEAR = re.compile(r"\b(?:1[89]|20)\d{2}\b")


def _reference_likeness(line: _Line, registry: SourceRegistry) -> tuple[int, int]:
    """(strong, weak): a link, a publisher or a dated title is strong; a short bare name weak."""
    text = line.text
    if _URL.search(text) or "Retrieved" in text or registry.mentions(text):
        return 1, 0
    if _YEAR.search(text) and ('"' in text or "“" in text):
        return 1, 0
    return 0, int(_words(_unlabelled(line)) <= 6 and not has_terminal(text))


def _reads_as_references(
    strong: int, weak: int, entries: int, body_cites: Callable[[], bool]
) -> bool:
    """Most entries read like references; short bare names count only when the body cites
    by number (a closing list "1. Ceasefire 2. Elections" is no reference list)."""
    if strong * 2 > entries:
        return True
    return (strong + weak) * 2 > entries and body_cites()
