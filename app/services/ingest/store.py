"""Storing articles: prepared (split, checked, hashed) outside any transaction, then
written whole, alone or in groups that share one.

Nothing here commits but `store_prepared` and `store_resplit`, which open write
transactions of their own; elsewhere the caller's session scope is the one
commit point.
"""

from __future__ import annotations

import logging
from collections import defaultdict, deque
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from itertools import islice
from urllib.parse import urlsplit

from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session

from app.db import session_scope
from app.errors import AppError, database_unavailable
from app.repository.articles import article_id_by_hash
from app.repository.writes import (
    ClaimRow,
    article_source,
    claim_texts,
    insert_article,
    rewrite_article,
    serialise_writes,
)
from app.schemas import MAX_URL_CHARS, ArticleIn, as_utc
from app.services.ingest.check import ArticleProblem, check_statements
from app.services.ingest.rows import split_rows, text_hash
from app.splitter.actors.registry import ActorRegistry
from app.splitter.core import Splitter
from app.splitter.types import SplitResult

__all__ = [
    "GROUP_ARTICLES",
    "IngestOutcome",
    "Prepared",
    "PreparedArticle",
    "ReprocessOutcome",
    "prepare_article",
    "prepared_article",
    "store_article",
    "store_prepared",
    "store_resplit",
]

log = logging.getLogger("claimsapi")


@dataclass(frozen=True, slots=True)
class IngestOutcome:
    """Where the article is, and whether this call stored it."""

    article_id: int
    created: bool


@dataclass(frozen=True, slots=True)
class ReprocessOutcome:
    """What a re-split changed: claims kept (same id), added and dropped."""

    article_id: int
    kept: int
    added: int
    dropped: int


@dataclass(frozen=True, slots=True)
class PreparedArticle:
    """An article split and hashed, ready to store: the CPU-bound half of ingestion.

    Picklable, so a pool of processes can prepare while one process stores.
    """

    article: ArticleIn
    digest: str
    result: SplitResult


Prepared = PreparedArticle | ArticleProblem


def prepare_article(*, article: ArticleIn, splitter: Splitter) -> PreparedArticle:
    """Split and hash an article without touching the database."""
    result = splitter.split(
        article.text, format=article.format, title=article.title, language=article.language
    )
    return prepared_article(article=article, result=result)


def prepared_article(*, article: ArticleIn, result: SplitResult) -> PreparedArticle:
    """An article split elsewhere, checked and hashed."""
    check_statements(result)
    return PreparedArticle(
        article=article, digest=text_hash(text=article.text, format=article.format), result=result
    )


def _page_published(result: SplitResult) -> datetime | None:
    """A whole page's own publication date (JSON-LD, Open Graph) in UTC, when it parses."""
    written = result.page.published if result.page else None
    if not written:
        return None
    try:
        return as_utc(datetime.fromisoformat(written))
    except ValueError:
        return None  # a date written some other way, or none UTC holds: the client can send it


def _page_url(result: SplitResult) -> str | None:
    """A whole page's canonical URL, when it is an absolute http(s) URL that fits."""
    url = result.page.url if result.page else None
    if url is None or len(url) > MAX_URL_CHARS:
        return None
    parts = urlsplit(url)
    return url if parts.scheme.lower() in ("http", "https") and parts.netloc else None


def store_article(
    session: Session, *, prepared: PreparedArticle, actors: ActorRegistry
) -> IngestOutcome:
    """Store a prepared article and its claims, or find the identical one already stored."""
    article, digest, result = prepared.article, prepared.digest, prepared.result
    serialise_writes(session)
    existing = article_id_by_hash(session, text_hash=digest)
    if existing is not None:
        return IngestOutcome(existing, created=False)
    rows = split_rows(session, text=article.text, result=result, actors=actors)
    article_id = insert_article(
        session,
        article={
            **rows.article,
            "client_title": article.title,
            "client_language": article.language,
            "url": article.url or _page_url(result),
            "published_at": article.published_at or _page_published(result),
            "format": article.format,
            "text": article.text,
            "text_hash": digest,
            "ingested_at": datetime.now(UTC),
        },
        references=rows.references,
        claims=rows.claims,
    )
    return IngestOutcome(article_id, created=True)


