"""The filter table: each query parameter's clause, and plans that never sort a filtered set."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import pytest
from pydantic import BaseModel
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session

from app.db import is_sqlite
from app.repository.articles import article_list_sql
from app.repository.claim_query import ClaimQuery, build_claim_sql, resolve_query
from app.repository.filters import ArticleFilter, ClaimFilter, ResolvedFilter
from app.repository.kinds import KINDS
from app.repository.sql import bound

SPEC = KINDS
DAY = datetime(2026, 1, 1, tzinfo=UTC)


def _resolved(param: str, ids: tuple[int, ...], negated: tuple[int, ...] = ()) -> ResolvedFilter:
    return ResolvedFilter(SPEC[param], ids, negated)


def test_every_entity_filter_names_its_link_table_and_column() -> None:
    assert set(KINDS) == {"source", "actor", "topic"}
    for spec in KINDS.values():
        assert spec.link_column == f"{spec.entity_table}_id"
        assert spec.link_table.startswith("claim_")


# The filter table, row by row: query parameters in, what each adds to the SQL.
# Every filter of ClaimFilter and ArticleFilter has a row (see the test after).
CLAIM_FILTERS: list[tuple[dict[str, Any], list[str]]] = [
    ({}, ["FROM claim c", "ORDER BY c.sort_key"]),
    (
        {"source": ["reuters"]},
        [
            "FROM claim_citation l",
            "l.source_id IN :e0",
            "l.kind IN :kinds0",
            "ORDER BY l.claim_key",
        ],
    ),
    # Excluding a name no row has excludes nothing (a known one: NOT EXISTS, below).
    ({"source": ["-nobody"]}, ["FROM claim c"]),
    ({"actor": ["ukraine"]}, ["FROM claim_actor l", "l.actor_id IN :e0"]),
    ({"topic": ["ceasefire"]}, ["FROM claim_topic l", "l.topic_id IN :e0"]),
    ({"kind": ["context"], "has_source": True}, ["hs.kind IN :has_kinds"]),
    ({"has_source": True}, ["EXISTS (SELECT 1 FROM claim_citation hs"]),
    ({"has_source": False}, ["NOT EXISTS (SELECT 1 FROM claim_citation hs"]),
    ({"section": ["Aid"]}, ["lower(c.section) IN :sections"]),
    ({"section": ["-Aid"]}, ["(c.section IS NULL OR lower(c.section) NOT IN :not_sections)"]),
    ({"article": [5]}, ["(c.sort_key >= :article_lo AND c.sort_key < :article_hi)"]),
    ({"article_url": ["https://example.org/a"]}, ["c.sort_key >= :article_lo"]),
    ({"article": [5], "article_url": ["https://example.org/a"]}, [") OR ((c.sort_key"]),
    ({"since": "2026-01-01T00:00:00Z"}, ["d.published_at >= :since"]),
    ({"until": "2026-01-01T00:00:00Z"}, ["d.published_at < :until"]),
    ({"since": "2026-01-01", "sort": "published_at"}, ["a.published_at >= :since"]),
    ({"language": ["RU"]}, ["d.language IN :languages"]),
    ({"q": "talks"}, ["claim_fts MATCH :q", "bm25"]),
    ({"sort": "published_at"}, ["JOIN article a", "ORDER BY ord, c.sort_key"]),
    ({"sort": "-published_at"}, ["ORDER BY ord DESC, c.sort_key"]),
]
ARTICLE_FILTERS: list[tuple[dict[str, Any], list[str]]] = [
    ({}, []),
    ({"since": "2026-01-01T00:00:00Z"}, ["a.published_at >= :since"]),
    ({"until": "2026-01-01T00:00:00+02:00"}, ["a.published_at < :until"]),
]


@pytest.mark.parametrize(("params", "fragments"), CLAIM_FILTERS)
def test_claim_filter_table(engine: Engine, params: dict[str, Any], fragments: list[str]) -> None:
    filters = ClaimFilter.model_validate(params)
    with Session(engine) as session:
        query = resolve_query(session, filters=filters)
    built = build_claim_sql(query, dialect="sqlite", limit=51)
    for fragment in fragments:
        assert fragment in built.sql
    assert built.params["limit"] == 51


@pytest.mark.parametrize(("params", "fragments"), ARTICLE_FILTERS)
def test_article_filter_table(params: dict[str, Any], fragments: list[str]) -> None:
    filters = ArticleFilter.model_validate(params)
    sql = article_list_sql(filters, dialect="sqlite", before=None, limit=51)
    assert sql.where == fragments
    assert all(value.tzinfo is UTC for value in sql.params.values() if isinstance(value, datetime))


@pytest.mark.parametrize(
    ("model", "table"), [(ClaimFilter, CLAIM_FILTERS), (ArticleFilter, ARTICLE_FILTERS)]
)
def test_every_filter_has_a_row(
    model: type[BaseModel], table: list[tuple[dict[str, Any], list[str]]]
) -> None:
    tested = {name for params, _ in table for name in params}
    assert set(model.model_fields) <= tested


@pytest.mark.parametrize(
    ("query", "fragments"),
    [
        (ClaimQuery(entities=(_resolved("actor", (1, 2)),)), ["SELECT DISTINCT", "l.actor_id IN"]),
        (
            ClaimQuery(entities=(_resolved("topic", (3,)), _resolved("source", (1, 2)))),
            [
                "FROM claim_topic l",
                "EXISTS (SELECT 1 FROM claim_citation x_source",
                "x_source.kind IN :source_kinds",
            ],
        ),
        (
            ClaimQuery(entities=(_resolved("source", (), negated=(9,)),)),
            ["NOT EXISTS (SELECT 1 FROM claim_citation x_source", "x_source.source_id IN :source"],
        ),
    ],
)
def test_the_most_selective_entity_drives_the_scan(query: ClaimQuery, fragments: list[str]) -> None:
    built = build_claim_sql(query, dialect="sqlite", limit=51)
    for fragment in fragments:
        assert fragment in built.sql


def test_postgres_search_uses_the_indexed_expression() -> None:
    built = build_claim_sql(
        ClaimQuery(search='"peace talks"', order="relevance"), dialect="postgresql"
    )
    assert "to_tsvector('english', c.text) @@ websearch_to_tsquery('english', :q)" in built.sql
    assert built.params["q"] == '"peace talks"'


@pytest.mark.parametrize(
    ("words", "fts"),
    [
        ("talks", '"talks"'),
        ('"peace talks" geneva', '"peace talks" "geneva"'),
        ("NEAR(a b) OR c*", '"NEAR(a" "b" "OR" "c"'),
        ('unbalanced "quote', '"unbalanced" "quote"'),
    ],
)
def test_search_words_become_quoted_fts5_terms(words: str, fts: str) -> None:
    built = build_claim_sql(ClaimQuery(search=words, order="relevance"), dialect="sqlite")
    assert built.params["q"] == fts


@pytest.mark.parametrize(
    "query",
    [
        ClaimQuery(entities=(_resolved("source", (1,)),)),
        ClaimQuery(entities=(_resolved("actor", (1,)),)),
        ClaimQuery(entities=(_resolved("topic", (1,)), _resolved("actor", (2,)))),
        ClaimQuery(),
    ],
)
def test_reading_order_pages_come_from_an_index_without_sorting(
    engine: Engine, query: ClaimQuery
) -> None:
    if not is_sqlite(engine):
        pytest.skip("EXPLAIN QUERY PLAN is SQLite's")
    built = build_claim_sql(query, dialect="sqlite", after=[100], limit=51)
    statement, values = bound(built.sql, built.params, "sqlite")
    with engine.connect() as conn:
        plan = conn.exec_driver_sql(f"EXPLAIN QUERY PLAN {statement}", tuple(values)).all()
    details = " | ".join(str(row[-1]) for row in plan)
    assert "TEMP B-TREE" not in details, details
