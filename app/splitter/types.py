"""The splitter's vocabulary: immutable values that carry offsets into the input.

Every span indexes the text exactly as the caller passed it (code points, not
bytes, not UTF-16 units), so a client can always slice the original article.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

__all__ = [
    "Actor",
    "ActorType",
    "Citation",
    "CitationKind",
    "Format",
    "Integrity",
    "PageMeta",
    "Reference",
    "Source",
    "Span",
    "SplitResult",
    "Statement",
    "Topic",
]

Format = Literal["text", "markdown", "html"]
CitationKind = Literal["cited", "inline", "context"]
ActorType = Literal["person", "country", "organization", "group"]


@dataclass(frozen=True, slots=True)
class Span:
    """Half-open range [start, end) of code points in the received text."""

    start: int
    end: int


@dataclass(frozen=True, slots=True)
class Source:
    """A publisher, canonical after registry lookup (or named from its reference)."""

    slug: str
    name: str
    aliases: tuple[str, ...] = ()
    domains: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Reference:
    """One entry of the article's reference list (or a 'Sources:' line)."""

    label: str  # bare label: "1", never "[1]" or "^1"; "" for an unlabelled source line
    text: str  # the entry as written, markup stripped
    url: str | None
    source: Source | None
    span: Span


@dataclass(frozen=True, slots=True)
class Citation:
    """A source attributed to one statement, and how the attribution was found."""

    source: Source
    kind: CitationKind  # cited: a marker in the sentence; inline: "(Reuters)"; context: paragraph
    label: str | None  # the reference label for cited/context-from-marker, None for inline


@dataclass(frozen=True, slots=True)
class Actor:
    """Who a statement is about, canonical."""

    slug: str
    name: str
    type: ActorType


@dataclass(frozen=True, slots=True)
class Topic:
    """What a statement is about, a slug of the loaded taxonomy."""

    slug: str
    name: str


@dataclass(frozen=True, slots=True)
class Statement:
    """One sentence of the article, markers removed, with what it cites and concerns."""

    position: int  # 0-based order in the article
    text: str  # the sentence, markers cut, whitespace folded
    section: str | None  # the heading it stands under
    span: Span  # the sentence in the received text, markers included
    paragraph: int  # 0-based index of the paragraph/block it belongs to
    citations: tuple[Citation, ...] = ()
    actors: tuple[Actor, ...] = ()
    topics: tuple[Topic, ...] = ()
    # topics its paragraph's other sentences name and it only implies; never in `topics`
    topics_context: tuple[Topic, ...] = ()

    @property
    def sources(self) -> tuple[Citation, ...]:
        """Citations the sentence itself makes (marker or inline)."""
        return tuple(c for c in self.citations if c.kind != "context")

    @property
    def context_sources(self) -> tuple[Citation, ...]:
        """Citations inherited from the paragraph."""
        return tuple(c for c in self.citations if c.kind == "context")


@dataclass(frozen=True, slots=True)
class Integrity:
    """Problems a client or CI may want to fail on; clean when all are empty."""

    dangling_markers: tuple[str, ...] = ()  # labels cited with no reference entry
    uncited_references: tuple[str, ...] = ()  # labels never cited
    duplicate_labels: tuple[str, ...] = ()
    marker_styles: tuple[str, ...] = ()  # e.g. ("bracket", "superscript"); >1 means mixed

    @property
    def clean(self) -> bool:
        """True when there is nothing to report."""
        return not (
            self.dangling_markers
            or self.uncited_references
            or self.duplicate_labels
            or len(self.marker_styles) > 1
        )


@dataclass(frozen=True, slots=True)
class PageMeta:
    """What a whole HTML page's own metadata says about its article, as written."""

    title: str | None = None  # JSON-LD headline, else og:title
    published: str | None = None  # JSON-LD datePublished, else article:published_time
    url: str | None = None  # <link rel="canonical">, else og:url
    site_name: str | None = None  # og:site_name, else the JSON-LD publisher: its own source


@dataclass(frozen=True, slots=True)
class SplitResult:
    """Everything the splitter found in one article."""

    title: str | None
    references: tuple[Reference, ...]
    statements: tuple[Statement, ...]
    integrity: Integrity = field(default_factory=Integrity)
    splitter_version: str = ""
    language: str | None = None  # ISO 639 primary subtag, given by the client or detected
    page: PageMeta | None = None  # whole HTML pages only
    publisher: Source | None = None  # the publisher the page names for itself, as a source
