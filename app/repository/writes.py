"""Article writes: the whole article graph in the caller's transaction, or deletion of it."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any, cast

from sqlalchemy import Table, delete, insert, select, text, update
from sqlalchemy.orm import Session

from app import models
from app.models import claim_key
from app.repository import counters
from app.repository.driver import driver_executemany, driver_rows, driver_value
from app.repository.kinds import KINDS

_ARTICLE = cast(Table, models.Article.__table__)  # type: ignore[attr-defined]
_REFERENCE = cast(Table, models.Reference.__table__)  # type: ignore[attr-defined]
_CLAIM = cast(Table, models.Claim.__table__)  # type: ignore[attr-defined]

__all__ = [
    "ClaimRow",
    "article_source",
    "claim_texts",
    "delete_article",
    "delete_links",
    "insert_article",
    "insert_claims",
    "insert_links",
    "record_changes",
    "rewrite_article",
    "serialise_writes",
]

# Any fixed number: the key of the PostgreSQL advisory lock that orders ingestion.
_INGEST_LOCK_KEY = 7_302_001


@dataclass(frozen=True, slots=True)
class ClaimRow:
    """One claim to insert, with its links already resolved to ids."""

    values: Mapping[str, Any]  # claim columns other than id and article_id
    citations: Sequence[tuple[int, str, str | None]]  # (source_id, kind, label)
    actor_ids: Sequence[int]
    topic_ids: Sequence[int]


def serialise_writes(session: Session) -> None:
    """Make article writes commit in the order their ids were taken.

    Keyset cursors read claims in sort-key order (which starts with the article
    id) and the change feed reads events in sequence order; if a transaction
    holding lower ids could commit after one holding higher ids, a reader
    already past the higher ones would never see the lower. SQLite serialises
    writers anyway (BEGIN IMMEDIATE); PostgreSQL takes a transaction-scoped
    advisory lock.
    """
    if session.get_bind().dialect.name == "postgresql":
        session.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": _INGEST_LOCK_KEY})


def insert_article(
    session: Session,
    *,
    article: Mapping[str, Any],
    references: Sequence[Mapping[str, Any]],
    claims: Sequence[ClaimRow],
) -> int:
    """Insert an article, its references and claims with their links; return the article id."""
    article_id: int = session.execute(
        insert(_ARTICLE).returning(_ARTICLE.c.id), [dict(article)]
    ).scalar_one()
    if references:
        session.execute(
            insert(_REFERENCE),
            [{**reference, "article_id": article_id} for reference in references],
        )
    if claims:
        insert_claims(session, article_id=article_id, claims=claims)
    return article_id


# Rows per multi-row INSERT: under every backend's cap on bound parameters.
_ROWS_PER_INSERT = 500


def insert_claims(session: Session, *, article_id: int, claims: Sequence[ClaimRow]) -> list[int]:
    """Insert an article's claims and their links; return the new claim ids in order."""
    if not claims:
        return []
    # The article's claims are a write's largest share of statements: they go to the
    # driver's cursor as multi-row INSERTs, ids returned with the unique sort keys.
    columns = ["article_id", "sort_key", *claims[0].values]
    rows = [
        (article_id, claim_key(article_id, claim.values["position"]), *claim.values.values())
        for claim in claims
    ]
    id_by_key: dict[int, int] = {}
    for start in range(0, len(rows), _ROWS_PER_INSERT):
        chunk = rows[start : start + _ROWS_PER_INSERT]
        values = ", ".join(["(" + ", ".join("?" * len(columns)) + ")"] * len(chunk))
        returned = driver_rows(
            session,
            f"INSERT INTO claim ({', '.join(columns)}) VALUES {values} RETURNING sort_key, id",
            [value for row in chunk for value in row],
        )
        id_by_key.update((key, claim_id) for key, claim_id in returned)
    keyed = [(id_by_key[row[1]], row[1], claim) for row, claim in zip(rows, claims, strict=True)]
    claim_ids = [claim_id for claim_id, _, _ in keyed]
    insert_links(session, claims=keyed)
    counters.adjust_total(session, delta=len(claim_ids))
    record_changes(session, article_id=article_id, claim_ids=claim_ids, kind="created")
    return claim_ids


def record_changes(
    session: Session, *, article_id: int, claim_ids: Sequence[int], kind: str
) -> None:
    """Append claim events to the change feed, in the caller's transaction."""
    now = driver_value(datetime.now(UTC), session.get_bind().dialect.name)
    driver_executemany(
        session,
        "INSERT INTO claim_change (claim_id, article_id, kind, changed_at) VALUES (?, ?, ?, ?)",
        [(claim_id, article_id, kind, now) for claim_id in claim_ids],
    )


