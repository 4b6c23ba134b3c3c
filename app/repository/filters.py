"""Read filters as data: each query parameter maps to the SQL that selects its claims."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import orjson
from sqlalchemy import bindparam, text
from sqlalchemy.orm import Session

from app.errors import NotFound
from app.models import POSITION_BITS, claim_key

__all__ = [
    "ENTITY_FILTERS",
    "ClaimFilter",
    "EntityFilter",
    "ResolvedFilter",
    "claim_ids_sql",
    "resolve_entities",
]


@dataclass(frozen=True, slots=True)
class EntityFilter:
    """A repeatable filter on an entity linked to claims (values OR, filters AND)."""

    param: str  # query parameter name
    entity_table: str  # where slugs, names and aliases live
    link_table: str  # claim <-> entity
    link_column: str  # the entity's id in link_table
    link_condition: str = ""  # extra SQL on link_table rows, aliased `l`
    has_aliases: bool = True  # entity_table has a JSON `aliases` column


ENTITY_FILTERS: tuple[EntityFilter, ...] = (
    # `source` matches what a sentence itself cites; paragraph context is not a citation.
    EntityFilter(
        "source", "source", "claim_citation", "source_id", "l.kind IN ('cited', 'inline')"
    ),
    EntityFilter("actor", "actor", "claim_actor", "actor_id"),
    EntityFilter("topic", "topic", "claim_topic", "topic_id", has_aliases=False),
)


@dataclass(frozen=True, slots=True)
class ClaimFilter:
    """Claim filters as the client gave them: slugs or names, not yet resolved."""

    source: tuple[str, ...] = ()
    actor: tuple[str, ...] = ()
    topic: tuple[str, ...] = ()
    article: tuple[int, ...] = ()
    since: datetime | None = None
    until: datetime | None = None

    def query_params(self) -> dict[str, list[str]]:
        """The filter as query parameters, for cursors and Link headers."""
        params: dict[str, list[str]] = {
            spec.param: list(getattr(self, spec.param)) for spec in ENTITY_FILTERS
        }
        params["article"] = [str(a) for a in self.article]
        params["since"] = [self.since.isoformat()] if self.since else []
        params["until"] = [self.until.isoformat()] if self.until else []
        return {key: values for key, values in params.items() if values}


@dataclass(frozen=True, slots=True)
class ResolvedFilter:
    """One entity filter with its values turned into ids."""

    spec: EntityFilter
    ids: tuple[int, ...]


def _like_escape(value: str) -> str:
    return value.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def resolve_entities(
    session: Session, *, spec: EntityFilter, values: Sequence[str]
) -> ResolvedFilter:
    """Turn slugs, names or aliases (any case) into ids; 404 naming the first unknown value."""
    ids: list[int] = []
    by_key = text(f"SELECT id FROM {spec.entity_table} WHERE slug = :slug OR lower(name) = :name")
    # Aliases are a JSON array of strings; an exact, case-insensitive element match
    # is a LIKE on its encoded form.
    by_alias = text(
        f"SELECT id FROM {spec.entity_table} "
        f"WHERE lower(CAST(aliases AS TEXT)) LIKE :pattern ESCAPE '\\'"
    )
    for value in values:
        key = value.strip().lower()
        found = [row[0] for row in session.execute(by_key, {"slug": key, "name": key})]
        if not found and key and spec.has_aliases:
            encoded = orjson.dumps(key).decode()
            found = [
                row[0]
                for row in session.execute(by_alias, {"pattern": f"%{_like_escape(encoded)}%"})
            ]
        if not found:
            raise NotFound(f"No {spec.param} matches '{value}'.")
        ids.extend(found)
    return ResolvedFilter(spec, tuple(dict.fromkeys(ids)))


def claim_ids_sql(
    *,
    entities: Sequence[ResolvedFilter],
    articles: Sequence[int],
    since: datetime | None,
    until: datetime | None,
    after: int | None,
    limit: int,
) -> tuple[Any, dict[str, Any]]:
    """SQL selecting (key, id) of the next `limit` matching claims in reading order.

    The first entity filter drives the scan through its link table's
    (entity, claim_key) index, so the page comes out in index order and the
    database never sorts the whole filtered set.
    """
    params: dict[str, Any] = {"limit": limit}
    where: list[str] = []
    expanding: list[str] = []
    if entities:
        driver, rest = entities[0], entities[1:]
        source = f"{driver.spec.link_table} l"
        key, claim_id = "l.claim_key", "l.claim_id"
        where.append(f"l.{driver.spec.link_column} IN :e0")
        if driver.spec.link_condition:
            where.append(driver.spec.link_condition)
        params["e0"] = list(driver.ids)
        expanding.append("e0")
        distinct = "DISTINCT " if len(driver.ids) > 1 else ""
    else:
        rest = ()
        source = "claim c0"
        key, claim_id = "c0.sort_key", "c0.id"
        distinct = ""
    for n, resolved in enumerate(rest, start=1):
        condition = resolved.spec.link_condition.replace("l.", f"l{n}.")
        where.append(
            f"EXISTS (SELECT 1 FROM {resolved.spec.link_table} l{n} "
            f"WHERE l{n}.claim_id = {claim_id} AND l{n}.{resolved.spec.link_column} IN :e{n}"
            + (f" AND {condition}" if condition else "")
            + ")"
        )
        params[f"e{n}"] = list(resolved.ids)
        expanding.append(f"e{n}")
    if articles:
        # An article's claims are one contiguous range of keys.
        ranges = []
        for n, article_id in enumerate(articles):
            ranges.append(f"({key} >= :a{n}_lo AND {key} < :a{n}_hi)")
            params[f"a{n}_lo"] = claim_key(article_id, 0)
            params[f"a{n}_hi"] = claim_key(article_id + 1, 0)
        where.append("(" + " OR ".join(ranges) + ")")
    if since or until:
        dates = [f"a.id = {key} / {1 << POSITION_BITS}"]
        if since:
            dates.append("a.published_at >= :since")
            params["since"] = since
        if until:
            dates.append("a.published_at < :until")
            params["until"] = until
        where.append(f"EXISTS (SELECT 1 FROM article a WHERE {' AND '.join(dates)})")
    if after is not None:
        where.append(f"{key} > :after")
        params["after"] = after
    sql = f"SELECT {distinct}{key} AS key, {claim_id} AS id FROM {source}"
    if where:
        sql += " WHERE " + " AND ".join(where)
    sql += f" ORDER BY {key} LIMIT :limit"
    statement = text(sql).bindparams(*(bindparam(name, expanding=True) for name in expanding))
    return statement, params
