"""Writes are authenticated and rate-limited before their body is read.

FastAPI reads and parses a body before it solves a route's dependencies, so a
check made there lets an anonymous client make the service read and parse
megabytes. This ASGI gate answers from the request line and headers alone:

- a route that writes (it declares `require_writer`) needs a configured key
  when `CLAIMS_API_KEYS` is set, else 401;
- failed authentications are counted per client address
  (`CLAIMS_AUTH_FAILURE_RATE_LIMIT`); past the limit every write from that
  address is 429 until the bucket refills, a right key included, so keys
  cannot be guessed at speed;
- writes are counted per client (`CLAIMS_WRITE_RATE_LIMIT`): a valid key
  names the client wherever it connects from, anything else is its address,
  so a made-up Bearer value buys no fresh bucket.

The address is the socket peer, or what a proxy in `CLAIMS_TRUSTED_PROXIES`
forwarded (uvicorn rewrites it before the app sees the request).
"""

from __future__ import annotations

import hashlib
import hmac
from collections.abc import Sequence

from starlette.routing import BaseRoute, Match
from starlette.types import ASGIApp, Receive, Scope, Send

from app.errors import problem_response
from app.ratelimit import Limiter, retry_after

__all__ = ["WriteGate", "valid_key"]

_WRITE_METHODS = frozenset({"POST", "PUT", "PATCH", "DELETE"})


def valid_key(api_keys: Sequence[str], authorization: str | None) -> bool:
    """True when `authorization` is `Bearer <one of api_keys>`."""
    scheme, _, key = (authorization or "").partition(" ")
    presented = key.strip().encode()
    # Compare against every key, always, so timing reveals neither which nor how much matched.
    matched = False
    for candidate in api_keys:
        matched |= hmac.compare_digest(presented, candidate.encode())
    return scheme.lower() == "bearer" and matched


class WriteGate:
    """Authenticate and rate-limit requests to `routes` before the route runs."""

    def __init__(
        self,
        app: ASGIApp,
        *,
        routes: Sequence[BaseRoute],
        api_keys: Sequence[str],
        writes: Limiter | None,
        failures: Limiter | None,
        write_rate: str,
        failure_rate: str,
    ) -> None:
        self.app = app
        self.routes = tuple(routes)
        self.api_keys = tuple(api_keys)
        self.writes = writes
        self.failures = failures
        self.write_rate = write_rate
        self.failure_rate = failure_rate

    def _guarded(self, scope: Scope) -> bool:
        return any(route.matches(scope)[0] == Match.FULL for route in self.routes)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        """Refuse a write that lacks a key or is over a limit; pass everything else on."""
        if (
            scope["type"] != "http"
            or scope["method"] not in _WRITE_METHODS
            or not self._guarded(scope)
        ):
            await self.app(scope, receive, send)
            return
        headers = dict(scope["headers"])
        authorization = headers.get(b"authorization", b"").decode("latin-1") or None
        address = "addr:" + (scope["client"][0] if scope.get("client") else "unknown")
        path = scope.get("path", "")
        valid = valid_key(self.api_keys, authorization)
        if self.api_keys:
            if self.failures is not None:
                wait = await self.failures.peek(address)
                if wait:
                    await self._too_many(scope, receive, send, wait, self.failure_rate, "failed")
                    return
            if not valid:
                if self.failures is not None:
                    await self.failures.take(address)
                await problem_response(
                    401,
                    "This write needs an API key: send `Authorization: Bearer <key>`.",
                    headers={"WWW-Authenticate": 'Bearer realm="claimsapi"'},
                    instance=path,
                )(scope, receive, send)
                return
        if self.writes is not None:
            _, _, key = (authorization or "").partition(" ")
            client = "key:" + hashlib.sha256(key.strip().encode()).hexdigest() if valid else address
            wait = await self.writes.take(client)
            if wait:
                await self._too_many(scope, receive, send, wait, self.write_rate, "write")
                return
        await self.app(scope, receive, send)

    async def _too_many(
        self, scope: Scope, receive: Receive, send: Send, wait: float, rate: str, what: str
    ) -> None:
        detail = (
            f"Too many failed authentications from this address ({rate}); retry later."
            if what == "failed"
            else f"Write rate limit reached ({rate}); retry later."
        )
        await problem_response(
            429,
            detail,
            headers={"Retry-After": retry_after(wait)},
            instance=scope.get("path", ""),
        )(scope, receive, send)
