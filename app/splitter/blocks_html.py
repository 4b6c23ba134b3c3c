"""HTML into blocks with a linear, tag-aware scanner that keeps input offsets.

The scanner reads the raw HTML once: text runs are copied (entities decoded)
with their offsets, tags only open and close contexts. Page furniture
elements (nav, header outside the article, footer, aside, script, style,
forms...) and elements whose class or id names furniture are dropped with
their content. `<sup>` footnote links become pre-found markers; list items
of a footnotes container become reference entries.
"""

from __future__ import annotations

import html
import re
from collections import Counter
from dataclasses import dataclass

from app.splitter.markers import expand_labels
from app.splitter.text import Block, BlockBuilder, BlockKind, Marker

__all__ = ["html_blocks"]

_DROP = frozenset(
    [
        "script",
        "style",
        "nav",
        "footer",
        "aside",
        "form",
        "noscript",
        "template",
        "svg",
        "head",
        "button",
        "select",
        "iframe",
        "object",
        "canvas",
        "math",
        "dialog",
        "title",
        "label",
        "input",
        "textarea",
    ]
)
_RAW_TEXT = frozenset(
    ["script", "style", "textarea", "title", "xmp", "noscript", "iframe", "noembed", "noframes"]
)
_VOID = frozenset(
    [
        "area",
        "base",
        "br",
        "col",
        "embed",
        "hr",
        "img",
        "input",
        "link",
        "meta",
        "param",
        "source",
        "track",
        "wbr",
    ]
)
_BLOCK = frozenset(
    [
        "p",
        "div",
        "section",
        "article",
        "main",
        "li",
        "ul",
        "ol",
        "h1",
        "h2",
        "h3",
        "h4",
        "h5",
        "h6",
        "blockquote",
        "figcaption",
        "figure",
        "table",
        "tr",
        "td",
        "th",
        "dd",
        "dt",
        "dl",
        "pre",
        "hr",
        "caption",
        "address",
        "details",
        "summary",
        "body",
        "html",
        "header",
        "footer",
        "nav",
        "aside",
        "form",
        "tbody",
        "thead",
        "tfoot",
        "center",
    ]
)
_FURNITURE_CLASS = re.compile(
    r"(?:^|[\s_-])(?:share|sharing|social|related|newsletter|subscribe|subscription|advert|"
    r"ad|ads|promo|breadcrumbs?|cookie|comments?|byline|caption|credit|sidebar|menu|navbar|"
    r"toolbar|tags|signup|popup|modal|banner|skip-link|visually-hidden|sr-only)(?:$|[\s_-])",
    re.IGNORECASE,
)
_FOOTNOTE_CLASS = re.compile(
    r"footnote|references|reflist|endnote|citations|sources|notes", re.IGNORECASE
)
_FOOTNOTE_ID = re.compile(
    r"^(?:fn|footnote|cite_note|note|ref|endnote)[-_:]?\D{0,20}?(\d{1,3})$", re.IGNORECASE
)
_TAG = re.compile(
    r"<(/?)([A-Za-z][A-Za-z0-9:-]{0,40})"
    r"((?:\s+[^\s=/<>]+(?:\s*=\s*(?:\"[^\"]*\"|'[^']*'|[^\s<>\"']+))?)*)\s*/?>"
)
_ATTR = re.compile(r"([^\s=/<>]+)(?:\s*=\s*(?:\"([^\"]*)\"|'([^']*)'|([^\s<>\"']+)))?")
_ENTITY = re.compile(r"&(?:#\d{1,7}|#[xX][0-9a-fA-F]{1,6}|[A-Za-z][A-Za-z0-9]{1,31});?")
_SUP_LABELS = re.compile(r"^\[?\s*(\d{1,3}(?:\s*[,–—-]\s*\d{1,3})*)\s*\]?$")
_MAX_RAW_SCAN = 1 << 20


@dataclass(frozen=True, slots=True)
class _Context:
    name: str
    drop: bool
    kind: BlockKind
    level: int
    container: str
    anchor: str | None
    in_article: bool
    hash_link: bool
    footnotes_id: int  # identity of the footnotes container (0: none)


_ROOT = _Context("#root", False, "para", 0, "", None, False, False, 0)


def _attributes(raw: str) -> dict[str, str]:
    attrs: dict[str, str] = {}
    for match in _ATTR.finditer(raw):
        value = match.group(2) or match.group(3) or match.group(4) or ""
        attrs.setdefault(match.group(1).lower(), value)
    return attrs


