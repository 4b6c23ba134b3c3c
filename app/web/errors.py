"""Errors met on a page are shown as a page; the API's stay problem+json."""

from __future__ import annotations

from collections.abc import Mapping
from http import HTTPStatus

from starlette.requests import Request
from starlette.responses import Response

from app.web.render import page

__all__ = ["error_page"]

_API_PREFIXES = ("/v1", "/oembed", "/healthz", "/readyz", "/openapi.json", "/docs", "/redoc")
_PAGE_PREFIXES = (
    *("/articles/", "/claims/", "/sources/", "/actors/", "/topics/", "/split", "/embed/"),
)


def error_page(
    request: Request, status: int, detail: str, headers: Mapping[str, str]
) -> Response | None:
    """An HTML error page for a page's path (or a browser's unknown path), else None."""
    path = request.url.path
    if path.startswith(_API_PREFIXES) or path.startswith("/static/"):
        return None
    for_page = path == "/" or path.startswith(_PAGE_PREFIXES)
    if not for_page and "text/html" not in request.headers.get("accept", ""):
        return None
    return page(
        request,
        "error.html",
        {"status": status, "phrase": HTTPStatus(status).phrase, "detail": detail},
        status_code=status,
        headers=headers,
    )
