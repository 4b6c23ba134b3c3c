"""GET /articles/{id}: the article's text with its claims highlighted in place."""

from __future__ import annotations

from fastapi import APIRouter
from starlette.requests import Request
from starlette.responses import Response

from app.api.articles import ArticleId
from app.api.deps import ReadsDep
from app.errors import NotFound
from app.services.articles import article_with_claims
from app.web.render import page
from app.web.views import FilterState, palette, segments, source_names

router = APIRouter()


@router.get("/articles/{article_id}")
async def article_page(article_id: ArticleId, request: Request, reads: ReadsDep) -> Response:
    """One article: highlighted claims, their sources, references and the integrity report."""
    article = await reads(lambda session: article_with_claims(session, article_id=article_id))
    if article is None:
        raise NotFound(f"No article has id {article_id}.")
    return page(
        request,
        "article.html",
        {
            "article": article,
            "segments": segments(article["text"], article["claims"]),
            "palette": palette(article["claims"]),
            "source_names": source_names(article["claims"]),
            "state": FilterState(()),
        },
    )
