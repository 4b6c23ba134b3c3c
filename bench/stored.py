"""The stored-JSON ceiling: each claim's JSON kept ready in a side table, a page concatenated.

What a page costs when nothing is hydrated or serialised per request: one
index-ordered key query (the service's own `build_claim_sql`, so the same
index range scan) joined to `bench_claim_json(claim_id, body)`, the bodies
joined into the page. `build` fills the side table in the benchmark's
database from the service's own hydration (`services.claims.claims_by_ids`) and
orjson, so every item is the service's bytes; it does nothing when the table
already matches the data (claim count and change-feed head).

Serves GET /v1/claims (source, actor, topic: slugs, repeatable; limit;
after=<sort key>), reading order only, on SQLite (sqlite3) or PostgreSQL
(psycopg, a few async connections per process).

Run: BENCH_DB=<url> .venv/bin/python -m uvicorn bench.stored:app --no-access-log
"""

from __future__ import annotations

import asyncio
import os
import sqlite3
import time
from typing import Any

import orjson
from sqlalchemy import text
from sqlalchemy.engine import Engine, make_url
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from app.db import create_db_engine, is_sqlite, session_scope
from app.repository.claim_query import ClaimQuery, build_claim_sql
from app.repository.filters import ResolvedFilter
from app.repository.kinds import KINDS
from app.repository.sql import bound
from app.services.claims import claims_by_ids
from bench.scenarios import named_sql

__all__ = ["TABLE", "app", "build"]

TABLE = "bench_claim_json"
_META = "bench_claim_json_state"
_BATCH = 2_000


def _state(engine: Engine) -> tuple[int, int]:
    with engine.connect() as conn:
        claims = conn.execute(text("SELECT count(*) FROM claim")).scalar_one()
        head = conn.execute(text("SELECT coalesce(max(seq), 0) FROM claim_change")).scalar_one()
    return int(claims), int(head)


def build(url: str) -> float:
    """Fill the side table unless it matches the data already; seconds spent (0 when kept)."""
    engine = create_db_engine(url, pool_size=1)
    try:
        claims, head = _state(engine)
        with engine.begin() as conn:
            conn.execute(text(f"CREATE TABLE IF NOT EXISTS {_META} (claims BIGINT, head BIGINT)"))
            kept = conn.execute(text(f"SELECT claims, head FROM {_META}")).first()
        if kept is not None and (int(kept[0]), int(kept[1])) == (claims, head):
            return 0.0
        started = time.perf_counter()
        with engine.begin() as conn:
            conn.execute(text(f"DROP TABLE IF EXISTS {TABLE}"))
            conn.execute(
                text(f"CREATE TABLE {TABLE} (claim_id BIGINT PRIMARY KEY, body TEXT NOT NULL)")
            )
        after = 0
        while True:
            with session_scope(engine, write=True) as session:
                ids = [
                    int(row[0])
                    for row in session.execute(
                        text("SELECT id FROM claim WHERE id > :after ORDER BY id LIMIT :n"),
                        {"after": after, "n": _BATCH},
                    )
                ]
                if not ids:
                    break
                claims_json = claims_by_ids(session, ids=ids)
                session.execute(
                    text(f"INSERT INTO {TABLE} (claim_id, body) VALUES (:id, :body)"),
                    [{"id": c["id"], "body": orjson.dumps(c).decode()} for c in claims_json],
                )
                after = ids[-1]
        with engine.begin() as conn:
            conn.execute(text(f"DELETE FROM {_META}"))
            conn.execute(
                text(f"INSERT INTO {_META} (claims, head) VALUES (:c, :h)"),
                {"c": claims, "h": head},
            )
            conn.execute(text(f"ANALYZE {TABLE}"))
        return time.perf_counter() - started
    finally:
        engine.dispose()


def _page_sql(query: ClaimQuery, after: int | None, limit: int, dialect: str) -> Any:
    built = build_claim_sql(
        query, dialect=dialect, after=None if after is None else [after], limit=limit
    )
    if dialect == "sqlite":
        sql, params = named_sql(built)
    else:
        sql, params = bound(built.sql, built.params, dialect)
    return (
        f"SELECT p.key, j.body FROM ({sql}) AS p JOIN {TABLE} j ON j.claim_id = p.id "
        "ORDER BY p.key",
        params,
    )


class _Db:
    """Entity ids by slug, and the page statement on the bench database's driver."""

    def __init__(self, url: str) -> None:
        self.url = url
        self.sqlite = is_sqlite(url)
        self.dialect = "sqlite" if self.sqlite else "postgresql"
        self.ids: dict[str, dict[str, int]] = {}
        self._conn: sqlite3.Connection | None = None
        self._pool: asyncio.Queue[Any] | None = None

    async def open(self) -> None:
        if self.sqlite:
            path = make_url(self.url).database
            self._conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
            for spec in KINDS.values():
                rows = self._conn.execute(f"SELECT slug, id FROM {spec.entity_table}")
                self.ids[spec.name] = dict(rows)
            return
        import psycopg

        conninfo = (
            make_url(self.url).set(drivername="postgresql").render_as_string(hide_password=False)
        )
        self._pool = asyncio.Queue()
        for _ in range(8):
            conn = await psycopg.AsyncConnection.connect(conninfo, autocommit=True)
            self._pool.put_nowait(conn)
        conn = await self._pool.get()
        for spec in KINDS.values():
            cursor = await conn.execute(f"SELECT slug, id FROM {spec.entity_table}")
            self.ids[spec.name] = dict(await cursor.fetchall())
        self._pool.put_nowait(conn)

    async def rows(self, sql: str, params: dict[str, Any]) -> list[tuple[Any, ...]]:
        if self._conn is not None:
            return self._conn.execute(sql, params).fetchall()
        assert self._pool is not None
        conn = await self._pool.get()
        try:
            cursor = await conn.execute(sql, params, prepare=True)
            return list(await cursor.fetchall())
        finally:
            self._pool.put_nowait(conn)


_db: _Db | None = None


async def _get_db() -> _Db:
    global _db
    if _db is None:
        db = _Db(os.environ["BENCH_DB"])
        await db.open()
        _db = db
    return _db


async def claims(request: Request) -> Response:
    """One page: the key query joined to the stored bodies, concatenated."""
    db = await _get_db()
    entities = []
    for spec in KINDS.values():
        values = request.query_params.getlist(spec.name)
        if values:
            known = db.ids[spec.name]
            if any(value not in known for value in values):
                return Response(b'{"detail":"unknown value"}', 404, media_type="application/json")
            entities.append(ResolvedFilter(spec, tuple(known[value] for value in values)))
    limit = int(request.query_params.get("limit", "50"))
    after_text = request.query_params.get("after")
    sql, params = _page_sql(
        ClaimQuery(entities=tuple(entities)),
        int(after_text) if after_text else None,
        limit + 1,
        db.dialect,
    )
    rows = await db.rows(sql, params)
    following = b'"%d"' % rows[limit - 1][0] if len(rows) > limit else b"null"
    bodies = [row[1] if isinstance(row[1], bytes) else row[1].encode() for row in rows[:limit]]
    body = b'{"items":[' + b",".join(bodies) + b'],"next_cursor":' + following + b"}"
    return Response(body, media_type="application/json")


app = Starlette(routes=[Route("/v1/claims", claims)])
