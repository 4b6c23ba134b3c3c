"""Claim reads: pages of ids through the query SQL, counts, facets, rows built into dicts."""

from __future__ import annotations

import html
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import replace
from datetime import UTC, datetime
from functools import lru_cache
from typing import Any, NamedTuple

import orjson
from sqlalchemy import text
from sqlalchemy.orm import Session

from app.links import claim_url
from app.models import POSITION_BITS
from app.repository import counters
from app.repository.claim_query import (
    SNIPPET_END,
    SNIPPET_START,
    ClaimQuery,
    build_claim_sql,
)
from app.repository.driver import driver_rows
from app.repository.kinds import KINDS

__all__ = [
    "ClaimRowKey",
    "claims_by_ids",
    "count_claims",
    "facet_counts",
    "is_unfiltered",
    "list_claim_keys",
    "matching_more_than",
]

# Page hydration: the hot path of every list, run on the driver's cursor (see driver.py).
_CLAIMS = (
    "SELECT c.id, c.article_id, c.position, c.text, c.section, c.span_start, c.span_end, "
    "c.span_utf16_start, c.span_utf16_end, c.splitter_version, a.title, a.url, a.published_at, "
    "a.language "
    "FROM claim c JOIN article a ON a.id = c.article_id WHERE c.id IN ({ids})"
)
_CITATIONS = (
    "SELECT l.claim_id, s.slug, s.name, l.label, l.kind FROM claim_citation l "
    "JOIN source s ON s.id = l.source_id WHERE l.claim_id IN ({ids})"
)
_ACTORS = (
    "SELECT l.claim_id, a.slug, a.name, a.type FROM claim_actor l "
    "JOIN actor a ON a.id = l.actor_id WHERE l.claim_id IN ({ids}) ORDER BY a.slug"
)
_TOPICS = (
    "SELECT l.claim_id, t.slug, t.name FROM claim_topic l "
    "JOIN topic t ON t.id = l.topic_id WHERE l.claim_id IN ({ids}) ORDER BY t.slug"
)


def _rows_for_ids(session: Session, sql: str, ids: list[int]) -> list[tuple[Any, ...]]:
    return driver_rows(session, sql.format(ids=",".join("?" * len(ids))), ids)


@lru_cache(maxsize=4096)
def _utc_text(value: str) -> datetime:
    # A page's claims come from a few dozen articles, the same ones page after page.
    return datetime.fromisoformat(value).replace(tzinfo=UTC)


def _utc(value: datetime | str | None) -> datetime | None:
    # SQLite hands back its stored text; every stored time is UTC.
    if isinstance(value, str):
        return _utc_text(value)
    if value is not None and value.tzinfo is None:
        return value.replace(tzinfo=UTC)
    return value


class ClaimRowKey(NamedTuple):
    """Where a matching claim stands in its query's order, and its snippet.

    A tuple, not a dataclass: a page builds one per row, and a frozen dataclass
    costs three times as much to make.
    """

    key: int
    id: int
    ord: Any = None
    snippet: str | None = None


def _dialect(session: Session) -> str:
    return session.get_bind().dialect.name


def list_claim_keys(
    session: Session, *, query: ClaimQuery, after: Sequence[Any] | None, limit: int
) -> list[ClaimRowKey]:
    """The next `limit` matching claims in the query's order."""
    dialect = _dialect(session)
    built = build_claim_sql(query, dialect=dialect, after=after, limit=limit)
    rows = driver_rows(session, *built.for_driver(dialect))
    # Columns: key, id, then the order value when ranked, then the snippet when searching.
    ranked = query.order != "reading"
    return [
        ClaimRowKey(
            key=row[0],
            id=row[1],
            ord=row[2] if ranked else None,
            snippet=_mark(row[-1]) if query.search else None,
        )
        for row in rows
    ]


def _mark(snippet: str | None) -> str | None:
    # Escape the claim's own text, then turn the match delimiters into <mark>.
    if snippet is None:
        return None
    escaped = html.escape(snippet, quote=False)
    return escaped.replace(SNIPPET_START, "<mark>").replace(SNIPPET_END, "</mark>")