def insert_links(session: Session, *, claims: Sequence[tuple[int, int, ClaimRow]]) -> None:
    """Insert the citation, actor and topic rows of (claim id, sort key, claim) triples."""
    citations = [
        {"claim_id": cid, "claim_key": key, "source_id": source_id, "kind": kind, "label": label}
        for cid, key, claim in claims
        for source_id, kind, label in claim.citations
    ]
    actors = [
        {"claim_id": cid, "claim_key": key, "actor_id": actor_id}
        for cid, key, claim in claims
        for actor_id in claim.actor_ids
    ]
    topics = [
        {"claim_id": cid, "claim_key": key, "topic_id": topic_id}
        for cid, key, claim in claims
        for topic_id in claim.topic_ids
    ]
    link_rows: dict[str, list[dict[str, Any]]] = {
        "source": citations,
        "actor": actors,
        "topic": topics,
    }
    for name, link in link_rows.items():
        table = KINDS[name].link
        if link:
            columns = list(link[0])
            driver_executemany(
                session,
                f"INSERT INTO {table.name} ({', '.join(columns)}) "
                f"VALUES ({', '.join('?' * len(columns))})",
                [tuple(row.values()) for row in link],
            )
            counters.adjust_entity_counts(session, link_table=table.name, rows=link)


def delete_links(session: Session, *, claim_ids: Sequence[int]) -> None:
    """Delete the citation, actor and topic rows of these claims, and uncount them."""
    if claim_ids:
        counters.uncount_links(session, claim_ids=claim_ids)
        for kind in KINDS.values():
            table = kind.link
            session.execute(delete(table).where(table.c.claim_id.in_(list(claim_ids))))


def delete_article(session: Session, *, article_id: int) -> bool:
    """Delete an article; its references, claims and their links go with it."""
    claim_ids = [
        row[0]
        for row in session.execute(
            select(_CLAIM.c.id).where(_CLAIM.c.article_id == article_id).order_by(_CLAIM.c.sort_key)
        )
    ]
    delete_links(session, claim_ids=claim_ids)
    result = session.execute(delete(_ARTICLE).where(_ARTICLE.c.id == article_id))
    if not result.rowcount:  # type: ignore[attr-defined]
        return False
    counters.adjust_total(session, delta=-len(claim_ids))
    record_changes(session, article_id=article_id, claim_ids=claim_ids, kind="deleted")
    return True


def article_source(session: Session, *, article_id: int) -> dict[str, Any] | None:
    """What an article was split from: text, format and the client's title."""
    row = session.execute(
        text("SELECT text, format, client_title, client_language FROM article WHERE id = :id"),
        {"id": article_id},
    ).one_or_none()
    return None if row is None else dict(row._mapping)


def claim_texts(session: Session, *, article_id: int) -> list[tuple[int, str]]:
    """(id, text) of an article's claims in position order."""
    rows = session.execute(
        text("SELECT id, text FROM claim WHERE article_id = :id ORDER BY position"),
        {"id": article_id},
    )
    return [(row.id, row.text) for row in rows]


def rewrite_article(
    session: Session,
    *,
    article_id: int,
    article: Mapping[str, Any],
    references: Sequence[Mapping[str, Any]],
    kept: Sequence[tuple[int, ClaimRow]],
    added: Sequence[ClaimRow],
    dropped: Sequence[int],
) -> None:
    """Replace an article's split: update kept claims in place, add and drop the rest."""
    session.execute(update(_ARTICLE).where(_ARTICLE.c.id == article_id).values(**article))
    session.execute(delete(_REFERENCE).where(_REFERENCE.c.article_id == article_id))
    if references:
        session.execute(
            insert(_REFERENCE), [{**ref, "article_id": article_id} for ref in references]
        )
    existing = [claim_id for claim_id, _ in kept] + list(dropped)
    delete_links(session, claim_ids=existing)
    if dropped:
        session.execute(delete(_CLAIM).where(_CLAIM.c.id.in_(list(dropped))))
        counters.adjust_total(session, delta=-len(dropped))
        record_changes(session, article_id=article_id, claim_ids=dropped, kind="deleted")
    if kept:
        # Park kept claims on negative keys first: positions may swap, keys are unique.
        session.execute(
            update(_CLAIM)
            .where(_CLAIM.c.id.in_([claim_id for claim_id, _ in kept]))
            .values(sort_key=-_CLAIM.c.id)
        )
        keyed: list[tuple[int, int, ClaimRow]] = []
        for claim_id, claim in kept:
            key = claim_key(article_id, claim.values["position"])
            session.execute(
                update(_CLAIM).where(_CLAIM.c.id == claim_id).values(**claim.values, sort_key=key)
            )
            keyed.append((claim_id, key, claim))
        insert_links(session, claims=keyed)
        record_changes(
            session, article_id=article_id, claim_ids=[cid for cid, _ in kept], kind="updated"
        )
    if added:
        insert_claims(session, article_id=article_id, claims=added)
