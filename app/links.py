"""Links the JSON API hands out: under CLAIMS_PUBLIC_URL, else paths; never from the Host header.

The base is set per request by `PublicLinks` (from the app's settings) and read
wherever a link is built, the repository's row-to-dict code included, so no
function needs a base passed down to it. A context variable, because one process
may hold apps with different settings (the tests do) and reads run on threads
that copy the request's context.
"""

from __future__ import annotations

from contextvars import ContextVar
from urllib.parse import urlsplit, urlunsplit

from starlette.datastructures import MutableHeaders
from starlette.types import ASGIApp, Message, Receive, Scope, Send

__all__ = ["PublicLinks", "absolute", "article_url", "claim_url", "link_base"]

_BASE: ContextVar[str] = ContextVar("claims_public_url", default="")


def link_base() -> str:
    """CLAIMS_PUBLIC_URL of the app serving this request, or '' (links are paths)."""
    return _BASE.get()


def absolute(path: str) -> str:
    """A path (with its query) as the link to hand out: under the public URL, or as is."""
    return _BASE.get() + path


def claim_url(claim_id: int) -> str:
    """The claim's JSON resource."""
    return f"{_BASE.get()}/v1/claims/{claim_id}"


def article_url(article_id: int) -> str:
    """The article's JSON resource."""
    return f"{_BASE.get()}/v1/articles/{article_id}"


class PublicLinks:
    """Set the link base for the request; point redirects at it instead of at the Host.

    Starlette's trailing-slash redirect builds its Location from the Host header
    (`Host: evil.example` would send a client there): a Location on this service's
    own request origin is rewritten to the public URL, or to a path.
    """

    def __init__(self, app: ASGIApp, *, public_url: str | None) -> None:
        self.app = app
        self.public_url = public_url or ""

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        """Run the request with the base set; rewrite the Location of its redirects."""
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        token = _BASE.set(self.public_url)

        async def send_rewritten(message: Message) -> None:
            if message["type"] == "http.response.start" and 300 <= message["status"] < 400:
                headers = MutableHeaders(raw=message["headers"])
                if location := headers.get("location"):
                    headers["location"] = self._own(location)
            await send(message)

        try:
            await self.app(scope, receive, send_rewritten)
        finally:
            _BASE.reset(token)

    def _own(self, location: str) -> str:
        parts = urlsplit(location)
        if not parts.scheme and not parts.netloc:
            return absolute(location) if location.startswith("/") else location
        # Absolute: only ever this service's own (Starlette's, built from the Host).
        return self.public_url + urlunsplit(("", "", parts.path or "/", parts.query, ""))
