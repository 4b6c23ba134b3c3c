"""A claim's permalink page, its embeddable card, and the oEmbed endpoint for CMSs."""

from __future__ import annotations

from typing import Annotated, Any
from urllib.parse import quote

from fastapi import APIRouter, Path, Query
from starlette.requests import Request
from starlette.responses import Response

from app.api.deps import ReadsDep, SettingsDep, render
from app.errors import FormatNotImplemented, NotFound
from app.services.claims import claims_by_ids
from app.views import claim_jsonld
from app.web.embeds import (
    EMBED_HEIGHT,
    EMBED_WIDTH,
    MAX_ID,
    iframe_html,
    oembed_response,
    permalink_id,
)
from app.web.render import embed_csp, page, public_base
from app.web.views import FilterState, palette

router = APIRouter()

ClaimId = Annotated[int, Path(ge=1, le=MAX_ID)]


async def _claim(reads: ReadsDep, claim_id: int) -> dict[str, Any]:
    claims = await reads(lambda session: claims_by_ids(session, ids=[claim_id]))
    if not claims:
        raise NotFound(f"No claim has id {claim_id}.")
    return claims[0]


@router.get("/claims/{claim_id}")
async def claim_permalink(
    claim_id: ClaimId, request: Request, reads: ReadsDep, settings: SettingsDep
) -> Response:
    """One claim: its text, sources, article, with schema.org JSON-LD and Open Graph tags."""
    claim = await _claim(reads, claim_id)
    base = public_base(request, settings)
    permalink = f"{base or ''}/claims/{claim_id}"
    # Relative IRIs resolve against the page's address when no public base is known.
    jsonld = claim_jsonld(claim, base_url=f"{base or ''}/")
    jsonld["url"] = permalink
    return page(
        request,
        "claim.html",
        {
            "claim": claim,
            "palette": palette([claim]),
            "jsonld": jsonld,
            "base": base,
            "permalink": permalink,
            "oembed": f"{base}/oembed?url={quote(permalink, safe='')}" if base else None,
            "iframe": iframe_html(base=base, claim=claim, width=EMBED_WIDTH, height=EMBED_HEIGHT)
            if base
            else None,
            "state": FilterState(()),
        },
    )


@router.get("/embed/claims/{claim_id}")
async def claim_card(
    claim_id: ClaimId, request: Request, reads: ReadsDep, settings: SettingsDep
) -> Response:
    """A compact card of one claim, made to sit in an iframe on the origins allowed."""
    claim = await _claim(reads, claim_id)
    return page(
        request,
        "embed.html",
        {"claim": claim, "palette": palette([claim])},
        headers={"Content-Security-Policy": embed_csp(settings.embed_frame_ancestors)},
    )


@router.get("/oembed")
async def oembed(
    request: Request,
    reads: ReadsDep,
    settings: SettingsDep,
    url: Annotated[str, Query(max_length=2048)],
    maxwidth: Annotated[int | None, Query(ge=1, le=10_000)] = None,
    maxheight: Annotated[int | None, Query(ge=1, le=10_000)] = None,
    format: Annotated[str | None, Query(max_length=16)] = None,
) -> Response:
    """oEmbed 1.0 for a claim permalink: a "rich" card in an iframe (JSON only)."""
    if format not in (None, "json"):
        raise FormatNotImplemented(f"Only format=json is offered, not '{format}'.")
    base = public_base(request, settings)
    claim_id = None if base is None else permalink_id(url, base=base)
    if base is None or claim_id is None:
        raise NotFound("The url is not a claim permalink of this service.")
    claim = await _claim(reads, claim_id)
    return render(oembed_response(claim, base=base, maxwidth=maxwidth, maxheight=maxheight))
