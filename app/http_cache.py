"""HTTP caching and response hardening as one pure ASGI middleware.

Every response gets the security headers. GET responses get a Cache-Control
policy, and those of a known length a weak ETag (a hash of the body) with
`If-None-Match` answered 304. Streamed responses (the NDJSON and CSV exports)
pass through chunk by chunk: no ETag, nothing buffered.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable

from starlette.datastructures import Headers, MutableHeaders
from starlette.types import ASGIApp, Message, Receive, Scope, Send

__all__ = [
    "ERROR_CACHE_CONTROL",
    "JSON_CSP",
    "LIST_CACHE_CONTROL",
    "RESOURCE_CACHE_CONTROL",
    "SECURITY_HEADERS",
    "HttpCache",
    "weak_etag",
]

# Sent with every response, errors included.
SECURITY_HEADERS: tuple[tuple[str, str], ...] = (
    ("X-Content-Type-Options", "nosniff"),
    ("Referrer-Policy", "no-referrer"),
    ("X-Frame-Options", "DENY"),
)
# Data, never a document: nothing may load or frame it. Not sent with HTML (/docs).
JSON_CSP = "default-src 'none'; frame-ancestors 'none'"
# Lists, the change feed, facets: they change with every write, so caches revalidate
# every time (cheap with the ETag: a 304 without a body).
LIST_CACHE_CONTROL = "no-cache"
# One resource (a path ending in its id or slug): seldom changes (reprocess,
# delete, a new claim counted), so caches may reuse it for a minute.
RESOURCE_CACHE_CONTROL = "public, max-age=60"
# Errors, probes and writes: never stored.
ERROR_CACHE_CONTROL = "no-store"
_NO_STORE_PATHS = frozenset({"/healthz", "/readyz"})
# Headers a 304 must not carry: it has no body.
_BODY_HEADERS = ("content-length", "content-type", "content-encoding")


def weak_etag(body: bytes) -> str:
    """A weak validator for a body: equal bodies, equal tags, whatever the encoding."""
    # SHA-256, cut to 128 bits: CPUs hash it in hardware, twice as fast as BLAKE2 here.
    return f'W/"{hashlib.sha256(body).hexdigest()[:32]}"'


def _matches(if_none_match: str, etag: str) -> bool:
    # Weak comparison (RFC 9110 13.1.2): the opaque part decides, W/ does not.
    opaque = etag.removeprefix("W/")
    for candidate in if_none_match.split(","):
        candidate = candidate.strip()
        if candidate == "*" or candidate.removeprefix("W/") == opaque:
            return True
    return False


def _cache_control(scope: Scope, status: int) -> str:
    if status >= 400 or scope["method"] not in ("GET", "HEAD"):
        return ERROR_CACHE_CONTROL
    if scope.get("path", "") in _NO_STORE_PATHS:
        return ERROR_CACHE_CONTROL
    route = scope.get("route")
    template = getattr(route, "path", "")
    return RESOURCE_CACHE_CONTROL if template.endswith("}") else LIST_CACHE_CONTROL


def _harden(headers: MutableHeaders) -> None:
    # A response that names its own frame-ancestors (the embeddable cards) is framed as
    # that says; X-Frame-Options: DENY would forbid what it allows.
    policy = headers.get("content-security-policy", "")
    own_framing = "frame-ancestors" in policy and "frame-ancestors 'none'" not in policy
    for name, value in SECURITY_HEADERS:
        if not (own_framing and name == "X-Frame-Options"):
            headers.setdefault(name, value)
    media = headers.get("content-type", "").split(";", 1)[0].strip().lower()
    if media != "text/html":
        headers.setdefault("Content-Security-Policy", JSON_CSP)


def _not_modified(start: Message, etag: str) -> Message:
    kept: Iterable[tuple[bytes, bytes]] = (
        (name, value)
        for name, value in start["headers"]
        if name.decode("latin-1").lower() not in _BODY_HEADERS
    )
    headers = MutableHeaders(raw=list(kept))
    headers["ETag"] = etag
    # What the 200 would have varied on, GZip's choice included.
    if "accept-encoding" not in headers.get("vary", "").lower():
        headers.add_vary_header("Accept-Encoding")
    return {"type": "http.response.start", "status": 304, "headers": headers.raw}


class HttpCache:
    """Security headers on every response; Cache-Control, ETag and 304 on GETs."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        """Decorate the response start; buffer only complete (sized) GET bodies to hash them."""
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        is_get = scope["method"] == "GET"
        if_none_match = Headers(scope=scope).get("if-none-match") if is_get else None
        held: Message | None = None
        chunks: list[bytes] = []

        async def cached_send(message: Message) -> None:
            nonlocal held
            if message["type"] == "http.response.start":
                headers = MutableHeaders(raw=list(message.get("headers", [])))
                message["headers"] = headers.raw
                _harden(headers)
                status = message["status"]
                headers.setdefault("Cache-Control", _cache_control(scope, status))
                if is_get and status < 400:
                    headers.add_vary_header("Accept")  # exports and JSON-LD by Accept
                # A Content-Length means the whole body is in hand already: hash it.
                # Without one the response is a stream and passes straight through.
                if (
                    is_get
                    and status == 200
                    and "content-length" in headers
                    and "etag" not in headers
                    and "content-encoding" not in headers
                ):
                    held = message
                    return
                await send(message)
                return
            if held is None or message["type"] != "http.response.body":
                await send(message)
                return
            chunks.append(message.get("body", b""))
            if message.get("more_body", False):
                return
            body = b"".join(chunks)
            etag = weak_etag(body)
            if if_none_match and _matches(if_none_match, etag):
                await send(_not_modified(held, etag))
                await send({"type": "http.response.body", "body": b""})
                return
            MutableHeaders(raw=held["headers"])["ETag"] = etag
            await send(held)
            await send({"type": "http.response.body", "body": body})

        await self.app(scope, receive, cached_send)
