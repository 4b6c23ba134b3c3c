"""Article reads: summaries, one article with its references, existence by text hash."""

from __future__ import annotations

from typing import Any

from sqlalchemy.orm import Session

from app.repository.filters import ArticleFilter, Scope, SqlParts, active_filters
from app.repository.sql import dialect_of, mappings, rows

__all__ = [
    "article_exists",
    "article_id_by_hash",
    "article_list_sql",
    "article_row",
    "article_rows",
    "reference_rows",
]

_SUMMARY_COLUMNS = (
    "a.id, a.title, a.url, a.published_at, a.format, a.splitter_version, a.language, "
    "a.ingested_at, "
    "(SELECT count(*) FROM claim c WHERE c.article_id = a.id) AS claim_count, "
    "p.slug AS publisher_slug, p.name AS publisher_name, p.aliases AS publisher_aliases, "
    "p.domains AS publisher_domains"
)
# The article's own source (its publisher), when the page named one.
_PUBLISHER = "LEFT JOIN source p ON p.id = a.source_id"


def article_list_sql(
    filters: ArticleFilter, *, dialect: str, before: int | None, limit: int
) -> SqlParts:
    """The conditions and values of one page of the article list, from the filter table."""
    sql = SqlParts(dialect)
    scope = Scope(article_id="a.id", article="a")
    for spec, value in active_filters(filters):
        sql.where.append(spec.where(sql, scope, value))
    if before is not None:
        sql.where.append(f"a.id < {sql.bind('before', before)}")
    sql.bind("limit", limit)
    return sql


def article_rows(
    session: Session, *, filters: ArticleFilter, before: int | None, limit: int
) -> list[dict[str, Any]]:
    """Rows of the newest articles matching the filters (no text), keyset-paged on id."""
    sql = article_list_sql(filters, dialect=dialect_of(session), before=before, limit=limit)
    where = f"WHERE {' AND '.join(sql.where)} " if sql.where else ""
    return mappings(
        session,
        f"SELECT {_SUMMARY_COLUMNS} FROM article a {_PUBLISHER} {where}"
        "ORDER BY a.id DESC LIMIT :limit",
        sql.params,
    )


def article_row(session: Session, *, article_id: int) -> dict[str, Any] | None:
    """One article's row with its text and integrity report, or None."""
    found = mappings(
        session,
        f"SELECT {_SUMMARY_COLUMNS}, a.text, a.integrity FROM article a {_PUBLISHER} "
        "WHERE a.id = :id",
        {"id": article_id},
    )
    return found[0] if found else None


def reference_rows(session: Session, *, article_id: int) -> list[dict[str, Any]]:
    """An article's reference list in order, each joined to its source when known."""
    return mappings(
        session,
        "SELECT r.label, r.text, r.url, s.slug, s.name, s.aliases, s.domains "
        "FROM reference r LEFT JOIN source s ON s.id = r.source_id "
        "WHERE r.article_id = :id ORDER BY r.position",
        {"id": article_id},
    )


def article_id_by_hash(session: Session, *, text_hash: str) -> int | None:
    """The id of the article with this normalised-text hash, if stored."""
    found = rows(session, "SELECT id FROM article WHERE text_hash = :hash", {"hash": text_hash})
    return int(found[0][0]) if found else None


def article_exists(session: Session, *, article_id: int) -> bool:
    """True when an article with this id is stored."""
    return bool(rows(session, "SELECT 1 FROM article WHERE id = :id", {"id": article_id}))
