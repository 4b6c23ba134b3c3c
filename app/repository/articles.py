"""Article reads: summaries, one article with its references, existence by text hash."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from sqlalchemy import JSON, DateTime, text
from sqlalchemy.orm import Session
from sqlalchemy.types import TypeEngine

from app.links import article_url
from app.repository.driver import driver_rows

__all__ = [
    "article_by_id",
    "article_exists",
    "article_id_by_hash",
    "article_summaries",
    "references_of",
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


_TYPES: dict[str, TypeEngine[Any]] = {
    "published_at": DateTime(timezone=True),
    "ingested_at": DateTime(timezone=True),
    "publisher_aliases": JSON(),
    "publisher_domains": JSON(),
}


def _utc(value: datetime | None) -> datetime | None:
    # SQLite keeps no zone; every stored time is UTC.
    if value is not None and value.tzinfo is None:
        return value.replace(tzinfo=UTC)
    return value


def _summary(row: Any) -> dict[str, Any]:
    return {
        "id": row.id,
        "api_url": article_url(row.id),
        "title": row.title,
        "url": row.url,
        "published_at": _utc(row.published_at),
        "format": row.format,
        "splitter_version": row.splitter_version,
        "language": row.language,
        "ingested_at": _utc(row.ingested_at),
        "claim_count": row.claim_count,
        "publisher": None
        if row.publisher_slug is None
        else {
            "slug": row.publisher_slug,
            "name": row.publisher_name,
            "aliases": row.publisher_aliases,
            "domains": row.publisher_domains,
        },
    }


def article_summaries(session: Session, *, before: int | None, limit: int) -> list[dict[str, Any]]:
    """Newest articles first, keyset-paged on id."""
    where = "WHERE a.id < :before " if before is not None else ""
    rows = session.execute(
        text(
            f"SELECT {_SUMMARY_COLUMNS} FROM article a {_PUBLISHER} {where}"
            "ORDER BY a.id DESC LIMIT :limit"
        ).columns(**_TYPES),
        {"before": before, "limit": limit},
    )
    return [_summary(row) for row in rows]


def article_by_id(session: Session, *, article_id: int) -> dict[str, Any] | None:
    """One article with text, integrity and references, or None."""
    row = session.execute(
        text(
            f"SELECT {_SUMMARY_COLUMNS}, a.text, a.integrity FROM article a {_PUBLISHER} "
            "WHERE a.id = :id"
        ).columns(integrity=JSON(), **_TYPES),
        {"id": article_id},
    ).one_or_none()
    if row is None:
        return None
    article = _summary(row)
    article["text"] = row.text
    article["integrity"] = row.integrity
    article["references"] = references_of(session, article_id=article_id)
    return article


def references_of(session: Session, *, article_id: int) -> list[dict[str, Any]]:
    """An article's reference list in order, each with its source when known."""
    rows = session.execute(
        text(
            "SELECT r.label, r.text, r.url, s.slug, s.name, s.aliases, s.domains "
            "FROM reference r LEFT JOIN source s ON s.id = r.source_id "
            "WHERE r.article_id = :id ORDER BY r.position"
        ).columns(aliases=JSON(), domains=JSON()),
        {"id": article_id},
    )
    return [
        {
            "label": row.label,
            "text": row.text,
            "url": row.url,
            "source": None
            if row.slug is None
            else {
                "slug": row.slug,
                "name": row.name,
                "aliases": row.aliases,
                "domains": row.domains,
            },
        }
        for row in rows
    ]


def article_id_by_hash(session: Session, *, text_hash: str) -> int | None:
    """The id of the article with this normalised-text hash, if stored."""
    rows = driver_rows(session, "SELECT id FROM article WHERE text_hash = ?", (text_hash,))
    return int(rows[0][0]) if rows else None


def article_exists(session: Session, *, article_id: int) -> bool:
    """True when an article with this id is stored."""
    return bool(driver_rows(session, "SELECT 1 FROM article WHERE id = ?", (article_id,)))
