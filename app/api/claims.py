"""Claims: filtered, keyset-paged lists and single claims."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Annotated

from fastapi import APIRouter, Depends, Path, Query, Request
from starlette.responses import Response

from app import repository, services
from app.api.deps import Cursor, Limit, SessionDep, next_link, problems, render
from app.cursors import fingerprint
from app.errors import NotFound, UnprocessableContent
from app.schemas import Claim, ClaimPage

router = APIRouter(prefix="/v1/claims", tags=["claims"])

_REPEATABLE = "Repeat to OR values; different filters AND. A slug or a name, any case."
_KNOWN_PARAMS = frozenset(
    {"source", "actor", "topic", "article", "since", "until", "limit", "cursor"}
)


def _utc(value: datetime | None) -> datetime | None:
    if value is None:
        return None
    return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


def claim_filter(
    request: Request,
    source: Annotated[list[str], Query(description=f"Cited source. {_REPEATABLE}")] = [],  # noqa: B006
    actor: Annotated[list[str], Query(description=f"Actor. {_REPEATABLE}")] = [],  # noqa: B006
    topic: Annotated[list[str], Query(description=f"Topic. {_REPEATABLE}")] = [],  # noqa: B006
    article: Annotated[
        list[Annotated[int, Query(ge=1, le=2**63 - 1)]],
        Query(description="Article id; repeat to OR."),
    ] = [],  # noqa: B006
    since: Annotated[
        datetime | None, Query(description="Articles published at or after (UTC if no zone).")
    ] = None,
    until: Annotated[
        datetime | None, Query(description="Articles published before (UTC if no zone).")
    ] = None,
) -> repository.ClaimFilter:
    """Parse the claim filters once into a typed object; unknown parameters are an error."""
    unknown = sorted(set(request.query_params) - _KNOWN_PARAMS)
    if unknown:
        raise UnprocessableContent(
            f"Unknown query parameter(s): {', '.join(unknown)}.",
            errors=[
                {"loc": ["query", name], "type": "unknown_parameter", "msg": "Unknown parameter"}
                for name in unknown
            ],
        )
    return repository.ClaimFilter(
        source=tuple(source),
        actor=tuple(actor),
        topic=tuple(topic),
        article=tuple(article),
        since=_utc(since),
        until=_utc(until),
    )


FilterDep = Annotated[repository.ClaimFilter, Depends(claim_filter)]


@router.get("", response_model=ClaimPage, responses=problems(400, 404, 422), summary="List claims")
def list_claims(
    request: Request,
    session: SessionDep,
    filters: FilterDep,
    limit: Limit = 50,
    cursor: Cursor = None,
) -> Response:
    """Claims matching every filter, in article order then position."""
    query = "claims:" + fingerprint(filters.query_params())
    page = services.claim_page(session, filters=filters, cursor=cursor, limit=limit, query=query)
    return render(page, headers=next_link(request, page["next_cursor"]))


@router.get(
    "/{claim_id}", response_model=Claim, responses=problems(404, 422), summary="Get a claim"
)
def get_claim(
    claim_id: Annotated[int, Path(ge=1, le=2**63 - 1, description="The claim's id.")],
    session: SessionDep,
) -> Response:
    """One claim with its sources, actors and topics."""
    claims = repository.claims_by_ids(session, ids=[claim_id])
    if not claims:
        raise NotFound(f"No claim has id {claim_id}.")
    return render(claims[0])
