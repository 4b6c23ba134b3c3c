"""The hot read statements, run on the database driver's own cursor.

A claim page runs a handful of small statements. Through SQLAlchemy each
costs about 80 µs of Python before and after the database's own few
microseconds (measured on SQLite), more than the page's SQL itself; on the
driver's cursor it costs 2 µs. The statements here are written once with `?`
placeholders (or `:name` for the claim query) and turned into the driver's
own style.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from datetime import UTC, datetime
from functools import lru_cache
from typing import Any

from sqlalchemy.orm import Session

__all__ = ["driver_executemany", "driver_named", "driver_rows", "driver_value"]


def _driver(session: Session) -> tuple[Any, str]:
    """The session's driver connection (in its transaction) and its dialect's name."""
    connection = session.connection()
    return connection.connection.dbapi_connection, connection.dialect.name


_NAMED = re.compile(r"(?<![:\w]):([A-Za-z_]\w*)")


@lru_cache(maxsize=512)
def _positional(sql: str, dialect: str) -> str:
    # psycopg's placeholder is %s, and a literal % must be doubled.
    return sql if dialect == "sqlite" else sql.replace("%", "%%").replace("?", "%s")


def driver_rows(
    session: Session, sql: str, params: Sequence[Any] | Mapping[str, Any] = ()
) -> list[tuple[Any, ...]]:
    """Every row of `sql` run with `params` in the session's transaction, as tuples.

    `sql` uses `?` for positional parameters, or the driver's named style for a
    mapping (see `driver_named`).
    """
    driver, dialect = _driver(session)
    cursor = driver.cursor()
    try:
        statement = sql if isinstance(params, Mapping) else _positional(sql, dialect)
        cursor.execute(statement, params)
        return list(cursor.fetchall())
    finally:
        cursor.close()


@lru_cache(maxsize=512)
def _named(sql: str, dialect: str, lengths: tuple[tuple[str, int], ...]) -> str:
    for name, length in lengths:
        sql = re.sub(
            rf":{name}\b", "(" + ", ".join(f":{name}_{n}" for n in range(length)) + ")", sql
        )
    if dialect == "sqlite":
        return sql
    return _NAMED.sub(r"%(\1)s", sql.replace("%", "%%"))


def driver_named(
    sql: str, params: Mapping[str, Any], *, expanding: Sequence[str], dialect: str
) -> tuple[str, dict[str, Any]]:
    """A statement with `:name` parameters in the driver's style, list parameters expanded.

    SQLite stores a timestamp as naive UTC text (the way SQLAlchemy's DateTime
    writes it) and compares it as text, so datetimes are bound in that form.
    """
    bound: dict[str, Any] = {}
    lengths: list[tuple[str, int]] = []
    for name, value in params.items():
        if name in expanding:
            if not value:
                raise ValueError(f"list parameter {name} is empty")
            lengths.append((name, len(value)))
            bound.update({f"{name}_{n}": item for n, item in enumerate(value)})
        else:
            bound[name] = driver_value(value, dialect)
    return _named(sql, dialect, tuple(lengths)), bound


def driver_value(value: Any, dialect: str) -> Any:
    """A value as the driver should bind it: SQLite times as SQLAlchemy stores them."""
    if isinstance(value, datetime) and dialect == "sqlite":
        utc = value if value.tzinfo is None else value.astimezone(UTC).replace(tzinfo=None)
        return utc.isoformat(" ", "microseconds")
    return value


def driver_executemany(session: Session, sql: str, rows: Sequence[Sequence[Any]]) -> None:
    """Run `sql` (with `?` placeholders) once per row, in the session's transaction."""
    if not rows:
        return
    driver, dialect = _driver(session)
    cursor = driver.cursor()
    try:
        cursor.executemany(_positional(sql, dialect), rows)
    finally:
        cursor.close()
