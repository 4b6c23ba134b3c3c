"""The declarative claim filters: each parameter's SQL, and plans that never sort a filtered set."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from sqlalchemy.engine import Engine

from app.db import is_sqlite
from app.repository.filters import ENTITY_FILTERS, ResolvedFilter, claim_ids_sql

SPEC = {spec.param: spec for spec in ENTITY_FILTERS}


def test_every_entity_filter_names_its_link_table_and_column() -> None:
    assert {spec.param for spec in ENTITY_FILTERS} == {"source", "actor", "topic"}
    for spec in ENTITY_FILTERS:
        assert spec.link_column == f"{spec.entity_table}_id"
        assert spec.link_table.startswith("claim_")


@pytest.mark.parametrize(
    ("entities", "kwargs", "fragments"),
    [
        ([], {}, ["FROM claim c0", "ORDER BY c0.sort_key"]),
        (
            [("source", (1,))],
            {},
            ["FROM claim_citation l", "l.source_id IN", "kind IN ('cited', 'inline')"],
        ),
        ([("actor", (1, 2))], {}, ["SELECT DISTINCT l.claim_key", "l.actor_id IN"]),
        (
            [("topic", (3,)), ("source", (1,))],
            {},
            ["FROM claim_topic l", "EXISTS (SELECT 1 FROM claim_citation l1", "l1.kind IN"],
        ),
        ([], {"articles": (5,)}, ["c0.sort_key >= :a0_lo AND c0.sort_key < :a0_hi"]),
        ([], {"since": datetime(2026, 1, 1, tzinfo=UTC)}, ["a.published_at >= :since"]),
        ([], {"until": datetime(2026, 1, 1, tzinfo=UTC)}, ["a.published_at < :until"]),
        ([], {"after": 10}, ["c0.sort_key > :after"]),
    ],
)
def test_filter_sql(
    entities: list[tuple[str, tuple[int, ...]]], kwargs: dict[str, object], fragments: list[str]
) -> None:
    resolved = [ResolvedFilter(SPEC[param], ids) for param, ids in entities]
    arguments: dict[str, object] = {
        "articles": (),
        "since": None,
        "until": None,
        "after": None,
        "limit": 51,
    }
    arguments.update(kwargs)
    statement, params = claim_ids_sql(entities=resolved, **arguments)  # type: ignore[arg-type]
    sql = str(statement)
    for fragment in fragments:
        assert fragment in sql
    assert params["limit"] == 51


@pytest.mark.parametrize(
    "entities",
    [[("source", (1,))], [("actor", (1,))], [("topic", (1,)), ("actor", (2,))], []],
)
def test_single_valued_filters_read_in_index_order_without_sorting(
    engine: Engine, entities: list[tuple[str, tuple[int, ...]]]
) -> None:
    if not is_sqlite(engine):
        pytest.skip("EXPLAIN QUERY PLAN is SQLite's")
    resolved = [ResolvedFilter(SPEC[param], ids) for param, ids in entities]
    statement, params = claim_ids_sql(
        entities=resolved, articles=(), since=None, until=None, after=100, limit=51
    )
    compiled = statement.bindparams(**params).compile(
        engine, compile_kwargs={"render_postcompile": True}
    )
    positional = tuple(compiled.params[name] for name in compiled.positiontup or ())
    with engine.connect() as conn:
        plan = conn.exec_driver_sql(f"EXPLAIN QUERY PLAN {compiled}", positional).all()
    details = " | ".join(str(row[-1]) for row in plan)
    assert "TEMP B-TREE" not in details, details
