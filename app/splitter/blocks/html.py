"""HTML into blocks with the standard library's HTMLParser, input offsets kept.

`html.parser` tokenises (tags, attributes, entities, comments, script and
style content, malformed markup); `html_guard` first blanks the few
constructs that would make it quadratic. Each event's position comes from
`getpos()` through a table of line starts. Text runs are copied with their
offsets, entities are decoded in place, and tags open and close contexts.
Page furniture elements (nav, header outside the article, footer, aside,
script, style, forms...) and elements whose class or id names furniture are
dropped with their content. `<sup>` footnote links become pre-found
markers; list items of a footnotes container become reference entries. The
page `<title>` is kept as a block of its own (container "title") for the
title fallback.
"""

from __future__ import annotations

import html
import re
from collections import Counter
from dataclasses import dataclass
from html.parser import HTMLParser

from app.splitter.blocks.html_guard import guard_html
from app.splitter.blocks.page_meta import LD_JSON_MAX, page_meta
from app.splitter.markers import expand_labels
from app.splitter.text import Block, BlockBuilder, BlockKind, Marker
from app.splitter.types import PageMeta

__all__ = ["html_blocks", "html_page_blocks"]

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
# What a <head> holds; any other element (or text) ends a head left open, as in a browser:
# pages of the 2000s often never close it, and their whole body would be read as head.
_HEAD_CONTENT = frozenset(
    ["head", "html", "title", "meta", "link", "style", "script", "noscript", "base", "template"]
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
    r"toolbar|tags|signup|popup|modal|banner|skip-link|visually-hidden|sr-only|"
    # MediaWiki's furniture: edit links, hatnotes, navigation boxes, screen-only notes
    r"editsection|hatnote|navbox|noprint)(?:$|[\s_-])",
    re.IGNORECASE,
)
# On a whole page the main-content extractor decides what is furniture (`main_content`):
# class names there are too loose ("has-sidebar" on <body>, "penci_sidebar" on the
# article's column), so only MediaWiki's own furniture is dropped by name, and the
# readers' comments by a whole class or id that names them (never "has-comments").
_PAGE_FURNITURE_CLASS = re.compile(
    r"(?:^|[\s_-])(?:mw-editsection|editsection|hatnote|navbox|noprint|infobox|"
    r"mw-jump-link|catlinks|sr-only|visually-hidden)(?:$|[\s_-])"
    r"|(?:^|\s)(?:comments?|commentlist|comment-list|comments-(?:area|list|section|wrapper)|"
    r"comment-(?:body|content|text)|disqus_thread)(?:$|\s)",
    re.IGNORECASE,
)
_FOOTNOTE_CLASS = re.compile(
    r"footnote|references|reflist|endnote|citations|sources|notes", re.IGNORECASE
)
_FOOTNOTE_ID = re.compile(
    r"^(?:fn|footnote|cite_note|note|ref|endnote)[-_:]?\D{0,20}?(\d{1,3})$", re.IGNORECASE
)
_LINK_NUMBER = re.compile(r"\[?(\d{1,3})\]?")
_STOPS = ".,;!?)\"'’”»"
_SUP_LABELS = re.compile(r"^\[?\s*(\d{1,3}(?:\s*[,–—-]\s*\d{1,3})*)\s*\]?$")


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
    box: str  # tag and classes of the nearest enclosing div-like element (main-content step)


_ROOT = _Context("#root", False, "para", 0, "", None, False, False, 0, "")
_META_TAGS_MAX = 500  # a page's head holds some dozens; the rest of a hostile page is ignored
_BOXES = frozenset(["div", "section", "article", "main", "td", "body"])


def _own_url(attrs: dict[str, str]) -> str | None:
    """The page's own URL when a <link> or <meta> tag gives it (canonical, og:url)."""
    if "canonical" in attrs.get("rel", "").casefold().split():
        url = attrs.get("href", "")
    elif attrs.get("property", "").casefold() == "og:url":
        url = attrs.get("content", "")
    else:
        return None
    url = url.strip().partition("#")[0].rstrip("/")
    return url if url.lower().startswith(("http://", "https://")) else None


