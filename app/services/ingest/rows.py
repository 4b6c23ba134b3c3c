"""A split article as table rows: the one way a split becomes what is stored."""

from __future__ import annotations

import hashlib
import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from sqlalchemy.orm import Session

from app.repository.entities import ensure_entities
from app.repository.kinds import CITATION_KINDS
from app.repository.writes import ClaimRow
from app.services.registries import actor_rows, topic_row
from app.splitter.actors.registry import ActorRegistry
from app.splitter.types import Citation, SplitResult
from app.views import Utf16Offsets, integrity_json, source_json

__all__ = ["SplitRows", "split_rows", "text_hash"]

_WHITESPACE = re.compile(r"\s+")
# One row per (claim, source): a marker outranks an inline mention, either outranks context.
_KIND_RANK = {kind: rank for rank, kind in enumerate(CITATION_KINDS)}


def text_hash(*, text: str, format: str) -> str:
    """An article's identity: its format and its Unicode- and whitespace-normalised text."""
    normalised = _WHITESPACE.sub(" ", unicodedata.normalize("NFC", text)).strip()
    return hashlib.sha256(f"{format}\n{normalised}".encode("utf-8", "surrogatepass")).hexdigest()


@dataclass(frozen=True, slots=True)
class SplitRows:
    """A split result as table rows, its entities resolved to ids."""

    article: dict[str, Any]
    references: list[dict[str, Any]]
    claims: list[ClaimRow]


def _unique_citations(
    citations: Iterable[Citation], source_ids: dict[str, int]
) -> list[tuple[int, str, str | None]]:
    best: dict[int, tuple[int, str, str | None]] = {}
    for citation in citations:
        source_id = source_ids[citation.source.slug]
        current = best.get(source_id)
        if current is None or _KIND_RANK[citation.kind] < _KIND_RANK[current[1]]:
            best[source_id] = (source_id, citation.kind, citation.label)
    return list(best.values())


def split_rows(
    session: Session, *, text: str, result: SplitResult, actors: ActorRegistry
) -> SplitRows:
    """Resolve (creating where new) every source, actor and topic, and build the rows."""
    sources = {
        source.slug: source_json(source)
        for source in (
            *(ref.source for ref in result.references if ref.source is not None),
            *((result.publisher,) if result.publisher is not None else ()),
            *(c.source for s in result.statements for c in s.citations),
        )
    }
    source_ids = ensure_entities(session, kind="source", rows=sources.values())
    actor_ids = ensure_entities(
        session,
        kind="actor",
        rows=actor_rows(actors, (a for s in result.statements for a in s.actors)),
    )
    topic_ids = ensure_entities(
        session,
        kind="topic",
        rows=(topic_row(t.slug, t.name) for s in result.statements for t in s.topics),
    )
    version = result.splitter_version
    utf16 = Utf16Offsets(text)
    return SplitRows(
        article={
            "title": result.title,
            "splitter_version": version,
            "language": result.language,
            "integrity": integrity_json(result.integrity),
            "source_id": None if result.publisher is None else source_ids[result.publisher.slug],
        },
        references=[
            {
                "position": position,
                "label": ref.label,
                "text": ref.text,
                "url": ref.url,
                "source_id": None if ref.source is None else source_ids[ref.source.slug],
            }
            for position, ref in enumerate(result.references)
        ],
        claims=[
            ClaimRow(
                values={
                    "position": statement.position,
                    "text": statement.text,
                    "section": statement.section,
                    "span_start": statement.span.start,
                    "span_end": statement.span.end,
                    "span_utf16_start": utf16(statement.span.start),
                    "span_utf16_end": utf16(statement.span.end),
                    "paragraph": statement.paragraph,
                    "splitter_version": version,
                },
                citations=_unique_citations(statement.citations, source_ids),
                actor_ids=list(dict.fromkeys(actor_ids[a.slug] for a in statement.actors)),
                topic_ids=list(dict.fromkeys(topic_ids[t.slug] for t in statement.topics)),
            )
            for statement in result.statements
        ],
    )
