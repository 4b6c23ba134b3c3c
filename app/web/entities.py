"""GET /sources/{slug}, /actors/{slug}, /topics/{slug}: the entity, its claims over time."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from fastapi import APIRouter
from sqlalchemy.orm import Session
from starlette.requests import Request
from starlette.responses import Response

from app.api.deps import ReadsDep
from app.api.entities import Slug
from app.errors import NotFound
from app.repository.entities import claims_by_month, entity_by_slug
from app.repository.filters import ClaimFilter
from app.services.claims import claim_page
from app.web.render import page
from app.web.views import FilterState, month_chart, palette

router = APIRouter()

LATEST_CLAIMS = 10
# Newest articles first: what the entity has been in lately.
_LATEST: dict[str, Callable[[str], ClaimFilter]] = {
    "source": lambda slug: ClaimFilter(source=[slug], sort="-published_at"),
    "actor": lambda slug: ClaimFilter(actor=[slug], sort="-published_at"),
    "topic": lambda slug: ClaimFilter(topic=[slug], sort="-published_at"),
}
_TITLES = {"source": "Source", "actor": "Actor", "topic": "Topic"}


async def _entity_page(request: Request, reads: ReadsDep, *, kind: str, slug: str) -> Response:
    def read(session: Session) -> tuple[dict[str, Any], list[tuple[str, int]], Any] | None:
        entity = entity_by_slug(session, kind=kind, slug=slug)
        if entity is None:
            return None
        months = claims_by_month(session, kind=kind, slug=slug)
        latest = claim_page(
            session,
            filters=_LATEST[kind](slug),
            cursor=None,
            limit=LATEST_CLAIMS,
        )
        return entity, months, latest["items"]

    found = await reads(read)
    if found is None:
        raise NotFound(f"No {kind} has slug '{slug}'.")
    entity, months, latest = found
    state = FilterState(())
    return page(
        request,
        "entity.html",
        {
            "kind": kind,
            "kind_title": _TITLES[kind],
            "entity": entity,
            "chart": month_chart(months),
            "claims": latest,
            "palette": palette(latest),
            "all_claims": state.adding(kind, slug),
            "api": f"/v1/{kind}s/{slug}",
            "state": state,
        },
    )


@router.get("/sources/{slug}")
async def source_page(slug: Slug, request: Request, reads: ReadsDep) -> Response:
    """A publisher and the claims that cite it."""
    return await _entity_page(request, reads, kind="source", slug=slug)


@router.get("/actors/{slug}")
async def actor_page(slug: Slug, request: Request, reads: ReadsDep) -> Response:
    """An actor and the claims about it."""
    return await _entity_page(request, reads, kind="actor", slug=slug)


@router.get("/topics/{slug}")
async def topic_page(slug: Slug, request: Request, reads: ReadsDep) -> Response:
    """A topic and the claims about it."""
    return await _entity_page(request, reads, kind="topic", slug=slug)
