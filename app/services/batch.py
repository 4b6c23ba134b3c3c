"""Bulk ingestion: many articles, one transaction each, one result per article.

The HTTP batch route and `claimsapi ingest` share the parsing and the per-article
checks, so an article fails the same way (the problem a single POST would answer)
whichever way it came in.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
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
    problem_body,
    validation_issues,
)
from app.schemas import ArticleIn
from app.services.articles import IngestOutcome, ingest_article
from app.services.tagging import SplitterSetup

__all__ = [
    "MAX_BATCH_ITEMS",
    "check_article",
    "ingest_batch",
    "parse_batch",
    "parse_ndjson_line",
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


def check_article(raw: Any, *, max_article_bytes: int) -> ArticleIn:
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


def _result(index: int, outcome: IngestOutcome) -> dict[str, Any]:
    status = "created" if outcome.created else "existing"
    return {"index": index, "status": status, "id": outcome.article_id, "problem": None}


def _failure(index: int, problem: dict[str, Any]) -> dict[str, Any]:
    return {"index": index, "status": "error", "id": None, "problem": problem}


def ingest_batch(
    engine: Engine, *, items: Sequence[Any], setup: SplitterSetup, max_article_bytes: int
) -> dict[str, Any]:
    """Ingest raw articles one transaction each: {"items", "created", "existing", "failed"}.

    An article that is invalid or fails to store gets its problem and leaves every
    other article alone. Each article is split before its transaction begins.
    """
    results: list[dict[str, Any]] = []
    for index, raw in enumerate(items):
        try:
            article = check_article(raw, max_article_bytes=max_article_bytes)
            with session_scope(engine, write=True) as session:
                outcome = ingest_article(
                    session, article=article, splitter=setup.splitter, actors=setup.actors
                )
        except AppError as exc:
            problem = problem_body(exc.status, exc.detail, slug=exc.slug, errors=exc.errors)
            results.append(_failure(index, problem))
        except Exception:  # one article's failure must not fail the others
            log.exception("batch article %d failed", index)
            results.append(_failure(index, problem_body(500, "Storing this article failed.")))
        else:
            results.append(_result(index, outcome))
    return {
        "items": results,
        "created": sum(r["status"] == "created" for r in results),
        "existing": sum(r["status"] == "existing" for r in results),
        "failed": sum(r["status"] == "error" for r in results),
    }
