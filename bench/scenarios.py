"""The read workloads of the HTTP benchmark: lists of distinct requests, as each server spells them.

A workload is many requests of one shape (filtered pages by source, by actor
AND topic, ...), each with other filter values or another cursor, so no two
requests in a row are the same and no cache of the last answer helps. Each
request names its URL on the service (opaque cursors), on the two ceilings
(sort keys: `after=`) and on Datasette (a canned query per shape, built from
the SQL the service runs, its values passed as parameters).
"""

from __future__ import annotations

import base64
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlencode

import orjson
from sqlalchemy import text
from sqlalchemy.engine import Engine

from app.repository.claim_query import ClaimQuery, ClaimSql, build_claim_sql
from app.repository.claims import FACET_SQL
from app.repository.filters import ResolvedFilter
from app.repository.kinds import DEFAULT_KINDS, KINDS
from app.repository.sql import value
from app.services.claims import FACET_SCAN_LIMIT
from bench.procs import get

__all__ = [
    "PAGE",
    "Picks",
    "Request",
    "Workload",
    "canned_count",
    "canned_facets",
    "canned_page",
    "datasette_params",
    "decode_key",
    "page_workloads",
    "pick_values",
    "query_of",
]

PAGE = 50
_SPECS = KINDS
Filters = dict[str, list[tuple[str, int]]]  # param -> [(slug, id)]


@dataclass(frozen=True, slots=True)
class Picks:
    """Real filter values of the benchmark database, most frequent first."""

    sources: tuple[tuple[str, int], ...]
    actors: tuple[tuple[str, int], ...]
    topics: tuple[tuple[str, int], ...]
    words: tuple[str, ...]  # search terms: words of actor and topic names


@dataclass(frozen=True, slots=True)
class Request:
    """One request as each server spells it (None: that server cannot answer it)."""

    service: str
    canned: str
    params: tuple[tuple[str, Any], ...]
    ceiling: str | None = None
    stored: str | None = None


@dataclass
class Workload:
    """Requests of one shape, and the Datasette canned query of each shape used."""

    name: str
    label: str
    requests: list[Request] = field(default_factory=list)
    canned: dict[str, str] = field(default_factory=dict)

    def urls(self, server: str, datasette_db: str = "") -> list[str]:
        """Every request's path on one server (empty when it answers none)."""
        if server == "datasette":
            return [
                f"/{datasette_db}/{r.canned}.json?_shape=array&" + urlencode(r.params)
                for r in self.requests
            ]
        kind = "service" if server in ("service", "cached") else server
        found = [getattr(r, kind) for r in self.requests]
        return [url for url in found if url is not None]


def _ranked(engine: Engine, sql: str) -> tuple[tuple[str, int], ...]:
    with engine.connect() as conn:
        return tuple((str(slug), int(id_)) for slug, id_ in conn.execute(text(sql)))


def pick_values(engine: Engine) -> Picks:
    """Sources, actors and topics by how many claims they have; words of their names."""
    sources = _ranked(
        engine,
        "SELECT s.slug, s.id FROM claim_citation l JOIN source s ON s.id = l.source_id "
        "WHERE l.kind IN ('cited', 'inline') GROUP BY s.id, s.slug ORDER BY count(*) DESC",
    )
    actors = _ranked(
        engine,
        "SELECT slug, id FROM actor WHERE claim_count > 0 ORDER BY claim_count DESC LIMIT 300",
    )
    topics = _ranked(
        engine, "SELECT slug, id FROM topic WHERE claim_count > 0 ORDER BY claim_count DESC"
    )
    words: dict[str, None] = {}
    for slug, _ in (*topics, *actors[:60]):
        for word in slug.split("-"):
            if len(word) > 3:
                words.setdefault(word)
    return Picks(sources, actors, topics, tuple(words))


def decode_key(cursor: str) -> int:
    """The sort key inside one of the service's reading-order cursors."""
    raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4))
    _version, _query, key = orjson.loads(raw)
    return int(key[-1])


