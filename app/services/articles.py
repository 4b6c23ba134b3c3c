"""Article use cases besides ingestion (app/services/ingest/): read, reprocess, delete.

Nothing here commits but reprocess, which splits between a read and a write
transaction of its own; elsewhere the caller's session scope is the one commit point.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session

from app.db import session_scope
from app.models import MAX_POSITION
from app.repository.articles import article_row, article_rows, reference_rows
from app.repository.claim_query import resolve_query
from app.repository.claims import list_claim_keys
from app.repository.filters import ArticleFilter, ClaimFilter
from app.repository.writes import article_source, serialise_writes
from app.repository.writes import delete_article as delete_article_rows
from app.services.claims import claims_by_ids
from app.services.ingest.store import ReprocessOutcome, store_resplit
from app.splitter.actors.registry import ActorRegistry
from app.splitter.core import Splitter
from app.views import article_json, article_summary_json

__all__ = [
    "article_by_id",
    "article_summaries",
    "article_with_claims",
    "delete_article",
    "reprocess_article",
]


def reprocess_article(
    engine: Engine, *, article_id: int, splitter: Splitter, actors: ActorRegistry
) -> ReprocessOutcome | None:
    """Re-split a stored article with the current splitter; claims whose text is unchanged
    keep their ids. None when there is no such article.

    The split runs outside any transaction, as ingestion's does: the write
    transaction that follows holds only SQL, so other writers never wait on a split.
    """
    with session_scope(engine) as session:
        source = article_source(session, article_id=article_id)
    if source is None:
        return None
    result = splitter.split(
        source["text"],
        format=source["format"],
        title=source["client_title"],
        language=source["client_language"],
    )
    return store_resplit(
        engine, article_id=article_id, text=source["text"], result=result, actors=actors
    )


def delete_article(session: Session, *, article_id: int) -> bool:
    """Delete an article and everything split from it; False when there was none."""
    serialise_writes(session)
    return delete_article_rows(session, article_id=article_id)


def article_summaries(
    session: Session, *, filters: ArticleFilter, before: int | None, limit: int
) -> list[dict[str, Any]]:
    """The newest articles matching the filters, before the id `before`, as `ArticleSummary`."""
    found = article_rows(session, filters=filters, before=before, limit=limit)
    return [article_summary_json(row) for row in found]


def article_by_id(session: Session, *, article_id: int) -> dict[str, Any] | None:
    """A stored article with its references, as an `Article`; None when there is none."""
    row = article_row(session, article_id=article_id)
    if row is None:
        return None
    return article_json(row, reference_rows(session, article_id=article_id))


def article_with_claims(session: Session, *, article_id: int) -> dict[str, Any] | None:
    """A stored article with its references and every claim, as an `ArticleWithClaims`."""
    row = article_row(session, article_id=article_id)
    if row is None:
        return None
    query = resolve_query(session, filters=ClaimFilter(article=[article_id]))
    keys = list_claim_keys(session, query=query, after=None, limit=MAX_POSITION + 1)
    claims = claims_by_ids(session, ids=[key.id for key in keys])
    return article_json(row, reference_rows(session, article_id=article_id), claims)
