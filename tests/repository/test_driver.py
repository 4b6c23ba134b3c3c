"""Statements in the driver's own parameter style."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

import pytest

from app.repository.driver import driver_named

_SQL = "SELECT id FROM claim WHERE source_id IN :ids AND kind = :kind AND at >= :since LIMIT :n"


def test_lists_expand_into_one_parameter_per_item() -> None:
    sql, params = driver_named(
        _SQL,
        {"ids": [3, 5], "kind": "cited", "since": None, "n": 2},
        expanding=["ids"],
        dialect="sqlite",
    )
    assert "IN (:ids_0, :ids_1)" in sql
    assert params == {"ids_0": 3, "ids_1": 5, "kind": "cited", "since": None, "n": 2}


def test_postgresql_gets_pyformat_and_literal_percent_signs_doubled() -> None:
    sql, _ = driver_named(
        "SELECT '5%' AS p, x::text FROM t WHERE a IN :ids AND b = :b",
        {"ids": [1], "b": 2},
        expanding=["ids"],
        dialect="postgresql",
    )
    assert sql == "SELECT '5%%' AS p, x::text FROM t WHERE a IN (%(ids_0)s) AND b = %(b)s"


def test_sqlite_compares_times_in_the_text_form_it_stores() -> None:
    berlin = timezone(timedelta(hours=1))
    _, params = driver_named(
        _SQL,
        {"ids": [1], "kind": "x", "since": datetime(2025, 3, 1, 13, 0, tzinfo=berlin), "n": 1},
        expanding=["ids"],
        dialect="sqlite",
    )
    assert params["since"] == "2025-03-01 12:00:00.000000"
    aware = datetime(2025, 3, 1, 12, 0, tzinfo=UTC)
    _, params = driver_named(
        _SQL,
        {"ids": [1], "kind": "x", "since": aware, "n": 1},
        expanding=["ids"],
        dialect="postgresql",
    )
    assert params["since"] is aware


def test_an_empty_list_is_refused_rather_than_rendered_as_invalid_sql() -> None:
    with pytest.raises(ValueError, match="ids"):
        driver_named(
            _SQL,
            {"ids": [], "kind": "x", "since": None, "n": 1},
            expanding=["ids"],
            dialect="sqlite",
        )
