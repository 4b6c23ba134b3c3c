"""A split result as the JSON of POST /v1/split (and the parts stored articles share)."""

from __future__ import annotations

import re
from bisect import bisect_left
from typing import Any

from app.splitter import Citation, Integrity, Source, SplitResult

__all__ = ["Utf16Offsets", "integrity_json", "source_json", "split_response"]

_ASTRAL = re.compile("[\U00010000-\U0010ffff]")


class Utf16Offsets:
    """Code point offsets of one text turned into UTF-16 code unit offsets."""

    __slots__ = ("_astral",)

    def __init__(self, text: str) -> None:
        # Only characters outside the Basic Multilingual Plane take two units;
        # remember where they are and count those before an offset.
        self._astral = [match.start() for match in _ASTRAL.finditer(text)]

    def __call__(self, offset: int) -> int:
        """The UTF-16 offset of a code point offset."""
        return offset + bisect_left(self._astral, offset)


def source_json(source: Source) -> dict[str, Any]:
    """A publisher as the API shows it (and as the source table stores it)."""
    return {
        "slug": source.slug,
        "name": source.name,
        "aliases": list(source.aliases),
        "domains": list(source.domains),
    }


def _citation_json(citation: Citation) -> dict[str, Any]:
    return {
        "slug": citation.source.slug,
        "name": citation.source.name,
        "label": citation.label,
        "kind": citation.kind,
    }


def integrity_json(integrity: Integrity) -> dict[str, Any]:
    """The integrity report as the API shows it."""
    return {
        "clean": integrity.clean,
        "dangling_markers": list(integrity.dangling_markers),
        "uncited_references": list(integrity.uncited_references),
        "duplicate_labels": list(integrity.duplicate_labels),
        "marker_styles": list(integrity.marker_styles),
    }


def split_response(result: SplitResult, *, text: str) -> dict[str, Any]:
    """The JSON of POST /v1/split for the split result of `text`."""
    utf16 = Utf16Offsets(text)
    return {
        "title": result.title,
        "references": [
            {
                "label": ref.label,
                "text": ref.text,
                "url": ref.url,
                "source": None if ref.source is None else source_json(ref.source),
            }
            for ref in result.references
        ],
        "claims": [
            {
                "position": statement.position,
                "text": statement.text,
                "section": statement.section,
                "span": {"start": statement.span.start, "end": statement.span.end},
                "span_utf16": {
                    "start": utf16(statement.span.start),
                    "end": utf16(statement.span.end),
                },
                "sources": [_citation_json(c) for c in statement.sources],
                "context_sources": [_citation_json(c) for c in statement.context_sources],
                "actors": [
                    {"slug": a.slug, "name": a.name, "type": a.type} for a in statement.actors
                ],
                "topics": [{"slug": t.slug, "name": t.name} for t in statement.topics],
                "topics_context": [
                    {"slug": t.slug, "name": t.name} for t in statement.topics_context
                ],
                "splitter_version": result.splitter_version,
            }
            for statement in result.statements
        ],
        "integrity": integrity_json(result.integrity),
        "splitter_version": result.splitter_version,
        "language": result.language,
    }
