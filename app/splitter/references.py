"""Step: find the reference list (and other end matter) and parse its entries.

Runs before segmentation so the list is never split into sentences. End
matter starts at a references/notes/see-also heading, at a run of `[n]`
entries, or at trailing URL-only entries; everything after it is either a
reference entry, a note, or furniture.
"""

from __future__ import annotations

import re

from app.splitter.furniture import FurnitureRules, has_terminal, word_count
from app.splitter.sources import SourceRegistry
from app.splitter.text import Block, fold
from app.splitter.types import Reference, Span

__all__ = ["find_references"]

_URL = re.compile(r"(?:https?://|www\.)[^\s<>\"'\])]+", re.IGNORECASE)
_BRACKET_ENTRY = re.compile(r"^\[(\d{1,3}|[a-z])\]:?\s*(\S.*)$", re.IGNORECASE)
_NUMBER_ENTRY = re.compile(r"^(\d{1,3})[.)]\s+(\S.*)$")
_LETTER_ENTRY = re.compile(r"^([a-z])[.)]\s+(\S.*)$")
_CARET_ENTRY = re.compile(r"^\^\s*(?:(?:[a-z]\s){1,6})?(\S.*)$")
_BACKLINK = re.compile(r"^\^\s*(?:(?:[a-z]\s){1,6})?")
_SOURCES_LINE = re.compile(r"^(?:sources?|via)\s*:\s*(\S.*)$", re.IGNORECASE)
_LIST_LINE_MAX_WORDS = 25  # headlines and entries of a "Related" list are shorter than prose
_URL_ONLY = re.compile(r"^(?:\[?\d{1,3}[.)\]]:?\s+)?(?:https?://|www\.)\S+$", re.IGNORECASE)


def _entry(block: Block, text: str) -> tuple[str | None, str, bool] | None:
    """(label, entry text, is_note) of a reference-like block, or None."""
    if block.kind == "footnote" and block.label is not None:
        return block.label, text, False
    for pattern, is_note in (
        (_BRACKET_ENTRY, False),
        (_NUMBER_ENTRY, False),
        (_LETTER_ENTRY, True),
    ):
        match = pattern.match(text)
        if match:
            label = match.group(1)
            return label, _BACKLINK.sub("", match.group(2)), is_note or not label.isdigit()
    match = _CARET_ENTRY.match(text)
    if match:
        return None, match.group(1), False
    if block.label is not None:
        return block.label, _BACKLINK.sub("", text), not block.label.isdigit()
    return None


def find_references(
    blocks: list[Block], roles: list[str], *, registry: SourceRegistry, rules: FurnitureRules
) -> list[Reference]:
    """Mark reference and end-matter blocks in `roles`; return the parsed references."""
    references: list[Reference] = []
    texts = [fold(b.text) for b in blocks]

    def add(label: str, text: str, block: Block) -> None:
        url = block.url
        if url is None:
            found = _URL.search(text)
            url = found.group() if found else None
        source = registry.resolve(text, url) if text else None
        span = Span(block.start, block.end)
        references.append(Reference(label=label, text=text, url=url, source=source, span=span))

    start = _end_matter_start(blocks, texts, rules)
    mode = "run"
    ordinal = 0
    for index, block in enumerate(blocks):
        text = texts[index]
        if block.container == "footnotes" and block.kind == "heading":
            roles[index] = "furniture"  # "Sources" heading inside an HTML footnotes section
            continue
        if index < start:
            if block.kind == "footnote" or block.container == "footnotes":
                roles[index] = "reference"
                parsed = _entry(block, text)
                label = parsed[0] if parsed and parsed[0] else block.label or ""
                add(label, parsed[1] if parsed else text, block)
                continue
            match = _SOURCES_LINE.match(text)
            if match and block.kind in ("line", "para"):
                roles[index] = "reference"
                for name in re.split(r"\s*[,;]\s*|\s+and\s+", match.group(1).rstrip(".")):
                    if name:
                        add("", name, block)
            continue
        kind = rules.heading_kind(text) if block.kind != "footnote" else None
        if kind is not None and (block.kind in ("heading", "line", "para")):
            roles[index] = "furniture"
            mode = kind
            ordinal = 0
            continue
        parsed = _entry(block, text)
        if block.container == "footnotes" and parsed is None:
            parsed = (block.label or "", text, False)
        if mode == "end" and (_BRACKET_ENTRY.match(text) or _URL_ONLY.match(text)):
            mode = "run"  # a reference run after a "Related" box
            ordinal = 0
        if parsed is not None and mode in ("run", "references", "notes"):
            entry_label, entry_text, is_note = parsed
            if mode == "notes" and (entry_label is None or not entry_label.isdigit()):
                is_note = True  # unnumbered "^ ..." lines under Notes are explanatory notes
            roles[index] = "reference" if not is_note else "furniture"
            if is_note:
                continue
            ordinal += 1
            add(entry_label if entry_label is not None else str(ordinal), entry_text, block)
            continue
        if mode == "references" and not rules.is_furniture(text) and len(text.split()) <= 12:
            roles[index] = "reference"
            add("", text, block)
            continue
        roles[index] = "furniture"
        if mode == "run":
            mode = "end"
    return references


def _end_matter_start(blocks: list[Block], texts: list[str], rules: FurnitureRules) -> int:
    """Index of the first end-matter block, or len(blocks) when there is none."""
    count = len(blocks)
    tail_ok = [True] * (count + 1)  # from here on: only URL entries or furniture
    for index in range(count - 1, -1, -1):
        text = texts[index]
        tail_ok[index] = tail_ok[index + 1] and bool(
            _URL_ONLY.match(text) or rules.is_furniture(text)
        )
    for index in range(1, count):
        block = blocks[index]
        text = texts[index]
        if block.kind in ("footnote",) or block.container == "footnotes":
            continue
        if (
            block.kind in ("heading", "line", "para")
            and rules.heading_kind(text) is not None
            and _entry_follows(blocks, texts, index, rules)
        ):
            return index
        if block.kind in ("line", "para") and _BRACKET_ENTRY.match(text) and text[1].isdigit():
            return index
        if _URL_ONLY.match(text) and tail_ok[index]:
            return index
    return count


def _entry_follows(
    blocks: list[Block], texts: list[str], index: int, rules: FurnitureRules
) -> bool:
    """An end-matter heading counts only when followed by entries or nothing but furniture."""
    kind = rules.heading_kind(texts[index])
    if kind == "end":
        # "Related" / "Read more" ends the article only when no paragraph of prose follows it
        return not any(
            word_count(text) > _LIST_LINE_MAX_WORDS and has_terminal(text)
            for block, text in zip(blocks[index + 1 :], texts[index + 1 :], strict=True)
            if block.kind != "footnote" and block.container != "footnotes"
        )
    following = texts[index + 1 : index + 3]
    if not following:
        return True
    nxt = blocks[index + 1]
    return (
        _entry(nxt, following[0]) is not None
        or nxt.kind == "footnote"
        or nxt.container == "footnotes"
        or len(following[0].split()) <= 12
    )