# Articles per write transaction in bulk ingestion. A commit was a quarter of the
# time it took to store an article on its own (measured on SQLite: 0.9 of 3.4 ms),
# so a group of them shares one; each article still gets a savepoint of its own,
# so one that fails rolls back alone. 32 articles hold the write lock for ~0.1 s.
GROUP_ARTICLES = 32


def _store_group(
    engine: Engine, group: Sequence[Prepared], *, actors: ActorRegistry
) -> list[IngestOutcome | ArticleProblem]:
    results: list[IngestOutcome | ArticleProblem] = []
    try:
        with session_scope(engine, write=True) as session:
            for item in group:
                if isinstance(item, ArticleProblem):
                    results.append(item)
                    continue
                try:
                    with session.begin_nested():
                        results.append(store_article(session, prepared=item, actors=actors))
                except AppError as exc:
                    results.append(ArticleProblem.from_error(exc))
                except Exception as exc:  # rolled back to its savepoint; the others go on
                    if database_unavailable(exc):
                        raise
                    log.exception("storing a bulk article failed")
                    results.append(ArticleProblem(500, "Storing this article failed."))
    except Exception as exc:  # the transaction failed: nothing of the group is stored
        if database_unavailable(exc):
            # Not this group's fault: the whole request answers 503 and is retried
            # whole (groups committed before come back as `existing`).
            raise
        log.exception("committing %d bulk articles failed", len(group))
        failed = ArticleProblem(500, "Storing this article failed.")
        return [item if isinstance(item, ArticleProblem) else failed for item in group]
    return results


def store_prepared(
    engine: Engine,
    items: Iterable[Prepared],
    *,
    actors: ActorRegistry,
    group_size: int = GROUP_ARTICLES,
) -> Iterator[IngestOutcome | ArticleProblem]:
    """Store prepared articles, `group_size` to a transaction, one result per item in order.

    A group is gathered before its transaction begins, so the write lock is
    never held while an article is still being split. A problem passes through.
    """
    iterator = iter(items)
    while group := list(islice(iterator, group_size)):
        yield from _store_group(engine, group, actors=actors)


def _match_by_text(
    old: Sequence[tuple[int, str]], new: Sequence[ClaimRow]
) -> tuple[list[tuple[int, ClaimRow]], list[ClaimRow], list[int]]:
    """Pair new claims with old ones of identical text, in order: (kept, added, dropped)."""
    waiting: dict[str, deque[int]] = defaultdict(deque)
    for claim_id, old_text in old:
        waiting[old_text].append(claim_id)
    kept: list[tuple[int, ClaimRow]] = []
    added: list[ClaimRow] = []
    for claim in new:
        ids = waiting.get(claim.values["text"])
        if ids:
            kept.append((ids.popleft(), claim))
        else:
            added.append(claim)
    dropped = [claim_id for ids in waiting.values() for claim_id in ids]
    return kept, added, dropped


def store_resplit(
    engine: Engine, *, article_id: int, text: str, result: SplitResult, actors: ActorRegistry
) -> ReprocessOutcome | None:
    """Store a stored article's new split in one write transaction; None when it is gone."""
    check_statements(result)
    with session_scope(engine, write=True) as session:
        serialise_writes(session)
        # Deleted while it was split (an article's text never changes otherwise).
        if article_source(session, article_id=article_id) is None:
            return None
        rows = split_rows(session, text=text, result=result, actors=actors)
        old = claim_texts(session, article_id=article_id)
        kept, added, dropped = _match_by_text(old, rows.claims)
        rewrite_article(
            session,
            article_id=article_id,
            article=rows.article,
            references=rows.references,
            kept=kept,
            added=added,
            dropped=dropped,
        )
    return ReprocessOutcome(article_id, kept=len(kept), added=len(added), dropped=len(dropped))
