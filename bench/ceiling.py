"""The ceiling: the service's own claim SQL through bare sqlite3, JSON by orjson, on Starlette.

Serves GET /v1/claims (source, actor, topic, q, limit, after=<sort key>) and
GET /v1/facets (the same filters) with the bodies the service returns, from
the SQL the service runs (`build_claim_sql` for the page, the hydration and
facet statements of app/repository/claims.py) and the service's own view of a
claim (app/views.py). Entity slugs resolve from dicts loaded at start. Nothing
else: no validation layers, no ORM, no middleware.

Run: BENCH_SQLITE=path .venv/bin/python -m uvicorn bench.ceiling:app --no-access-log
"""

from __future__ import annotations

import os
import sqlite3
from collections.abc import Sequence
from typing import Any

import orjson
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from app.repository.claim_query import ClaimQuery, ClaimSql, build_claim_sql
from app.repository.claims import FACET_SQL, HYDRATION, ClaimRows, facet_sql
from app.repository.filters import ResolvedFilter
from app.repository.kinds import KINDS
from app.repository.sql import bound
from app.services.claims import FACET_SCAN_LIMIT
from app.views import claims_json

__all__ = ["FACET_SQL", "app", "literal_sql"]


def literal_sql(built: ClaimSql) -> str:
    """The SQL of a ClaimSql with every parameter written in as a literal (canned queries)."""
    sql, values = bound(built.sql, built.params, "sqlite")
    parts = sql.split("?")
    literals = [str(v) if isinstance(v, int | float) else _quote(str(v)) for v in values]
    return parts[0] + "".join(lit + part for lit, part in zip(literals, parts[1:], strict=True))


def _quote(value: str) -> str:
    return "'" + value.replace("'", "''") + "'"


def _connect(path: str) -> sqlite3.Connection:
    conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True, check_same_thread=False)
    conn.execute("PRAGMA query_only=ON")
    return conn


class _State:
    def __init__(self, path: str) -> None:
        self.conn = _connect(path)
        self.ids: dict[str, dict[str, int]] = {}
        for spec in KINDS.values():
            rows = self.conn.execute(f"SELECT slug, id FROM {spec.entity_table}")
            self.ids[spec.name] = dict(rows)

    def query(self, request: Request) -> ClaimQuery | None:
        entities: list[ResolvedFilter] = []
        for spec in KINDS.values():
            values = request.query_params.getlist(spec.name)
            if values:
                known = self.ids[spec.name]
                if any(value not in known for value in values):
                    return None
                entities.append(ResolvedFilter(spec, tuple(known[value] for value in values)))
        search = request.query_params.get("q") or None
        return ClaimQuery(
            entities=tuple(entities),
            search=search,
            order="relevance" if search else "reading",
        )


_state: _State | None = None


def _get_state() -> _State:
    global _state
    if _state is None:
        _state = _State(os.environ["BENCH_SQLITE"])
    return _state


def _hydrate(
    conn: sqlite3.Connection, ids: Sequence[int], snippets: dict[int, str | None] | None
) -> list[dict[str, Any]]:
    """The service's hydration statements on bare sqlite3, made JSON by the service's view."""
    if not ids:
        return []
    found = {
        name: conn.execute(*bound(sql, {"ids": list(ids)}, "sqlite")).fetchall()
        for name, sql in HYDRATION.items()
    }
    return claims_json(ClaimRows(**found), ids=ids, snippets=snippets)


def _json(content: Any, status: int = 200) -> Response:
    return Response(orjson.dumps(content), status_code=status, media_type="application/json")


async def claims(request: Request) -> Response:
    """A page of claims: the service's page SQL, then its hydration SQL."""
    state = _get_state()
    query = state.query(request)
    if query is None:
        return _json({"detail": "unknown filter value"}, 404)
    limit = int(request.query_params.get("limit", "50"))
    after_text = request.query_params.get("after")
    after = [int(after_text)] if after_text else None
    built = build_claim_sql(query, dialect="sqlite", after=after, limit=limit + 1)
    rows = state.conn.execute(*bound(built.sql, built.params, "sqlite")).fetchall()
    next_cursor = str(rows[limit - 1][0]) if len(rows) > limit else None
    rows = rows[:limit]
    snippets = {row[1]: row[-1] for row in rows} if query.search else None
    items = _hydrate(state.conn, [row[1] for row in rows], snippets)
    return _json({"items": items, "next_cursor": next_cursor})


async def facets(request: Request) -> Response:
    """Top sources, actors and topics of the matching claims: the service's facet SQL."""
    state = _get_state()
    query = state.query(request)
    if query is None:
        return _json({"detail": "unknown filter value"}, 404)
    matching = build_claim_sql(query, dialect="sqlite", limit=FACET_SCAN_LIMIT + 1)
    sql, values = bound(f"SELECT count(*) FROM ({matching.sql}) AS m", matching.params, "sqlite")
    truncated = state.conn.execute(sql, values).fetchone()[0] > FACET_SCAN_LIMIT
    result: dict[str, Any] = {}
    for spec in KINDS.values():
        statement, params = facet_sql(matching, spec, kinds=query.kinds, limit=10)
        result[spec.name] = [
            {"slug": slug, "name": name, "claim_count": count}
            for slug, name, count in state.conn.execute(*bound(statement, params, "sqlite"))
        ]
    return _json({"facets": result, "truncated": truncated})


app = Starlette(routes=[Route("/v1/claims", claims), Route("/v1/facets", facets)])
