"""Claims: filtered, searched, keyset-paged lists, facets, exports, and single claims."""

from __future__ import annotations

import csv
import io
import logging
from collections.abc import Iterator
from typing import Annotated, Any, NamedTuple
from urllib.parse import urlencode

import orjson
from fastapi import APIRouter, Path, Request
from fastapi.responses import JSONResponse as FastAPIJSONResponse
from starlette.responses import Response, StreamingResponse

from app.api.claim_params import (
    ClaimListParams,
    FacetParams,
    openapi_parameters,
    parse_params,
)
from app.api.deps import (
    LOCATION_HEADER,
    ReadsDep,
    next_link,
    problems,
    render,
)
from app.errors import NotFound, database_unavailable, problem_body
from app.links import absolute, link_base
from app.reads import ReadRunner
from app.repository.claim_query import resolve_query
from app.repository.filters import ClaimFilter
from app.response_cache import cached
from app.schemas import Claim, ClaimJsonLd, ClaimPage, Facets
from app.services.claims import claim_page, claims_by_ids, facets, stream_claims
from app.views import claim_jsonld

router = APIRouter(prefix="/v1", tags=["claims"])
log = logging.getLogger("claimsapi")

NDJSON = "application/x-ndjson"
CSV = "text/csv"
JSONLD = "application/ld+json"


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


class JSONLDResponse(FastAPIJSONResponse):
    """A JSON-LD document (a JSONResponse to FastAPI, so its schema is the response model)."""

    media_type = JSONLD

    def render(self, content: Any) -> bytes:
        """Serialise content."""
        return orjson.dumps(content)


EXPORT_PATHS = {"ndjson": "/v1/claims.ndjson", "csv": "/v1/claims.csv"}
JSONLD_PATH = "/v1/claims/{claim_id}.jsonld"


def _moved(request: Request, path: str, *, drop: str = "format") -> Response:
    """308 to the representation's own path (the `format=` and Accept of earlier versions)."""
    query = urlencode([(k, v) for k, v in request.query_params.multi_items() if k != drop])
    return Response(
        status_code=308, headers={"Location": absolute(path + (f"?{query}" if query else ""))}
    )


def _exported(request: Request) -> str | None:
    wanted = request.query_params.get("format") or _accepted(request)
    return wanted if wanted in EXPORT_PATHS else None


def _accepted(request: Request) -> str | None:
    accept = request.headers.get("accept", "")
    if NDJSON in accept:
        return "ndjson"
    if CSV in accept:
        return "csv"
    return None


@router.get(
    "/claims",
    response_model=ClaimPage,
    responses={
        200: {"description": "A page of claims."},
        308: {
            "description": "`format=ndjson|csv` (or such an Accept): the export's own path.",
            "headers": LOCATION_HEADER,
        },
        **problems(400, 422),
    },
    summary="List claims",
    openapi_extra=openapi_parameters(ClaimListParams, first=("limit", "cursor", "count")),
)
async def list_claims(request: Request, reads: ReadsDep) -> Response:
    """Claims matching every filter, in article order then position (or as sorted)."""
    if wanted := _exported(request):
        return _moved(request, EXPORT_PATHS[wanted])
    params = parse_params(ClaimListParams, request)
    page = await cached(
        request,
        reads,
        lambda session: claim_page(
            session, filters=params, cursor=params.cursor, limit=params.limit, count=params.count
        ),
        when=bool(params.q) or params.count != "none",
    )
    return render(page, headers=next_link(request, page["next_cursor"]))


async def _stream(request: Request, reads: ReadRunner) -> Iterator[dict[str, Any]]:
    """The export's claims; the filters resolved as every read is (within the loop's
    budget, else on a thread), so a bad parameter fails before the first byte is sent."""
    filters = parse_params(ClaimFilter, request)
    query = await reads(lambda session: resolve_query(session, filters=filters))
    return stream_claims(reads.engine, query=query)


@router.get(
    "/claims.ndjson",
    response_class=StreamingResponse,
    responses={
        200: {
            "description": "Every matching claim, one Claim JSON object per line, streamed.",
            "content": {NDJSON: {"schema": {"type": "string"}}},
        },
        **problems(400, 422),
    },
    summary="Export claims as NDJSON",
    openapi_extra=openapi_parameters(ClaimFilter),
)
async def export_claims_ndjson(request: Request, reads: ReadsDep) -> Response:
    """Every claim matching the filters, in list order: one `Claim` object per line."""
    claims = await _stream(request, reads)
    return StreamingResponse(_ndjson(claims), media_type=NDJSON)


@router.get(
    "/claims.csv",
    response_class=StreamingResponse,
    responses={
        200: {
            "description": "Every matching claim, one row each, under a header row, streamed. "
            f"Columns: {', '.join(_CSV_COLUMNS)}; lists joined with `;`.",
            "content": {CSV: {"schema": {"type": "string"}}},
        },
        **problems(400, 422),
    },
    summary="Export claims as CSV",
    openapi_extra=openapi_parameters(ClaimFilter),
)
async def export_claims_csv(request: Request, reads: ReadsDep) -> Response:
    """Every claim matching the filters, in list order, as CSV (UTF-8, CRLF)."""
    claims = await _stream(request, reads)
    return StreamingResponse(
        _csv(claims),
        media_type="text/csv; charset=utf-8",
        headers={"Content-Disposition": 'attachment; filename="claims.csv"'},
    )


@router.get(
    "/facets",
    response_model=Facets,
    responses=problems(400, 422),
    summary="Facets",
    openapi_extra=openapi_parameters(FacetParams, first=("facet", "limit")),
)
async def list_facets(request: Request, reads: ReadsDep) -> Response:
    """The most frequent sources, actors and topics among the claims matching the filters."""
    params = parse_params(FacetParams, request)
    return render(
        await cached(
            request,
            reads,
            lambda session: facets(
                session, filters=params, names=list(params.facet), limit=params.limit
            ),
        )
    )


ClaimId = Annotated[int, Path(ge=1, le=2**63 - 1, description="The claim's id.")]


async def _claim(reads: ReadsDep, claim_id: int) -> dict[str, Any]:
    claims = await reads(lambda session: claims_by_ids(session, ids=[claim_id]))
    if not claims:
        raise NotFound(f"No claim has id {claim_id}.")
    return claims[0]


@router.get(
    JSONLD_PATH.removeprefix("/v1"),
    response_model=ClaimJsonLd,
    response_class=JSONLDResponse,
    responses=problems(404, 422),
    summary="Get a claim as JSON-LD",
)
async def get_claim_jsonld(claim_id: ClaimId, reads: ReadsDep) -> Response:
    """One claim as a schema.org Claim, for fact-checking tools."""
    claim = await _claim(reads, claim_id)
    document = claim_jsonld(claim, base_url=link_base() + "/")
    return JSONLDResponse(document)


@router.get(
    "/claims/{claim_id}",
    response_model=Claim,
    responses={
        200: {"description": "The claim."},
        308: {
            "description": "`format=jsonld` (or that Accept): the JSON-LD path.",
            "headers": LOCATION_HEADER,
        },
        **problems(404, 422),
    },
    summary="Get a claim",
)
async def get_claim(request: Request, claim_id: ClaimId, reads: ReadsDep) -> Response:
    """One claim with its article, sources, actors and topics."""
    if request.query_params.get("format") == "jsonld" or (
        "format" not in request.query_params and JSONLD in request.headers.get("accept", "")
    ):
        return _moved(request, JSONLD_PATH.format(claim_id=claim_id))
    return render(await _claim(reads, claim_id))
