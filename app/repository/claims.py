"""Claim reads: pages of ids through the query SQL, counts, facets, and the rows of claims."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from typing import Any, NamedTuple

from sqlalchemy.orm import Session

from app.models import POSITION_BITS
from app.repository import counters
from app.repository.claim_query import ClaimQuery, ClaimSql, build_claim_sql
from app.repository.kinds import KINDS, EntityKind
from app.repository.sql import dialect_of, json_value, mappings, rows

__all__ = [
    "FACET_SQL",
    "HYDRATION",
    "ClaimRowKey",
    "ClaimRows",
    "claim_rows",
    "count_claims",
    "facet_counts",
    "is_unfiltered",
    "list_claim_keys",
    "matching_more_than",
]


class ClaimRows(NamedTuple):
    """The rows of some claims: what app.views.claims_json turns into JSON."""

    claims: Sequence[Sequence[Any]]  # id, article_id, position, text, section, spans, version,
    # and the article's title, url, published_at, language
    citations: Sequence[Sequence[Any]]  # claim_id, slug, name, label, kind
    actors: Sequence[Sequence[Any]]  # claim_id, slug, name, type
    topics: Sequence[Sequence[Any]]  # claim_id, slug, name


# A page's claims with their sources, actors and topics: the hot path of every
# list, four small statements, one per field of ClaimRows.
HYDRATION = {
    "claims": "SELECT c.id, c.article_id, c.position, c.text, c.section, c.span_start, c.span_end, "
    "c.span_utf16_start, c.span_utf16_end, c.splitter_version, a.title, a.url, a.published_at, "
    "a.language "
    "FROM claim c JOIN article a ON a.id = c.article_id WHERE c.id IN :ids",
    "citations": "SELECT l.claim_id, s.slug, s.name, l.label, l.kind FROM claim_citation l "
    "JOIN source s ON s.id = l.source_id WHERE l.claim_id IN :ids",
    "actors": "SELECT l.claim_id, a.slug, a.name, a.type FROM claim_actor l "
    "JOIN actor a ON a.id = l.actor_id WHERE l.claim_id IN :ids ORDER BY a.slug",
    "topics": "SELECT l.claim_id, t.slug, t.name FROM claim_topic l "
    "JOIN topic t ON t.id = l.topic_id WHERE l.claim_id IN :ids ORDER BY t.slug",
}


# One facet over the matching claims: counted per entity id over the link table
# alone, names looked up for the top few only.
FACET_SQL = (
    "SELECT e.slug, e.name, t.n AS claim_count FROM ("
    "SELECT l.{link_column} AS entity_id, count(*) AS n FROM ({matching}) AS m "
    "JOIN {link_table} l ON l.claim_id = m.id{kinds} "
    "GROUP BY l.{link_column} ORDER BY n DESC, l.{link_column} LIMIT {limit}) AS t "
    "JOIN {entity_table} e ON e.id = t.entity_id ORDER BY t.n DESC, e.slug"
)


def claim_rows(session: Session, *, ids: Sequence[int]) -> ClaimRows:
    """The rows of the claims with these ids, with their sources, actors and topics."""
    if not ids:
        return ClaimRows([], [], [], [])
    params = {"ids": list(ids)}
    return ClaimRows(**{name: rows(session, sql, params) for name, sql in HYDRATION.items()})


class ClaimRowKey(NamedTuple):
    """Where a matching claim stands in its query's order, and its snippet.

    A tuple, not a dataclass: a page builds one per row, and a frozen dataclass
    costs three times as much to make.
    """

    key: int
    id: int
    ord: Any = None
    snippet: str | None = None


def list_claim_keys(
    session: Session, *, query: ClaimQuery, after: Sequence[Any] | None, limit: int
) -> list[ClaimRowKey]:
    """The next `limit` matching claims in the query's order."""
    built = build_claim_sql(query, dialect=dialect_of(session), after=after, limit=limit)
    # Columns: key, id, then the order value when ranked, then the snippet when searching.
    ranked = query.order != "reading"
    return [
        ClaimRowKey(
            key=row[0],
            id=row[1],
            ord=row[2] if ranked else None,
            snippet=row[-1] if query.search else None,
        )
        for row in rows(session, built.sql, built.params)
    ]


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
    dialect = dialect_of(session)
    built = build_claim_sql(query, dialect=dialect, for_count=True)
    if estimated and dialect == "postgresql":
        ((plan,),) = rows(session, *built.within("EXPLAIN (FORMAT JSON) {}"))
        return int(json_value(plan)[0]["Plan"]["Plan Rows"])
    ((counted,),) = rows(session, *built.within("SELECT count(*) FROM ({}) AS matching"))
    return int(counted)


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
        return mappings(
            session,
            f"SELECT slug, name, claim_count FROM {spec.entity_table} WHERE claim_count > 0 "
            "ORDER BY claim_count DESC, slug LIMIT :limit",
            {"limit": limit},
        )
    matching = build_claim_sql(query, dialect=dialect_of(session), limit=scan_limit)
    return mappings(session, *facet_sql(matching, spec, kinds=query.kinds, limit=limit))


def facet_sql(
    matching: ClaimSql, spec: EntityKind, *, kinds: Sequence[str], limit: int
) -> tuple[str, dict[str, Any]]:
    """One facet's statement over the matching claims, and its values: counts per entity
    from the link table alone, names only for the top `limit`."""
    statement = FACET_SQL.format(
        matching=matching.sql,
        link_table=spec.link_table,
        link_column=spec.link_column,
        entity_table=spec.entity_table,
        kinds=" AND l.kind IN :facet_kinds" if spec.by_kind else "",
        limit=":facet_limit",
    )
    by_kind = {"facet_kinds": list(kinds)} if spec.by_kind else {}
    return statement, {**matching.params, "facet_limit": limit, **by_kind}


def _language_counts(
    session: Session, *, query: ClaimQuery, limit: int, scan_limit: int
) -> list[dict[str, Any]]:
    """Claims per article language over (at most `scan_limit` of) the matching claims."""
    matching = build_claim_sql(query, dialect=dialect_of(session), limit=scan_limit)
    return mappings(
        session,
        *matching.within(
            "SELECT a.language AS slug, a.language AS name, count(*) AS claim_count "
            f"FROM ({{}}) AS m JOIN article a ON a.id = m.key / {1 << POSITION_BITS} "
            "WHERE a.language IS NOT NULL GROUP BY a.language "
            "ORDER BY claim_count DESC, a.language LIMIT :facet_limit",
            facet_limit=limit,
        ),
    )


def matching_more_than(session: Session, *, query: ClaimQuery, count: int) -> bool:
    """True when more than `count` claims match (reads at most count + 1 keys)."""
    probe = build_claim_sql(query, dialect=dialect_of(session), limit=count + 1)
    ((counted,),) = rows(session, *probe.within("SELECT count(*) FROM ({}) AS m"))
    return int(counted) > count
