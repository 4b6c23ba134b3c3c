"""Database engine, naming-convention metadata, and the one place where sessions commit."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import orjson
from sqlalchemy import MetaData, event
from sqlalchemy.engine import Engine, make_url
from sqlalchemy.exc import DBAPIError
from sqlmodel import Session, SQLModel, create_engine

__all__ = [
    "NAMING_CONVENTION",
    "create_db_engine",
    "in_models",
    "is_sqlite",
    "json_text",
    "session_scope",
]

# Constraint names that are the same on every backend and in every migration.
NAMING_CONVENTION = {
    "ix": "ix_%(table_name)s_%(column_0_N_name)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}
SQLModel.metadata.naming_convention = NAMING_CONVENTION
metadata: MetaData = SQLModel.metadata

SQLITE_BUSY_TIMEOUT_MS = 30_000

# Full-text search objects are backend-specific DDL made by migrations
# (an FTS5 table on SQLite, a GIN expression index on PostgreSQL), not models.
SEARCH_OBJECTS = ("claim_fts", "ix_claim_text_search")


def in_models(obj: Any, name: str | None, type_: str, reflected: bool, compare_to: Any) -> bool:
    """Alembic's include_object: everything but the search objects migrations manage."""
    return not (name or "").startswith(SEARCH_OBJECTS)


def is_sqlite(engine_or_url: Engine | str) -> bool:
    """True for the embedded SQLite backend."""
    url = engine_or_url.url if isinstance(engine_or_url, Engine) else make_url(engine_or_url)
    return url.get_backend_name() == "sqlite"


def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    # pysqlite's own transaction handling is replaced by explicit BEGINs.
    dbapi_connection.isolation_level = None
    cursor = dbapi_connection.cursor()
    # WAL lets readers run while one writer commits; NORMAL is durable across
    # application crashes in WAL mode, and only a power loss can drop the last commit.
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute(f"PRAGMA busy_timeout={SQLITE_BUSY_TIMEOUT_MS}")
    cursor.close()


def _sqlite_begin(conn: Any) -> None:
    # Take the write lock at BEGIN, not at the first write, so two writers queue
    # on busy_timeout instead of one failing with "database is locked" mid-transaction.
    statement = "BEGIN IMMEDIATE" if conn.get_execution_options().get("claims_write") else "BEGIN"
    # On the driver itself: through SQLAlchemy this one statement costs ~40 µs,
    # a tenth of a page. Its failure is wrapped as SQLAlchemy would have wrapped
    # it, so a read-only or locked database still reads as unavailable (503).
    try:
        conn.connection.driver_connection.execute(statement)
    except sqlite3.Error as error:
        raise DBAPIError.instance(statement, None, error, sqlite3.Error) from error


# Connections kept open (a connection opened per request starts with a cold
# cache); the service sizes its pool to its request threads.
DEFAULT_POOL_SIZE = 10


def json_text(value: Any) -> str:
    """JSON columns as UTF-8 text: "Šakalienė", not "\\u0160akalien\\u0117" (which
    text matching, case-folding and `q=\\` would see)."""
    return orjson.dumps(value).decode()


def create_db_engine(url: str, *, pool_size: int | None = None) -> Engine:
    """Create an engine with this service's per-backend settings."""
    if is_sqlite(url):
        database = make_url(url).database
        if database and database != ":memory:":
            Path(database).parent.mkdir(parents=True, exist_ok=True)
        size = pool_size or DEFAULT_POOL_SIZE
        engine = create_engine(
            url,
            json_serializer=json_text,
            connect_args={"check_same_thread": False, "timeout": SQLITE_BUSY_TIMEOUT_MS / 1000},
            pool_size=size,
            max_overflow=size,
        )
        event.listen(engine, "connect", _sqlite_pragmas)
        event.listen(engine, "begin", _sqlite_begin)
        return engine
    size = pool_size or DEFAULT_POOL_SIZE
    return create_engine(
        url,
        json_serializer=json_text,
        pool_size=size,
        max_overflow=2 * size,
        pool_pre_ping=True,
        connect_args={"connect_timeout": 5},
    )


@contextmanager
def session_scope(engine: Engine, *, write: bool = False) -> Iterator[Session]:
    """One unit of work: commit when the block succeeds, roll back when it raises."""
    bind = engine.execution_options(claims_write=True) if write else engine
    with Session(bind, expire_on_commit=False) as session:
        try:
            yield session
            session.commit()
        except BaseException:
            session.rollback()
            raise
