"""The ceiling: the service's own claim SQL through bare sqlite3, JSON by orjson, on Starlette.

Serves GET /v1/claims (source, actor, topic, q, limit, after=<sort key>) and
GET /v1/facets (the same filters) with the bodies the service returns, from
the SQL the service runs: `build_claim_sql` for the page and the hydration
queries of app/repository/claims.py. Entity slugs resolve from dicts loaded
at start. Nothing else: no validation layers, no ORM, no middleware.

Run: BENCH_SQLITE=path .venv/bin/python -m uvicorn bench.ceiling:app --no-access-log
"""

from __future__ import annotations

import html
import os
import re
import sqlite3
from collections import defaultdict
from collections.abc import Sequence
from datetime import UTC, datetime
from typing import Any

import orjson
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from app.repository import claims as claim_reads
from app.repository.claim_query import (
    SNIPPET_END,
    SNIPPET_START,
    ClaimQuery,
    ClaimSql,
    build_claim_sql,
)
from app.repository.filters import ResolvedFilter
from app.repository.kinds import KINDS
from app.services.claims import FACET_SCAN_LIMIT

__all__ = ["FACET_SQL", "app", "literal_sql"]


# The hydration queries the service runs, as SQL text.
def _template(statement: Any) -> str:
    """A hydration statement as SQL text with `{ids}` where the id list goes."""
    if isinstance(statement, str):
        return statement
    # A SQLAlchemy text() (or its .columns()) with an expanding `:ids`.
    return str(getattr(statement, "element", statement).text).replace(":ids", "({ids})")


_HYDRATE = {
    name: _template(getattr(claim_reads, name))
    for name in ("_CLAIMS", "_CITATIONS", "_ACTORS", "_TOPICS")
}
# What app/repository/claims.py::facet_counts runs per facet, around the matching claims.
FACET_SQL = (
    "SELECT e.slug, e.name, count(*) AS claim_count FROM ({matching}) AS m "
    "JOIN {link_table} l ON l.claim_id = m.id{kinds} "
    "JOIN {entity_table} e ON e.id = l.{link_column} "
    "GROUP BY e.slug, e.name ORDER BY claim_count DESC, e.slug LIMIT {limit}"
)


def literal_sql(built: ClaimSql) -> str:
    """The SQL of a ClaimSql with every parameter written in as a literal (canned queries)."""
    sql, params = built.for_driver("sqlite")
    for name in sorted(params, key=len, reverse=True):
        value = params[name]
        literal = str(value) if isinstance(value, int | float) else _quote(str(value))
        sql = re.sub(rf":{name}\b", lambda _m, lit=literal: lit, sql)  # type: ignore[misc]
    return sql


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


def _placeholders(sql: str, count: int) -> str:
    return sql.replace("{ids}", ", ".join("?" * count))


def _mark(snippet: str | None) -> str | None:
    if snippet is None:
        return None
    escaped = html.escape(snippet, quote=False)
    return escaped.replace(SNIPPET_START, "<mark>").replace(SNIPPET_END, "</mark>")


def _label_order(citation: dict[str, Any]) -> tuple[int, int, str]:
    label = citation["label"]
    if label is None:
        return (2, 0, citation["slug"])
    return (0, int(label), "") if label.isdigit() else (1, 0, label)


def _hydrate(
    conn: sqlite3.Connection, ids: Sequence[int], snippets: dict[int, str | None] | None
) -> list[dict[str, Any]]:
    if not ids:
        return []
    n = len(ids)
    sources: dict[int, list[dict[str, Any]]] = defaultdict(list)
    context: dict[int, list[dict[str, Any]]] = defaultdict(list)
    for claim_id, slug, name, label, kind in conn.execute(
        _placeholders(_HYDRATE["_CITATIONS"], n), ids
    ):
        target = context if kind == "context" else sources
        target[claim_id].append({"slug": slug, "name": name, "label": label, "kind": kind})
    for cited in (*sources.values(), *context.values()):
        cited.sort(key=_label_order)
    actors: dict[int, list[dict[str, Any]]] = defaultdict(list)
    for claim_id, slug, name, actor_type in conn.execute(
        _placeholders(_HYDRATE["_ACTORS"], n), ids
    ):
        actors[claim_id].append({"slug": slug, "name": name, "type": actor_type})
    topics: dict[int, list[dict[str, Any]]] = defaultdict(list)
    for claim_id, slug, name in conn.execute(_placeholders(_HYDRATE["_TOPICS"], n), ids):
        topics[claim_id].append({"slug": slug, "name": name})
    by_id: dict[int, dict[str, Any]] = {}
    for row in conn.execute(_placeholders(_HYDRATE["_CLAIMS"], n), ids):
        (cid, article_id, position, text, section, s0, s1, u0, u1, version, title, url, pub) = row
        claim = {
            "id": cid,
            "article_id": article_id,
            "article": {
                "id": article_id,
                "title": title,
                "url": url,
                "published_at": None
                if pub is None
                else datetime.fromisoformat(pub).replace(tzinfo=UTC),
            },
            "position": position,
            "text": text,
            "section": section,
            "span": {"start": s0, "end": s1},
            "span_utf16": {"start": u0, "end": u1},
            "sources": sources.get(cid, []),
            "context_sources": context.get(cid, []),
            "actors": actors.get(cid, []),
            "topics": topics.get(cid, []),
            "splitter_version": version,
        }
        if snippets is not None:
            claim["snippet"] = snippets.get(cid)
        by_id[cid] = claim
    return [by_id[claim_id] for claim_id in ids if claim_id in by_id]


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
    sql, params = built.for_driver("sqlite")
    rows = state.conn.execute(sql, params).fetchall()
    next_cursor = str(rows[limit - 1][0]) if len(rows) > limit else None
    rows = rows[:limit]
    snippets = {row[1]: _mark(row[-1]) for row in rows} if query.search else None
    items = _hydrate(state.conn, [row[1] for row in rows], snippets)
    return _json({"items": items, "next_cursor": next_cursor})


async def facets(request: Request) -> Response:
    """Top sources, actors and topics of the matching claims: the service's facet SQL."""
    state = _get_state()
    query = state.query(request)
    if query is None:
        return _json({"detail": "unknown filter value"}, 404)
    matching = build_claim_sql(query, dialect="sqlite", limit=FACET_SCAN_LIMIT + 1)
    sql, params = matching.for_driver("sqlite")
    result: dict[str, Any] = {}
    truncated = False
    for spec in KINDS.values():
        total = state.conn.execute(f"SELECT count(*) FROM ({sql}) AS m", params).fetchone()[0]
        truncated |= total > FACET_SCAN_LIMIT
        kinds = ""
        facet_params = dict(params)
        if spec.by_kind:
            kinds = " AND l.kind IN (" + ", ".join(f":fk{n}" for n in range(len(query.kinds))) + ")"
            facet_params.update({f"fk{n}": kind for n, kind in enumerate(query.kinds)})
        statement = FACET_SQL.format(
            matching=sql,
            link_table=spec.link_table,
            kinds=kinds,
            entity_table=spec.entity_table,
            link_column=spec.link_column,
            limit=10,
        )
        result[spec.name] = [
            {"slug": slug, "name": name, "claim_count": count}
            for slug, name, count in state.conn.execute(statement, facet_params)
        ]
    return _json({"facets": result, "truncated": truncated})


app = Starlette(routes=[Route("/v1/claims", claims), Route("/v1/facets", facets)])
