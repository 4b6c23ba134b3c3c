"""How `claimsapi serve` runs uvicorn: slow-client timeouts, trusted proxies, problem+json.

uvicorn closes a connection idle between two requests (keep-alive), but not
one that trickles its headers or its body, nor one that never sends a byte.
`GuardedHttpProtocol` adds those two timers, and answers the requests
uvicorn refuses before the application sees them (a malformed request line,
a bad Content-Length, a URL longer than the parser takes) as problem+json
rather than plain text.
"""

from __future__ import annotations

import asyncio
from http import HTTPStatus
from typing import Any

import orjson
from uvicorn.protocols.http.httptools_impl import HttpToolsProtocol

from app.errors import PROBLEM_JSON, problem_body
from app.http_cache import ERROR_CACHE_CONTROL, JSON_CSP, SECURITY_HEADERS
from app.settings import Settings, get_settings

__all__ = ["GuardedHttpProtocol", "uvicorn_options"]


def uvicorn_options(settings: Settings) -> dict[str, Any]:
    """The uvicorn settings the service's own settings imply."""
    return {
        "http": GuardedHttpProtocol,
        # X-Forwarded-For and -Proto are believed only from these peers; without
        # any, the socket's peer is the client (uvicorn's default trusts 127.0.0.1).
        "proxy_headers": bool(settings.trusted_proxies),
        "forwarded_allow_ips": list(settings.trusted_proxies),
        "timeout_keep_alive": settings.keep_alive_timeout,
        # SIGTERM: requests still running after this are cancelled (a split in a
        # worker process is stopped with them), so shutdown never waits on one.
        "timeout_graceful_shutdown": 10,
    }


def _raw_problem(status: int, detail: str) -> bytes:
    body = orjson.dumps(problem_body(status, detail))
    headers = [
        f"HTTP/1.1 {status} {HTTPStatus(status).phrase}",
        f"content-type: {PROBLEM_JSON}",
        f"content-length: {len(body)}",
        "connection: close",
        f"cache-control: {ERROR_CACHE_CONTROL}",
        f"content-security-policy: {JSON_CSP}",
        *(f"{name.lower()}: {value}" for name, value in SECURITY_HEADERS),
    ]
    return ("\r\n".join(headers) + "\r\n\r\n").encode("latin-1") + body


class GuardedHttpProtocol(HttpToolsProtocol):
    """uvicorn's httptools protocol with header and body timeouts and problem+json 4xx."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        settings = get_settings()
        self._header_timeout = settings.header_timeout
        self._body_timeout = settings.body_timeout
        self._timer: asyncio.TimerHandle | None = None

    def _arm(self, seconds: float, callback: Any) -> None:
        self._disarm()
        self._timer = self.loop.call_later(seconds, callback)

    def _disarm(self) -> None:
        if self._timer is not None:
            self._timer.cancel()
            self._timer = None

    def _give_up(self, detail: str) -> None:
        self._timer = None
        if self.transport.is_closing():
            return
        responding = self.cycle is not None and self.cycle.response_started
        if not responding:
            self.transport.write(_raw_problem(408, detail))
        self.transport.close()

    def _headers_late(self) -> None:
        self._give_up(f"The request headers took longer than {self._header_timeout:g} s.")

    def _body_late(self) -> None:
        if self.flow.read_paused:  # the application is behind, not the client
            self._arm(self._body_timeout, self._body_late)
            return
        self._give_up(f"The request body stalled for more than {self._body_timeout:g} s.")

    def connection_made(self, transport: asyncio.Transport) -> None:  # type: ignore[override]
        """Start the clock on the first request's headers."""
        super().connection_made(transport)
        self._arm(self._header_timeout, self._headers_late)

    def connection_lost(self, exc: Exception | None) -> None:
        """Stop the clock."""
        self._disarm()
        super().connection_lost(exc)

    def on_message_begin(self) -> None:
        """A request begins: its headers have `header_timeout` to arrive."""
        super().on_message_begin()
        self._arm(self._header_timeout, self._headers_late)

    def on_headers_complete(self) -> None:
        """Headers in: the body, if any, may not stall for more than `body_timeout`."""
        self._disarm()
        super().on_headers_complete()
        if self.parser is not None and not self.transport.is_closing():
            self._arm(self._body_timeout, self._body_late)

    def on_body(self, body: bytes) -> None:
        """More body: the clock starts again."""
        super().on_body(body)
        self._arm(self._body_timeout, self._body_late)

    def on_message_complete(self) -> None:
        """The request is in whole: no clock until the next one begins."""
        self._disarm()
        super().on_message_complete()

    def send_400_response(self, msg: str) -> None:
        """A request the parser refused, as problem+json."""
        self._disarm()
        self.transport.write(_raw_problem(400, f"The request is not valid HTTP/1.1 ({msg})"))
        self.transport.close()
