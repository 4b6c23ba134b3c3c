"""One error hierarchy, rendered as one RFC 9457 problem+json shape for every failure."""

from __future__ import annotations

import logging
import sqlite3
from collections.abc import Callable, Mapping, Sequence
from http import HTTPStatus
from typing import Any

import orjson
import psycopg
from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from sqlalchemy.exc import (
    DBAPIError,
    IntegrityError,
    InterfaceError,
    InternalError,
    OperationalError,
    ProgrammingError,
)
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.responses import Response
from starlette.routing import Match

from app.http_cache import ERROR_CACHE_CONTROL, JSON_CSP, SECURITY_HEADERS

__all__ = [
    "PROBLEM_JSON",
    "AppError",
    "BadRequest",
    "ClientGone",
    "Conflict",
    "FormatNotImplemented",
    "MethodNotAllowed",
    "NotFound",
    "PayloadTooLarge",
    "ServiceUnavailable",
    "TooManyRequests",
    "Unauthorized",
    "UnprocessableContent",
    "UnsupportedMediaType",
    "database_unavailable",
    "install_error_handlers",
    "problem_body",
    "problem_response",
    "validation_issues",
]

PROBLEM_JSON = "application/problem+json"
RETRY_AFTER_SECONDS = 5
PROBLEM_TYPE_BASE = "https://claimsapi.dev/problems/"

log = logging.getLogger("claimsapi")


class ClientGone(Exception):
    """The client disconnected while its request was being worked on; the work was stopped."""


class AppError(Exception):
    """A failure the client can act on; subclasses fix the status and problem type."""

    status: int = 500
    slug: str = "internal-error"

    def __init__(
        self,
        detail: str,
        *,
        errors: list[dict[str, Any]] | None = None,
        headers: dict[str, str] | None = None,
    ) -> None:
        super().__init__(detail)
        self.detail = detail
        self.errors = errors
        self.headers = headers or {}


class BadRequest(AppError):
    status, slug = 400, "bad-request"


class Unauthorized(AppError):
    status, slug = 401, "unauthorized"


class NotFound(AppError):
    status, slug = 404, "not-found"


class MethodNotAllowed(AppError):
    status, slug = 405, "method-not-allowed"


class Conflict(AppError):
    status, slug = 409, "conflict"


class PayloadTooLarge(AppError):
    status, slug = 413, "payload-too-large"


class UnsupportedMediaType(AppError):
    status, slug = 415, "unsupported-media-type"


class UnprocessableContent(AppError):
    status, slug = 422, "validation-error"


class TooManyRequests(AppError):
    status, slug = 429, "too-many-requests"


class FormatNotImplemented(AppError):
    status, slug = 501, "not-implemented"


class ServiceUnavailable(AppError):
    status, slug = 503, "service-unavailable"


_SLUG_BY_STATUS = {
    cls.status: cls.slug
    for cls in (
        BadRequest,
        Unauthorized,
        NotFound,
        MethodNotAllowed,
        Conflict,
        PayloadTooLarge,
        UnsupportedMediaType,
        UnprocessableContent,
        TooManyRequests,
        FormatNotImplemented,
        ServiceUnavailable,
    )
}


def problem_body(
    status: int,
    detail: str,
    *,
    slug: str | None = None,
    errors: list[dict[str, Any]] | None = None,
    instance: str | None = None,
) -> dict[str, Any]:
    """One problem document as a dict, for responses and for per-item results."""
    body: dict[str, Any] = {
        "type": PROBLEM_TYPE_BASE + (slug or _SLUG_BY_STATUS.get(status, "error")),
        "title": HTTPStatus(status).phrase,
        "status": status,
        "detail": detail,
    }
    if instance:
        body["instance"] = instance
    if errors is not None:
        body["errors"] = errors
    return body


def problem_response(
    status: int,
    detail: str,
    *,
    slug: str | None = None,
    errors: list[dict[str, Any]] | None = None,
    headers: Mapping[str, str] | None = None,
    instance: str | None = None,
) -> Response:
    """Render one problem+json response."""
    body = problem_body(status, detail, slug=slug, errors=errors, instance=instance)
    return Response(orjson.dumps(body), status, headers=headers, media_type=PROBLEM_JSON)


def validation_issues(
    errors: Sequence[Mapping[str, Any]], *, prefix: Sequence[str] = ()
) -> list[dict[str, Any]]:
    """pydantic errors as the problem's `errors`: where, what, why, never the input."""
    # The raw input is left out so a rejected 2 MiB body is not echoed back.
    return [
        {
            "loc": [*prefix, *(str(part) for part in err.get("loc", ()))],
            "type": err.get("type"),
            "msg": err.get("msg"),
        }
        for err in errors
    ]


UNAVAILABLE = "The database is unavailable; retry shortly."
NOT_MIGRATED = (
    "The database has no schema yet (or an older one): run `claimsapi db upgrade`; retry then."
)
_MISSING_SCHEMA = ("no such table", "no such column")


def _driver_error(exc: BaseException) -> BaseException:
    return exc.orig if isinstance(exc, DBAPIError) and exc.orig is not None else exc


def database_unavailable(exc: BaseException) -> str | None:
    """The 503 detail when exc means the database is away, read-only or not migrated; else None."""
    error = _driver_error(exc)
    if isinstance(error, psycopg.errors.UndefinedTable | psycopg.errors.UndefinedColumn):
        return NOT_MIGRATED
    if isinstance(error, psycopg.errors.ReadOnlySqlTransaction):  # a standby
        return UNAVAILABLE
    if isinstance(error, sqlite3.OperationalError):
        message = str(error).lower()
        return NOT_MIGRATED if message.startswith(_MISSING_SCHEMA) else UNAVAILABLE
    if isinstance(error, psycopg.OperationalError | psycopg.InterfaceError):
        return UNAVAILABLE
    if isinstance(exc, OperationalError | InterfaceError):
        return UNAVAILABLE
    return None


