"""Claims: filtered, searched, keyset-paged lists, facets, exports, and single claims."""

from __future__ import annotations

import csv
import io
import logging
from collections.abc import Iterator
from typing import Annotated, Any, Literal, NamedTuple

import orjson
from fastapi import APIRouter, Path, Query, Request
from starlette.responses import Response, StreamingResponse

from app import repository, services
from app.api.claim_params import (
    ClaimListParams,
    FacetParams,
    claim_filter,
    openapi_parameters,
    parse_params,
)
from app.api.deps import ReadsDep, next_link, problems, render
from app.errors import NotFound, database_unavailable, problem_body
from app.schemas import Claim, ClaimPage, Facets

router = APIRouter(prefix="/v1", tags=["claims"])
log = logging.getLogger("claimsapi")

NDJSON = "application/x-ndjson"
CSV = "text/csv"
JSONLD = "application/ld+json"


def _wanted_format(request: Request, explicit: str | None) -> str:
    if explicit:
        return explicit
    accept = request.headers.get("accept", "")
    if NDJSON in accept:
        return "ndjson"
    if CSV in accept:
        return "csv"
    return "json"


def _counted(claims: Iterator[dict[str, Any]], tally: list[int]) -> Iterator[dict[str, Any]]:
    for claim in claims:
        tally[0] += 1
        yield claim


def _export_end(claims: Iterator[dict[str, Any]]) -> Iterator[dict[str, Any] | ExportEnd]:
    """The claims, then the terminator: {"complete": true, "count": n}, or, when the
    export fails part-way, {"complete": false, "count": n, "problem": {...}}.

    A body without the terminator was cut in transit; one with `complete: false`
    was cut by the service. Either way the client knows to start again.
    """
    tally = [0]
    try:
        yield from _counted(claims, tally)
    except Exception as exc:
        detail = database_unavailable(exc)
        if detail is None:
            log.exception("an export failed after %d claims", tally[0])
        else:
            log.warning("an export stopped after %d claims: %s", tally[0], exc)
        status = 503 if detail else 500
        yield ExportEnd(status, detail or "The export failed.", tally[0])
        return
    yield ExportEnd(0, "", tally[0])


class ExportEnd(NamedTuple):
    """How an export ended: status 0 when complete."""

    status: int
    detail: str
    sent: int

    def terminator(self) -> dict[str, Any]:
        """The export's last record."""
        if not self.status:
            return {"complete": True, "count": self.sent}
        return {
            "complete": False,
            "count": self.sent,
            "problem": problem_body(self.status, self.detail),
        }


def _ndjson(claims: Iterator[dict[str, Any]]) -> Iterator[bytes]:
    for item in _export_end(claims):
        if isinstance(item, ExportEnd):
            yield orjson.dumps(item.terminator()) + b"\n"
        else:
            yield orjson.dumps(item) + b"\n"


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
    for claim in _export_end(claims):
        if isinstance(claim, ExportEnd):
            # The last row: "#complete" (or "#incomplete"), the count, and why.
            end = claim.terminator()
            state = "#complete" if end["complete"] else "#incomplete"
            writer.writerow((state, end["count"], end.get("problem", {}).get("detail", "")))
            yield flush()
            return
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
    openapi_extra=openapi_parameters(ClaimListParams, first=("limit", "cursor", "count", "format")),
)
async def list_claims(request: Request, reads: ReadsDep) -> Response:
    """Claims matching every filter, in article order then position (or as sorted)."""
    params = parse_params(ClaimListParams, request)
    filters = claim_filter(params)
    wanted = _wanted_format(request, params.format)
    if wanted != "json":
        # Resolved as every read is (within the loop's budget, else on a thread),
        # so an unknown value is a 404 before the first byte is sent.
        query = await reads(lambda session: repository.resolve_query(session, filters=filters))
        claims = services.stream_claims(reads.engine, query=query)
        if wanted == "ndjson":
            return StreamingResponse(_ndjson(claims), media_type=NDJSON)
        return StreamingResponse(
            _csv(claims),
            media_type="text/csv; charset=utf-8",
            headers={"Content-Disposition": 'attachment; filename="claims.csv"'},
        )
    page = await reads(
        lambda session: services.claim_page(
            session, filters=filters, cursor=params.cursor, limit=params.limit, count=params.count
        )
    )
    return render(page, headers=next_link(request, page["next_cursor"]))


@router.get(
    "/facets",
    response_model=Facets,
    responses=problems(404, 422),
    summary="Facets",
    openapi_extra=openapi_parameters(FacetParams, first=("facet", "limit")),
)
async def list_facets(request: Request, reads: ReadsDep) -> Response:
    """The most frequent sources, actors and topics among the claims matching the filters."""
    params = parse_params(FacetParams, request)
    filters = claim_filter(params)
    return render(
        await reads(
            lambda session: services.facets(
                session, filters=filters, names=list(params.facet), limit=params.limit
            )
        )
    )


@router.get(
    "/claims/{claim_id}",
    response_model=Claim,
    responses={
        200: {"content": {JSONLD: {"schema": {"type": "object"}}}},
        **problems(404, 422),
    },
    summary="Get a claim",
)
async def get_claim(
    request: Request,
    claim_id: Annotated[int, Path(ge=1, le=2**63 - 1, description="The claim's id.")],
    reads: ReadsDep,
    format: Annotated[
        Literal["json", "jsonld"] | None,
        Query(description="jsonld: the claim as a schema.org Claim."),
    ] = None,
) -> Response:
    """One claim with its article, sources, actors and topics."""
    claims = await reads(lambda session: repository.claims_by_ids(session, ids=[claim_id]))
    if not claims:
        raise NotFound(f"No claim has id {claim_id}.")
    if format == "jsonld" or (format is None and JSONLD in request.headers.get("accept", "")):
        document = services.claim_jsonld(claims[0], base_url=str(request.base_url))
        return Response(orjson.dumps(document), media_type=JSONLD)
    return render(claims[0])
