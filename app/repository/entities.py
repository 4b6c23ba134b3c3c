"""Sources, actors and topics: listing with claim counts, lookup by slug, idempotent upserts."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from sqlalchemy import Table
from sqlalchemy.orm import Session

from app.repository.filters import SEPARATOR, fold, like_escape, search_text
from app.repository.kinds import KINDS
from app.repository.sql import JSON_COLUMNS, Json, dialect_of, execute_many, mappings, rows

__all__ = [
    "actor_edit_stamp",
    "actor_slug_by_name",
    "claims_by_month",
    "edited_actors",
    "ensure_entities",
    "entity_by_slug",
    "list_entities",
    "save_actor",
    "upsert_topics",
]


def list_entities(
    session: Session,
    *,
    kind: str,
    after: str | None,
    limit: int,
    prefix: str | None = None,
    actor_type: str | None = None,
) -> list[dict[str, Any]]:
    """Entities of one kind in slug order with their claim counts."""
    spec = KINDS[kind]
    where: list[str] = []
    params: dict[str, Any] = {"limit": limit}
    if after is not None:
        where.append("e.slug > :after")
        params["after"] = after
    if prefix and spec.has_aliases:
        # A name or any alias starting with the prefix, in any case.
        where.append("e.search_text LIKE :prefix ESCAPE '\\'")
        params["prefix"] = f"%{SEPARATOR}{like_escape(fold(prefix))}%"
    elif prefix:
        where.append("lower(e.name) LIKE :prefix ESCAPE '\\'")
        params["prefix"] = like_escape(prefix.lower()) + "%"
    if actor_type:
        where.append("e.type = :type")
        params["type"] = actor_type
    columns = ", ".join(f"e.{column}" for column in spec.columns)
    sql = f"SELECT {columns} FROM {spec.table.name} e"
    if where:
        sql += " WHERE " + " AND ".join(where)
    sql += " ORDER BY e.slug LIMIT :limit"
    return mappings(session, sql, params)


def entity_by_slug(session: Session, *, kind: str, slug: str) -> dict[str, Any] | None:
    """One entity with its claim count, or None."""
    spec = KINDS[kind]
    columns = ", ".join(f"e.{column}" for column in spec.columns)
    found = mappings(
        session, f"SELECT {columns} FROM {spec.table.name} e WHERE e.slug = :slug", {"slug": slug}
    )
    return found[0] if found else None


# The month of an article's publication (else of its ingestion), as 'YYYY-MM'.
_MONTH = {
    "sqlite": "substr(coalesce(a.published_at, a.ingested_at), 1, 7)",
    "postgresql": "to_char(coalesce(a.published_at, a.ingested_at) AT TIME ZONE 'UTC', 'YYYY-MM')",
}


def claims_by_month(session: Session, *, kind: str, slug: str) -> list[tuple[str, int]]:
    """How many claims cite (or are about) an entity per month, oldest first: ('YYYY-MM', n).

    The claims counted are those its `claim_count` counts.
    """
    spec = KINDS[kind]
    month = _MONTH[dialect_of(session)]
    condition = spec.counted("l")
    found = rows(
        session,
        f"SELECT {month} AS month, count(*) AS n FROM {spec.link_table} l "
        f"JOIN {spec.entity_table} e ON e.id = l.{spec.link_column} "
        "JOIN claim c ON c.id = l.claim_id JOIN article a ON a.id = c.article_id "
        f"WHERE e.slug = :slug{' AND ' + condition if condition else ''} "
        "GROUP BY month ORDER BY month",
        {"slug": slug},
    )
    return [(str(month_), int(n)) for month_, n in found]


def ensure_entities(
    session: Session, *, kind: str, rows: Iterable[Mapping[str, Any]]
) -> dict[str, int]:
    """Insert the rows whose slug is new (concurrent writers welcome); map every slug to its id."""
    table = KINDS[kind].table
    wanted = {row["slug"]: row for row in rows}
    if not wanted:
        return {}
    ids = _ids_by_slug(session, table, list(wanted))
    missing = [_searchable(table, row) for slug, row in wanted.items() if slug not in ids]
    if missing:
        # Rows of one shape per statement: callers may leave optional columns out.
        shapes: dict[tuple[str, ...], list[dict[str, Any]]] = {}
        for row in missing:
            shapes.setdefault(tuple(row), []).append(row)
        for columns, same in shapes.items():
            execute_many(
                session,
                f"INSERT INTO {table.name} ({', '.join(columns)}) "
                f"VALUES ({', '.join(':' + column for column in columns)}) "
                "ON CONFLICT (slug) DO NOTHING",
                [_bound(row) for row in same],
            )
        ids.update(_ids_by_slug(session, table, [row["slug"] for row in missing]))
    return ids


def _bound(row: Mapping[str, Any]) -> dict[str, Any]:
    """A row's values as the executor binds them: JSON columns as JSON."""
    return {key: Json(item) if key in JSON_COLUMNS else item for key, item in row.items()}


