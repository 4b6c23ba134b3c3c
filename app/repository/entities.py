"""Sources, actors and topics: listing with claim counts, lookup by slug, idempotent upserts."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from sqlalchemy import JSON, Table, text
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from app.repository.driver import driver_rows
from app.repository.filters import SEPARATOR, fold, like_escape, search_text
from app.repository.kinds import KINDS

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


_JSON_COLUMNS = {"aliases": JSON(), "domains": JSON()}


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
    if prefix and "search_text" in spec.table.c:
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
    types = {c: t for c, t in _JSON_COLUMNS.items() if c in spec.columns}
    return [dict(row._mapping) for row in session.execute(text(sql).columns(**types), params)]


def entity_by_slug(session: Session, *, kind: str, slug: str) -> dict[str, Any] | None:
    """One entity with its claim count, or None."""
    spec = KINDS[kind]
    columns = ", ".join(f"e.{column}" for column in spec.columns)
    types = {c: t for c, t in _JSON_COLUMNS.items() if c in spec.columns}
    row = session.execute(
        text(f"SELECT {columns} FROM {spec.table.name} e WHERE e.slug = :slug").columns(**types),
        {"slug": slug},
    ).one_or_none()
    return None if row is None else dict(row._mapping)


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
    month = _MONTH[session.get_bind().dialect.name]
    condition = spec.counted("l")
    rows = session.execute(
        text(
            f"SELECT {month} AS month, count(*) AS n FROM {spec.link_table} l "
            f"JOIN {spec.entity_table} e ON e.id = l.{spec.link_column} "
            "JOIN claim c ON c.id = l.claim_id JOIN article a ON a.id = c.article_id "
            f"WHERE e.slug = :slug{' AND ' + condition if condition else ''} "
            "GROUP BY month ORDER BY month"
        ),
        {"slug": slug},
    )
    return [(str(row.month), int(row.n)) for row in rows]


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
        dialect = session.get_bind().dialect.name
        insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
        session.execute(insert(table).on_conflict_do_nothing(index_elements=["slug"]), missing)
        ids.update(_ids_by_slug(session, table, [row["slug"] for row in missing]))
    return ids


def _ids_by_slug(session: Session, table: Table, slugs: Sequence[str]) -> dict[str, int]:
    found: dict[str, int] = {}
    # Bounded IN lists: PostgreSQL and SQLite both cap bound parameters.
    for start in range(0, len(slugs), 500):
        chunk = list(slugs[start : start + 500])
        marks = ", ".join("?" * len(chunk))
        sql = f"SELECT slug, id FROM {table.name} WHERE slug IN ({marks})"
        found.update((slug, entity_id) for slug, entity_id in driver_rows(session, sql, chunk))
    return found


def edited_actors(session: Session) -> list[dict[str, Any]]:
    """Actors that clients added or edited, as registry entries."""
    rows = session.execute(
        text(
            "SELECT slug, name, type, aliases, iso_code, wikidata_id FROM actor "
            "WHERE edited_at IS NOT NULL ORDER BY slug"
        ).columns(aliases=JSON())
    )
    return [dict(row._mapping) for row in rows]


def actor_edit_stamp(session: Session) -> tuple[int, str]:
    """Changes whenever a client adds or edits an actor: (edited count, latest edit)."""
    count, latest = session.execute(
        text("SELECT count(edited_at), max(edited_at) FROM actor")
    ).one()
    return int(count), str(latest)


def _searchable(table: Table, row: Mapping[str, Any]) -> dict[str, Any]:
    """The row with its `search_text`, for the tables that have one."""
    if "search_text" not in table.c:
        return dict(row)
    return {**row, "search_text": search_text(row["name"], row.get("aliases") or ())}


def save_actor(session: Session, *, row: Mapping[str, Any]) -> None:
    """Insert the actor, or overwrite the one with the same slug."""
    table = KINDS["actor"].table
    row = _searchable(table, row)
    updated = session.execute(table.update().where(table.c.slug == row["slug"]).values(**row))
    if not updated.rowcount:  # type: ignore[attr-defined]
        session.execute(table.insert().values(**row))


def actor_slug_by_name(session: Session, *, name: str) -> str | None:
    """The slug of the actor whose canonical name is `name` (any case)."""
    return session.execute(
        text("SELECT slug FROM actor WHERE lower(name) = :name"), {"name": name.lower()}
    ).scalar_one_or_none()


def upsert_topics(session: Session, *, rows: Sequence[Mapping[str, Any]]) -> None:
    """Insert new topics and bring existing ones up to date, by slug."""
    table = KINDS["topic"].table
    ensure_entities(session, kind="topic", rows=rows)
    for row in rows:
        session.execute(
            table.update()
            .where(table.c.slug == row["slug"])
            .values({key: value for key, value in row.items() if key != "slug"})
        )
