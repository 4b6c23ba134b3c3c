"""Embedding a claim elsewhere: the iframe snippet, permalink recognition, oEmbed 1.0."""

from __future__ import annotations

import re
from html import escape
from typing import Any
from urllib.parse import urlsplit

from app.web.views import shorten

__all__ = [
    "EMBED_HEIGHT",
    "EMBED_WIDTH",
    "MAX_ID",
    "iframe_html",
    "oembed_response",
    "permalink_id",
]

MAX_ID = 2**63 - 1
# The card's size in a CMS page unless the consumer asks for less (maxwidth/maxheight).
EMBED_WIDTH = 500
EMBED_HEIGHT = 220
_PERMALINK = re.compile(r"/claims/([1-9][0-9]{0,18})/?")


def iframe_html(*, base: str, claim: dict[str, Any], width: int, height: int) -> str:
    """The HTML that embeds a claim's card: an iframe with a title, nothing else."""
    src = f"{base}/embed/claims/{claim['id']}"
    title = "Claim: " + shorten(claim["text"], 80)
    return (
        f'<iframe src="{escape(src)}" width="{width}" height="{height}" '
        f'title="{escape(title)}" loading="lazy"></iframe>'
    )


def permalink_id(url: str, *, base: str) -> int | None:
    """The claim id of a permalink under `base` (any query or fragment aside), else None."""
    given, ours = urlsplit(url.strip()), urlsplit(base)
    if (given.scheme, given.netloc.lower()) != (ours.scheme, ours.netloc.lower()):
        return None
    if not given.path.startswith(ours.path):
        return None
    match = _PERMALINK.fullmatch(given.path[len(ours.path) :])
    if match is None or int(match.group(1)) > MAX_ID:
        return None
    return int(match.group(1))


def oembed_response(
    claim: dict[str, Any], *, base: str, maxwidth: int | None, maxheight: int | None
) -> dict[str, Any]:
    """The oEmbed 1.0 "rich" response for a claim, within the consumer's size limits."""
    width = min(EMBED_WIDTH, maxwidth or EMBED_WIDTH)
    height = min(EMBED_HEIGHT, maxheight or EMBED_HEIGHT)
    document: dict[str, Any] = {
        "version": "1.0",
        "type": "rich",
        "title": shorten(claim["text"], 120),
        "provider_name": "claimsapi",
        "provider_url": f"{base}/",
        "cache_age": 3600,
        "html": iframe_html(base=base, claim=claim, width=width, height=height),
        "width": width,
        "height": height,
    }
    if claim["sources"]:
        document["author_name"] = ", ".join(source["name"] for source in claim["sources"])
    return document