def is_unfiltered(query: ClaimQuery) -> bool:
    """True when the query matches every claim."""
    return _plain(query) and not query.entities


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
    if is_unfiltered(query):
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
) -> list[dict[str, Any]]:
    """The top values of one facet over (at most the first `scan_limit` of) the matching claims.

    Over everything the write-kept counters answer exactly; otherwise the scan is
    bounded so a facet over a huge set answers in bounded time (see
    `matching_more_than` to tell whether it was cut short).
    """
    if facet == "language":
        return _language_counts(session, query=query, limit=limit, scan_limit=scan_limit)
    spec = KINDS[facet]
    if is_unfiltered(query):
        # Over everything, the counters kept by writes are the answer.
        rows = session.execute(
            text(
                f"SELECT slug, name, claim_count FROM {spec.entity_table} WHERE claim_count > 0 "
                "ORDER BY claim_count DESC, slug LIMIT :limit"
            ),
            {"limit": limit},
        )
        return [dict(row._mapping) for row in rows]
    matching = build_claim_sql(query, dialect=_dialect(session), limit=scan_limit)
    params = dict(matching.params)
    kind_condition = ""
    if spec.by_kind:
        kind_condition = " AND l.kind IN :facet_kinds"
        params["facet_kinds"] = list(query.kinds)
    # Count per entity id over the link table alone; names only for the top few.
    statement = matching.clause(
        "SELECT e.slug, e.name, t.n AS claim_count FROM ("
        f"SELECT l.{spec.link_column} AS entity_id, count(*) AS n FROM ({{}}) AS m "
        f"JOIN {spec.link_table} l ON l.claim_id = m.id{kind_condition} "
        f"GROUP BY l.{spec.link_column} ORDER BY n DESC, l.{spec.link_column} "
        "LIMIT :facet_limit) AS t "
        f"JOIN {spec.entity_table} e ON e.id = t.entity_id ORDER BY t.n DESC, e.slug",
        expanding=["facet_kinds"] if spec.by_kind else [],
    )
    params["facet_limit"] = limit
    return [dict(row._mapping) for row in session.execute(statement, params)]


def _language_counts(
    session: Session, *, query: ClaimQuery, limit: int, scan_limit: int
) -> list[dict[str, Any]]:
    """Claims per article language over (at most `scan_limit` of) the matching claims."""
    matching = build_claim_sql(query, dialect=_dialect(session), limit=scan_limit)
    statement = matching.clause(
        "SELECT a.language AS slug, a.language AS name, count(*) AS claim_count "
        f"FROM ({{}}) AS m JOIN article a ON a.id = m.key / {1 << POSITION_BITS} "
        "WHERE a.language IS NOT NULL GROUP BY a.language "
        "ORDER BY claim_count DESC, a.language LIMIT :facet_limit"
    )
    return [
        dict(row._mapping)
        for row in session.execute(statement, {**matching.params, "facet_limit": limit})
    ]


def matching_more_than(session: Session, *, query: ClaimQuery, count: int) -> bool:
    """True when more than `count` claims match (reads at most count + 1 keys)."""
    probe = build_claim_sql(query, dialect=_dialect(session), limit=count + 1)
    counted = session.execute(
        probe.clause("SELECT count(*) FROM ({}) AS m"), probe.params
    ).scalar_one()
    return int(counted) > count


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
    wanted = list(ids)
    sources: dict[int, list[dict[str, Any]]] = defaultdict(list)
    context: dict[int, list[dict[str, Any]]] = defaultdict(list)
    for claim_id, slug, name, label, kind in _rows_for_ids(session, _CITATIONS, wanted):
        target = context if kind == "context" else sources
        target[claim_id].append({"slug": slug, "name": name, "label": label, "kind": kind})
    for cited in (*sources.values(), *context.values()):
        cited.sort(key=_label_order)
    actors: dict[int, list[dict[str, Any]]] = defaultdict(list)
    for claim_id, slug, name, actor_type in _rows_for_ids(session, _ACTORS, wanted):
        actors[claim_id].append({"slug": slug, "name": name, "type": actor_type})
    topics: dict[int, list[dict[str, Any]]] = defaultdict(list)
    for claim_id, slug, name in _rows_for_ids(session, _TOPICS, wanted):
        topics[claim_id].append({"slug": slug, "name": name})
    by_id: dict[int, dict[str, Any]] = {}
    published_by_article: dict[int, datetime | None] = {}
    for row in _rows_for_ids(session, _CLAIMS, wanted):
        claim_id, article_id, position, claim_text, section, start, end = row[:7]
        start16, end16, version, title, url, published, language = row[7:]
        if article_id not in published_by_article:
            published_by_article[article_id] = _utc(published)
        claim = {
            "id": claim_id,
            "url": claim_url(claim_id),
            "article_id": article_id,
            "article": {
                "id": article_id,
                "title": title,
                "url": url,
                "published_at": published_by_article[article_id],
                "language": language,
            },
            "position": position,
            "text": claim_text,
            "section": section,
            "span": {"start": start, "end": end},
            "span_utf16": {"start": start16, "end": end16},
            "sources": sources.get(claim_id, []),
            "context_sources": context.get(claim_id, []),
            "actors": actors.get(claim_id, []),
            "topics": topics.get(claim_id, []),
            "splitter_version": version,
        }
        if snippets is not None:
            claim["snippet"] = snippets.get(claim_id)
        by_id[claim_id] = claim
    return [by_id[claim_id] for claim_id in ids if claim_id in by_id]
