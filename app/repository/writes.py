"""Article writes: the whole article graph in the caller's transaction, or deletion of it."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from sqlalchemy.orm import Session

from app.models import claim_key
from app.repository import counters
from app.repository.kinds import KINDS
from app.repository.sql import JSON_COLUMNS, Json, dialect_of, execute_many, mappings, rows

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
    if dialect_of(session) == "postgresql":
        rows(session, "SELECT pg_advisory_xact_lock(:key)", {"key": _INGEST_LOCK_KEY})


def insert_article(
    session: Session,
    *,
    article: Mapping[str, Any],
    references: Sequence[Mapping[str, Any]],
    claims: Sequence[ClaimRow],
) -> int:
    """Insert an article, its references and claims with their links; return the article id."""
    values = _bound(article)
    ((article_id,),) = rows(
        session,
        f"INSERT INTO article ({', '.join(values)}) "
        f"VALUES ({', '.join(':' + column for column in values)}) RETURNING id",
        values,
    )
    _insert_references(session, article_id=article_id, references=references)
    if claims:
        insert_claims(session, article_id=article_id, claims=claims)
    return int(article_id)


def _bound(row: Mapping[str, Any]) -> dict[str, Any]:
    """A row's values as the executor binds them: JSON columns as JSON."""
    return {key: Json(item) if key in JSON_COLUMNS else item for key, item in row.items()}


def _insert(session: Session, table: str, values: Sequence[Mapping[str, Any]]) -> None:
    """Insert rows of one shape (the first row's columns) into `table`."""
    if values:
        columns = list(values[0])
        execute_many(
            session,
            f"INSERT INTO {table} ({', '.join(columns)}) "
            f"VALUES ({', '.join(':' + column for column in columns)})",
            values,
        )


def _insert_references(
    session: Session, *, article_id: int, references: Sequence[Mapping[str, Any]]
) -> None:
    _insert(
        session, "reference", [{**reference, "article_id": article_id} for reference in references]
    )


# Rows per multi-row INSERT: under every backend's cap on bound parameters.
_ROWS_PER_INSERT = 500


def insert_claims(session: Session, *, article_id: int, claims: Sequence[ClaimRow]) -> list[int]:
    """Insert an article's claims and their links; return the new claim ids in order."""
    if not claims:
        return []
    # The article's claims are a write's largest share of statements: they go to the
    # driver's cursor as multi-row INSERTs, ids returned with the unique sort keys.
    columns = ["article_id", "sort_key", *claims[0].values]
    values = [
        (article_id, claim_key(article_id, claim.values["position"]), *claim.values.values())
        for claim in claims
    ]
    id_by_key: dict[int, int] = {}
    for start in range(0, len(values), _ROWS_PER_INSERT):
        chunk = values[start : start + _ROWS_PER_INSERT]
        marks = ", ".join(
            "(" + ", ".join(f":v{n}_{c}" for c in range(len(columns))) + ")"
            for n in range(len(chunk))
        )
        returned = rows(
            session,
            f"INSERT INTO claim ({', '.join(columns)}) VALUES {marks} RETURNING sort_key, id",
            {f"v{n}_{c}": item for n, row in enumerate(chunk) for c, item in enumerate(row)},
        )
        id_by_key.update((key, claim_id) for key, claim_id in returned)
    keyed = [(id_by_key[row[1]], row[1], claim) for row, claim in zip(values, claims, strict=True)]
    claim_ids = [claim_id for claim_id, _, _ in keyed]
    insert_links(session, claims=keyed)
    counters.adjust_total(session, delta=len(claim_ids))
    record_changes(session, article_id=article_id, claim_ids=claim_ids, kind="created")
    return claim_ids


def record_changes(
    session: Session, *, article_id: int, claim_ids: Sequence[int], kind: str
) -> None:
    """Append claim events to the change feed, in the caller's transaction."""
    now = datetime.now(UTC)
    _insert(
        session,
        "claim_change",
        [
            {"claim_id": claim_id, "article_id": article_id, "kind": kind, "changed_at": now}
            for claim_id in claim_ids
        ],
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
        table = KINDS[name].link_table
        if link:
            _insert(session, table, link)
            counters.adjust_entity_counts(session, link_table=table, rows=link)


def delete_links(session: Session, *, claim_ids: Sequence[int]) -> None:
    """Delete the citation, actor and topic rows of these claims, and uncount them."""
    if claim_ids:
        counters.uncount_links(session, claim_ids=claim_ids)
        for kind in KINDS.values():
            rows(
                session,
                f"DELETE FROM {kind.link_table} WHERE claim_id IN :ids",
                {"ids": list(claim_ids)},
            )


def delete_article(session: Session, *, article_id: int) -> bool:
    """Delete an article; its references, claims and their links go with it."""
    claim_ids = [
        claim_id
        for (claim_id,) in rows(
            session,
            "SELECT id FROM claim WHERE article_id = :id ORDER BY sort_key",
            {"id": article_id},
        )
    ]
    delete_links(session, claim_ids=claim_ids)
    if not rows(session, "DELETE FROM article WHERE id = :id RETURNING id", {"id": article_id}):
        return False
    counters.adjust_total(session, delta=-len(claim_ids))
    record_changes(session, article_id=article_id, claim_ids=claim_ids, kind="deleted")
    return True


def article_source(session: Session, *, article_id: int) -> dict[str, Any] | None:
    """What an article was split from: text, format and the client's title."""
    found = mappings(
        session,
        "SELECT text, format, client_title, client_language FROM article WHERE id = :id",
        {"id": article_id},
    )
    return found[0] if found else None


def claim_texts(session: Session, *, article_id: int) -> list[tuple[int, str]]:
    """(id, text) of an article's claims in position order."""
    found = rows(
        session,
        "SELECT id, text FROM claim WHERE article_id = :id ORDER BY position",
        {"id": article_id},
    )
    return [(claim_id, claim_text) for claim_id, claim_text in found]


def _update(session: Session, table: str, row_id: int, values: Mapping[str, Any]) -> None:
    """Set these columns of one row of `table`."""
    assignments = ", ".join(f"{column} = :{column}" for column in values)
    rows(
        session,
        f"UPDATE {table} SET {assignments} WHERE id = :id",
        {**_bound(values), "id": row_id},
    )


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
    _update(session, "article", article_id, article)
    rows(session, "DELETE FROM reference WHERE article_id = :id", {"id": article_id})
    _insert_references(session, article_id=article_id, references=references)
    existing = [claim_id for claim_id, _ in kept] + list(dropped)
    delete_links(session, claim_ids=existing)
    if dropped:
        rows(session, "DELETE FROM claim WHERE id IN :ids", {"ids": list(dropped)})
        counters.adjust_total(session, delta=-len(dropped))
        record_changes(session, article_id=article_id, claim_ids=dropped, kind="deleted")
    if kept:
        # Park kept claims on negative keys first: positions may swap, keys are unique.
        rows(
            session,
            "UPDATE claim SET sort_key = -id WHERE id IN :ids",
            {"ids": [claim_id for claim_id, _ in kept]},
        )
        keyed: list[tuple[int, int, ClaimRow]] = []
        for claim_id, claim in kept:
            key = claim_key(article_id, claim.values["position"])
            _update(session, "claim", claim_id, {**claim.values, "sort_key": key})
            keyed.append((claim_id, key, claim))
        insert_links(session, claims=keyed)
        record_changes(
            session, article_id=article_id, claim_ids=[cid for cid, _ in kept], kind="updated"
        )
    if added:
        insert_claims(session, article_id=article_id, claims=added)
