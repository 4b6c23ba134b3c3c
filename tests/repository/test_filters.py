"""Claim query SQL: each filter's clause, and plans that never sort a filtered set."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from sqlalchemy.engine import Engine

from app.db import is_sqlite
from app.repository.claim_query import ClaimQuery, build_claim_sql
from app.repository.filters import ENTITY_FILTERS, ResolvedFilter

SPEC = {spec.param: spec for spec in ENTITY_FILTERS}
DAY = datetime(2026, 1, 1, tzinfo=UTC)


def _resolved(param: str, ids: tuple[int, ...], negated: tuple[int, ...] = ()) -> ResolvedFilter:
    return ResolvedFilter(SPEC[param], ids, negated)


def test_every_entity_filter_names_its_link_table_and_column() -> None:
    assert {spec.param for spec in ENTITY_FILTERS} == {"source", "actor", "topic"}
    for spec in ENTITY_FILTERS:
        assert spec.link_column == f"{spec.entity_table}_id"
        assert spec.link_table.startswith("claim_")


@pytest.mark.parametrize(
    ("query", "fragments"),
    [
        (ClaimQuery(), ["FROM claim c", "ORDER BY c.sort_key"]),
        (
            ClaimQuery(entities=(_resolved("source", (1,)),)),
            ["FROM claim_citation l", "l.source_id IN", "l.kind IN", "ORDER BY l.claim_key"],
        ),
        (ClaimQuery(entities=(_resolved("actor", (1, 2)),)), ["SELECT DISTINCT", "l.actor_id IN"]),
        (
            ClaimQuery(entities=(_resolved("topic", (3,)), _resolved("source", (1, 2)))),
            ["FROM claim_topic l", "EXISTS (SELECT 1 FROM claim_citation x2", "x2.kind IN"],
        ),
        (
            ClaimQuery(entities=(_resolved("source", (), negated=(9,)),)),
            ["NOT EXISTS (SELECT 1 FROM claim_citation y1", "y1.source_id IN :n1"],
        ),
        (ClaimQuery(has_source=True), ["EXISTS (SELECT 1 FROM claim_citation hs"]),
        (ClaimQuery(has_source=False), ["NOT EXISTS (SELECT 1 FROM claim_citation hs"]),
        (ClaimQuery(sections=("Aid",)), ["lower(c.section) IN :sections"]),
        (ClaimQuery(excluded_sections=("Aid",)), ["c.section IS NULL OR lower(c.section) NOT IN"]),
        (ClaimQuery(articles=(5,)), ["c.sort_key >= :a0_lo AND c.sort_key < :a0_hi"]),
        (ClaimQuery(since=DAY), ["d.published_at >= :since"]),
        (ClaimQuery(until=DAY), ["d.published_at < :until"]),
        (ClaimQuery(order="published"), ["JOIN article a", "ORDER BY ord, c.sort_key"]),
        (ClaimQuery(order="-published"), ["ORDER BY ord DESC, c.sort_key"]),
        (ClaimQuery(search="talks", order="relevance"), ["claim_fts MATCH :q", "bm25"]),
    ],
)
def test_query_sql(query: ClaimQuery, fragments: list[str]) -> None:
    built = build_claim_sql(query, dialect="sqlite", limit=51)
    for fragment in fragments:
        assert fragment in built.sql
    assert built.params["limit"] == 51


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
    compiled = (
        built.clause()
        .bindparams(**built.params)
        .compile(engine, compile_kwargs={"render_postcompile": True})
    )
    positional = tuple(compiled.params[name] for name in compiled.positiontup or ())
    with engine.connect() as conn:
        plan = conn.exec_driver_sql(f"EXPLAIN QUERY PLAN {compiled}", positional).all()
    details = " | ".join(str(row[-1]) for row in plan)
    assert "TEMP B-TREE" not in details, details
