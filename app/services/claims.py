"""Reading claims: keyset pages, counts, facets and full exports."""

from __future__ import annotations

import math
from collections.abc import Iterator, Sequence
from datetime import datetime
from typing import Any, Literal

from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session
from typing_extensions import TypeAliasType

from app.cursors import decode_cursor, encode_cursor, fingerprint
from app.db import session_scope
from app.errors import BadRequest
from app.repository.claim_query import ClaimQuery, cursor_arity, resolve_query
from app.repository.claims import (
    ClaimRowKey,
    claim_rows,
    count_claims,
    facet_counts,
    is_unfiltered,
    list_claim_keys,
    matching_more_than,
)
from app.repository.filters import ClaimFilter, Order
from app.views import claims_json

__all__ = ["CountMode", "claim_page", "claims_by_ids", "facets", "stream_claims"]

CountMode = TypeAliasType("CountMode", Literal["exact", "estimated", "none"])
EXPORT_BATCH = 500
FACET_SCAN_LIMIT = 50_000


def _after(cursor: str | None, *, query: str, order: Order) -> list[Any] | None:
    if not cursor:
        return None
    key: list[Any] = list(decode_cursor(cursor, query=query, arity=cursor_arity(order)))
    try:
        if order in ("published", "-published"):
            key[0] = datetime.fromisoformat(str(key[0]))
        elif order == "relevance":
            key[0] = float(key[0])
        key[-1] = int(key[-1])
    except (TypeError, ValueError, OverflowError):
        raise BadRequest("The cursor is not one this service issued.") from None
    if not -(2**63) <= key[-1] < 2**63 or (order == "relevance" and not math.isfinite(key[0])):
        raise BadRequest("The cursor is not one this service issued.")
    return key


def _cursor_of(row: ClaimRowKey, *, query: str, order: Order) -> str:
    if order == "reading":
        return encode_cursor([row.key], query=query)
    value = row.ord.isoformat() if isinstance(row.ord, datetime) else row.ord
    if isinstance(value, int | float):
        value = repr(float(value))
    return encode_cursor([str(value), row.key], query=query)


def claims_by_ids(
    session: Session, *, ids: Sequence[int], snippets: dict[int, str | None] | None = None
) -> list[dict[str, Any]]:
    """The claims with these ids as `Claim` JSON, in the order of `ids`."""
    return claims_json(claim_rows(session, ids=ids), ids=ids, snippets=snippets)


def claim_page(
    session: Session,
    *,
    filters: ClaimFilter,
    cursor: str | None,
    limit: int,
    count: CountMode = "none",
    scope: str = "claims",
) -> dict[str, Any]:
    """One keyset page of claims matching filters: {"items", "next_cursor"[, "count"]}."""
    query_id = f"{scope}:{fingerprint(filters.query_params())}"
    query = resolve_query(session, filters=filters)
    after = _after(cursor, query=query_id, order=query.order)
    rows = list_claim_keys(session, query=query, after=after, limit=limit + 1)
    next_cursor = (
        _cursor_of(rows[limit - 1], query=query_id, order=query.order)
        if len(rows) > limit
        else None
    )
    rows = rows[:limit]
    snippets = {row.id: row.snippet for row in rows} if query.search else None
    page: dict[str, Any] = {
        "items": claims_by_ids(session, ids=[row.id for row in rows], snippets=snippets),
        "next_cursor": next_cursor,
    }
    if count != "none":
        page["count"] = count_claims(session, query=query, estimated=count == "estimated")
    return page


def stream_claims(engine: Engine, *, query: ClaimQuery) -> Iterator[dict[str, Any]]:
    """Every claim matching a resolved query, fetched in keyset batches: memory stays flat
    however many match.

    The caller resolves the filters first (`resolve_query`, a read like
    any other), so an unknown value fails the request instead of a half-sent body.
    """
    after: list[Any] | None = None
    while True:
        # A short transaction per batch: a long export never pins one snapshot.
        with session_scope(engine) as session:
            rows = list_claim_keys(session, query=query, after=after, limit=EXPORT_BATCH)
            snippets = {row.id: row.snippet for row in rows} if query.search else None
            batch = claims_by_ids(session, ids=[row.id for row in rows], snippets=snippets)
        yield from batch
        if len(rows) < EXPORT_BATCH:
            return
        last = rows[-1]
        after = [last.key] if query.order == "reading" else [last.ord, last.key]


def facets(
    session: Session, *, filters: ClaimFilter, names: list[str], limit: int
) -> dict[str, Any]:
    """Top values with counts of each named facet over the matching claims."""
    query = resolve_query(session, filters=filters)
    result = {
        name: facet_counts(
            session, query=query, facet=name, limit=limit, scan_limit=FACET_SCAN_LIMIT
        )
        for name in dict.fromkeys(names)
    }
    truncated = not is_unfiltered(query) and matching_more_than(
        session, query=query, count=FACET_SCAN_LIMIT
    )
    return {"facets": result, "truncated": truncated}