def _ids_by_slug(session: Session, table: Table, slugs: Sequence[str]) -> dict[str, int]:
    found: dict[str, int] = {}
    # Bounded IN lists: PostgreSQL and SQLite both cap bound parameters.
    for start in range(0, len(slugs), 500):
        chunk = list(slugs[start : start + 500])
        sql = f"SELECT slug, id FROM {table.name} WHERE slug IN :slugs"
        found.update((slug, entity_id) for slug, entity_id in rows(session, sql, {"slugs": chunk}))
    return found


def edited_actors(session: Session) -> list[dict[str, Any]]:
    """Actors that clients added or edited, as registry entries."""
    return mappings(
        session,
        "SELECT slug, name, type, aliases, iso_code, wikidata_id FROM actor "
        "WHERE edited_at IS NOT NULL ORDER BY slug",
    )


def actor_edit_stamp(session: Session) -> tuple[int, str]:
    """Changes whenever a client adds or edits an actor: (edited count, latest edit)."""
    ((count, latest),) = rows(session, "SELECT count(edited_at), max(edited_at) FROM actor")
    return int(count), str(latest)


def _searchable(table: Table, row: Mapping[str, Any]) -> dict[str, Any]:
    """The row with its `search_text`, for the tables that have one."""
    if "search_text" not in table.c:
        return dict(row)
    return {**row, "search_text": search_text(row["name"], row.get("aliases") or ())}


def save_actor(session: Session, *, row: Mapping[str, Any]) -> None:
    """Insert the actor, or overwrite the one with the same slug."""
    table = KINDS["actor"].table
    values = _bound(_searchable(table, row))
    columns = list(values)
    assignments = ", ".join(f"{column} = :{column}" for column in columns if column != "slug")
    # RETURNING tells whether the row exists without a second statement.
    if not rows(session, f"UPDATE actor SET {assignments} WHERE slug = :slug RETURNING id", values):
        rows(
            session,
            f"INSERT INTO actor ({', '.join(columns)}) "
            f"VALUES ({', '.join(':' + column for column in columns)})",
            values,
        )


def actor_slug_by_name(session: Session, *, name: str) -> str | None:
    """The slug of the actor whose canonical name is `name` (any case)."""
    found = rows(
        session, "SELECT slug FROM actor WHERE lower(name) = :name", {"name": name.lower()}
    )
    return str(found[0][0]) if found else None


def upsert_topics(session: Session, *, topics: Sequence[Mapping[str, Any]]) -> None:
    """Insert new topics and bring existing ones up to date, by slug."""
    ensure_entities(session, kind="topic", rows=topics)
    for row in topics:
        columns = [column for column in row if column != "slug"]
        assignments = ", ".join(f"{column} = :{column}" for column in columns)
        rows(session, f"UPDATE topic SET {assignments} WHERE slug = :slug", row)
