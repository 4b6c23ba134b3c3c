"""Bulk ingestion: many articles, each stored whole or not at all, one result per article.

The HTTP batch route and `claimsapi ingest` share the parsing and the per-article
checks, so an article fails the same way (the problem a single POST would answer)
whichever way it came in.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Iterator, Sequence
from itertools import islice
from typing import Any

import orjson
from pydantic import ValidationError
from sqlalchemy.engine import Engine

from app.db import session_scope
from app.errors import (
    AppError,
    BadRequest,
    PayloadTooLarge,
    UnprocessableContent,
    database_unavailable,
    validation_issues,
)
from app.schemas import ArticleIn
from app.services.articles import IngestOutcome, store_article
from app.services.split_pool import ArticleProblem, Prepared, SplitPool
from app.services.tagging import SplitterSetup
from app.splitter.actors import ActorRegistry

__all__ = [
    "GROUP_ARTICLES",
    "MAX_BATCH_ITEMS",
    "POOL_MINIMUM",
    "checked_article",
    "ingest_batch",
    "parse_batch",
    "parse_ndjson_line",
    "store_batch",
    "store_prepared",
]

MAX_BATCH_ITEMS = 1_000

log = logging.getLogger("claimsapi")


def parse_ndjson_line(line: bytes | str) -> Any:
    """One NDJSON line as a value, or the BadRequest it fails with (checked per article)."""
    try:
        return orjson.loads(line)
    except orjson.JSONDecodeError:
        return BadRequest("The line is not valid JSON.")


def parse_batch(body: bytes, *, ndjson: bool, max_items: int = MAX_BATCH_ITEMS) -> list[Any]:
    """The raw articles of a batch body: a JSON array, or NDJSON (blank lines skipped).

    Raises for the whole request: 400 when a JSON body does not parse, 422 when it
    is not an array, 413 when there are more than `max_items` articles.
    """
    items: list[Any]
    if ndjson:
        items = [parse_ndjson_line(line) for line in body.splitlines() if line.strip()]
    else:
        try:
            data = orjson.loads(body)
        except orjson.JSONDecodeError:
            raise BadRequest("The request body is not valid JSON.") from None
        if not isinstance(data, list):
            raise UnprocessableContent(
                "Send a JSON array of articles (or NDJSON, one article per line).",
                errors=[{"loc": ["body"], "type": "list_type", "msg": "Input should be an array"}],
            )
        items = data
    if len(items) > max_items:
        raise PayloadTooLarge(f"The batch holds {len(items)} articles; the limit is {max_items}.")
    return items


def _check_article(raw: Any, *, max_article_bytes: int) -> ArticleIn:
    """Validate one raw article as POST /v1/articles would: 400, 413 or 422 when it fails."""
    if isinstance(raw, AppError):
        raise raw
    try:
        article = ArticleIn.model_validate(raw)
    except ValidationError as exc:
        raise UnprocessableContent(
            "The article is not valid.", errors=validation_issues(exc.errors(), prefix=("body",))
        ) from None
    size = len(article.text.encode("utf-8", "surrogatepass"))
    if size > max_article_bytes:
        raise PayloadTooLarge(
            f"The article text is {size} bytes; the limit is {max_article_bytes}."
        )
    return article


def checked_article(raw: Any, *, max_article_bytes: int) -> ArticleIn | ArticleProblem:
    """The valid article, or its problem as a value that travels with the other articles."""
    try:
        return _check_article(raw, max_article_bytes=max_article_bytes)
    except AppError as exc:
        return ArticleProblem.from_error(exc)


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


def _result(index: int, outcome: IngestOutcome | ArticleProblem) -> dict[str, Any]:
    if isinstance(outcome, ArticleProblem):
        return {"index": index, "status": "error", "id": None, "problem": outcome.body()}
    status = "created" if outcome.created else "existing"
    return {"index": index, "status": status, "id": outcome.article_id, "problem": None}


# Below this many articles, handing them to worker processes costs more than it saves.
POOL_MINIMUM = 16


def ingest_batch(
    engine: Engine,
    *,
    items: Sequence[Any],
    setup: SplitterSetup,
    max_article_bytes: int,
    pool: SplitPool | None = None,
) -> dict[str, Any]:
    """Ingest raw articles: {"items", "created", "existing", "failed"}, one item per article.

    Every article is stored whole or not at all, and an invalid or failing one
    gets its problem and leaves the others alone. Articles are split in `pool`'s
    worker processes when there are enough of them.
    """
    checked = [checked_article(raw, max_article_bytes=max_article_bytes) for raw in items]
    splitting = pool if pool is not None and len(checked) >= POOL_MINIMUM else SplitPool(0)
    return store_batch(engine, splitting.prepare(setup.splitter, checked), actors=setup.actors)


def store_batch(
    engine: Engine, prepared: Iterable[Prepared], *, actors: ActorRegistry
) -> dict[str, Any]:
    """Store prepared articles (or pass their problems on): the answer of the batch route."""
    results = [
        _result(index, outcome)
        for index, outcome in enumerate(store_prepared(engine, prepared, actors=actors))
    ]
    return {
        "items": results,
        "created": sum(r["status"] == "created" for r in results),
        "existing": sum(r["status"] == "existing" for r in results),
        "failed": sum(r["status"] == "error" for r in results),
    }
