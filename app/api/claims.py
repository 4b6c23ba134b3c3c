"""Claims: filtered, searched, keyset-paged lists, facets, exports, and single claims."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from datetime import UTC, datetime
from typing import Annotated, Any, Literal

import orjson
from fastapi import APIRouter, Depends, Path, Query, Request
from starlette.responses import Response, StreamingResponse

from app import repository, services
from app.api.deps import (
    Cursor,
    Limit,
    SessionDep,
    next_link,
    problems,
    reject_unknown_params,
    render,
)
from app.errors import NotFound, UnprocessableContent
from app.models import MAX_ARTICLE_ID
from app.schemas import Claim, ClaimPage, Facets

router = APIRouter(prefix="/v1", tags=["claims"])

_REPEATABLE = (
    "Repeat to OR values; different filters AND. A slug or a name, any case; `-` excludes."
)
_FILTER_PARAMS = frozenset(
    {
        "source",
        "actor",
        "topic",
        "kind",
        "has_source",
        "section",
        "article",
        "article_url",
        "since",
        "until",
        "q",
        "sort",
    }
)
_SORTS = {
    "position": "reading",
    "published_at": "published",
    "-published_at": "-published",
    "relevance": "relevance",
}
Sort = Literal["position", "published_at", "-published_at", "relevance"]
Kind = Literal["cited", "inline", "context", "any"]
NDJSON = "application/x-ndjson"
CSV = "text/csv"
JSONLD = "application/ld+json"


def _utc(value: datetime | None) -> datetime | None:
    if value is None:
        return None
    return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


def _kinds(values: list[str]) -> tuple[str, ...]:
    kinds: list[str] = []
    for value in values:
        for part in value.split(","):
            kind = part.strip().lower()
            if kind not in ("cited", "inline", "context", "any"):
                raise UnprocessableContent(
                    f"Unknown kind '{part}': use cited, inline, context or any.",
                    errors=[{"loc": ["query", "kind"], "type": "enum", "msg": f"'{part}'"}],
                )
            kinds.append(kind)
    return tuple(dict.fromkeys(kinds)) or repository.ClaimFilter().kind


def _claim_filter(
    request: Request,
    allowed: frozenset[str],
    source: list[str],
    actor: list[str],
    topic: list[str],
    kind: list[str],
    has_source: bool | None,
    section: list[str],
    article: list[int],
    article_url: list[str],
    since: datetime | None,
    until: datetime | None,
    q: str | None,
    sort: Sort | None,
) -> repository.ClaimFilter:
    reject_unknown_params(request, allowed=set(allowed))
    search = (q or "").strip() or None
    order = _SORTS[sort] if sort else ("relevance" if search else "reading")
    if order == "relevance" and not search:
        raise UnprocessableContent(
            "sort=relevance needs a search: give q.",
            errors=[{"loc": ["query", "sort"], "type": "value_error", "msg": "needs q"}],
        )
    return repository.ClaimFilter(
        source=tuple(source),
        actor=tuple(actor),
        topic=tuple(topic),
        kind=_kinds(kind),
        has_source=has_source,
        section=tuple(section),
        article=tuple(article),
        article_url=tuple(article_url),
        since=_utc(since),
        until=_utc(until),
        q=search,
        order=order,  # type: ignore[arg-type]
    )


def _filters_dependency(*extra: str) -> Any:
    allowed = _FILTER_PARAMS | set(extra)

    async def claim_filter(
        request: Request,
        source: Annotated[list[str], Query(description=f"Cited source. {_REPEATABLE}")] = [],  # noqa: B006
        actor: Annotated[list[str], Query(description=f"Actor. {_REPEATABLE}")] = [],  # noqa: B006
        topic: Annotated[list[str], Query(description=f"Topic. {_REPEATABLE}")] = [],  # noqa: B006
        kind: Annotated[
            list[str],
            Query(
                description="Which attributions `source` and `has_source` match: cited, inline, "
                "context or any (repeat or comma-separate). Default: cited,inline."
            ),
        ] = [],  # noqa: B006
        has_source: Annotated[
            bool | None, Query(description="Only claims with (true) or without (false) a source.")
        ] = None,
        section: Annotated[
            list[str], Query(description="Section heading, exact, any case; `-` excludes.")
        ] = [],  # noqa: B006
        article: Annotated[
            list[Annotated[int, Query(ge=1, le=MAX_ARTICLE_ID)]],
            Query(description="Article id; repeat to OR."),
        ] = [],  # noqa: B006
        article_url: Annotated[
            list[str], Query(description="Article URL as ingested; repeat to OR.")
        ] = [],  # noqa: B006
        since: Annotated[
            datetime | None, Query(description="Articles published at or after (UTC if no zone).")
        ] = None,
        until: Annotated[
            datetime | None, Query(description="Articles published before (UTC if no zone).")
        ] = None,
        q: Annotated[
            str | None,
            Query(
                max_length=500, description='Full-text search; "quoted phrases" match as phrases.'
            ),
        ] = None,
        sort: Annotated[
            Sort | None,
            Query(
                description="Order: position (article order, then position; the default), "
                "published_at, -published_at, or relevance (the default with q)."
            ),
        ] = None,
    ) -> repository.ClaimFilter:
        return _claim_filter(
            request,
            allowed,
            source,
            actor,
            topic,
            kind,
            has_source,
            section,
            article,
            article_url,
            since,
            until,
            q,
            sort,
        )

    return claim_filter


ClaimFilterDep = Annotated[
    repository.ClaimFilter, Depends(_filters_dependency("limit", "cursor", "count", "format"))
]
FacetFilterDep = Annotated[repository.ClaimFilter, Depends(_filters_dependency("facet", "limit"))]


def _wanted_format(request: Request, explicit: str | None) -> str:
    if explicit:
        return explicit
    accept = request.headers.get("accept", "")
    if NDJSON in accept:
        return "ndjson"
    if CSV in accept:
        return "csv"
    return "json"


def _ndjson(claims: Iterator[dict[str, Any]]) -> Iterator[bytes]:
    for claim in claims:
        yield orjson.dumps(claim) + b"\n"


_CSV_COLUMNS = (
    "id",
    "article_id",
    "article_title",
    "article_url",
    "published_at",
    "position",
    "section",
    "text",
    "span_start",
    "span_end",
    "sources",
    "context_sources",
    "actors",
    "topics",
)


def _csv(claims: Iterator[dict[str, Any]]) -> Iterator[bytes]:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")

    def flush() -> bytes:
        data = buffer.getvalue().encode("utf-8")
        buffer.seek(0)
        buffer.truncate()
        return data

    writer.writerow(_CSV_COLUMNS)
    yield flush()
    for claim in claims:
        article = claim["article"]
        published = article["published_at"]
        writer.writerow(
            (
                claim["id"],
                claim["article_id"],
                article["title"] or "",
                article["url"] or "",
                published.isoformat() if published else "",
                claim["position"],
                claim["section"] or "",
                claim["text"],
                claim["span"]["start"],
                claim["span"]["end"],
                ";".join(s["slug"] for s in claim["sources"]),
                ";".join(s["slug"] for s in claim["context_sources"]),
                ";".join(a["slug"] for a in claim["actors"]),
                ";".join(t["slug"] for t in claim["topics"]),
            )
        )
        yield flush()


@router.get(
    "/claims",
    response_model=ClaimPage,
    responses={
        200: {
            "content": {
                NDJSON: {"schema": {"type": "string"}},
                CSV: {"schema": {"type": "string"}},
            },
            "description": "A page of claims; with format=ndjson or csv (or the matching "
            "Accept), every matching claim, streamed.",
        },
        **problems(400, 404, 422),
    },
    summary="List claims",
)
def list_claims(
    request: Request,
    session: SessionDep,
    filters: ClaimFilterDep,
    limit: Limit = 50,
    cursor: Cursor = None,
    count: Annotated[
        services.CountMode,
        Query(description="Also count the matching claims: exact, estimated or none."),
    ] = "none",
    format: Annotated[
        Literal["json", "ndjson", "csv"] | None,
        Query(description="json pages; ndjson or csv stream every matching claim."),
    ] = None,
) -> Response:
    """Claims matching every filter, in article order then position (or as sorted)."""
    wanted = _wanted_format(request, format)
    if wanted != "json":
        claims = services.stream_claims(request.app.state.engine, filters=filters)
        if wanted == "ndjson":
            return StreamingResponse(_ndjson(claims), media_type=NDJSON)
        return StreamingResponse(
            _csv(claims),
            media_type="text/csv; charset=utf-8",
            headers={"Content-Disposition": 'attachment; filename="claims.csv"'},
        )
    page = services.claim_page(session, filters=filters, cursor=cursor, limit=limit, count=count)
    return render(page, headers=next_link(request, page["next_cursor"]))


@router.get("/facets", response_model=Facets, responses=problems(404, 422), summary="Facets")
def list_facets(
    session: SessionDep,
    filters: FacetFilterDep,
    facet: Annotated[
        list[Literal["source", "actor", "topic"]],
        Query(description="Facet to count; repeat for several."),
    ] = ["source", "actor", "topic"],  # noqa: B006
    limit: Annotated[int, Query(ge=1, le=100, description="Values per facet.")] = 10,
) -> Response:
    """The most frequent sources, actors and topics among the claims matching the filters."""
    return render(services.facets(session, filters=filters, names=list(facet), limit=limit))


@router.get(
    "/claims/{claim_id}",
    response_model=Claim,
    responses={
        200: {"content": {JSONLD: {"schema": {"type": "object"}}}},
        **problems(404, 422),
    },
    summary="Get a claim",
)
def get_claim(
    request: Request,
    claim_id: Annotated[int, Path(ge=1, le=2**63 - 1, description="The claim's id.")],
    session: SessionDep,
    format: Annotated[
        Literal["json", "jsonld"] | None,
        Query(description="jsonld: the claim as a schema.org Claim."),
    ] = None,
) -> Response:
    """One claim with its article, sources, actors and topics."""
    claims = repository.claims_by_ids(session, ids=[claim_id])
    if not claims:
        raise NotFound(f"No claim has id {claim_id}.")
    if format == "jsonld" or (format is None and JSONLD in request.headers.get("accept", "")):
        document = services.claim_jsonld(claims[0], base_url=str(request.base_url))
        return Response(orjson.dumps(document), media_type=JSONLD)
    return render(claims[0])
