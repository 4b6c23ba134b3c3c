"""Article use cases: ingest, reprocess, delete, and reading claims back in pages.

Nothing here commits but reprocess, which splits between a read and a write
transaction of its own; elsewhere the caller's session scope is the one commit point.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from collections import defaultdict, deque
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any
from urllib.parse import urlsplit

from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session

from app import repository
from app.db import session_scope
from app.errors import PayloadTooLarge
from app.models import MAX_POSITION
from app.schemas import MAX_URL_CHARS, ArticleIn
from app.services.registries import actor_rows
from app.services.split_json import Utf16Offsets, integrity_json, source_json
from app.splitter import Citation, SplitResult, Splitter
from app.splitter.actors import ActorRegistry

__all__ = [
    "IngestOutcome",
    "PreparedArticle",
    "ReprocessOutcome",
    "article_with_claims",
    "delete_article",
    "ingest_article",
    "prepare_article",
    "prepared_article",
    "reprocess_article",
    "store_article",
    "store_resplit",
    "text_hash",
]

_WHITESPACE = re.compile(r"\s+")
# One row per (claim, source): a marker outranks an inline mention, either outranks context.
_KIND_RANK = {"cited": 0, "inline": 1, "context": 2}


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


def text_hash(*, text: str, format: str) -> str:
    """An article's identity: its format and its Unicode- and whitespace-normalised text."""
    normalised = _WHITESPACE.sub(" ", unicodedata.normalize("NFC", text)).strip()
    return hashlib.sha256(f"{format}\n{normalised}".encode("utf-8", "surrogatepass")).hexdigest()


def _check_statements(result: SplitResult) -> None:
    if len(result.statements) > MAX_POSITION:
        raise PayloadTooLarge(f"The article splits into more than {MAX_POSITION} statements.")


@dataclass(frozen=True, slots=True)
class _Rows:
    """A split result as table rows, its entities resolved to ids."""

    article: dict[str, Any]
    references: list[dict[str, Any]]
    claims: list[repository.ClaimRow]


def _unique_citations(
    citations: Iterable[Citation], source_ids: dict[str, int]
) -> list[tuple[int, str, str | None]]:
    best: dict[int, tuple[int, str, str | None]] = {}
    for citation in citations:
        source_id = source_ids[citation.source.slug]
        current = best.get(source_id)
        if current is None or _KIND_RANK[citation.kind] < _KIND_RANK[current[1]]:
            best[source_id] = (source_id, citation.kind, citation.label)
    return list(best.values())


def _rows(session: Session, *, text: str, result: SplitResult, actors: ActorRegistry) -> _Rows:
    """Resolve (creating where new) every source, actor and topic, and build the rows."""
    sources = {
        source.slug: source_json(source)
        for source in (
            *(ref.source for ref in result.references if ref.source is not None),
            *(c.source for s in result.statements for c in s.citations),
            *((result.publisher,) if result.publisher is not None else ()),
        )
    }
    source_ids = repository.ensure_entities(session, kind="source", rows=sources.values())
    actor_ids = repository.ensure_entities(
        session,
        kind="actor",
        rows=actor_rows(actors, (a for s in result.statements for a in s.actors)),
    )
    topic_ids = repository.ensure_entities(
        session,
        kind="topic",
        rows=(
            {"slug": t.slug, "name": t.name, "description": ""}
            for s in result.statements
            for t in s.topics
        ),
    )
    version = result.splitter_version
    utf16 = Utf16Offsets(text)
    return _Rows(
        article={
            "title": result.title,
            "splitter_version": version,
            "language": result.language,
            "integrity": integrity_json(result.integrity),
            "source_id": None if result.publisher is None else source_ids[result.publisher.slug],
        },
        references=[
            {
                "position": position,
                "label": ref.label,
                "text": ref.text,
                "url": ref.url,
                "source_id": None if ref.source is None else source_ids[ref.source.slug],
            }
            for position, ref in enumerate(result.references)
        ],
        claims=[
            repository.ClaimRow(
                values={
                    "position": statement.position,
                    "text": statement.text,
                    "section": statement.section,
                    "span_start": statement.span.start,
                    "span_end": statement.span.end,
                    "span_utf16_start": utf16(statement.span.start),
                    "span_utf16_end": utf16(statement.span.end),
                    "paragraph": statement.paragraph,
                    "splitter_version": version,
                },
                citations=_unique_citations(statement.citations, source_ids),
                actor_ids=list(dict.fromkeys(actor_ids[a.slug] for a in statement.actors)),
                topic_ids=list(dict.fromkeys(topic_ids[t.slug] for t in statement.topics)),
            )
            for statement in result.statements
        ],
    )