def _walk(port: int, path: str, *, skip: int, take: int) -> list[tuple[str | None, int]]:
    """(cursor, its sort key) of pages skip+1 .. skip+take of path on the service.

    The first page is (None, 0). Stops at the end of the chain.
    """
    found: list[tuple[str | None, int]] = []
    cursor: str | None = None
    for page in range(skip + take):
        if page >= skip:
            found.append((cursor, decode_key(cursor) if cursor else 0))
        status, body = get(port, path + (f"&cursor={cursor}" if cursor else ""))
        if status != 200:
            raise RuntimeError(f"GET {path} answered {status}: {body[:200]!r}")
        cursor = orjson.loads(body)["next_cursor"]
        if not cursor:
            break
    return found


def query_of(filters: Filters, search: str | None = None) -> ClaimQuery:
    """The resolved query of filters given as (slug, id) pairs, and a search."""
    entities = tuple(
        ResolvedFilter(_SPECS[param], tuple(id_ for _, id_ in values))
        for param, values in filters.items()
        if values
    )
    return ClaimQuery(entities=entities, search=search, order="relevance" if search else "reading")


_PLACEHOLDER = re.compile(r"(?<![:\w]):([A-Za-z_]\w*)")


def named_sql(built: ClaimSql) -> tuple[str, dict[str, Any]]:
    """The statement with one named placeholder per value (a list's items numbered), as
    sqlite3 and Datasette's canned queries take it."""
    params: dict[str, Any] = {}

    def place(match: re.Match[str]) -> str:
        name = match.group(1)
        item = built.params[name]
        if isinstance(item, list | tuple):
            names = [f"{name}_{n}" for n in range(len(item))]
            params.update(zip(names, item, strict=True))
            return "(" + (", ".join(f":{n}" for n in names) or "NULL") + ")"
        params[name] = value(item, "sqlite")
        return f":{name}"

    return _PLACEHOLDER.sub(place, built.sql), params


def datasette_params(sql_params: dict[str, Any]) -> tuple[tuple[str, Any], ...]:
    """A statement's driver parameters as canned-query parameters (the limit is written in)."""
    return tuple((name, value) for name, value in sql_params.items() if name != "limit")


def _key_sql(query: ClaimQuery, after: int | None, *, limit: int | None) -> tuple[str, Any]:
    built = build_claim_sql(
        query, dialect="sqlite", after=None if after is None else [after], limit=limit
    )
    sql, params = named_sql(built)
    if limit is not None:
        sql = sql.replace(":limit", str(limit))
    return sql, params


def canned_page(query: ClaimQuery, after: int | None) -> tuple[str, tuple[tuple[str, Any], ...]]:
    """One page with its sources, actors and topics nested as JSON, in one statement."""
    keys, params = _key_sql(query, after, limit=PAGE)
    order = "p.ord, p.key" if query.order == "relevance" else "p.key"
    snippet = ", p.snippet" if query.search else ""
    sql = (
        "SELECT c.id, c.article_id, a.title, a.url, a.published_at, c.position, c.text, "
        "c.section, c.span_start, c.span_end, c.span_utf16_start, c.span_utf16_end, "
        "(SELECT json_group_array(json_object('slug', s.slug, 'name', s.name, "
        "'label', l.label, 'kind', l.kind)) FROM claim_citation l "
        "JOIN source s ON s.id = l.source_id "
        "WHERE l.claim_id = c.id AND l.kind <> 'context') AS sources, "
        "(SELECT json_group_array(json_object('slug', s.slug, 'name', s.name, "
        "'label', l.label, 'kind', l.kind)) FROM claim_citation l "
        "JOIN source s ON s.id = l.source_id "
        "WHERE l.claim_id = c.id AND l.kind = 'context') AS context_sources, "
        "(SELECT json_group_array(json_object('slug', x.slug, 'name', x.name, 'type', x.type)) "
        "FROM claim_actor l JOIN actor x ON x.id = l.actor_id WHERE l.claim_id = c.id) "
        "AS actors, "
        "(SELECT json_group_array(json_object('slug', t.slug, 'name', t.name)) "
        "FROM claim_topic l JOIN topic t ON t.id = l.topic_id WHERE l.claim_id = c.id) "
        f"AS topics, c.splitter_version{snippet} "
        f"FROM ({keys}) AS p JOIN claim c ON c.id = p.id "
        f"JOIN article a ON a.id = c.article_id ORDER BY {order}"
    )
    return sql, datasette_params(params)


