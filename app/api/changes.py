"""The change feed: claim events in commit order, for clients that mirror the store."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query
from starlette.responses import Response

from app.api.deps import ReadsDep, problems, render
from app.schemas import ChangePage
from app.services.changes import change_page

router = APIRouter(prefix="/v1", tags=["changes"])


@router.get(
    "/changes", response_model=ChangePage, responses=problems(400, 422), summary="Change feed"
)
async def list_changes(
    reads: ReadsDep,
    since: Annotated[
        str | None,
        Query(
            max_length=512,
            description="`next_token` of the previous response; omit to start from the "
            "first event.",
        ),
    ] = None,
    limit: Annotated[int, Query(ge=1, le=1000, description="Events per page (1-1000).")] = 100,
) -> Response:
    """Claim events after `since` in commit order (`created`, `updated`, `deleted`).

    Apply the events in order and follow `next_token` to mirror the store: nothing
    is missed or repeated, also while articles are being ingested.
    """
    return render(await reads(lambda session: change_page(session, since=since, limit=limit)))
