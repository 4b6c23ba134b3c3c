"""The batch lane: many articles in one request, each stored whole or not at all, one
result per article (the route itself: app/api/articles.py).

The batch route and `claimsapi ingest` share the parsing of NDJSON lines; every
article goes through the one check (check.py) and the one store (store.py).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

import orjson
from sqlalchemy.engine import Engine

from app.errors import BadRequest, PayloadTooLarge, UnprocessableContent
from app.services.ingest.check import ArticleProblem, checked_article
from app.services.ingest.pool import POOL_MINIMUM, SplitPool
from app.services.ingest.store import Prepared, store_prepared
from app.services.splitters import SplitterSetup
from app.splitter.actors.registry import ActorRegistry
from app.views import batch_json

__all__ = ["MAX_BATCH_ITEMS", "ingest_batch", "parse_batch", "parse_ndjson_line", "store_batch"]

MAX_BATCH_ITEMS = 1_000


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
    # The route splits fewer than POOL_MINIMUM itself, each under the split guard.
    splitting = pool if pool is not None and len(checked) >= POOL_MINIMUM else SplitPool(0)
    return store_batch(engine, splitting.prepare(setup.splitter, checked), actors=setup.actors)


def store_batch(
    engine: Engine, prepared: Iterable[Prepared], *, actors: ActorRegistry
) -> dict[str, Any]:
    """Store prepared articles (or pass their problems on): the answer of the batch route."""
    return batch_json(
        [
            ("error", None, outcome.body())
            if isinstance(outcome, ArticleProblem)
            else ("created" if outcome.created else "existing", outcome.article_id, None)
            for outcome in store_prepared(engine, prepared, actors=actors)
        ]
    )
