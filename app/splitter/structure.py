"""Step: title, page furniture, headings and sections, repeated lines.

Each body block ends with a role: "title", "heading", "furniture",
"duplicate" or "body"; body blocks get the section of the heading they stand
under. The rules are positional and typographic (before the title, no
terminal punctuation, repetition, length), plus the generic UI phrases of
data/furniture.json.
"""

from __future__ import annotations

import re
from collections import Counter

from app.splitter.furniture import FurnitureRules, has_terminal, word_count
from app.splitter.text import Block
from app.splitter.types import Format

__all__ = ["structure"]

_HEADLINE_MAX_WORDS = 30
_HEADING_MAX_WORDS = 20
_CELL_PROSE_MIN_WORDS = 8  # "Change vs. Sept." heads a column; a layout table holds prose
_LONE_LINE_MIN_WORDS = 5  # an unpunctuated line this long that is no heading is prose


def structure(
    blocks: list[Block],
    texts: list[str],
    roles: list[str],
    *,
    format: Format,
    client_title: str | None,
    rules: FurnitureRules,
) -> tuple[str | None, list[str | None]]:
    """Assign roles to the body blocks; return the title and each block's section."""
    body = [i for i, role in enumerate(roles) if role == "body"]
    for i in body:
        if (
            blocks[i].kind in ("caption", "code")
            or blocks[i].container == "title"  # the HTML page <title>: a title fallback only
            or (blocks[i].container == "table" and not _prose_cell(texts[i]))
            or (blocks[i].kind != "heading" and rules.is_furniture(texts[i]))
        ):
            roles[i] = "furniture"
    _contents_box(texts, roles, body, rules)
    _link_box(blocks, texts, roles, body, rules)
    body = [i for i in body if roles[i] == "body"]
    counts = Counter(texts[i].casefold() for i in body)

    title, title_index = _title(blocks, texts, body, counts, format=format, client=client_title)
    if title_index is not None:
        for i in body:
            if i < title_index:
                roles[i] = "furniture"
        roles[title_index] = "title"
    if title is not None:
        folded_title = title.casefold().strip()
        for i in body:
            if roles[i] == "body" and texts[i].casefold().strip() == folded_title:
                roles[i] = "duplicate"
    if title_index is not None and format == "text":
        _tagline(blocks, texts, roles, title_index)

    live = [i for i in body if roles[i] == "body"]
    seen: set[str] = set()
    for position, i in enumerate(live):
        block = blocks[i]
        text = texts[i]
        key = text.casefold()
        if block.kind == "heading":
            if not (format == "html" or format == "markdown") or not text:
                roles[i] = "furniture"
            else:
                roles[i] = "heading"
            continue
        if has_terminal(text):
            if key in seen:
                roles[i] = "duplicate"
            seen.add(key)
            continue
        # an unpunctuated line: heading, caption, furniture or (rarely) prose
        if counts[key] > 1:
            roles[i] = "furniture" if key not in seen else "duplicate"
            seen.add(key)
            continue
        words = word_count(text)
        nxt = _next_live(live, position, roles)
        if (
            words <= _HEADING_MAX_WORDS
            and block.kind in ("line", "para")
            and nxt is not None
            and blocks[nxt].kind != "heading"
            and has_terminal(texts[nxt])
        ):
            roles[i] = "heading"
        elif words < _LONE_LINE_MIN_WORDS and block.kind not in ("item", "quote"):
            roles[i] = "furniture"
        seen.add(key)

    sections: list[str | None] = [None] * len(blocks)
    current: str | None = None
    for i, role in enumerate(roles):
        if role == "heading":
            current = texts[i] or None
        sections[i] = current
    return title, sections


def _prose_cell(text: str) -> bool:
    """A table cell that holds a sentence (a page laid out in a table), not a datum."""
    return has_terminal(text) and word_count(text) > _CELL_PROSE_MIN_WORDS


def _link_box(
    blocks: list[Block], texts: list[str], roles: list[str], body: list[int], rules: FurnitureRules
) -> None:
    """A "Related coverage" box inside the article: its heading and the headlines under it.

    (At the end of the text the reference reader has cut it already.) The box ends at
    the first line that reads as a sentence, or at the next heading.
    """
    for position, i in enumerate(body):
        if rules.heading_kind(texts[i]) != "end" or blocks[i].kind not in (
            "heading",
            "line",
            "para",
        ):
            continue
        roles[i] = "furniture"
        for j in body[position + 1 :]:
            if (
                blocks[j].kind == "heading"
                or has_terminal(texts[j])
                or word_count(texts[j]) > _HEADING_MAX_WORDS
            ):
                break
            roles[j] = "furniture"


