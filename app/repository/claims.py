"""Claim reads: a page of ids through the filter SQL, then rows built into JSON-ready dicts."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from typing import Any

from sqlalchemy import bindparam, text
from sqlalchemy.orm import Session

from app.repository.filters import (
    ENTITY_FILTERS,
    ClaimFilter,
    claim_ids_sql,
    resolve_entities,
)

__all__ = ["claims_by_ids", "list_claim_ids"]

_CLAIMS = text(
    "SELECT id, article_id, position, text, section, span_start, span_end, splitter_version "
    "FROM claim WHERE id IN :ids ORDER BY sort_key"
).bindparams(bindparam("ids", expanding=True))
_CITATIONS = text(
    "SELECT l.claim_id, s.slug, s.name, l.label, l.kind FROM claim_citation l "
    "JOIN source s ON s.id = l.source_id WHERE l.claim_id IN :ids "
    "ORDER BY l.claim_id, s.slug"
).bindparams(bindparam("ids", expanding=True))
_ACTORS = text(
    "SELECT l.claim_id, a.slug, a.name, a.type FROM claim_actor l "
    "JOIN actor a ON a.id = l.actor_id WHERE l.claim_id IN :ids ORDER BY l.claim_id, a.slug"
).bindparams(bindparam("ids", expanding=True))
_TOPICS = text(
    "SELECT l.claim_id, t.slug, t.name FROM claim_topic l "
    "JOIN topic t ON t.id = l.topic_id WHERE l.claim_id IN :ids ORDER BY l.claim_id, t.slug"
).bindparams(bindparam("ids", expanding=True))


def _label_order(citation: dict[str, Any]) -> tuple[int, int, str]:
    # Labels read as the article numbers them: 2 before 10; inline citations last.
    label = citation["label"]
    if label is None:
        return (2, 0, citation["slug"])
    return (0, int(label), "") if label.isdigit() else (1, 0, label)


def list_claim_ids(
    session: Session, *, filters: ClaimFilter, after: int | None, limit: int
) -> list[tuple[int, int]]:
    """(sort key, id) of the next `limit` claims matching filters in reading order.

    Unknown filter values raise NotFound naming them.
    """
    entities = [
        resolve_entities(session, spec=spec, values=values)
        for spec in ENTITY_FILTERS
        if (values := getattr(filters, spec.param))
    ]
    # Drive the scan from the most selective filter: the one naming fewest entities.
    entities.sort(key=lambda resolved: len(resolved.ids))
    statement, params = claim_ids_sql(
        entities=entities,
        articles=filters.article,
        since=filters.since,
        until=filters.until,
        after=after,
        limit=limit,
    )
    return [(row.key, row.id) for row in session.execute(statement, params)]


def claims_by_ids(session: Session, *, ids: Sequence[int]) -> list[dict[str, Any]]:
    """The claims with these ids as response dicts, in reading order."""
    if not ids:
        return []
    params = {"ids": list(ids)}
    sources: dict[int, list[dict[str, Any]]] = defaultdict(list)
    context: dict[int, list[dict[str, Any]]] = defaultdict(list)
    for claim_id, slug, name, label, kind in session.execute(_CITATIONS, params):
        target = context if kind == "context" else sources
        target[claim_id].append({"slug": slug, "name": name, "label": label, "kind": kind})
    for cited in (*sources.values(), *context.values()):
        cited.sort(key=_label_order)
    actors: dict[int, list[dict[str, Any]]] = defaultdict(list)
    for claim_id, slug, name, actor_type in session.execute(_ACTORS, params):
        actors[claim_id].append({"slug": slug, "name": name, "type": actor_type})
    topics: dict[int, list[dict[str, Any]]] = defaultdict(list)
    for claim_id, slug, name in session.execute(_TOPICS, params):
        topics[claim_id].append({"slug": slug, "name": name})
    rows = session.execute(_CLAIMS, params)
    return [
        {
            "id": claim_id,
            "article_id": article_id,
            "position": position,
            "text": claim_text,
            "section": section,
            "span": {"start": start, "end": end},
            "sources": sources.get(claim_id, []),
            "context_sources": context.get(claim_id, []),
            "actors": actors.get(claim_id, []),
            "topics": topics.get(claim_id, []),
            "splitter_version": version,
        }
        for claim_id, article_id, position, claim_text, section, start, end, version in rows
    ]
