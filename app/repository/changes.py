"""Change-feed reads: claim events in sequence (= commit) order."""

from __future__ import annotations

from datetime import UTC
from typing import Any

from sqlalchemy import DateTime, text
from sqlalchemy.orm import Session

from app.repository.driver import driver_rows

__all__ = ["change_head", "changes_after"]

_CHANGES = text(
    "SELECT seq, kind, claim_id, article_id, changed_at FROM claim_change "
    "WHERE seq > :after ORDER BY seq LIMIT :limit"
).columns(changed_at=DateTime(timezone=True))


def change_head(session: Session) -> int:
    """The last event's sequence number (0 before the first): the data's version."""
    # On the driver's cursor: every cached read asks, so it must cost next to nothing.
    ((head,),) = driver_rows(session, "SELECT max(seq) FROM claim_change")
    return int(head or 0)


def changes_after(session: Session, *, after: int, limit: int) -> list[dict[str, Any]]:
    """Up to `limit` events with a sequence number above `after`, oldest first."""
    rows = session.execute(_CHANGES, {"after": after, "limit": limit})
    events = []
    for row in rows:
        changed_at = row.changed_at
        if changed_at is not None and changed_at.tzinfo is None:
            changed_at = changed_at.replace(tzinfo=UTC)  # SQLite keeps no zone; stored as UTC
        events.append(
            {
                "seq": row.seq,
                "kind": row.kind,
                "claim_id": row.claim_id,
                "article_id": row.article_id,
                "changed_at": changed_at,
            }
        )
    return events
