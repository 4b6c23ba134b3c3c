"""Running claim counts, kept in step by every write in the writer's transaction.

Lists of sources, actors and topics, facets over everything and count
estimates read these instead of counting a million link rows per request.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from sqlalchemy.orm import Session

from app.repository.kinds import KINDS, kind_of_link
from app.repository.sql import execute_many, rows

__all__ = [
    "adjust_entity_counts",
    "adjust_total",
    "entity_counts",
    "total_claims",
    "uncount_links",
]


def adjust_entity_counts(
    session: Session, *, link_table: str, rows: Iterable[Mapping[str, Any]], sign: int = 1
) -> None:
    """Add (or with sign=-1 take away) the link rows about to be written to their entities."""
    kind = kind_of_link(link_table)
    deltas = Counter(row[kind.link_column] for row in rows if kind.counts(row))
    _apply(session, kind.entity_table, {key: sign * n for key, n in deltas.items()})


def _apply(session: Session, entity_table: str, deltas: Mapping[int, int]) -> None:
    execute_many(
        session,
        f"UPDATE {entity_table} SET claim_count = claim_count + :n WHERE id = :id",
        [{"n": n, "id": entity_id} for entity_id, n in deltas.items() if n],
    )


def uncount_links(session: Session, *, claim_ids: Sequence[int]) -> None:
    """Take the links of these claims (about to be deleted) off their entities' counts."""
    if not claim_ids:
        return
    for start in range(0, len(claim_ids), 500):
        chunk = list(claim_ids[start : start + 500])
        for kind in KINDS.values():
            condition = kind.counted("l")
            where = f" AND {condition}" if condition else ""
            column = f"l.{kind.link_column}"
            found = rows(
                session,
                f"SELECT {column}, count(*) FROM {kind.link_table} l "
                f"WHERE l.claim_id IN :ids{where} GROUP BY {column}",
                {"ids": chunk},
            )
            deltas = {entity_id: -n for entity_id, n in found}
            _apply(session, kind.entity_table, deltas)


def adjust_total(session: Session, *, delta: int) -> None:
    """Change the running total of claims."""
    if not delta:
        return
    # RETURNING tells whether the row exists without a second statement.
    updated = rows(
        session,
        "UPDATE counter SET value = value + :delta WHERE name = 'claims' RETURNING value",
        {"delta": delta},
    )
    if not updated:
        # First write to an empty store: start the total from the truth.
        rows(session, "INSERT INTO counter (name, value) SELECT 'claims', count(*) FROM claim")


def total_claims(session: Session) -> int:
    """How many claims are stored."""
    found = rows(session, "SELECT value FROM counter WHERE name = 'claims'")
    if not found:
        ((counted,),) = rows(session, "SELECT count(*) FROM claim")
        return int(counted)
    return int(found[0][0])


def entity_counts(session: Session, *, entity_table: str, ids: Sequence[int]) -> dict[int, int]:
    """The claim counts of these entities."""
    found = rows(
        session, f"SELECT id, claim_count FROM {entity_table} WHERE id IN :ids", {"ids": list(ids)}
    )
    return {entity_id: int(count) for entity_id, count in found}
