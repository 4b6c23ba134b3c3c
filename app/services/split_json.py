"""A split result as the JSON of POST /v1/split (and the parts stored articles share)."""

from __future__ import annotations

from typing import Any

from app.splitter import Citation, Integrity, Source, SplitResult

__all__ = ["integrity_json", "source_json", "split_response"]


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


def split_response(result: SplitResult) -> dict[str, Any]:
    """The JSON of POST /v1/split for a split result."""
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
                "sources": [_citation_json(c) for c in statement.sources],
                "context_sources": [_citation_json(c) for c in statement.context_sources],
                "actors": [
                    {"slug": a.slug, "name": a.name, "type": a.type} for a in statement.actors
                ],
                "topics": [{"slug": t.slug, "name": t.name} for t in statement.topics],
                "splitter_version": result.splitter_version,
            }
            for statement in result.statements
        ],
        "integrity": integrity_json(result.integrity),
        "splitter_version": result.splitter_version,
    }
