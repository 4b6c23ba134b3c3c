"""The executor: one placeholder style in, each driver's style and values out; rows decoded."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

import pytest
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session

from app.repository.sql import Json, bound, json_value, mappings, rows, utc

_SQL = "SELECT id FROM claim WHERE source_id IN :ids AND kind = :kind AND at >= :since LIMIT :n"


def test_lists_expand_into_one_placeholder_per_item_in_order() -> None:
    sql, values = bound(_SQL, {"n": 2, "kind": "cited", "ids": [3, 5], "since": None}, "sqlite")
    assert sql == "SELECT id FROM claim WHERE source_id IN (?, ?) AND kind = ? AND at >= ? LIMIT ?"
    assert values == [3, 5, "cited", None, 2]


def test_an_empty_list_matches_nothing() -> None:
    sql, values = bound("SELECT 1 WHERE 1 IN :ids", {"ids": []}, "sqlite")
    assert sql == "SELECT 1 WHERE 1 IN (NULL)"
    assert values == []


def test_postgresql_gets_its_placeholders_and_literal_percent_signs_doubled() -> None:
    sql, values = bound(
        "SELECT '5%' AS p, x::text FROM t WHERE a IN :ids AND b = :b",
        {"ids": [1], "b": 2},
        "postgresql",
    )
    assert sql == "SELECT '5%%' AS p, x::text FROM t WHERE a IN (%s) AND b = %s"
    assert values == [1, 2]


def test_sqlite_compares_times_in_the_text_form_it_stores() -> None:
    berlin = timezone(timedelta(hours=1))
    params = {"ids": [1], "kind": "x", "since": datetime(2025, 3, 1, 13, 0, tzinfo=berlin), "n": 1}
    assert bound(_SQL, params, "sqlite")[1][2] == "2025-03-01 12:00:00.000000"
    aware = datetime(2025, 3, 1, 12, 0, tzinfo=UTC)
    assert bound(_SQL, {**params, "since": aware}, "postgresql")[1][2] is aware


def test_json_is_bound_as_text() -> None:
    assert bound("SELECT :v", {"v": Json(["a", "b"])}, "sqlite")[1] == ['["a","b"]']


@pytest.mark.parametrize(
    ("stored", "read"),
    [
        ("2025-03-01 12:00:00.000000", datetime(2025, 3, 1, 12, tzinfo=UTC)),
        (datetime(2025, 3, 1, 12), datetime(2025, 3, 1, 12, tzinfo=UTC)),
        (datetime(2025, 3, 1, 12, tzinfo=UTC), datetime(2025, 3, 1, 12, tzinfo=UTC)),
        (None, None),
    ],
)
def test_every_stored_time_reads_back_in_utc(stored: object, read: object) -> None:
    assert utc(stored) == read  # type: ignore[arg-type]


def test_json_reads_back_as_the_value() -> None:
    assert json_value('{"a": [1]}') == {"a": [1]}
    assert json_value({"a": [1]}) == {"a": [1]}


def test_rows_and_mappings_run_in_the_session(engine: Engine) -> None:
    with Session(engine) as session:
        ((one, listed),) = rows(session, "SELECT :one, :two", {"one": 1, "two": "x"})
        assert (one, listed) == (1, "x")
        found = mappings(
            session, "SELECT seq, changed_at FROM claim_change WHERE seq IN :ids", {"ids": [0]}
        )
        assert found == []
