"""Step helper: the article's blocks inside a whole web page.

A page sent as it was saved (navigation, cookie banner, share bar, related
stories, author bio, comments, the article somewhere inside) goes through
trafilatura, a maintained main-content extractor, which only DECIDES: its
plain text is cut into three-word shingles, and each of our own blocks (read
by `blocks_html` with its offsets into the received HTML) is kept when most
of its shingles are in that text. So markers, `<sup>` links and spans stay
ours; the reference list (Wikipedia's `ol.references`, a notes section) and
numbered-link entries are kept whatever the extractor did with them, as is
the headline. Prose the extractor dropped that stands in the same box as the
paragraphs it kept (the body column resumed after an inline ad) is taken
back, and so are the article's reference lines that it drops as link lists.
An HTML fragment (no `<body>`) does not come here; a page where the extractor
finds nothing keeps all its blocks.
"""

from __future__ import annotations

import functools
import re
from collections import Counter

from trafilatura import bare_extraction
from trafilatura.settings import Document, Extractor

from app.splitter.furniture import has_terminal
from app.splitter.text import Block

__all__ = ["is_whole_page", "main_blocks"]

# A document, not a fragment: pages of the 2000s often have no <body> tag, and some no <head>
_BODY = re.compile(r"<(?:body|head|html)[\s>]", re.IGNORECASE)
_CHROME = re.compile(r"<(?:nav|header|footer|aside|form|iframe)[\s>]", re.IGNORECASE)
_LINK = re.compile(r"<a\s", re.IGNORECASE)
_MANY_LINKS = 25  # an article cites a few links; a page's menus and boxes bring dozens
_WORD = re.compile(r"\w+")
_SHINGLE = 3
_KEEP_SHARE = 0.5  # a block is the article's when half its shingles are in the extract
_BOX_VOTES = 2  # article paragraphs the extract kept in a box before its other prose counts
_PROSE_WORDS = 8
_LIST_LINE = 40  # characters per line under which an extract reads like a link list
# Tags above which the full mode is not run: a news page has 1,000-4,000; the fallbacks'
# cost grows with the square of the paragraphs (1 s at about 3,000)
_FULL_MODE_TAGS = 5_000
_REFERENCE_LINE = re.compile(r"https?://|www\.|^\s*(?:\[\d{1,3}\]|\^?\d{1,3}[.)])\s")


def is_whole_page(source: str) -> bool:
    """True when the HTML is a page with chrome around its article (a <body>, <head> or <html>
    and navigation, a header, footer, sidebar or form, or many links), not an article document
    or fragment: a document that is only its article is read as it is, every paragraph kept."""
    if _BODY.search(source) is None:
        return False
    return _CHROME.search(source) is not None or len(_LINK.findall(source)) >= _MANY_LINKS


def _words(text: str) -> list[str]:
    return _WORD.findall(text.casefold())


def _shingles(words: list[str]) -> set[tuple[str, ...]]:
    if len(words) < _SHINGLE:
        return {tuple(words)} if words else set()
    return {tuple(words[i : i + _SHINGLE]) for i in range(len(words) - _SHINGLE + 1)}


@functools.cache
def _options(*, fast: bool) -> Extractor:
    """trafilatura's settings, built once: it reads them and keeps nothing per call."""
    return Extractor(output_format="python", comments=False, tables=True, dedup=False, fast=fast)


def _run(source: str, *, fast: bool) -> str:
    document = bare_extraction(source, options=_options(fast=fast))
    return (document.text or "") if isinstance(document, Document) else ""


def _extract(source: str) -> str:
    """The extractor's plain text of the page's main content ("" when it finds none).

    Its fast mode first (its fallback extractors cost as much again); when that finds
    nothing or reads like a link list (short lines), the full mode, which compares it with
    them."""
    text = _run(source, fast=True)
    if source.count("<") > _FULL_MODE_TAGS:
        return text  # jusText, one of its fallbacks, is quadratic in a page's paragraphs
    if not text.strip() or len(text) < _LIST_LINE * (text.count("\n") + 1):
        return _run(source, fast=False)  # none found, or a link list: ask its fallbacks too
    return text


