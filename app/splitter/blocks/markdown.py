"""Markdown into blocks: markdown-it-py (with footnotes) for structure, offsets kept.

markdown-it gives each block its source lines; each content line of an
inline token is found again inside its own source line (it is that line's
tail), so the inline renderer can copy characters with their input offsets.
"""

from __future__ import annotations

import functools
import re

from markdown_it import MarkdownIt
from markdown_it.token import Token
from mdit_py_plugins.footnote import footnote_plugin

from app.splitter.blocks.inline_markdown import LinkCitation, render_inline
from app.splitter.text import Block, BlockBuilder, BlockKind, Marker

__all__ = ["markdown_blocks"]

_LINK_DEFINITION = re.compile(r" {0,3}\[\^?([^\]\n]{1,100})\]:\s*(\S+)(?:\s+[\"'(](.*)[\"')])?\s*$")


@functools.cache
def _parser() -> MarkdownIt:
    # Block structure only: inline markup is removed by our own offset-keeping renderer,
    # and footnote definitions stay where they are written (no footnote_tail).
    parser = MarkdownIt("commonmark").use(footnote_plugin).enable("table")
    parser.disable(["inline", "footnote_tail", "text_join"], ignoreInvalid=True)
    return parser


def markdown_blocks(source: str) -> list[Block]:
    """Blocks of a Markdown document in reading order (footnote definitions last)."""
    tokens = _parser().parse(source)
    line_starts = [0]
    for match in re.finditer("\n", source):
        line_starts.append(match.end())
    line_starts.append(len(source) + 1)
    covered = [False] * (len(line_starts) - 1)
    blocks: list[Block] = []
    quote_depth = 0
    item_labels: list[str | None] = []
    list_ordered: list[bool] = []
    footnote: str | None = None
    heading_level = 0
    last_map: list[int] | None = None
    linked: dict[str, Block] = {}  # label -> the entry a numbered link points at
    for token in tokens:
        if token.map and token.level == 0:
            for line in range(token.map[0], min(token.map[1], len(covered))):
                covered[line] = True
        if token.map:
            last_map = token.map
        kind = token.type
        if kind == "blockquote_open":
            quote_depth += 1
        elif kind == "blockquote_close":
            quote_depth -= 1
        elif kind in ("bullet_list_open", "ordered_list_open"):
            list_ordered.append(kind == "ordered_list_open")
        elif kind in ("bullet_list_close", "ordered_list_close"):
            if list_ordered:
                list_ordered.pop()
        elif kind == "list_item_open":
            ordered = bool(list_ordered and list_ordered[-1])
            item_labels.append(token.info if ordered and token.info else None)
        elif kind == "list_item_close":
            if item_labels:
                item_labels.pop()
        elif kind == "footnote_reference_open":
            footnote = str(token.meta.get("label", "")) if token.meta else ""
        elif kind == "footnote_reference_close":
            footnote = None
        elif kind == "heading_open":
            heading_level = int(token.tag[1:]) if token.tag[1:].isdigit() else 1
        elif kind == "heading_close":
            heading_level = 0
        elif kind == "inline":
            block_kind: BlockKind = "para"
            label: str | None = None
            if heading_level:
                block_kind = "heading"
            elif footnote is not None:
                block_kind, label = "footnote", footnote
            elif item_labels:
                block_kind, label = "item", item_labels[-1]
            elif quote_depth:
                block_kind = "quote"
            if block_kind == "para" and token.content.lstrip().startswith("!["):
                block_kind = "caption"  # an image with text in the same paragraph: its caption
            span_map = token.map or last_map
            block = _inline_block(source, token, span_map, line_starts, block_kind, linked)
            if block is not None:
                block.level = heading_level
                block.label = label
                block.container = "blockquote" if quote_depth else ""
                blocks.append(block)
    blocks.extend(_link_definitions(source, line_starts, covered))
    blocks.extend(linked.values())
    return blocks


def _cite_links(
    source: str, block: Block, cited: list[LinkCitation], linked: dict[str, Block]
) -> None:
    """Numbered links become markers, and each label's first URL the entry it points at."""
    for link in cited:
        block.markers.append(Marker(link.start, link.end, (link.label,), "link"))
        if link.label not in linked:
            entry = BlockBuilder(source)
            entry.copy(link.url_start, link.url_end)
            url = source[link.url_start : link.url_end]
            linked[link.label] = entry.build("footnote", label=link.label, url=url)


def _inline_block(
    source: str,
    token: Token,
    span_map: list[int] | None,
    line_starts: list[int],
    kind: BlockKind,
    linked: dict[str, Block],
) -> Block | None:
    """One inline token as a block, its content lines aligned with their source lines."""
    content = token.content
    if not content.strip() or span_map is None:
        return None
    builder = BlockBuilder(source)
    code: list[tuple[int, int]] = []
    cited: list[LinkCitation] = []
    url: str | None = None
    line = span_map[0]
    last_line = min(span_map[1], len(line_starts) - 1)
    for piece in content.split("\n"):
        stripped = piece.strip()
        if not stripped:
            continue
        found = -1
        while line < last_line:
            src_start, src_end = line_starts[line], line_starts[line + 1] - 1
            text = source[src_start:src_end].rstrip()
            if text.endswith(stripped):
                found = src_start + len(text) - len(stripped)
            else:
                at = text.find(stripped)
                found = src_start + at if at >= 0 else -1
            line += 1
            if found >= 0:
                break
        if len(builder):
            builder.line_break(max(found - 1, 0), max(found, 0))
        if found < 0:
            if not len(builder):
                return None
            block = builder.build(kind, no_markers=code, url=url)
            _cite_links(source, block, cited, linked)
            return block
        link = render_inline(source, found, found + len(stripped), builder, code, cited)
        url = url or link
    if not builder.text().strip():
        return None
    block = builder.build(kind, no_markers=code, url=url)
    _cite_links(source, block, cited, linked)
    return block


def _link_definitions(source: str, line_starts: list[int], covered: list[bool]) -> list[Block]:
    """`[1]: https://...` link reference definitions, which markdown-it keeps no token for."""
    blocks: list[Block] = []
    for line, is_covered in enumerate(covered):
        if is_covered:
            continue
        start, end = line_starts[line], line_starts[line + 1] - 1
        match = _LINK_DEFINITION.match(source, start, end)
        if match is None:
            continue
        builder = BlockBuilder(source)
        value_start, value_end = match.span(2)
        builder.copy(value_start, value_end)
        if match.group(3):
            builder.put(" ", value_end, value_end + 1)
            builder.copy(*match.span(3))
        blocks.append(builder.build("footnote", label=match.group(1).strip(), url=match.group(2)))
    return blocks
