"""Claim reads: pages of ids through the query SQL, counts, facets, rows built into dicts."""

from __future__ import annotations

import html
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import UTC
from typing import Any

import orjson
from sqlalchemy import DateTime, bindparam, text
from sqlalchemy.orm import Session

from app.repository import counters
from app.repository.claim_query import (
    SNIPPET_END,
    SNIPPET_START,
    ClaimQuery,
    build_claim_sql,
)
from app.repository.filters import (
    CITATION_KINDS,
    ENTITY_FILTERS,
    ClaimFilter,
    resolve_article_urls,
    resolve_entities,
)

__all__ = [
    "ClaimRowKey",
    "claims_by_ids",
    "count_claims",
    "facet_counts",
    "list_claim_keys",
    "resolve_query",
]

_CLAIMS = (
    text(
        "SELECT c.id, c.article_id, c.position, c.text, c.section, c.span_start, c.span_end, "
        "c.span_utf16_start, c.span_utf16_end, c.splitter_version, "
        "a.title, a.url, a.published_at "
        "FROM claim c JOIN article a ON a.id = c.article_id WHERE c.id IN :ids"
    )
    .bindparams(bindparam("ids", expanding=True))
    .columns(published_at=DateTime(timezone=True))
)
_CITATIONS = text(
    "SELECT l.claim_id, s.slug, s.name, l.label, l.kind FROM claim_citation l "
    "JOIN source s ON s.id = l.source_id WHERE l.claim_id IN :ids"
).bindparams(bindparam("ids", expanding=True))
_ACTORS = text(
    "SELECT l.claim_id, a.slug, a.name, a.type FROM claim_actor l "
    "JOIN actor a ON a.id = l.actor_id WHERE l.claim_id IN :ids ORDER BY a.slug"
).bindparams(bindparam("ids", expanding=True))
_TOPICS = text(
    "SELECT l.claim_id, t.slug, t.name FROM claim_topic l "
    "JOIN topic t ON t.id = l.topic_id WHERE l.claim_id IN :ids ORDER BY t.slug"
).bindparams(bindparam("ids", expanding=True))


@dataclass(frozen=True, slots=True)
class ClaimRowKey:
    """Where a matching claim stands in its query's order, and its snippet."""

    key: int
    id: int
    ord: Any = None
    snippet: str | None = None


def resolve_query(session: Session, *, filters: ClaimFilter) -> ClaimQuery:
    """Resolve every named value of filters to ids; NotFound names the first unknown one."""
    entities = tuple(
        resolve_entities(session, spec=spec, values=values)
        for spec in ENTITY_FILTERS
        if (values := getattr(filters, spec.param))
    )
    articles = list(filters.article)
    if filters.article_url:
        articles.extend(resolve_article_urls(session, urls=filters.article_url))
    kinds = CITATION_KINDS if "any" in filters.kind else filters.kind
    return ClaimQuery(
        entities=entities,
        kinds=tuple(dict.fromkeys(kinds)),
        has_source=filters.has_source,
        sections=tuple(s for s in filters.section if not s.startswith("-")),
        excluded_sections=tuple(s[1:] for s in filters.section if s.startswith("-")),
        articles=tuple(dict.fromkeys(articles)),
        since=filters.since,
        until=filters.until,
        search=filters.q,
        order=filters.order,
    )


def _dialect(session: Session) -> str:
    return session.get_bind().dialect.name


def list_claim_keys(
    session: Session, *, query: ClaimQuery, after: Sequence[Any] | None, limit: int
) -> list[ClaimRowKey]:
    """The next `limit` matching claims in the query's order."""
    built = build_claim_sql(query, dialect=_dialect(session), after=after, limit=limit)
    rows = session.execute(built.clause(), built.params)
    return [
        ClaimRowKey(
            key=row.key,
            id=row.id,
            ord=getattr(row, "ord", None),
            snippet=_mark(row.snippet) if query.search else None,
        )
        for row in rows
    ]


def _mark(snippet: str | None) -> str | None:
    # Escape the claim's own text, then turn the match delimiters into <mark>.
    if snippet is None:
        return None
    escaped = html.escape(snippet, quote=False)
    return escaped.replace(SNIPPET_START, "<mark>").replace(SNIPPET_END, "</mark>")


def _plain(query: ClaimQuery) -> bool:
    """True when the query has no condition besides entity filters (default kinds)."""
    return replace(query, entities=(), order="reading") == ClaimQuery()


