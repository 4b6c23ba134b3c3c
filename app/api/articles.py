"""Articles: ingest, list, read, delete, and an article's claims."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Path, Query, Request
from sqlalchemy.orm import Session
from starlette.concurrency import run_in_threadpool
from starlette.responses import Response

from app.api.deps import (
    ArticleBody,
    Cursor,
    EngineDep,
    GuardDep,
    Limit,
    ReadsDep,
    SettingsDep,
    SplitterDep,
    WriteSessionDep,
    guarded_split,
    next_link,
    problems,
    render,
    require_writer,
)
from app.cursors import decode_cursor, encode_cursor
from app.errors import BadRequest, ClientGone, NotFound
from app.links import absolute
from app.repository.articles import article_exists
from app.repository.filters import ArticleFilter, ClaimFilter
from app.repository.writes import article_source
from app.schemas import Article, ArticleIn, ArticlePage, ArticleWithClaims, BatchResult, ClaimPage
from app.services.articles import article_by_id, article_summaries, article_with_claims
from app.services.articles import delete_article as delete_stored_article
from app.services.claims import claim_page
from app.services.ingest.batch import MAX_BATCH_ITEMS, ingest_batch, parse_batch, store_batch
from app.services.ingest.check import ArticleProblem, checked_article, split_problem
from app.services.ingest.pool import POOL_MINIMUM
from app.services.ingest.store import (
    IngestOutcome,
    PreparedArticle,
    prepared_article,
    store_article,
    store_resplit,
)
from app.services.split_guard import SplitGuard
from app.services.splitters import SplitterSetup
from app.settings import Settings

router = APIRouter(prefix="/v1/articles", tags=["articles"])
ArticleId = Annotated[int, Path(ge=1, le=2**63 - 1, description="The article's id.")]


@router.post(
    "",
    response_model=ArticleWithClaims,
    status_code=201,
    responses={
        200: {"model": ArticleWithClaims, "description": "The identical article, already stored."},
        **problems(400, 401, 413, 415, 422),
    },
    dependencies=[Depends(require_writer)],
    summary="Ingest an article",
)
async def create_article(
    body: ArticleBody,
    request: Request,
    session: WriteSessionDep,
    splitter: SplitterDep,
    guard: GuardDep,
    settings: SettingsDep,
) -> Response:
    """Split and store an article in one transaction; an identical article is returned as is."""
    # Split before touching the database: the write transaction holds only SQL.
    result = await guarded_split(
        request,
        guard,
        splitter,
        settings,
        text=body.text,
        format=body.format,
        title=body.title,
        language=body.language,
    )

    def store() -> tuple[IngestOutcome, dict[str, Any] | None]:
        prepared = prepared_article(article=body, result=result)
        outcome = store_article(session, prepared=prepared, actors=splitter.actors)
        return outcome, article_with_claims(session, article_id=outcome.article_id)

    outcome, article = await run_in_threadpool(store)
    location = absolute(request.url_for("get_article", article_id=outcome.article_id).path)
    return render(
        article, status_code=201 if outcome.created else 200, headers={"Location": location}
    )


NDJSON = "application/x-ndjson"
BATCH_PATH = "/v1/articles:batch"
# Items are objects, each checked on its own: an item that is not a valid ArticleIn
# is not a request error but that item's `error` result (the others are stored), so
# the schema takes any value and points at ArticleIn for what an item should be.
_BATCH_ITEM = {
    "description": "An article, as `ArticleIn`; an invalid one gets its problem in the result.",
    "examples": [{"text": "Talks resumed in Geneva on Monday (Reuters).", "format": "text"}],
}
_BATCH_BODY = {
    "required": True,
    "content": {
        "application/json": {
            "schema": {
                "type": "array",
                "items": _BATCH_ITEM,
                "description": f"At most {MAX_BATCH_ITEMS:,} articles; more is a 413.",
            }
        },
        NDJSON: {
            # Text, untyped: whatever a line holds is that item's result, as in the array.
            "schema": {
                "description": "One ArticleIn JSON object per line (UTF-8, LF or CRLF); "
                "blank lines are skipped.",
                "examples": ['{"text": "Talks resumed in Geneva on Monday (Reuters)."}\n'],
            }
        },
    },
}


@router.post(
    ":batch",
    response_model=BatchResult,
    responses=problems(400, 401, 413, 415, 422),
    dependencies=[Depends(require_writer)],
    openapi_extra={"requestBody": _BATCH_BODY},
    summary="Ingest many articles",
)
async def ingest_articles(
    request: Request,
    engine: EngineDep,
    settings: SettingsDep,
    splitter: SplitterDep,
    guard: GuardDep,
) -> Response:
    """Ingest up to 1,000 articles (a JSON array, or NDJSON: one per line), each stored
    whole or not at all; the answer holds one result per article, in input order. An
    invalid or failing article gets its problem and leaves the others alone."""
    body = await request.body()
    media = request.headers.get("content-type", "").split(";", 1)[0].strip().lower()
    items = await run_in_threadpool(parse_batch, body, ndjson=media == NDJSON)
    if len(items) < POOL_MINIMUM:
        # Few articles: each splits as a single POST's would (a large one in a worker
        # that is stopped past the budget or when the client leaves), then all are stored.
        checked = await run_in_threadpool(
            lambda: [
                checked_article(raw, max_article_bytes=settings.max_article_bytes) for raw in items
            ]
        )
        prepared = [
            await _guarded(item, request, guard=guard, splitter=splitter, settings=settings)
            for item in checked
        ]
        return render(
            await run_in_threadpool(lambda: store_batch(engine, prepared, actors=splitter.actors))
        )

    def run() -> dict[str, object]:
        return ingest_batch(
            engine,
            items=items,
            setup=splitter,
            max_article_bytes=settings.max_article_bytes,
            pool=request.app.state.split_pool,
        )

    # Splitting (in the pool's processes) and storing block: off the event loop.
    return render(await run_in_threadpool(run))


async def _guarded(
    item: ArticleIn | ArticleProblem,
    request: Request,
    *,
    guard: SplitGuard,
    splitter: SplitterSetup,
    settings: Settings,
) -> PreparedArticle | ArticleProblem:
    if isinstance(item, ArticleProblem):
        return item
    try:
        result = await guarded_split(
            request,
            guard,
            splitter,
            settings,
            text=item.text,
            format=item.format,
            title=item.title,
            language=item.language,
        )
        return prepared_article(article=item, result=result)
    except ClientGone:
        raise
    except Exception as exc:  # a splitter failure fails this article, not the others
        return split_problem(exc)


@router.get("", response_model=ArticlePage, responses=problems(400, 422), summary="List articles")
async def list_articles(
    request: Request,
    reads: ReadsDep,
    limit: Limit = 50,
    cursor: Cursor = None,
    *,
    filters: Annotated[ArticleFilter, Query()],
) -> Response:
    """Articles, newest first, without their text."""
    before = None
    if cursor:
        (key,) = decode_cursor(cursor, query="articles", arity=1)
        if not isinstance(key, int):
            raise BadRequest("The cursor is not one this service issued.")
        before = key
    items = await reads(
        lambda session: article_summaries(session, filters=filters, before=before, limit=limit + 1)
    )
    next_cursor = (
        encode_cursor([items[limit - 1]["id"]], query="articles") if len(items) > limit else None
    )
    return render(
        {"items": items[:limit], "next_cursor": next_cursor},
        headers=next_link(request, next_cursor),
    )


@router.get(
    "/{article_id}", response_model=Article, responses=problems(404, 422), summary="Get an article"
)
async def get_article(article_id: ArticleId, reads: ReadsDep) -> Response:
    """One article with its text, references and integrity report."""
    article = await reads(lambda session: article_by_id(session, article_id=article_id))
    if article is None:
        raise NotFound(f"No article has id {article_id}.")
    return render(article)


@router.get(
    "/{article_id}/claims",
    response_model=ClaimPage,
    responses=problems(400, 404, 422),
    summary="List an article's claims",
)
async def list_article_claims(
    article_id: ArticleId,
    request: Request,
    reads: ReadsDep,
    limit: Limit = 50,
    cursor: Cursor = None,
) -> Response:
    """The article's claims in order."""

    def read(session: Session) -> dict[str, Any]:
        if not article_exists(session, article_id=article_id):
            raise NotFound(f"No article has id {article_id}.")
        return claim_page(
            session,
            filters=ClaimFilter(article=[article_id]),
            cursor=cursor,
            limit=limit,
            scope=f"article-claims:{article_id}",
        )

    page = await reads(read)
    return render(page, headers=next_link(request, page["next_cursor"]))