def _is_article(block: Block, kept: set[tuple[str, ...]], lines: set[tuple[str, ...]]) -> bool:
    tokens = _words(block.text)
    if len(tokens) < _SHINGLE:
        # a word or two ('Business', 'U.S.', 'More'): a line of the extract of its own (a
        # short heading of the article), not words found anywhere in it
        return bool(tokens) and tuple(tokens) in lines
    shingles = _shingles(tokens)
    return len(shingles & kept) >= _KEEP_SHARE * len(shingles)


def _headline(blocks: list[Block], chosen: list[Block]) -> Block | None:
    """The heading before the article that the page <title> names, when the extract lacks it."""
    title = next((b for b in blocks if b.container == "title"), None)
    first = next((b for b in chosen if b.container != "title"), None)
    if title is None or first is None:
        return None
    named = set(_words(title.text))
    for block in reversed(blocks[: blocks.index(first)]):
        tokens = _words(block.text)
        if (
            block.kind == "heading"
            and tokens
            and sum(t in named for t in tokens) >= 0.6 * len(tokens)
        ):
            return block
    return None


def _prose(block: Block) -> bool:
    return (
        block.kind in ("para", "quote")
        and len(_words(block.text)) >= _PROSE_WORDS
        and has_terminal(block.text.rstrip())
    )


def _same_box(blocks: list[Block], boxes: list[str], picked: list[bool]) -> list[bool]:
    """Prose the extractor left out that sits in the same kind of box as the article's
    paragraphs: the body column again after an inline ad, a pull quote, a boxed paragraph.
    Only in the box that holds at least half the paragraphs it kept, and past the last of
    them only up to the next heading: the same kind of box holds the comments too."""
    votes: Counter[str] = Counter()
    last: dict[str, int] = {}
    for i, (block, box, pick) in enumerate(zip(blocks, boxes, picked, strict=True)):
        if pick and box and block.kind == "para":
            votes[box] += 1
            last[box] = i
    # only the article's own column: the box that holds most of what the extractor kept (a
    # box that holds a few of its paragraphs is as often the comments' or a sidebar's)
    body = {box for box, count in votes.items() if 2 * count >= votes.total()}
    out = list(picked)
    heading = -1  # the last heading seen
    for i, (block, box) in enumerate(zip(blocks, boxes, strict=True)):
        if block.kind == "heading":
            heading = i
        if (
            not picked[i]
            and box in body
            and votes[box] >= _BOX_VOTES
            and (i < last[box] or heading < last[box])
            and block.kind in ("para", "quote")
            and len(_words(block.text)) >= _PROSE_WORDS
            and has_terminal(block.text.rstrip())
        ):
            out[i] = True
    return out


def _end_matter(blocks: list[Block], boxes: list[str], picked: list[bool]) -> list[bool]:
    """The article's own reference lines, which extractors drop as link lists: lines with a
    URL or a leading label in the article's box after its first paragraph, and the heading
    right above them."""
    votes = Counter(box for box, pick in zip(boxes, picked, strict=True) if pick and box)
    if not votes:
        return picked
    article = votes.most_common(1)[0][0]
    first = picked.index(True)
    out = list(picked)
    for i in range(len(blocks) - 1, first, -1):
        if picked[i] or boxes[i] != article:
            continue
        if _REFERENCE_LINE.search(blocks[i].text) or (
            blocks[i].kind == "heading" and i + 1 < len(blocks) and out[i + 1] and not picked[i + 1]
        ):
            out[i] = True
    return out


def main_blocks(source: str, blocks: list[Block], boxes: list[str]) -> list[Block]:
    """The blocks of the page `source` that are its article (all when nothing is found).

    `boxes`: each block's enclosing element (tag and classes), from `html_page_blocks`."""
    text = _extract(source)
    extract = _words(text)
    if not extract:
        return blocks
    kept = _shingles(extract)
    lines = {tuple(_words(line)) for line in text.splitlines() if len(line) < _LIST_LINE}
    picked = [_is_article(block, kept, lines) for block in blocks]
    if not any(picked):
        return blocks
    picked = _end_matter(blocks, boxes, _same_box(blocks, boxes, picked))
    chosen = [
        block
        for block, pick in zip(blocks, picked, strict=True)
        if pick or block.container in ("title", "footnotes") or block.kind == "footnote"
    ]
    headline = _headline(blocks, chosen)
    if headline is not None and headline not in chosen:
        first = next(i for i, b in enumerate(chosen) if b.container != "title")
        chosen.insert(first, headline)
    return chosen
