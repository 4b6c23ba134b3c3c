"""create_app(): routers, middleware, error handlers and the lifespan. Nothing else."""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import FastAPI
from fastapi.middleware.gzip import GZipMiddleware
from fastapi.routing import APIRoute
from fastapi.staticfiles import StaticFiles
from starlette.routing import BaseRoute

from app import __version__, docs
from app.api import articles, changes, claims, entities, health, split
from app.api.deps import require_writer
from app.errors import install_error_handlers
from app.http_cache import HttpCache
from app.links import PublicLinks
from app.middleware import (
    JSON_OVERHEAD_FACTOR,
    BodyGuard,
    BodyRule,
    HeadAsGet,
    NulGuard,
    ProblemCORS,
)
from app.openapi import install_openapi
from app.ratelimit import Limiter, RateLimiter, RedisRateLimiter, parse_rate
from app.runtime import running
from app.settings import Settings, get_settings
from app.web import split as split_page
from app.web.errors import error_page
from app.web.routes import STATIC_DIR
from app.web.routes import router as pages_router
from app.write_gate import WriteGate

__all__ = ["create_app"]

log = logging.getLogger("claimsapi")

DESCRIPTION = """\
Turns news articles into source-attributed claims.

Post an article; the splitter cuts it into statements and links each to the
sources it cites (footnote markers pointing at a reference list, or inline
attribution such as "(Reuters)"). Read the claims back filtered by source,
actor, topic, article or publication date.

Every error is an RFC 9457 `application/problem+json` document. Lists are
keyset-paged: follow `next_cursor` (or the `Link: rel="next"` header). Writes
take an API key as `Authorization: Bearer <key>` when keys are configured.

Unknown query parameters are ignored; an unknown filter value matches nothing.
Request bodies are strict: an unknown field, or a value of another type than
the schema's, is a 422 naming it.
"""


TAGS = [
    {"name": "articles", "description": "Ingest, read and delete articles."},
    {"name": "claims", "description": "Read claims, filtered; export them."},
    {"name": "changes", "description": "Claim events in commit order."},
    {"name": "split", "description": "Run the splitter without storing."},
    {"name": "sources", "description": "Publishers that claims cite."},
    {"name": "actors", "description": "Who claims are about."},
    {"name": "topics", "description": "What claims are about."},
    {"name": "health", "description": "Probes for orchestrators."},
]


def _operation_id(route: APIRoute) -> str:
    # Stable, readable operation ids: the route function's name (`list_claims`).
    return route.name


def _configure_logging(level: str) -> None:
    log.setLevel(level)
    if not log.handlers and not logging.getLogger().handlers:
        handler = logging.StreamHandler()
        handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
        log.addHandler(handler)


def create_app(settings: Settings | None = None) -> FastAPI:
    """Build the ASGI application for the given (or the environment's) settings."""
    settings = settings or get_settings()
    _configure_logging(settings.log_level)

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        async with running(app, settings):
            yield

    app = FastAPI(
        title="claimsapi",
        version=__version__,
        lifespan=lifespan,
        generate_unique_id_function=_operation_id,
        # Served by app.docs from installed files, not from a CDN.
        docs_url=None,
        redoc_url=None,
    )
    install_openapi(app, tags=TAGS, description=DESCRIPTION)
    install_error_handlers(app, pages=error_page)
    routers = (
        articles.router,
        claims.router,
        changes.router,
        split.router,
        entities.router,
        health.router,
        docs.router,
        pages_router,
    )
    for router in routers:
        app.include_router(router)
    app.state.api_routes = [route for router in routers for route in router.routes]
    app.mount("/static", StaticFiles(directory=STATIC_DIR), name="static")
    app.mount(docs.ASSETS_PATH, docs.assets(), name="docs-assets")
    # Added innermost first: BodyGuard sees requests last, HttpCache hashes bodies
    # before GZip compresses them, CORS answers preflights before anything else.
    app.add_middleware(
        BodyGuard,
        max_body_bytes=settings.max_article_bytes * JSON_OVERHEAD_FACTOR + 64 * 1024,
        routes={
            articles.BATCH_PATH: BodyRule(
                max_body_bytes=settings.max_batch_bytes,
                media_types=frozenset({articles.NDJSON}),
            ),
            # The paste box's form: its text percent-encoded takes up to 3 bytes a byte.
            split_page.PATH: BodyRule(
                max_body_bytes=settings.max_article_bytes * 3 + 64 * 1024,
                media_types=frozenset({split_page.FORM}),
            ),
        },
    )
    write_limiter = _limiter(settings, settings.write_rate_limit, "writes")
    failure_limiter = _limiter(settings, settings.auth_failure_rate_limit, "auth-failures")
    app.state.limiters = [lim for lim in (write_limiter, failure_limiter) if lim is not None]
    app.add_middleware(
        WriteGate,
        routes=[route for router in routers for route in _write_routes(router.routes)],
        api_keys=settings.api_keys,
        writes=write_limiter,
        failures=failure_limiter,
        write_rate=settings.write_rate_limit,
        failure_rate=settings.auth_failure_rate_limit,
    )
    app.add_middleware(NulGuard)
    app.add_middleware(HttpCache)
    app.add_middleware(GZipMiddleware, minimum_size=1024, compresslevel=6)
    # HEAD becomes GET before the middleware that sets headers, so both answers carry the same.
    app.add_middleware(HeadAsGet)
    if settings.cors_origins:
        app.add_middleware(
            ProblemCORS,
            allow_origins=list(settings.cors_origins),
            allow_methods=["GET", "POST", "PATCH", "DELETE", "OPTIONS"],
            allow_headers=["Authorization", "Content-Type", "If-None-Match"],
            # What a script needs to page (Link), cache (ETag), back off (Retry-After).
            expose_headers=["Link", "Location", "ETag", "Retry-After", "Content-Disposition"],
        )
    # Outermost: every link and redirect below is built on the public URL.
    app.add_middleware(PublicLinks, public_url=settings.public_url)
    app.state.settings = settings
    return app


def _write_routes(routes: list[BaseRoute]) -> list[BaseRoute]:
    return [
        route
        for route in routes
        if isinstance(route, APIRoute)
        and any(dep.dependency is require_writer for dep in route.dependencies)
    ]


def _limiter(settings: Settings, rate_setting: str, name: str) -> Limiter | None:
    rate, period = parse_rate(rate_setting)
    if not rate:
        return None
    if settings.redis_url:
        return RedisRateLimiter(
            url=settings.redis_url, rate=rate, period=period, prefix=f"claimsapi:{name}:"
        )
    return RateLimiter(rate=rate, period=period)