@router.post(
    "/{article_id}/reprocess",
    response_model=ArticleWithClaims,
    responses=problems(401, 404, 413, 422),
    dependencies=[Depends(require_writer)],
    summary="Re-split an article",
)
async def reprocess_article(
    article_id: ArticleId,
    request: Request,
    engine: EngineDep,
    reads: ReadsDep,
    splitter: SplitterDep,
    guard: GuardDep,
    settings: SettingsDep,
) -> Response:
    """Split a stored article again with the current splitter and registries, in one
    transaction; claims whose text is unchanged keep their ids."""
    source = await reads(lambda session: article_source(session, article_id=article_id))
    if source is None:
        raise NotFound(f"No article has id {article_id}.")
    # Split outside any transaction: other writers never wait on it.
    result = await guarded_split(
        request,
        guard,
        splitter,
        settings,
        text=source["text"],
        format=source["format"],
        title=source["client_title"],
        language=source["client_language"],
    )
    outcome = await run_in_threadpool(
        lambda: store_resplit(
            engine,
            article_id=article_id,
            text=source["text"],
            result=result,
            actors=splitter.actors,
        )
    )
    article = None
    if outcome is not None:
        article = await reads(lambda session: article_with_claims(session, article_id=article_id))
    if article is None:  # deleted meanwhile
        raise NotFound(f"No article has id {article_id}.")
    return render(article)


@router.delete(
    "/{article_id}",
    status_code=204,
    responses=problems(401, 404, 422),
    dependencies=[Depends(require_writer)],
    summary="Delete an article",
)
def delete_article(article_id: ArticleId, session: WriteSessionDep) -> Response:
    """Delete an article with its references and claims."""
    if not delete_stored_article(session, article_id=article_id):
        raise NotFound(f"No article has id {article_id}.")
    return Response(status_code=204)
