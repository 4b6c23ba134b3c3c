"""The change feed: claim events in commit order, resumable from an opaque token."""

from __future__ import annotations

from typing import Any

from sqlalchemy.orm import Session

from app.cursors import decode_cursor, encode_cursor
from app.errors import BadRequest
from app.repository.changes import change_rows
from app.services.claims import claims_by_ids
from app.views import change_json

__all__ = ["CHANGES_QUERY", "change_page"]

CHANGES_QUERY = "changes"


def _after(token: str | None) -> int:
    if not token:
        return 0
    (seq,) = decode_cursor(token, query=CHANGES_QUERY, arity=1)
    if not isinstance(seq, int) or seq < 0:
        raise BadRequest("The token is not one this service issued.")
    return seq


def change_page(session: Session, *, since: str | None, limit: int) -> dict[str, Any]:
    """The next `limit` claim events after `since`: {"items", "next_token", "has_more"}.

    Writers are serialised, so sequence order is commit order and a reader that
    resumes after the last sequence it saw misses nothing and repeats nothing.
    `next_token` is always set: with no new events it is the token given, to poll with.
    """
    after = _after(since)
    found = change_rows(session, after=after, limit=limit + 1)
    has_more = len(found) > limit
    found = found[:limit]
    live = [row["claim_id"] for row in found if row["kind"] != "deleted"]
    claims = {claim["id"]: claim for claim in claims_by_ids(session, ids=list(dict.fromkeys(live)))}
    # Each claim as it is now: null once deleted (its `deleted` event follows).
    events = [
        change_json(row, None if row["kind"] == "deleted" else claims.get(row["claim_id"]))
        for row in found
    ]
    last = events[-1]["seq"] if events else after
    return {
        "items": events,
        "next_token": encode_cursor([last], query=CHANGES_QUERY),
        "has_more": has_more,
    }