_CONTENTS_LINE = re.compile(r"^\d{1,2}(?:\.\d{1,2})*\.?\s+\S.{0,80}$")


def _contents_box(
    texts: list[str], roles: list[str], body: list[int], rules: FurnitureRules
) -> None:
    """A table of contents: its heading (already furniture) and the numbered lines under it."""
    for position, i in enumerate(body):
        if not rules.is_contents_heading(texts[i]):
            continue
        roles[i] = "furniture"
        for j in body[position + 1 :]:
            if not _CONTENTS_LINE.match(texts[j]) or has_terminal(texts[j]):
                break
            roles[j] = "furniture"
        return


def _next_live(live: list[int], position: int, roles: list[str]) -> int | None:
    """The next block after live[position] that is still body."""
    for j in live[position + 1 :]:
        if roles[j] == "body":
            return j
    return None


def _title(
    blocks: list[Block],
    texts: list[str],
    body: list[int],
    counts: Counter[str],
    *,
    format: Format,
    client: str | None,
) -> tuple[str | None, int | None]:
    """The article title and the block that holds it (None when not in the text)."""
    if client is not None and client.strip():
        wanted = " ".join(client.split()).casefold()
        for i in body[:12]:
            if texts[i].casefold() == wanted:
                return " ".join(client.split()), i
        return " ".join(client.split()), None
    if format == "html":
        for i in body:
            if blocks[i].kind == "heading" and blocks[i].level == 1 and texts[i]:
                return texts[i], i
        for i, block in enumerate(blocks):
            if block.container == "title":
                return _without_site_name(texts[i]), None
        return None, None
    if format == "markdown":
        for i in body:
            block = blocks[i]
            if block.kind == "heading" and block.level == 1 and texts[i]:
                return texts[i], i
            if block.kind == "heading":
                return None, None
            break
    if not body:
        return None, None
    first = body[0]
    for i in body[:3]:  # a one-word section label ("Climate") may stand above the headline
        first = i
        if word_count(texts[i]) >= 2 or has_terminal(texts[i]):
            break
    block = blocks[first]
    text = texts[first]
    if block.kind not in ("line", "para"):
        return None, None
    words = word_count(text)
    if not has_terminal(text) and 2 <= words <= _HEADLINE_MAX_WORDS and len(text) <= 250:
        return text, first
    if _question_headline(blocks, texts, body, first):
        return text, first
    if counts[text.casefold()] > 1 and words <= _HEADLINE_MAX_WORDS:
        return text, first
    return None, None


_QUESTION_HEADLINE_MAX_WORDS = 15


def _question_headline(blocks: list[Block], texts: list[str], body: list[int], first: int) -> bool:
    """'Will the ceasefire hold?' alone above the first paragraph: a headline, not a statement."""
    text = texts[first].rstrip("\"'”’»)")
    if not text.endswith(("?", "!")) or word_count(text) > _QUESTION_HEADLINE_MAX_WORDS:
        return False
    if any(stop in text[:-1] for stop in (". ", "? ", "! ")):
        return False  # more than one sentence: a paragraph
    later = [i for i in body if i > first]
    if not later or not blocks[later[0]].blank_before:
        return False
    following = texts[later[0]]
    return has_terminal(following) and word_count(following) > word_count(text)


_SITE_SUFFIX = re.compile(r"^(?P<title>.+?)\s+[|–—:-]{1,2}\s+(?P<site>[^|–—]{1,60})$")


def _without_site_name(title: str) -> str | None:
    """A page <title> without its trailing site name: 'Headline | Site' -> 'Headline'."""
    match = _SITE_SUFFIX.match(title)
    if match and word_count(match.group("site")) <= 6 and word_count(match.group("title")) >= 2:
        return match.group("title").strip()
    return title or None


def _tagline(blocks: list[Block], texts: list[str], roles: list[str], title_index: int) -> None:
    """An unpunctuated line glued under the title line is a tagline, not a heading."""
    nxt = title_index + 1
    if nxt >= len(blocks) or roles[nxt] != "body":
        return
    block = blocks[nxt]
    if block.blank_before or has_terminal(texts[nxt]):
        return
    if nxt + 1 < len(blocks) and not blocks[nxt + 1].blank_before:
        return
    roles[nxt] = "furniture"
