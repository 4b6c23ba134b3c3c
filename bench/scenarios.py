"""The read scenarios of the HTTP benchmark, and their equivalents for each server.

Each scenario is one request: the service's URL, the ceiling's URL (sort keys
instead of opaque cursors) and a Datasette canned query built from the SQL the
service runs, with the values written in.
"""

from __future__ import annotations

import base64
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode

import orjson
from sqlalchemy import text
from sqlalchemy.engine import Engine

from app.repository.claim_query import ClaimQuery, build_claim_sql
from app.repository.filters import ResolvedFilter
from app.repository.kinds import KINDS
from app.services.claims import FACET_SCAN_LIMIT
from bench.ceiling import FACET_SQL, literal_sql
from bench.procs import get

__all__ = ["PAGE", "Picks", "Scenario", "deep_cursor", "pick_values", "scenarios"]

PAGE = 50
_SPECS = KINDS


@dataclass(frozen=True, slots=True)
class Picks:
    """The entity slugs (and their ids) the scenarios filter on."""

    sources: tuple[tuple[str, int], ...]  # most cited first
    actor: tuple[str, int]
    topic: tuple[str, int]
    search: str


@dataclass(frozen=True, slots=True)
class Scenario:
    """One benchmark request, as each server spells it."""

    name: str
    label: str
    service: str
    ceiling: str
    canned_sql: str
    params: tuple[tuple[str, str], ...] = ()


def pick_values(engine: Engine) -> Picks:
    """The most cited source (and the next ones), a heavy actor and a topic they share."""
    with engine.connect() as conn:
        sources = conn.execute(
            text(
                "SELECT s.slug, s.id FROM claim_citation l JOIN source s ON s.id = l.source_id "
                "WHERE l.kind IN ('cited', 'inline') GROUP BY s.id ORDER BY count(*) DESC LIMIT 4"
            )
        ).all()
        actors = conn.execute(
            text(
                "SELECT a.slug, a.id FROM claim_actor l JOIN actor a ON a.id = l.actor_id "
                "GROUP BY a.id ORDER BY count(*) DESC LIMIT 5"
            )
        ).all()
        actor = actors[-1]  # the 5th most frequent: heavy, not the extreme
        topic = conn.execute(
            text(
                "SELECT t.slug, t.id FROM claim_topic l JOIN topic t ON t.id = l.topic_id "
                "GROUP BY t.id ORDER BY count(*) DESC LIMIT 1 OFFSET 2"
            )
        ).one()
    return Picks(
        sources=tuple((slug, int(id_)) for slug, id_ in sources),
        actor=(actor[0], int(actor[1])),
        topic=(topic[0], int(topic[1])),
        search="sanctions",
    )


def deep_cursor(port: int, path: str, pages: int) -> tuple[str, int] | None:
    """Follow next_cursor up to `pages` times from path on the service: (cursor, its sort key).

    Stops early on a short chain (a small database); None when there is no second page.
    """
    cursor = ""
    for _ in range(pages):
        status, body = get(port, path + (f"&cursor={cursor}" if cursor else ""))
        if status != 200:
            raise RuntimeError(f"GET {path} answered {status}: {body[:200]!r}")
        following = orjson.loads(body)["next_cursor"]
        if not following:
            break
        cursor = following
    if not cursor:
        return None
    raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4))
    _version, _query, key = orjson.loads(raw)
    return cursor, int(key[-1])


def _query(filters: dict[str, list[int]], search: str | None = None) -> ClaimQuery:
    entities = tuple(
        ResolvedFilter(_SPECS[param], tuple(ids)) for param, ids in filters.items() if ids
    )
    return ClaimQuery(entities=entities, search=search, order="relevance" if search else "reading")


def _page_sql(query: ClaimQuery, after: int | None) -> str:
    """One page with its sources, actors and topics nested as JSON, in one statement."""
    built = build_claim_sql(
        query, dialect="sqlite", after=None if after is None else [after], limit=PAGE
    )
    order = "p.ord, p.key" if query.order == "relevance" else "p.key"
    snippet = ", p.snippet" if query.search else ""
    return (
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
        f"FROM ({literal_sql(built)}) AS p JOIN claim c ON c.id = p.id "
        f"JOIN article a ON a.id = c.article_id ORDER BY {order}"
    )


def _facets_sql(query: ClaimQuery) -> str:
    """The three facet queries of the service and the matching count, in one statement."""
    matching = literal_sql(build_claim_sql(query, dialect="sqlite", limit=FACET_SCAN_LIMIT + 1))
    parts = [f"SELECT 'matching' AS facet, NULL, NULL, count(*) FROM ({matching}) AS m"]
    kinds = ", ".join(f"'{kind}'" for kind in query.kinds)
    for spec in KINDS.values():
        sql = FACET_SQL.format(
            matching=matching,
            link_table=spec.link_table,
            kinds=f" AND l.kind IN ({kinds})" if spec.by_kind else "",
            entity_table=spec.entity_table,
            link_column=spec.link_column,
            limit=10,
        )
        parts.append(f"SELECT '{spec.name}', * FROM ({sql})")
    return " UNION ALL ".join(parts)


def _scenario(
    name: str,
    label: str,
    filters: dict[str, list[tuple[str, int]]],
    *,
    search: str | None = None,
    after: tuple[str, int] | None = None,
    facets: bool = False,
) -> Scenario:
    query_params: list[tuple[str, Any]] = [
        (param, slug) for param, values in filters.items() for slug, _ in values
    ]
    if search:
        query_params.append(("q", search))
    query = _query({param: [i for _, i in values] for param, values in filters.items()}, search)
    if facets:
        path = "/v1/facets?" + urlencode(query_params)
        return Scenario(name, label, path, path, _facets_sql(query))
    service = [*query_params, ("limit", PAGE)]
    ceiling = list(service)
    if after is not None:
        service.append(("cursor", after[0]))
        ceiling.append(("after", after[1]))
    return Scenario(
        name,
        label,
        "/v1/claims?" + urlencode(service),
        "/v1/claims?" + urlencode(ceiling),
        _page_sql(query, None if after is None else after[1]),
    )


def scenarios(picks: Picks, deep: tuple[str, int] | None) -> list[Scenario]:
    """The scenarios of issue 6, with the picked values."""
    top = picks.sources[0]
    found = [
        _scenario("source", f"source={top[0]}", {"source": [top]}),
        _scenario("actor", f"actor={picks.actor[0]}", {"actor": [picks.actor]}),
        _scenario("topic", f"topic={picks.topic[0]}", {"topic": [picks.topic]}),
        _scenario(
            "actor_topic",
            f"actor={picks.actor[0]}&topic={picks.topic[0]}",
            {"actor": [picks.actor], "topic": [picks.topic]},
        ),
        _scenario(
            "three_sources",
            "source=" + "|".join(slug for slug, _ in picks.sources[1:4]),
            {"source": list(picks.sources[1:4])},
        ),
    ]
    if deep is not None:
        found.append(
            _scenario("deep_page", f"source={top[0]}, deep cursor", {"source": [top]}, after=deep)
        )
    found.append(_scenario("facets", f"facets source={top[0]}", {"source": [top]}, facets=True))
    found.append(_scenario("search", f"q={picks.search}", {}, search=picks.search))
    return found