class _Scanner:
    """One pass over the document; collects blocks."""

    def __init__(self, source: str) -> None:
        self.source = source
        self.blocks: list[Block] = []
        self.stack: list[_Context] = [_ROOT]
        self.open_names: Counter[str] = Counter()
        self.builder = BlockBuilder(source)
        self.block_context = _ROOT
        self.markers: list[Marker] = []
        self.url: str | None = None
        self.sup_start: int | None = None
        self.sup_hash = False
        self.ordinals: Counter[int] = Counter()
        self.next_container = 1

    def flush(self) -> None:
        builder = self.builder
        if len(builder) and builder.text().strip():
            context = self.block_context
            label = None
            container = context.container
            if container == "footnotes":
                match = _FOOTNOTE_ID.match(context.anchor or "")
                self.ordinals[context.footnotes_id] += 1
                label = match.group(1) if match else str(self.ordinals[context.footnotes_id])
            self.blocks.append(
                builder.build(
                    context.kind,
                    level=context.level,
                    label=label,
                    anchor=context.anchor,
                    container=container,
                    url=self.url,
                    markers=self.markers,
                )
            )
        self.builder = BlockBuilder(self.source)
        self.markers = []
        self.url = None
        self.sup_start = None
        self.block_context = self.stack[-1]

    def text(self, start: int, end: int) -> None:
        context = self.stack[-1]
        if context.drop or end <= start:
            return
        if not len(self.builder):
            self.block_context = context
        source = self.source
        position = start
        if "&" in source[start:end]:
            for match in _ENTITY.finditer(source, start, end):
                decoded = html.unescape(match.group())
                if decoded == match.group():
                    continue
                self._copy(position, match.start())
                self.builder.put(decoded.replace("\n", " "), match.start(), match.end())
                position = match.end()
        self._copy(position, end)

    def _copy(self, start: int, end: int) -> None:
        piece = self.source[start:end]
        self.builder.copy(start, end, text=piece.replace("\n", " ") if "\n" in piece else None)

    def open(self, name: str, raw_attrs: str, start: int, end: int) -> None:
        parent = self.stack[-1]
        if name in _BLOCK:
            self.flush()
        if name == "br":
            if not parent.drop and len(self.builder):
                self.builder.put(" ", start, end)
            return
        if name in _VOID:
            return
        attrs = _attributes(raw_attrs) if raw_attrs else {}
        marks = f"{attrs.get('class', '')} {attrs.get('id', '')} {attrs.get('role', '')}"
        drop = parent.drop or name in _DROP
        if name == "header" and not parent.in_article:
            drop = True
        container = parent.container
        footnotes_id = parent.footnotes_id
        if name in ("ol", "ul", "section", "div", "aside", "footer") and _FOOTNOTE_CLASS.search(
            marks
        ):
            container = "footnotes"
            footnotes_id = self.next_container
            self.next_container += 1
            drop = parent.drop  # a footnotes list is kept even inside a footer or aside
        elif not drop and _FURNITURE_CLASS.search(marks) and container != "footnotes":
            drop = True
        anchor = attrs.get("id") or parent.anchor
        if name == "li" and attrs.get("id") and _FOOTNOTE_ID.match(attrs["id"]):
            container = "footnotes"
            footnotes_id = footnotes_id or -1
        kind = parent.kind
        level = parent.level
        if name in ("h1", "h2", "h3", "h4", "h5", "h6"):
            kind, level = "heading", int(name[1])
        elif name == "li":
            kind = "item"
        elif name == "blockquote":
            kind = "quote"
        elif name in ("figcaption", "caption"):
            kind = "caption"
        elif name == "pre":
            kind = "code"
        hash_link = parent.hash_link
        if name == "a":
            href = attrs.get("href", "")
            if href.startswith("#"):
                hash_link = True
                self.sup_hash = self.sup_hash or self.sup_start is not None
            elif href and not drop and self.url is None:
                self.url = href
        context = _Context(
            name,
            drop,
            kind,
            level,
            container,
            anchor if name in ("li", "p", "div", "section") else parent.anchor,
            parent.in_article or name in ("article", "main"),
            hash_link,
            footnotes_id,
        )
        self.stack.append(context)
        self.open_names[name] += 1
        if name == "sup" and not drop:
            self.sup_start = len(self.builder)
            self.sup_hash = hash_link
            if not len(self.builder):
                self.block_context = parent

    def close(self, name: str) -> None:
        if self.open_names[name] <= 0:
            return
        if name == "sup" and self.sup_start is not None:
            self._sup_marker()
        while len(self.stack) > 1:
            context = self.stack.pop()
            self.open_names[context.name] -= 1
            if context.name == name:
                break
        if name in _BLOCK:
            self.flush()

    def _sup_marker(self) -> None:
        start = self.sup_start if self.sup_start is not None else 0
        self.sup_start = None
        end = len(self.builder)
        inner = self.builder.text()[start:end]
        match = _SUP_LABELS.match(inner.strip())
        if match is None or not (self.sup_hash or inner.strip().startswith("[")):
            return
        self.markers.append(Marker(start, end, expand_labels(match.group(1)), "html"))

    def run(self) -> list[Block]:
        source = self.source
        length = len(source)
        position = 0
        raw_end = re.compile
        while position < length:
            lt = source.find("<", position)
            if lt < 0:
                self.text(position, length)
                break
            self.text(position, lt)
            if source.startswith("<!--", lt):
                close = source.find("-->", lt + 4)
                position = length if close < 0 else close + 3
                continue
            if source.startswith(("<!", "<?"), lt):
                close = source.find(">", lt)
                position = length if close < 0 else close + 1
                continue
            match = _TAG.match(source, lt)
            if match is None:
                self.text(lt, lt + 1)
                position = lt + 1
                continue
            closing, name, attrs = match.group(1), match.group(2).lower(), match.group(3)
            position = match.end()
            if closing:
                self.close(name)
                continue
            self_closing = source[position - 2] == "/"
            self.open(name, attrs, lt, position)
            if name in _RAW_TEXT and not self_closing:
                pattern = raw_end(rf"</{re.escape(name)}\s*>", re.IGNORECASE)
                found = pattern.search(source, position)
                body_end = found.start() if found else length
                if not self.stack[-1].drop:
                    self.text(position, body_end)
                self.close(name)
                position = found.end() if found else length
            elif self_closing and name not in _VOID:
                self.close(name)
        self.flush()
        return self.blocks


def html_blocks(source: str) -> list[Block]:
    """Blocks of an HTML document in reading order."""
    return _Scanner(source).run()
