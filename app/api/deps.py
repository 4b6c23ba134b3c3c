"""Typed dependencies shared by the routers: sessions, the splitter, auth, paging, rendering."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Annotated, Any

import orjson
from fastapi import Depends, Header, Query, Request
from sqlalchemy.engine import Engine
from sqlmodel import Session
from starlette.responses import Response

from app.db import session_scope
from app.errors import (
    PROBLEM_JSON,
    PayloadTooLarge,
    UnprocessableContent,
)
from app.reads import ReadRunner
from app.schemas import ArticleIn, Problem
from app.services import SplitGuard, SplitterCache, SplitterSetup
from app.settings import Settings

__all__ = [
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
    "next_link",
    "problems",
    "reject_unknown_params",
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


async def _sized_article(body: ArticleIn, settings: SettingsDep) -> ArticleIn:
    size = len(body.text.encode("utf-8", "surrogatepass"))
    if size > settings.max_article_bytes:
        raise PayloadTooLarge(
            f"The article text is {size} bytes; the limit is {settings.max_article_bytes}."
        )
    return body


ArticleBody = Annotated[ArticleIn, Depends(_sized_article)]


async def require_writer(
    authorization: Annotated[
        str | None,
        Header(description="`Bearer <key>`; required for writes when API keys are configured."),
    ] = None,
) -> None:
    """Mark a route as a write: `app.write_gate.WriteGate` authenticates and rate-limits
    it before its body is read (this declares the header in the OpenAPI document)."""


Limit = Annotated[int, Query(ge=1, le=200, description="Items per page (1-200).")]
Cursor = Annotated[
    str | None,
    Query(max_length=512, description="`next_cursor` of the previous page; omit for the first."),
]


def reject_unknown_params(request: Request, *, allowed: set[str]) -> None:
    """422 naming every query parameter the route does not take."""
    unknown = sorted(set(request.query_params) - allowed)
    if unknown:
        raise UnprocessableContent(
            f"Unknown query parameter(s): {', '.join(unknown)}.",
            errors=[
                {"loc": ["query", name], "type": "unknown_parameter", "msg": "Unknown parameter"}
                for name in unknown
            ],
        )


def next_link(request: Request, cursor: str | None) -> dict[str, str]:
    """The Link header pointing at the next page, when there is one."""
    if cursor is None:
        return {}
    url = request.url.include_query_params(cursor=cursor)
    return {"Link": f'<{url}>; rel="next"'}


def problems(*statuses: int) -> dict[int | str, dict[str, Any]]:
    """OpenAPI `responses` entries for the error statuses a route can answer.

    Every route may meet an unavailable database (503); every authenticated
    write may be rate limited (429).
    """
    every = {*statuses, 503} | ({429} if 401 in statuses else set())
    return {
        status: {"model": Problem, "content": {PROBLEM_JSON: {}}, "description": _WHY[status]}
        for status in sorted(every)
    }


_WHY = {
    400: "Malformed request: invalid JSON, or a cursor this service did not issue.",
    401: "A write without a valid API key.",
    404: "No such resource, or a filter value that matches nothing.",
    409: "The write conflicts with stored data.",
    413: "The body is larger than the configured limit, or splitting it took longer than "
    "CLAIMS_SPLIT_TIMEOUT (type split-too-costly).",
    415: "The body is not JSON.",
    422: "The request is well-formed but invalid.",
    429: "Too many writes (or failed authentications) from this client; see Retry-After.",
    503: "The database is unavailable, read-only or not migrated; see Retry-After.",
}
