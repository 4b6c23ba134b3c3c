"""/docs (Swagger UI) and /redoc (ReDoc), served whole from installed packages.

The assets come from the pinned `fastapi-offline` wheel; the start-up scripts are
this package's own files, so the pages run under a policy that allows only this
origin: no CDN, no inline script, nothing fetched from elsewhere.
"""

from __future__ import annotations

from pathlib import Path

import fastapi_offline
from fastapi import APIRouter
from fastapi.staticfiles import StaticFiles
from starlette.responses import HTMLResponse, Response

__all__ = ["ASSETS_PATH", "CSP", "REDOC_CSP", "assets", "router"]

ASSETS_PATH = "/docs/assets"
_VENDOR = Path(fastapi_offline.__file__).parent / "static"
_OWN = Path(__file__).parent / "docs_static"
# Only this origin. Images may be data: URIs (Swagger UI's icons are); ReDoc runs
# its search in a worker it builds from a blob.
CSP = (
    "default-src 'self'; img-src 'self' data:; worker-src 'self' blob:; "
    "base-uri 'none'; form-action 'none'; frame-ancestors 'none'"
)
# ReDoc writes its styles into <style> elements as it renders (styled-components), which
# no hash can name in advance: inline styles, and only styles, are let through there.
REDOC_CSP = CSP.replace(
    "default-src 'self';", "default-src 'self'; style-src 'self' 'unsafe-inline';"
)

router = APIRouter(include_in_schema=False)


class _Assets(StaticFiles):
    """The vendored files first, then this package's start-up scripts."""

    def __init__(self) -> None:
        super().__init__(directory=_VENDOR)
        self.all_directories = [_VENDOR, _OWN]


def assets() -> StaticFiles:
    """The static files /docs and /redoc load."""
    return _Assets()


def _page(title: str, head: str, body: str, *, policy: str = CSP) -> Response:
    html = (
        '<!doctype html>\n<html lang="en"><head><meta charset="utf-8">'
        f"<title>{title}</title>"
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f'<link rel="icon" href="/static/favicon.svg">{head}</head>'
        f"<body>{body}</body></html>\n"
    )
    return HTMLResponse(html, headers={"Content-Security-Policy": policy})


@router.get("/docs")
async def swagger_ui() -> Response:
    """Swagger UI over /openapi.json."""
    return _page(
        "claimsapi API: Swagger UI",
        f'<link rel="stylesheet" href="{ASSETS_PATH}/swagger-ui.css">',
        f'<div id="swagger-ui"></div><script src="{ASSETS_PATH}/swagger-ui-bundle.js"></script>'
        f'<script src="{ASSETS_PATH}/swagger-init.js"></script>',
    )


@router.get("/redoc")
async def redoc() -> Response:
    """ReDoc over /openapi.json."""
    return _page(
        "claimsapi API: ReDoc",
        "",
        f'<div id="redoc"></div><script src="{ASSETS_PATH}/redoc.standalone.js"></script>'
        f'<script src="{ASSETS_PATH}/redoc-init.js"></script>',
        policy=REDOC_CSP,
    )
