"""The one way the repository runs SQL: `:name` placeholders, on the driver's own cursor.

A claim page runs a handful of small statements. Through SQLAlchemy each
costs about 80 µs of Python before and after the database's own few
microseconds (measured on SQLite), more than the page's SQL itself; on the
driver's cursor it costs 2 µs. So every statement is written once with
`:name` placeholders and run here, for both backends:

- binding: a list or tuple value expands `IN :name` into one placeholder per
  item, each bound as it is (an empty one matches nothing); a datetime is bound on SQLite as the
  naive UTC text SQLAlchemy's DateTime stores (SQLite compares times as text);
  `Json(value)` binds JSON;
- decoding: `utc` and `json_value` turn what each driver returns into one
  form (SQLite hands back text for times and JSON, and keeps no zone), and
  `mappings` applies them by column name.

Statements are turned into the driver's placeholder style once and cached.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from functools import lru_cache
from typing import Any

import orjson
from sqlalchemy.engine import Dialect
from sqlalchemy.exc import DBAPIError, StatementError
from sqlalchemy.orm import Session

__all__ = [
    "JSON_COLUMNS",
    "TIME_COLUMNS",
    "Json",
    "bound",
    "dialect_of",
    "execute_many",
    "json_value",
    "mappings",
    "rows",
    "utc",
    "value",
]

# Columns that hold times or JSON, wherever they occur: decoded by `mappings`.
TIME_COLUMNS = frozenset({"published_at", "ingested_at", "changed_at", "edited_at"})
JSON_COLUMNS = frozenset(
    {"aliases", "domains", "integrity", "publisher_aliases", "publisher_domains"}
)

_NAMED = re.compile(r"(?<![:\w]):([A-Za-z_]\w*)")


@dataclass(frozen=True, slots=True)
class Json:
    """A value bound as JSON text (a list alone would expand as an IN list)."""

    value: Any


def _driver(session: Session) -> tuple[Any, Dialect]:
    """The session's driver connection (in its transaction) and its dialect."""
    connection = session.connection()
    return connection.connection.dbapi_connection, connection.dialect


def _run(
    session: Session, sql: str, params: Mapping[str, Any] | None, *, named: bool = False
) -> tuple[list[str], list[tuple[Any, ...]]]:
    driver, dialect = _driver(session)
    statement, values = bound(sql, params or {}, dialect.name)
    cursor = driver.cursor()
    try:
        cursor.execute(statement, values)
        if cursor.description is None:
            return [], []
        names = [column[0] for column in cursor.description] if named else []
        return names, cursor.fetchall()
    except dialect.loaded_dbapi.Error as exc:
        raise _wrapped(exc, statement, values, dialect) from None
    finally:
        cursor.close()


def _wrapped(exc: Exception, statement: str, values: Any, dialect: Dialect) -> StatementError:
    # The error as SQLAlchemy would have raised it (IntegrityError, OperationalError, ...
    # with the driver's error as .orig), so one set of handlers serves every statement.
    return DBAPIError.instance(statement, values, exc, dialect.loaded_dbapi.Error)


@lru_cache(maxsize=1024)
def _compiled(
    sql: str, dialect: str, lengths: tuple[tuple[str, int], ...]
) -> tuple[str, tuple[tuple[str, int], ...]]:
    """The statement in the driver's positional style, and the order its values go in:
    (name, -1) for one value, (name, n) for a list of n."""
    expanded = dict(lengths)
    order: list[tuple[str, int]] = []
    mark = "?" if dialect == "sqlite" else "%s"

    def placeholder(match: re.Match[str]) -> str:
        name = match.group(1)
        count = expanded.get(name, -1)
        order.append((name, count))
        if count < 0:
            return mark
        # An empty list matches nothing: `IN (NULL)` is never true.
        return "(" + (", ".join([mark] * count) or "NULL") + ")"

    # psycopg's placeholder is %s, and a literal % must be doubled.
    text = sql if dialect == "sqlite" else sql.replace("%", "%%")
    return _NAMED.sub(placeholder, text), tuple(order)


def value(item: Any, dialect: str) -> Any:
    """A value as the driver binds it: SQLite times as SQLAlchemy stores them, JSON as text."""
    if isinstance(item, datetime) and dialect == "sqlite":
        naive = item if item.tzinfo is None else item.astimezone(UTC).replace(tzinfo=None)
        return naive.isoformat(" ", "microseconds")
    if isinstance(item, Json):
        return orjson.dumps(item.value).decode()
    return item


def bound(sql: str, params: Mapping[str, Any], dialect: str) -> tuple[str, list[Any]]:
    """The statement in the driver's placeholder style and its values in order."""
    lengths = tuple(
        (name, len(item)) for name, item in params.items() if isinstance(item, list | tuple)
    )
    statement, order = _compiled(sql, dialect, lengths)
    values: list[Any] = []
    for name, count in order:
        if count < 0:
            values.append(value(params[name], dialect))
        else:  # ids, kinds, names: bound as they are (a page binds hundreds)
            values.extend(params[name])
    return statement, values


def dialect_of(session: Session) -> str:
    """The name of the session's database dialect: sqlite or postgresql."""
    return session.get_bind().dialect.name


def rows(
    session: Session, sql: str, params: Mapping[str, Any] | None = None
) -> list[tuple[Any, ...]]:
    """Every row of `sql` run with `params` in the session's transaction, as tuples."""
    return _run(session, sql, params)[1]


def mappings(
    session: Session, sql: str, params: Mapping[str, Any] | None = None
) -> list[dict[str, Any]]:
    """Every row of `sql` as a dict by column name, times in UTC and JSON decoded."""
    names, found = _run(session, sql, params, named=True)
    decoders = [
        utc if name in TIME_COLUMNS else json_value if name in JSON_COLUMNS else None
        for name in names
    ]
    return [
        {
            name: decode(item) if decode else item
            for name, decode, item in zip(names, decoders, row, strict=True)
        }
        for row in found
    ]


def execute_many(session: Session, sql: str, params: Sequence[Mapping[str, Any]]) -> None:
    """Run `sql` once per mapping of `params` (no list parameters), in one driver call."""
    if not params:
        return
    driver, dialect = _driver(session)
    statement, order = _compiled(sql, dialect.name, ())
    values = [[value(row[name], dialect.name) for name, _ in order] for row in params]
    cursor = driver.cursor()
    try:
        cursor.executemany(statement, values)
    except dialect.loaded_dbapi.Error as exc:
        raise _wrapped(exc, statement, values, dialect) from None
    finally:
        cursor.close()


@lru_cache(maxsize=4096)
def _utc_text(text: str) -> datetime:
    # A page's claims come from a few dozen articles, the same ones page after page.
    return datetime.fromisoformat(text).replace(tzinfo=UTC)


def utc(item: datetime | str | None) -> datetime | None:
    """A stored time in UTC: SQLite hands back its text and keeps no zone; every
    stored time is UTC."""
    if isinstance(item, str):
        return _utc_text(item)
    if item is not None and item.tzinfo is None:
        return item.replace(tzinfo=UTC)
    return item


def json_value(item: Any) -> Any:
    """A stored JSON value: SQLite hands back its text, PostgreSQL's driver the value."""
    return orjson.loads(item) if isinstance(item, str | bytes) else item