class _Reader(HTMLParser):
    """One pass of html.parser over the guarded copy; collects blocks from the source."""

    def __init__(self, source: str, *, page: bool = False) -> None:
        super().__init__(convert_charrefs=False)
        self.source = source
        self.furniture_class = _PAGE_FURNITURE_CLASS if page else _FURNITURE_CLASS
        self.drop_names = _DROP - {"form"} if page else _DROP  # ASP.NET pages wrap all in a form
        self.line_starts = [0]
        self.line_starts.extend(m.end() for m in re.finditer("\n", source))
        self.blocks: list[Block] = []
        self.boxes: list[str] = []  # each block's box, in step with `blocks`
        self.stack: list[_Context] = [_ROOT]
        self.open_names: Counter[str] = Counter()
        self.builder = BlockBuilder(source)
        self.block_context = _ROOT
        self.markers: list[Marker] = []
        self.url: str | None = None
        self.sup_start: tuple[int, int] | None = None
        self.sup_hash = False
        self.sup_target: str | None = None  # the id a footnote link inside <sup> points at
        self.targets: dict[str, str] = {}  # id -> the label of the markers that link to it
        # an open <a href="https://..."> whose text may be a number: (text start, mark, href,
        # start tag span); a numbered link cites its URL, the entry each label's first one
        self.link: tuple[int, int, str, int, int] | None = None
        self.linked: dict[str, Block] = {}
        self.ordinals: Counter[int] = Counter()
        self.next_container = 1
        self.title: BlockBuilder | None = None  # the page <title> while it is read
        self.title_block: Block | None = None
        self.meta_tags: list[dict[str, str]] = []  # attributes of <meta> and <link> tags
        self.scripts: list[str] = []  # JSON-LD script texts
        self.ld_json: list[str] | None = None  # the JSON-LD script being read
        self.page_url: str | None = None  # the page's own URL (canonical, og:url), no fragment
        # a <br> ended the last line and no text followed yet: a second one ends the paragraph
        self.after_break = False

    def position(self) -> int:
        """Input offset of the event being handled."""
        line, column = self.getpos()
        return self.line_starts[line - 1] + column

    # -- html.parser events ------------------------------------------------

    def handle_data(self, data: str) -> None:
        start = self.position()
        self.text(start, start + len(data))

    def handle_entityref(self, name: str) -> None:
        self.entity(self.position(), "&" + name)

    def handle_charref(self, name: str) -> None:
        self.entity(self.position(), "&#" + name)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        start = self.position()
        raw = self.get_starttag_text() or ""
        self.open_element(tag, attrs, start, start + len(raw))

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.handle_starttag(tag, attrs)
        if tag not in _VOID:
            self.close_element(tag)

    def handle_endtag(self, tag: str) -> None:
        self.close_element(tag)

    # -- text ----------------------------------------------------------------

    def entity(self, start: int, raw: str) -> None:
        end = start + len(raw)
        if self.source.startswith(";", end):
            end += 1
        decoded = html.unescape(self.source[start:end])
        if decoded == self.source[start:end]:
            self.text(start, end)
            return
        self.text(start, end, decoded.replace("\n", " "))

    def text(self, start: int, end: int, decoded: str | None = None) -> None:
        context = self.stack[-1]
        if end <= start:
            return
        if context.name == "head" and not (decoded or self.source[start:end]).isspace():
            self.close_element("head")  # text ends a <head> left open, as in a browser
            context = self.stack[-1]
        if context.name == "title" and self.title is not None:
            self._append(self.title, start, end, decoded)
            return
        if context.drop:
            if self.ld_json is not None and context.name == "script":
                self.ld_json.append(self.source[start:end])
            return
        if not len(self.builder):
            self.block_context = context
        if self.after_break and not (decoded or self.source[start:end]).isspace():
            self.after_break = False
        self._append(self.builder, start, end, decoded)

    def _append(self, builder: BlockBuilder, start: int, end: int, decoded: str | None) -> None:
        if decoded is not None:
            builder.put(decoded, start, end)
            return
        piece = self.source[start:end]
        builder.copy(start, end, text=piece.replace("\n", " ") if "\n" in piece else None)

    # -- structure -------------------------------------------------------------

    def flush(self) -> None:
        builder = self.builder
        if len(builder) and builder.text().strip():
            context = self.block_context
            label = None
            container = context.container
            if container == "footnotes" and context.kind != "heading":
                match = _FOOTNOTE_ID.match(context.anchor or "")
                self.ordinals[context.footnotes_id] += 1
                label = match.group(1) if match else str(self.ordinals[context.footnotes_id])
            self.boxes.append(context.box)
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
        self.after_break = False
        self.markers = []
        self.url = None
        self.sup_start = None
        self.link = None
        self.block_context = self.stack[-1]

    def open_element(
        self, name: str, attr_list: list[tuple[str, str | None]], start: int, end: int
    ) -> None:
        if self.stack[-1].name == "head" and name not in _HEAD_CONTENT:
            self.close_element("head")  # as a browser ends a <head> left open
        parent = self.stack[-1]
        if name in _BLOCK:
            self.flush()
        if name == "br":
            if not parent.drop and len(self.builder):
                if self.after_break and self.block_context.kind == "para":
                    self.flush()  # <br><br>: how pages without <p> write paragraphs
                else:
                    self.builder.line_break(start, end)
                    self.after_break = True
            return
        if name in ("meta", "link") and len(self.meta_tags) < _META_TAGS_MAX:
            self.meta_tags.append({key: value or "" for key, value in attr_list})
            if self.page_url is None:
                self.page_url = _own_url(self.meta_tags[-1])
        if name in _VOID:
            return
        attrs: dict[str, str] = {}
        for key, value in attr_list:
            attrs.setdefault(key, value or "")
        marks = f"{attrs.get('class', '')} {attrs.get('id', '')} {attrs.get('role', '')}"
        drop = parent.drop or name in self.drop_names
        if name == "header" and not parent.in_article:
            drop = True
        if name == "title" and self.title_block is None and self.title is None:
            self.title = BlockBuilder(self.source)
        container = parent.container
        footnotes_id = parent.footnotes_id
        if name in ("ol", "ul", "section", "div", "aside", "footer") and _FOOTNOTE_CLASS.search(
            marks
        ):
            container = "footnotes"
            footnotes_id = self.next_container
            self.next_container += 1
            drop = parent.drop  # a footnotes list is kept even inside a footer or aside
        elif not drop and self.furniture_class.search(marks) and container != "footnotes":
            drop = True
        if name in ("td", "th") and container != "footnotes":
            container = "table"  # a data table's cells, or a layout table's prose: see structure
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
            if self.page_url is not None and "#" in href:
                # a saved page writes its in-page links out whole: <page URL>#cite_note-1
                base, _, fragment = href.partition("#")
                href = f"#{fragment}" if base.rstrip("/") == self.page_url else href
            if href.startswith("#"):
                hash_link = True
                self.sup_hash = self.sup_hash or self.sup_start is not None
                if self.sup_start is not None:
                    self.sup_target = href[1:]
            elif href and not drop:
                self.url = self.url or href
                if href.lower().startswith(("http://", "https://")):
                    self.link = (len(self.builder), self.builder.mark(), href, start, end)
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
            f"{name}.{attrs.get('class', '')}" if name in _BOXES else parent.box,
        )
        self.stack.append(context)
        self.open_names[name] += 1
        if name == "script" and attrs.get("type", "").strip().lower() == "application/ld+json":
            self.ld_json = [] if len(self.scripts) < LD_JSON_MAX else None
        if name == "sup" and not drop:
            self.sup_start = (len(self.builder), self.builder.mark())
            self.sup_hash = hash_link
            self.sup_target = None
            if not len(self.builder):
                self.block_context = parent

    def close_element(self, name: str) -> None:
        if self.open_names[name] <= 0:
            return
        if name == "a" and self.link is not None:
            self._link_marker()
        if name == "sup" and self.sup_start is not None:
            self._sup_marker()
        if name == "script" and self.ld_json is not None:
            self.scripts.append("".join(self.ld_json))
            self.ld_json = None
        if name == "title" and self.title is not None:
            self.title_block = self.title.build("heading", container="title")
            self.title = None
        while len(self.stack) > 1:
            context = self.stack.pop()
            self.open_names[context.name] -= 1
            if context.name == name:
                break
        if name in _BLOCK:
            self.flush()

    def _link_marker(self) -> None:
        assert self.link is not None
        start, mark, href, tag_start, tag_end = self.link
        self.link = None
        number = _LINK_NUMBER.fullmatch(self.builder.since(mark).strip())
        before = self.builder.before(mark, 2).rstrip()
        follows = bool(self.markers) and self.markers[-1].end >= start - 1  # [1][4]
        if number is None or not (
            follows or (before and (before[-1].isalpha() or before[-1] in _STOPS))
        ):
            return  # a link that is not a footnote number ("page 2" links, numbers in lists)
        label = number.group(1).lstrip("0") or "0"
        self.markers.append(Marker(start, len(self.builder), (label,), "link"))
        if label not in self.linked:
            entry = BlockBuilder(self.source)
            entry.put(href, tag_start, tag_end)
            self.linked[label] = entry.build("footnote", label=label, url=href)

    def _sup_marker(self) -> None:
        assert self.sup_start is not None
        start, mark = self.sup_start
        self.sup_start = None
        if self.markers and self.markers[-1].start >= start:
            return  # a numbered link inside it is the marker already
        end = len(self.builder)
        inner = self.builder.since(mark).strip()
        match = _SUP_LABELS.match(inner)
        if match is None:
            return
        labels = expand_labels(match.group(1))
        if not (self.sup_hash or inner.startswith("[")):
            # <sup>1</sup> with no link: a marker only where a superscript digit would be
            # one (the markers step decides: `m<sup>2</sup>` is a unit, `x<sup>3</sup>` a power)
            self.markers.append(Marker(start, end, labels, "bare"))
            return
        self.markers.append(Marker(start, end, labels, "html"))
        if self.sup_target and len(labels) == 1:
            self.targets.setdefault(self.sup_target, labels[0])

    def read(self) -> list[Block]:
        self.feed(guard_html(self.source))
        self.close()
        self._link_targets()
        return self.blocks + list(self.linked.values())

    def _link_targets(self) -> None:
        """An element that footnote links point at is a reference entry, whatever its id."""
        if not self.targets:
            return
        for block in self.blocks:
            label = self.targets.get(block.anchor or "")
            if label is not None and block.container != "footnotes" and block.kind != "heading":
                block.container = "footnotes"
                block.label = label

    def close(self) -> None:
        super().close()
        if self.title is not None:  # an unclosed <title>
            self.title_block = self.title.build("heading", container="title")
            self.title = None
        self.flush()
        if self.title_block is not None and self.title_block.text.strip():
            self.blocks.insert(0, self.title_block)
            self.boxes.insert(0, "")


def html_page_blocks(source: str) -> tuple[list[Block], list[str], PageMeta | None]:
    """Blocks of a whole page (see `html_blocks`), each one's enclosing box, its metadata."""
    reader = _Reader(source, page=True)
    blocks = reader.read()
    boxes = reader.boxes + [""] * (len(blocks) - len(reader.boxes))
    return blocks, boxes, page_meta(reader.meta_tags, reader.scripts)


def html_blocks(source: str, *, page: bool = False) -> list[Block]:
    """Blocks of an HTML document in reading order; the page <title> first, if any.

    `page`: a whole page, whose furniture the main-content step removes; only
    MediaWiki's furniture is dropped here by its class names."""
    return _Reader(source, page=page).read()
