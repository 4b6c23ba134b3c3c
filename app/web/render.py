"""Templates, the pages' security policy, and the base of absolute links."""

from __future__ import annotations

import ipaddress
from collections.abc import Mapping
from typing import Any

import jinja2
from starlette.requests import Request
from starlette.responses import HTMLResponse

from app.settings import Settings
from app.web.views import safe_href, shorten, source_colour

__all__ = ["PAGE_CSP", "embed_csp", "page", "public_base"]

# Pages load their stylesheet (and any vendored script or image) from this service only;
# nothing inline runs, and no other site may frame them. JSON-LD is a data block, not
# a script, so it needs no hash.
PAGE_CSP = (
    "default-src 'none'; style-src 'self'; script-src 'self'; img-src 'self'; "
    "form-action 'self'; base-uri 'none'; frame-ancestors 'none'"
)

_TEMPLATES = jinja2.Environment(
    loader=jinja2.PackageLoader("app.web", "templates"),
    autoescape=True,  # every value, whatever the template's name
    undefined=jinja2.StrictUndefined,
    trim_blocks=True,
    lstrip_blocks=True,
)

_TEMPLATES.globals.update(colour=source_colour, safe_href=safe_href, shorten=shorten)


def embed_csp(frame_ancestors: tuple[str, ...]) -> str:
    """The embeddable card's policy: the page's, framed only by the configured origins."""
    ancestors = " ".join(frame_ancestors) or "'none'"
    return PAGE_CSP.replace("form-action 'self'", "form-action 'none'").replace(
        "frame-ancestors 'none'", f"frame-ancestors {ancestors}"
    )


def page(
    request: Request,
    template: str,
    context: Mapping[str, Any],
    *,
    status_code: int = 200,
    headers: Mapping[str, str] | None = None,
) -> HTMLResponse:
    """Render a template as an HTML response under the pages' policy."""
    # `palette`: the page's source colours (views.palette); badges fall back to a hash.
    body = _TEMPLATES.get_template(template).render(request=request, **{"palette": {}, **context})
    return HTMLResponse(
        body,
        status_code=status_code,
        headers={"Content-Security-Policy": PAGE_CSP, **(headers or {})},
    )


def _loopback(host: str | None) -> bool:
    if host is None:
        return False
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def public_base(request: Request, settings: Settings) -> str | None:
    """The service's public base URL (no trailing slash), or None when it is not known.

    CLAIMS_PUBLIC_URL when set. Otherwise the request's own base only when both the
    client and the host it named are this machine: a Host header from elsewhere is the
    client's to choose, and must not end up in links others are served.
    """
    if settings.public_url:
        return settings.public_url
    client = request.client.host if request.client else None
    if _loopback(client) and _loopback(request.url.hostname):
        return str(request.base_url).rstrip("/")
    return None