def canned_facets(query: ClaimQuery) -> tuple[str, tuple[tuple[str, Any], ...]]:
    """The service's three facet queries and its truncation probe, in one statement."""
    matching, params = _key_sql(query, None, limit=FACET_SCAN_LIMIT)
    probe, _ = _key_sql(query, None, limit=FACET_SCAN_LIMIT + 1)
    parts = [f"SELECT 'matching', NULL, NULL, count(*) FROM ({probe}) AS m"]
    kinds = ", ".join(f"'{kind}'" for kind in DEFAULT_KINDS)
    for spec in KINDS.values():
        # the statement facet_counts runs, its values written in
        sql = FACET_SQL.format(
            matching=matching,
            link_table=spec.link_table,
            kinds=f" AND l.kind IN ({kinds})" if spec.by_kind else "",
            entity_table=spec.entity_table,
            link_column=spec.link_column,
            limit=10,
        )
        parts.append(f"SELECT '{spec.name}', * FROM ({sql})")
    return " UNION ALL ".join(parts), datasette_params(params)


def canned_count(query: ClaimQuery) -> tuple[str, tuple[tuple[str, Any], ...]]:
    """The service's exact count of a filtered query."""
    built = build_claim_sql(query, dialect="sqlite", for_count=True)
    sql, params = named_sql(built)
    return f"SELECT count(*) FROM ({sql}) AS matching", datasette_params(params)


def _filter_params(filters: Filters) -> list[tuple[str, str]]:
    return [(param, slug) for param, values in filters.items() for slug, _ in values]


def _pages(
    port: int, name: str, label: str, variants: Sequence[Filters], *, skip: int, take: int, cap: int
) -> Workload:
    """Pages skip+1 .. skip+take of each variant, walked on the service, up to `cap` requests."""
    workload = Workload(name, label)
    for filters in variants:
        query_params = [*_filter_params(filters), ("limit", str(PAGE))]
        base = "/v1/claims?" + urlencode(query_params)
        for cursor, key in _walk(port, base, skip=skip, take=take):
            sql, params = canned_page(query_of(filters), key)
            known = workload.canned.setdefault(name, sql)
            if known != sql:
                raise RuntimeError(f"{name}: the variants do not share one statement")
            after = [("after", str(key))] if cursor else []
            workload.requests.append(
                Request(
                    service=base + (f"&cursor={cursor}" if cursor else ""),
                    canned=name,
                    params=params,
                    ceiling="/v1/claims?" + urlencode(query_params + after),
                    stored="/v1/claims?" + urlencode(query_params + after),
                )
            )
            if len(workload.requests) >= cap:
                return workload
    return workload


def page_workloads(port: int, picks: Picks, *, cap: int, deep: int) -> list[Workload]:
    """Filtered pages: source, actor, topic, actor AND topic, three sources, deep pages."""
    sources = [{"source": [s]} for s in picks.sources[:10]]
    actors = [{"actor": [a]} for a in picks.actors[:20]]
    topics = [{"topic": [t]} for t in picks.topics]
    pairs = [{"actor": [a], "topic": [t]} for a in picks.actors[:12] for t in picks.topics[:4]]
    triples = [
        {"source": list(picks.sources[n : n + 3])} for n in range(1, max(2, len(picks.sources) - 2))
    ]
    per = max(1, cap // 10)
    found = [
        _pages(port, "source", "source=<top 10 sources>", sources, skip=0, take=per, cap=cap),
        _pages(port, "actor", "actor=<top 20 actors>", actors, skip=0, take=per, cap=cap),
        _pages(port, "topic", "topic=<each topic>", topics, skip=0, take=per, cap=cap),
        _pages(port, "actor_topic", "actor=<top 12>&topic=<top 4>", pairs, skip=0, take=4, cap=cap),
        _pages(
            port,
            "three_sources",
            "source=<3 of the next sources>",
            triples,
            skip=0,
            take=per,
            cap=cap,
        ),
        _pages(
            port,
            "deep_page",
            f"source=<top 3>, pages {deep + 1}-{deep + per}",
            sources[:3],
            skip=deep,
            take=per,
            cap=cap,
        ),
    ]
    return [workload for workload in found if workload.requests]
