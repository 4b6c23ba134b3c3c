"""What templates show, worked out in Python: filter links, highlighted text, the chart."""

from __future__ import annotations

import zlib
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode, urlsplit

import pycountry

__all__ = [
    "PALETTE_SIZE",
    "Bar",
    "Chart",
    "FilterState",
    "Segment",
    "month_chart",
    "palette",
    "safe_href",
    "segments",
    "shorten",
    "source_colour",
    "source_names",
]

# Highlight colours of sources (static/style.css .src-0 ... .src-7), each AA with dark text.
PALETTE_SIZE = 8
_ENTITY_PARAMS = ("source", "actor", "topic")


def source_colour(sources: Sequence[Mapping[str, Any]]) -> str:
    """The highlight class of a claim: by its first source, the same on every page."""
    if not sources:
        return "src-none"
    return f"src-{zlib.crc32(sources[0]['slug'].encode()) % PALETTE_SIZE}"


def palette(claims: Iterable[Mapping[str, Any]]) -> dict[str, str]:
    """Highlight classes for one page's sources, in order of first citation: neighbours differ.

    A page with more sources than colours reuses them in turn.
    """
    claims = list(claims)
    # Own sources first: they colour the highlights; inherited ones only badges.
    cited = (source["slug"] for claim in claims for source in claim["sources"])
    inherited = (source["slug"] for claim in claims for source in claim["context_sources"])
    slugs = dict.fromkeys((*cited, *inherited))
    return {slug: f"src-{index % PALETTE_SIZE}" for index, slug in enumerate(slugs)}


def source_names(claims: Iterable[Mapping[str, Any]]) -> dict[str, str]:
    """Every source the claims cite or inherit: slug -> name."""
    return {
        source["slug"]: source["name"]
        for claim in claims
        for source in (*claim["sources"], *claim["context_sources"])
    }


def safe_href(url: str | None) -> str | None:
    """The URL when a link to it is safe to offer (http or https), else None."""
    if not url:
        return None
    return url if urlsplit(url.strip()).scheme.lower() in ("http", "https") else None


def shorten(text: str, limit: int = 200) -> str:
    """The text cut at a word boundary to at most `limit` characters."""
    if len(text) <= limit:
        return text
    cut = text[: limit - 1].rsplit(" ", 1)[0]
    return cut + "…"


@dataclass(frozen=True, slots=True)
class FilterState:
    """The explorer's query string: add, remove and page without losing the rest.

    The page's parameters are those of GET /v1/claims, so the same query string
    asks the API for the same claims.
    """

    pairs: tuple[tuple[str, str], ...]

    @classmethod
    def of(cls, items: Iterable[tuple[str, str]]) -> FilterState:
        """The state of a request's query items, without its cursor."""
        return cls(tuple((key, value) for key, value in items if key != "cursor"))

    def _url(self, pairs: Iterable[tuple[str, str]], path: str = "/") -> str:
        query = urlencode(list(pairs))
        return f"{path}?{query}" if query else path

    def has(self, name: str, value: str) -> bool:
        """True when the filter name=value is applied."""
        return (name, value) in self.pairs

    def adding(self, name: str, value: str) -> str:
        """The explorer URL with the filter name=value added (back on the first page)."""
        if self.has(name, value):
            return self.here()
        return self._url((*self.pairs, (name, value)))

    def removing(self, name: str, value: str) -> str:
        """The explorer URL without the filter name=value."""
        return self._url(pair for pair in self.pairs if pair != (name, value))

    def here(self) -> str:
        """The explorer URL of this state's first page."""
        return self._url(self.pairs)

    def page(self, cursor: str) -> str:
        """The explorer URL of the page after `cursor`."""
        return self._url((*self.pairs, ("cursor", cursor)))

    def api(self) -> str:
        """The same query against GET /v1/claims."""
        return self._url(self.pairs, "/v1/claims")

    def value(self, name: str) -> str:
        """The last value of a scalar parameter, or ''."""
        values = [value for key, value in self.pairs if key == name]
        return values[-1] if values else ""

    def applied(self) -> list[tuple[str, str]]:
        """The filters shown as removable: every parameter but the search and paging ones."""
        return [(k, v) for k, v in self.pairs if k not in ("q", "limit") and v != ""]

    def hidden(self) -> list[tuple[str, str]]:
        """What the search form carries along besides q."""
        return [(k, v) for k, v in self.pairs if k != "q"]


@dataclass(frozen=True, slots=True)
class Segment:
    """A run of article text: inside one claim, or between claims (claim None)."""

    text: str
    claim: Mapping[str, Any] | None = None
    start: int = 0  # code point offsets of the run in the text
    end: int = 0


def segments(text: str, claims: Iterable[Mapping[str, Any]]) -> list[Segment]:
    """The text cut at the claims' spans (code point offsets), in reading order.

    Spans are trusted to index this very text, as the splitter produced them; one
    that overlaps the previous claim is shown from where that one ends.
    """
    parts: list[Segment] = []
    at = 0
    for claim in sorted(claims, key=lambda c: (c["span"]["start"], c["span"]["end"])):
        start = max(at, min(claim["span"]["start"], len(text)))
        end = min(claim["span"]["end"], len(text))
        if end <= start:
            continue
        if start > at:
            parts.append(Segment(text[at:start], None, at, start))
        parts.append(Segment(text[start:end], claim, start, end))
        at = end
    if at < len(text):
        parts.append(Segment(text[at:], None, at, len(text)))
    return parts


@dataclass(frozen=True, slots=True)
class Bar:
    """One month of the chart, in SVG user units."""

    month: str
    count: int
    x: float
    y: float
    height: float


@dataclass(frozen=True, slots=True)
class Chart:
    """A bar chart of claims per month, laid out for an SVG of width x height."""

    bars: tuple[Bar, ...]
    width: int
    height: int
    bar_width: float
    peak: int


_CHART_MONTHS = 36


def _months(first: str, last: str) -> list[str]:
    year, month = int(first[:4]), int(first[5:7])
    months = []
    while True:
        label = f"{year:04d}-{month:02d}"
        months.append(label)
        if label >= last:
            return months
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)


def month_chart(counts: Sequence[tuple[str, int]], *, width: int = 600, height: int = 160) -> Chart:
    """Every month from the first to the last with claims (the latest 36), empty ones too."""
    by_month = dict(counts)
    months = _months(counts[0][0], counts[-1][0])[-_CHART_MONTHS:] if counts else []
    peak = max((by_month.get(m, 0) for m in months), default=0)
    plot = height - 20  # room for the labels below the bars
    slot = width / max(len(months), 1)
    bars = []
    for index, month in enumerate(months):
        count = by_month.get(month, 0)
        bar_height = plot * count / peak if peak else 0.0
        bars.append(
            Bar(
                month,
                count,
                round(index * slot + slot * 0.1, 2),
                round(plot - bar_height, 2),
                round(bar_height, 2),
            )
        )
    return Chart(tuple(bars), width, height, round(slot * 0.8, 2), peak)


def language_name(code: str) -> str:
    """The English name of an ISO 639 language code ('ru' -> 'Russian'), else the code."""
    found = pycountry.languages.get(alpha_2=code) if len(code) == 2 else None
    found = found or pycountry.languages.get(alpha_3=code)
    return str(found.name) if found is not None else code