@dataclass(frozen=True, slots=True)
class PreparedArticle:
    """An article split and hashed, ready to store: the CPU-bound half of ingestion.

    Picklable, so a pool of processes can prepare while one process stores.
    """

    article: ArticleIn
    digest: str
    result: SplitResult


def prepare_article(*, article: ArticleIn, splitter: Splitter) -> PreparedArticle:
    """Split and hash an article without touching the database."""
    result = splitter.split(
        article.text, format=article.format, title=article.title, language=article.language
    )
    return prepared_article(article=article, result=result)


def prepared_article(*, article: ArticleIn, result: SplitResult) -> PreparedArticle:
    """An article split elsewhere, checked and hashed."""
    _check_statements(result)
    return PreparedArticle(
        article=article, digest=text_hash(text=article.text, format=article.format), result=result
    )


def ingest_article(
    session: Session, *, article: ArticleIn, splitter: Splitter, actors: ActorRegistry
) -> IngestOutcome:
    """Store an article and its claims, or find the identical one already stored."""
    # Split before touching the database: the write transaction holds only SQL.
    prepared = prepare_article(article=article, splitter=splitter)
    return store_article(session, prepared=prepared, actors=actors)


def _page_published(result: SplitResult) -> datetime | None:
    """A whole page's own publication date (JSON-LD, Open Graph) in UTC, when it parses."""
    written = result.page.published if result.page else None
    if not written:
        return None
    try:
        value = datetime.fromisoformat(written)
    except ValueError:
        return None  # a date written some other way: the client can send it
    return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


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
    repository.serialise_writes(session)
    existing = repository.article_id_by_hash(session, text_hash=digest)
    if existing is not None:
        return IngestOutcome(existing, created=False)
    rows = _rows(session, text=article.text, result=result, actors=actors)
    article_id = repository.insert_article(
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


def _match_by_text(
    old: Sequence[tuple[int, str]], new: Sequence[repository.ClaimRow]
) -> tuple[list[tuple[int, repository.ClaimRow]], list[repository.ClaimRow], list[int]]:
    """Pair new claims with old ones of identical text, in order: (kept, added, dropped)."""
    waiting: dict[str, deque[int]] = defaultdict(deque)
    for claim_id, old_text in old:
        waiting[old_text].append(claim_id)
    kept: list[tuple[int, repository.ClaimRow]] = []
    added: list[repository.ClaimRow] = []
    for claim in new:
        ids = waiting.get(claim.values["text"])
        if ids:
            kept.append((ids.popleft(), claim))
        else:
            added.append(claim)
    dropped = [claim_id for ids in waiting.values() for claim_id in ids]
    return kept, added, dropped


def reprocess_article(
    engine: Engine, *, article_id: int, splitter: Splitter, actors: ActorRegistry
) -> ReprocessOutcome | None:
    """Re-split a stored article with the current splitter; claims whose text is unchanged
    keep their ids. None when there is no such article.

    The split runs outside any transaction, as ingestion's does: the write
    transaction that follows holds only SQL, so other writers never wait on a split.
    """
    with session_scope(engine) as session:
        source = repository.article_source(session, article_id=article_id)
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


def store_resplit(
    engine: Engine, *, article_id: int, text: str, result: SplitResult, actors: ActorRegistry
) -> ReprocessOutcome | None:
    """Store a stored article's new split in one write transaction; None when it is gone."""
    _check_statements(result)
    with session_scope(engine, write=True) as session:
        repository.serialise_writes(session)
        # Deleted while it was split (an article's text never changes otherwise).
        if repository.article_source(session, article_id=article_id) is None:
            return None
        rows = _rows(session, text=text, result=result, actors=actors)
        old = repository.claim_texts(session, article_id=article_id)
        kept, added, dropped = _match_by_text(old, rows.claims)
        repository.rewrite_article(
            session,
            article_id=article_id,
            article=rows.article,
            references=rows.references,
            kept=kept,
            added=added,
            dropped=dropped,
        )
    return ReprocessOutcome(article_id, kept=len(kept), added=len(added), dropped=len(dropped))


def delete_article(session: Session, *, article_id: int) -> bool:
    """Delete an article and everything split from it; False when there was none."""
    repository.serialise_writes(session)
    return repository.delete_article(session, article_id=article_id)


def article_with_claims(session: Session, *, article_id: int) -> dict[str, Any] | None:
    """A stored article with its references and every claim, as response JSON."""
    article = repository.article_by_id(session, article_id=article_id)
    if article is None:
        return None
    keys = repository.list_claim_keys(
        session,
        query=repository.ClaimQuery(articles=(article_id,)),
        after=None,
        limit=MAX_POSITION + 1,
    )
    article["claims"] = repository.claims_by_ids(session, ids=[row.id for row in keys])
    return article
