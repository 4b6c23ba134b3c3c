"""ASGI guards that run before a route reads its body: media type and size."""

from __future__ import annotations

import contextlib
from collections.abc import Mapping
from dataclasses import dataclass
from urllib.parse import parse_qsl

from starlette.datastructures import Headers
from starlette.exceptions import HTTPException
from starlette.middleware.cors import CORSMiddleware
from starlette.responses import Response
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from app.errors import problem_response

__all__ = ["BodyGuard", "BodyRule", "BodyTooLarge", "HeadAsGet", "NulGuard", "ProblemCORS"]

_BODY_METHODS = frozenset({"POST", "PUT", "PATCH"})
# The JSON around an article costs more bytes than its text: clients that escape
# non-ASCII (Python's json.dumps does) turn a 2-byte UTF-8 letter into 6 bytes.
# The text itself is held to the exact limit once parsed.
JSON_OVERHEAD_FACTOR = 3


class BodyTooLarge(HTTPException):
    """Raised inside receive() when a streamed body passes the limit.

    An HTTPException, because FastAPI re-raises those from body parsing (anything
    else it would turn into a 400) and the error handlers render it as a 413.
    """

    def __init__(self, limit: int) -> None:
        super().__init__(413, f"The body is larger than {limit} bytes.")


def _is_json(media: str) -> bool:
    return media == "application/json" or (
        media.startswith("application/") and media.endswith("+json")
    )


@dataclass(frozen=True, slots=True)
class BodyRule:
    """What one route accepts instead of the defaults: its own limit, more media types."""

    max_body_bytes: int
    media_types: frozenset[str] = frozenset()


class BodyGuard:
    """Reject non-JSON bodies (415) and bodies over the limit (413) before they are read whole.

    `routes` maps exact paths to their own rule (the batch route takes NDJSON and more bytes).
    """

    def __init__(
        self, app: ASGIApp, *, max_body_bytes: int, routes: Mapping[str, BodyRule] | None = None
    ) -> None:
        self.app = app
        self.max_body_bytes = max_body_bytes
        self.routes = dict(routes or {})

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        """Check the request line and headers, then meter the body as it streams in."""
        if scope["type"] != "http" or scope["method"] not in _BODY_METHODS:
            await self.app(scope, receive, send)
            return
        headers = {key.decode("latin-1").lower(): value for key, value in scope["headers"]}
        path = scope.get("path", "")
        rule = self.routes.get(path)
        limit = rule.max_body_bytes if rule else self.max_body_bytes
        extra_media = rule.media_types if rule else frozenset()
        content_length = headers.get("content-length")
        if content_length is not None:
            try:
                declared = int(content_length)
            except ValueError:
                await problem_response(400, "Content-Length is not a number.", instance=path)(
                    scope, receive, send
                )
                return
            if declared > limit:
                await self._too_large(scope, receive, send, limit)
                return
        content_type = headers.get("content-type", b"").decode("latin-1")
        media = content_type.split(";", 1)[0].strip().lower()
        has_body = content_length not in (None, b"0") or "transfer-encoding" in headers
        if has_body and not (_is_json(media) or media in extra_media):
            wanted = " or ".join(("application/json", *sorted(extra_media)))
            await problem_response(
                415,
                f"Send the body as {wanted}, not '{content_type or 'no content type'}'.",
                instance=path,
            )(scope, receive, send)
            return

        received = 0
        response_started = False

        async def metered_receive() -> Message:
            nonlocal received
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > limit:
                    raise BodyTooLarge(limit)
            return message

        async def tracking_send(message: Message) -> None:
            nonlocal response_started
            if message["type"] == "http.response.start":
                response_started = True
            await send(message)

        try:
            await self.app(scope, metered_receive, tracking_send)
        except BodyTooLarge:
            if response_started:
                raise
            await self._too_large(scope, receive, send, limit)

    async def _too_large(self, scope: Scope, receive: Receive, send: Send, limit: int) -> None:
        await problem_response(
            413,
            f"The body is larger than {limit} bytes.",
            instance=scope.get("path", ""),
            headers={"Connection": "close"},
        )(scope, receive, send)


class NulGuard:
    """Answer 422 to a path or query parameter holding NUL (U+0000), before any route runs.

    No stored value holds one (articles get U+FFFD in its place), PostgreSQL
    refuses it in text, and SQLite's full-text parser fails on it: such a
    value can only be refused.
    """

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        """Pass the request on unless its path or query string holds a NUL."""
        if scope["type"] == "http":
            query: bytes = scope.get("query_string", b"")
            errors = []
            if "\x00" in scope.get("path", ""):
                errors.append({"loc": ["path"], "type": "string_nul", "msg": "contains NUL"})
            if b"%00" in query or b"\x00" in query:
                pairs = parse_qsl(query.decode("latin-1"), keep_blank_values=True)
                errors.extend(
                    {"loc": ["query", name], "type": "string_nul", "msg": "contains NUL"}
                    for name in dict.fromkeys(n for n, v in pairs if "\x00" in n + v)
                )
            if errors:
                await problem_response(
                    422,
                    "A parameter holds a NUL character (U+0000), which no value can contain.",
                    errors=errors,
                    instance=scope.get("path", "").replace("\x00", ""),
                )(scope, receive, send)
                return
        await self.app(scope, receive, send)


class _HeadDone(Exception):
    """The head of a HEAD answer is sent: the rest of the GET's work is not needed."""


class HeadAsGet:
    """Answer HEAD on every GET route: the GET's status and headers, without its body."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        """Run a HEAD as its GET, and send only the response's start."""
        if scope["type"] != "http" or scope["method"] != "HEAD":
            await self.app(scope, receive, send)
            return

        async def head_only(message: Message) -> None:
            if message["type"] == "http.response.start":
                await send(message)
                await send({"type": "http.response.body", "body": b"", "more_body": False})
                raise _HeadDone  # a streamed export stops here, not after the last claim

        with contextlib.suppress(_HeadDone):
            await self.app({**scope, "method": "GET"}, receive, head_only)


class ProblemCORS(CORSMiddleware):
    """Starlette's CORS, with a refused preflight answered as problem+json, not plain text."""

    def preflight_response(self, request_headers: Headers) -> Response:
        """The preflight answer; a refusal becomes a 400 problem naming what was refused."""
        response = super().preflight_response(request_headers)
        if response.status_code < 400:
            return response
        detail = bytes(response.body).decode("utf-8", "replace")
        problem = problem_response(
            response.status_code, f"CORS preflight refused: {detail}.", slug="cors-refused"
        )
        for name, value in response.headers.items():
            if name.lower().startswith(("access-control-", "vary")):
                problem.headers[name] = value
        return problem
