"""Change-feed reads: claim events in sequence (= commit) order."""

from __future__ import annotations

from typing import Any

from sqlalchemy.orm import Session

from app.repository.sql import mappings, rows

__all__ = ["change_head", "change_rows"]


def change_head(session: Session) -> int:
    """The last event's sequence number (0 before the first): the data's version."""
    # On the driver's cursor: every cached read asks, so it must cost next to nothing.
    ((head,),) = rows(session, "SELECT max(seq) FROM claim_change")
    return int(head or 0)


def change_rows(session: Session, *, after: int, limit: int) -> list[dict[str, Any]]:
    """Up to `limit` event rows with a sequence number above `after`, oldest first."""
    return mappings(
        session,
        "SELECT seq, kind, claim_id, article_id, changed_at FROM claim_change "
        "WHERE seq > :after ORDER BY seq LIMIT :limit",
        {"after": after, "limit": limit},
    )
