"""GET /: search, facets, filters and pages over the claims, as GET /v1/claims takes them."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter
from pydantic import Field
from sqlalchemy.orm import Session
from starlette.requests import Request
from starlette.responses import Response

from app.api.claim_params import parse_params
from app.api.deps import ReadsDep
from app.repository.filters import ClaimFilter
from app.services.claims import claim_page, facets
from app.web.render import page
from app.web.views import FilterState, language_name, palette

router = APIRouter()

ENTITY_FACETS = {"source": "Sources", "actor": "Actors", "topic": "Topics"}
FACETS = {**ENTITY_FACETS, "language": "Languages"}
FACET_VALUES = 10


class ExplorerParams(ClaimFilter):
    """The explorer's query string: the filters of GET /v1/claims, a page size, a cursor."""

    limit: int = Field(default=20, ge=1, le=200)
    cursor: str | None = Field(default=None, max_length=512)


def _counted_exactly(filters: ClaimFilter) -> bool:
    """True when the estimated count is exact: no filter, or one entity value alone.

    Those the write-kept counters answer; anything else PostgreSQL's planner estimates.
    """
    values = sum(len(getattr(filters, name)) for name in ENTITY_FACETS)
    rest = filters.model_copy(update={**{name: [] for name in ENTITY_FACETS}, "sort": None})
    return values <= 1 and rest.query_params() == ClaimFilter().query_params()


@router.get("/")
async def explorer(request: Request, reads: ReadsDep) -> Response:
    """The claim explorer: the page a new user opens first."""
    params = parse_params(ExplorerParams, request)
    filters = params

    def read(session: Session) -> tuple[dict[str, Any], dict[str, Any]]:
        found = claim_page(
            session, filters=filters, cursor=params.cursor, limit=params.limit, count="estimated"
        )
        counts = facets(session, filters=filters, names=list(FACETS), limit=FACET_VALUES)
        return found, counts

    found, counts = await reads(read)
    return page(
        request,
        "explorer.html",
        {
            "state": FilterState.of(request.query_params.multi_items()),
            "claims": found["items"],
            "palette": palette(found["items"]),
            "count": found["count"],
            "approximate": not _counted_exactly(filters),
            "next_cursor": found["next_cursor"],
            "paged": params.cursor is not None,
            "facets": [
                (name, title, _named(name, counts["facets"][name]))
                for name, title in FACETS.items()
            ],
            "truncated": counts["truncated"],
        },
    )


def _named(facet: str, values: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Facet values as a reader names them: a language by its English name, not its code."""
    if facet != "language":
        return values
    return [{**value, "name": language_name(value["slug"])} for value in values]