def _validation_errors(exc: RequestValidationError) -> list[dict[str, Any]]:
    return validation_issues(exc.errors())


def _first_issue(errors: list[dict[str, Any]]) -> str:
    if not errors:
        return "The request is not valid."
    first = errors[0]
    return f"{' '.join(str(part) for part in first['loc'][1:]) or 'request'}: {first['msg']}"


def _allowed_methods(request: Request) -> list[str]:
    # The routers' own routes (the app's are wrappers that match nothing by method).
    routes = getattr(request.app.state, "api_routes", None) or request.app.router.routes
    methods: set[str] = set()
    for route in routes:
        match, _ = route.matches({**request.scope, "method": "__none__"})
        if match != Match.NONE:
            methods.update(getattr(route, "methods", None) or ())
    if "GET" in methods:
        methods.add("HEAD")  # answered by HeadAsGet
    return sorted(methods)


# Renders an error as an HTML page when the request is for one; None: it is not.
PageErrors = Callable[[Request, int, str, Mapping[str, str]], Response | None]


def install_error_handlers(app: FastAPI, *, pages: PageErrors | None = None) -> None:
    """Route every exception through problem_response (or, for a page, `pages`)."""

    def page(
        request: Request, status: int, detail: str, headers: Mapping[str, str]
    ) -> Response | None:
        return None if pages is None else pages(request, status, detail, headers)

    @app.exception_handler(AppError)
    async def _app_error(request: Request, exc: AppError) -> Response:
        if shown := page(request, exc.status, exc.detail, exc.headers):
            return shown
        return problem_response(
            exc.status,
            exc.detail,
            slug=exc.slug,
            errors=exc.errors,
            headers=exc.headers,
            instance=request.url.path,
        )

    @app.exception_handler(RequestValidationError)
    async def _invalid(request: Request, exc: RequestValidationError) -> Response:
        errors = _validation_errors(exc)
        if shown := page(request, 422, _first_issue(errors), {}):
            return shown
        if any(err["type"] == "json_invalid" for err in errors):
            return problem_response(
                400, "The request body is not valid JSON.", errors=errors, instance=request.url.path
            )
        return problem_response(
            422, "The request is not valid.", errors=errors, instance=request.url.path
        )

    @app.exception_handler(StarletteHTTPException)
    async def _http(request: Request, exc: StarletteHTTPException) -> Response:
        detail = exc.detail if isinstance(exc.detail, str) else HTTPStatus(exc.status_code).phrase
        headers = dict(exc.headers or {})
        if exc.status_code == 405:
            # Starlette names only the first route that matched the path; a path
            # served by several routes (GET and PATCH) allows all their methods.
            headers["Allow"] = ", ".join(_allowed_methods(request))
        if shown := page(request, exc.status_code, detail, headers):
            return shown
        return problem_response(exc.status_code, detail, headers=headers, instance=request.url.path)

    @app.exception_handler(ClientGone)
    async def _gone(request: Request, exc: ClientGone) -> Response:
        # Nobody reads this answer; uvicorn drops it. Logged as what happened.
        log.info("client left %s %s; its work was stopped", request.method, request.url.path)
        return problem_response(
            503, "The client disconnected before the answer.", instance=request.url.path
        )

    @app.exception_handler(IntegrityError)
    async def _conflict(request: Request, exc: IntegrityError) -> Response:
        log.warning("write conflict on %s: %s", request.url.path, exc.orig)
        return problem_response(
            409,
            "The write conflicts with data stored meanwhile; retry it.",
            instance=request.url.path,
        )

    # The driver's own errors too: reads on the driver's cursor (app/repository/driver.py)
    # raise them unwrapped by SQLAlchemy.
    @app.exception_handler(OperationalError)
    @app.exception_handler(InterfaceError)
    @app.exception_handler(ProgrammingError)
    @app.exception_handler(sqlite3.OperationalError)
    @app.exception_handler(psycopg.OperationalError)
    @app.exception_handler(psycopg.InterfaceError)
    @app.exception_handler(psycopg.errors.UndefinedTable)
    @app.exception_handler(psycopg.errors.ReadOnlySqlTransaction)
    @app.exception_handler(InternalError)
    async def _database_down(request: Request, exc: Exception) -> Response:
        reason = database_unavailable(exc)
        if reason is None:  # a programming error of ours, not an outage
            return await _unexpected(request, exc)
        log.warning("database unavailable on %s: %s", request.url.path, _driver_error(exc))
        # Drop pooled connections: the next request connects afresh, so the
        # service recovers by itself once the database is back (or writable).
        engine = getattr(request.app.state, "engine", None)
        if engine is not None:
            engine.dispose()
        return problem_response(
            503,
            reason,
            instance=request.url.path,
            headers={"Retry-After": str(RETRY_AFTER_SECONDS)},
        )

    @app.exception_handler(Exception)
    async def _unexpected(request: Request, exc: Exception) -> Response:
        log.exception("unhandled error on %s %s", request.method, request.url.path)
        # Rendered outside every other middleware (Starlette's ServerErrorMiddleware),
        # so it brings the headers HttpCache gives every other response.
        return problem_response(
            500,
            "The server failed to handle this request.",
            instance=request.url.path,
            headers={
                **dict(SECURITY_HEADERS),
                "Content-Security-Policy": JSON_CSP,
                "Cache-Control": ERROR_CACHE_CONTROL,
            },
        )