def _counter_estimate(session: Session, query: ClaimQuery) -> int | None:
    """An estimate from the running counters, for queries made of entity filters only.

    Exact for no filter and for one entity; for several, filters are taken as
    independent: total x the product of each filter's share of all claims.
    """
    if not _plain(query) or any(r.negated for r in query.entities):
        return None
    total = counters.total_claims(session)
    estimate = float(total)
    for resolved in query.entities:
        counts = counters.entity_counts(
            session, entity_table=resolved.spec.entity_table, ids=resolved.ids
        )
        matching = min(total, sum(counts.values()))
        if len(query.entities) == 1:
            return matching
        estimate *= matching / total if total else 0.0
    return round(estimate)


def count_claims(session: Session, *, query: ClaimQuery, estimated: bool) -> int:
    """How many claims match: exactly, or estimated from counters or the planner."""
    if _plain(query) and not query.entities:
        return counters.total_claims(session)
    if estimated and (guess := _counter_estimate(session, query)) is not None:
        return guess
    dialect = _dialect(session)
    built = build_claim_sql(query, dialect=dialect, for_count=True)
    if estimated and dialect == "postgresql":
        plan = session.execute(built.clause("EXPLAIN (FORMAT JSON) {}"), built.params).scalar_one()
        document = orjson.loads(plan) if isinstance(plan, str | bytes) else plan
        return int(document[0]["Plan"]["Plan Rows"])
    counted = built.clause("SELECT count(*) FROM ({}) AS matching")
    return int(session.execute(counted, built.params).scalar_one())


def facet_counts(
    session: Session, *, query: ClaimQuery, facet: str, limit: int, scan_limit: int
) -> tuple[list[dict[str, Any]], bool]:
    """The top values of one facet over the matching claims, and whether the scan was cut.

    At most `scan_limit` matching claims are counted, so a facet over a huge set
    answers in bounded time and says it was truncated rather than timing out.
    """
    spec = next(spec for spec in ENTITY_FILTERS if spec.param == facet)
    if _plain(query) and not query.entities:
        # Over everything, the counters kept by writes are the answer.
        rows = session.execute(
            text(
                f"SELECT slug, name, claim_count FROM {spec.entity_table} WHERE claim_count > 0 "
                "ORDER BY claim_count DESC, slug LIMIT :limit"
            ),
            {"limit": limit},
        )
        return [dict(row._mapping) for row in rows], False
    dialect = _dialect(session)
    matching = build_claim_sql(query, dialect=dialect, limit=scan_limit + 1)
    params = dict(matching.params)
    total = int(
        session.execute(matching.clause("SELECT count(*) FROM ({}) AS m"), params).scalar_one()
    )
    kind_condition = ""
    if spec.by_kind:
        kind_condition = " AND l.kind IN :facet_kinds"
        params["facet_kinds"] = list(query.kinds)
    statement = matching.clause(
        "SELECT e.slug, e.name, count(*) AS claim_count FROM ({}) AS m "
        f"JOIN {spec.link_table} l ON l.claim_id = m.id{kind_condition} "
        f"JOIN {spec.entity_table} e ON e.id = l.{spec.link_column} "
        "GROUP BY e.slug, e.name ORDER BY claim_count DESC, e.slug LIMIT :facet_limit",
        expanding=["facet_kinds"] if spec.by_kind else [],
    )
    params["facet_limit"] = limit
    values = [dict(row._mapping) for row in session.execute(statement, params)]
    return values, total > scan_limit


def _label_order(citation: dict[str, Any]) -> tuple[int, int, str]:
    # Labels read as the article numbers them: 2 before 10; inline citations last.
    label = citation["label"]
    if label is None:
        return (2, 0, citation["slug"])
    return (0, int(label), "") if label.isdigit() else (1, 0, label)


def claims_by_ids(
    session: Session, *, ids: Sequence[int], snippets: dict[int, str | None] | None = None
) -> list[dict[str, Any]]:
    """The claims with these ids as response dicts, in the order of `ids`."""
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
    by_id: dict[int, dict[str, Any]] = {}
    for row in session.execute(_CLAIMS, params):
        published = row.published_at
        if published is not None and published.tzinfo is None:
            published = published.replace(tzinfo=UTC)
        claim = {
            "id": row.id,
            "article_id": row.article_id,
            "article": {
                "id": row.article_id,
                "title": row.title,
                "url": row.url,
                "published_at": published,
            },
            "position": row.position,
            "text": row.text,
            "section": row.section,
            "span": {"start": row.span_start, "end": row.span_end},
            "span_utf16": {"start": row.span_utf16_start, "end": row.span_utf16_end},
            "sources": sources.get(row.id, []),
            "context_sources": context.get(row.id, []),
            "actors": actors.get(row.id, []),
            "topics": topics.get(row.id, []),
            "splitter_version": row.splitter_version,
        }
        if snippets is not None:
            claim["snippet"] = snippets.get(row.id)
        by_id[row.id] = claim
    return [by_id[claim_id] for claim_id in ids if claim_id in by_id]
