"""A claim's permalink page, its embeddable card, and the oEmbed endpoint for CMSs."""

from __future__ import annotations

import re
from html import escape
from typing import Annotated, Any
from urllib.parse import quote, urlsplit

from fastapi import APIRouter, Path, Query
from starlette.requests import Request
from starlette.responses import Response

from app import repository, services
from app.api.deps import ReadsDep, SettingsDep, render
from app.errors import FormatNotImplemented, NotFound
from app.web.render import embed_csp, page, public_base
from app.web.views import FilterState, palette, shorten

router = APIRouter()

MAX_ID = 2**63 - 1
ClaimId = Annotated[int, Path(ge=1, le=MAX_ID)]
# The card's size in a CMS page unless the consumer asks for less (maxwidth/maxheight).
EMBED_WIDTH = 500
EMBED_HEIGHT = 220
_PERMALINK = re.compile(r"/claims/([1-9][0-9]{0,18})/?")


async def _claim(reads: ReadsDep, claim_id: int) -> dict[str, Any]:
    claims = await reads(lambda session: repository.claims_by_ids(session, ids=[claim_id]))
    if not claims:
        raise NotFound(f"No claim has id {claim_id}.")
    return claims[0]


def _iframe(*, base: str, claim: dict[str, Any], width: int, height: int) -> str:
    src = f"{base}/embed/claims/{claim['id']}"
    title = "Claim: " + shorten(claim["text"], 80)
    return (
        f'<iframe src="{escape(src)}" width="{width}" height="{height}" '
        f'title="{escape(title)}" loading="lazy"></iframe>'
    )


@router.get("/claims/{claim_id}")
async def claim_permalink(
    claim_id: ClaimId, request: Request, reads: ReadsDep, settings: SettingsDep
) -> Response:
    """One claim: its text, sources, article, with schema.org JSON-LD and Open Graph tags."""
    claim = await _claim(reads, claim_id)
    base = public_base(request, settings)
    permalink = f"{base or ''}/claims/{claim_id}"
    # Relative IRIs resolve against the page's address when no public base is known.
    jsonld = services.claim_jsonld(claim, base_url=f"{base or ''}/")
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
            "iframe": _iframe(base=base, claim=claim, width=EMBED_WIDTH, height=EMBED_HEIGHT)
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
    claim_id = _permalink_id(url, base)
    if claim_id is None or base is None:
        raise NotFound("The url is not a claim permalink of this service.")
    claim = await _claim(reads, claim_id)
    width = min(EMBED_WIDTH, maxwidth or EMBED_WIDTH)
    height = min(EMBED_HEIGHT, maxheight or EMBED_HEIGHT)
    sources = ", ".join(source["name"] for source in claim["sources"])
    document = {
        "version": "1.0",
        "type": "rich",
        "title": shorten(claim["text"], 120),
        "provider_name": "claimsapi",
        "provider_url": f"{base}/",
        "cache_age": 3600,
        "html": _iframe(base=base, claim=claim, width=width, height=height),
        "width": width,
        "height": height,
    }
    if sources:
        document["author_name"] = sources
    return render(document)


def _permalink_id(url: str, base: str | None) -> int | None:
    """The claim id of a permalink under `base` (any query or fragment aside), else None."""
    if base is None:
        return None
    given, ours = urlsplit(url.strip()), urlsplit(base)
    if (given.scheme.lower(), given.netloc.lower()) != (ours.scheme, ours.netloc.lower()):
        return None
    if not given.path.startswith(ours.path):
        return None
    match = _PERMALINK.fullmatch(given.path[len(ours.path) :])
    if match is None or int(match.group(1)) > MAX_ID:
        return None
    return int(match.group(1))
