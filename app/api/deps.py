"""Typed dependencies shared by the routers: sessions, the splitter, auth, paging, rendering."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Annotated, Any

import orjson
from fastapi import Depends, Query, Request, Security
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from sqlalchemy.engine import Engine
from sqlmodel import Session
from starlette.responses import Response

from app.db import session_scope
from app.errors import (
    PROBLEM_JSON,
)
from app.links import absolute
from app.reads import ReadRunner
from app.schemas import ArticleIn
from app.services.ingest.check import check_size
from app.services.split_guard import SplitGuard
from app.services.splitters import SplitterCache, SplitterSetup
from app.settings import Settings
from app.splitter.types import Format, SplitResult

__all__ = [
    "LOCATION_HEADER",
    "RETRY_AFTER_HEADER",
    "ArticleBody",
    "Cursor",
    "EngineDep",
    "GuardDep",
    "JSONResponse",
    "Limit",
    "ReadsDep",
    "SettingsDep",
    "SplitterDep",
    "WriteSessionDep",
    "client_gone",
    "guarded_split",
    "next_link",
    "problems",
    "render",
    "require_writer",
]


class JSONResponse(Response):
    """JSON rendered by orjson: datetimes as ISO 8601, no pydantic pass."""

    media_type = "application/json"

    def render(self, content: Any) -> bytes:
        """Serialise content."""
        return orjson.dumps(content)


def render(
    content: Any, *, status_code: int = 200, headers: dict[str, str] | None = None
) -> Response:
    """A JSON response for data already in the shape of its response model."""
    return JSONResponse(content, status_code=status_code, headers=headers)


# Dependencies that do no I/O are `async def`: FastAPI runs a plain `def`
# dependency in the thread pool, and each such hop costs more than the work.


async def _engine(request: Request) -> Engine:
    engine: Engine = request.app.state.engine
    return engine


async def _reads(request: Request) -> ReadRunner:
    reads: ReadRunner = request.app.state.reads
    return reads


def _write_session(request: Request) -> Iterator[Session]:
    with session_scope(request.app.state.engine, write=True) as session:
        yield session


EngineDep = Annotated[Engine, Depends(_engine)]

# Reads: `await reads(lambda session: ...)` runs the work where it is cheapest.
ReadsDep = Annotated[ReadRunner, Depends(_reads)]
# scope="function": the session commits before the response is sent, so a
# client never sees success for a commit that then failed.
WriteSessionDep = Annotated[Session, Depends(_write_session, scope="function")]


async def _settings(request: Request) -> Settings:
    settings: Settings = request.app.state.settings
    return settings


def _splitter(request: Request) -> SplitterSetup:
    # Checked on a connection of its own, before any write transaction begins.
    cache: SplitterCache = request.app.state.splitters
    return cache.current(request.app.state.engine)


SettingsDep = Annotated[Settings, Depends(_settings)]


async def _guard(request: Request) -> SplitGuard:
    guard: SplitGuard = request.app.state.split_guard
    return guard


GuardDep = Annotated[SplitGuard, Depends(_guard)]


async def client_gone(request: Request) -> None:
    """Return when the client disconnects (call it once the body has been read)."""
    while (await request.receive())["type"] != "http.disconnect":
        pass


SplitterDep = Annotated[SplitterSetup, Depends(_splitter)]


async def guarded_split(
    request: Request,
    guard: SplitGuard,
    splitter: SplitterSetup,
    settings: Settings,
    *,
    text: str,
    format: Format,
    title: str | None,
    language: str | None,
) -> SplitResult:
    """One article split under the guard: within its time budget, stopped if the client leaves."""
    return await guard.split(
        splitter.splitter,
        text=text,
        format=format,
        title=title,
        language=language,
        budget=settings.split_timeout,
        gone=lambda: client_gone(request),
    )


async def _sized_article(body: ArticleIn, settings: SettingsDep) -> ArticleIn:
    check_size(body.text, max_article_bytes=settings.max_article_bytes)
    return body


ArticleBody = Annotated[ArticleIn, Depends(_sized_article)]


# The one security scheme: `Authorization: Bearer <key>`. Not enforced by the scheme
# itself (auto_error=False): `app.write_gate.WriteGate` authenticates and rate-limits
# every write before its body is read, and answers this API's own 401 problem.
bearer = HTTPBearer(
    scheme_name="apiKey",
    description="An API key from CLAIMS_API_KEYS, sent as `Authorization: Bearer <key>`; "
    "required for writes when keys are configured.",
    auto_error=False,
)


async def require_writer(
    _credentials: Annotated[HTTPAuthorizationCredentials | None, Security(bearer)] = None,
) -> None:
    """Mark a route as a write, declaring the bearer scheme in the OpenAPI document;
    `app.write_gate.WriteGate` has authenticated and rate-limited it already."""


Limit = Annotated[int, Query(ge=1, le=200, description="Items per page (1-200).")]
Cursor = Annotated[
    str | None,
    Query(max_length=512, description="`next_cursor` of the previous page; omit for the first."),
]


def next_link(request: Request, cursor: str | None) -> dict[str, str]:
    """The Link header pointing at the next page, when there is one."""
    if cursor is None:
        return {}
    # From the public URL (or a path), never from the Host header.
    url = request.url.include_query_params(cursor=cursor)
    return {"Link": f'<{absolute(url.path + "?" + url.query)}>; rel="next"'}


def problems(*statuses: int) -> dict[int | str, dict[str, Any]]:
    """OpenAPI `responses` entries for the error statuses a route can answer.

    Every route may meet an unavailable database (503); every authenticated
    write may be rate limited (429).
    """
    every = {*statuses, 503} | ({429} if 401 in statuses else set())
    return {
        status: {
            "description": _WHY[status],
            "content": {PROBLEM_JSON: {"schema": {"$ref": "#/components/schemas/Problem"}}},
            **({"headers": RETRY_AFTER_HEADER} if status in (429, 503) else {}),
        }
        for status in sorted(every)
    }


def _header(description: str, **schema: Any) -> dict[str, Any]:
    return {"description": description, "schema": {"type": "string", **schema}}


LINK_HEADER = {"Link": _header('`<url>; rel="next"`: the next page, when there is one (RFC 8288).')}
ETAG_HEADER = {"ETag": _header("Weak validator of the body; send it back in If-None-Match.")}
LOCATION_HEADER = {"Location": _header("Where the resource is.")}
RETRY_AFTER_HEADER = {
    "Retry-After": {
        "description": "Seconds to wait before retrying.",
        "schema": {"type": "integer", "minimum": 0},
    }
}


_WHY = {
    400: "Malformed request: invalid JSON, or a cursor this service did not issue.",
    401: "A write without a valid API key.",
    404: "No such resource.",
    409: "The write conflicts with stored data.",
    413: "The body is larger than the configured limit, or splitting it took longer than "
    "CLAIMS_SPLIT_TIMEOUT (type split-too-costly).",
    415: "The body is not JSON.",
    422: "The request is well-formed but invalid.",
    429: "Too many writes (or failed authentications) from this client; see Retry-After.",
    503: "The database is unavailable, read-only or not migrated; see Retry-After.",
}
