"""Liveness and readiness probes: answered whatever else the service is doing.

`/healthz` runs on the event loop and touches nothing. `/readyz` needs the
database, so it runs on threads of its own (`app.state.probe_limiter`): splits
and writes filling the shared thread pool never make a probe wait its turn.
"""

from __future__ import annotations

import logging

from anyio import to_thread
from fastapi import APIRouter, Request
from sqlalchemy.exc import SQLAlchemyError
from starlette.datastructures import State
from starlette.responses import Response

from app.api.deps import RETRY_AFTER_HEADER, render
from app.db import session_scope
from app.errors import RETRY_AFTER_SECONDS
from app.migrate import current_revision
from app.repository.health import database_writable, registries_present
from app.schemas import Health
from app.services.registries import sync_registries

router = APIRouter(tags=["health"])
log = logging.getLogger("claimsapi")


@router.get("/healthz", response_model=Health, summary="Liveness")
async def healthz() -> Response:
    """The process is up."""
    return render({"status": "ok", "detail": None})


@router.get(
    "/readyz",
    response_model=Health,
    responses={503: {"model": Health, "description": "Not ready.", "headers": RETRY_AFTER_HEADER}},
    summary="Readiness",
)
async def readyz(request: Request) -> Response:
    """The database is reachable, migrated to the revision this code expects, and writable."""
    state = request.app.state
    detail = await to_thread.run_sync(_not_ready, state, limiter=state.probe_limiter)
    if detail is None:
        return render({"status": "ok", "detail": None})
    return render(
        {"status": "unavailable", "detail": detail},
        status_code=503,
        headers={"Retry-After": str(RETRY_AFTER_SECONDS)},
    )


def _not_ready(state: State) -> str | None:
    engine = state.engine
    try:
        revision = current_revision(engine)
        expected = state.head_revision
        if revision != expected:
            return (
                f"database at revision {revision}, expected {expected}; run `claimsapi db upgrade`"
            )
        if not database_writable(engine):
            # Connections opened read-only stay so: reopen them on the next probe.
            engine.dispose()
            return "database is read-only"
        if not registries_present(engine):
            # The database was recreated and migrated under the running service:
            # make the known sources, actors and topics addressable again.
            setup = state.splitters.base
            with session_scope(engine, write=True) as session:
                sync_registries(session, actors=setup.actors, topics=setup.topics)
            log.warning("the database came back without registries: synced them again")
    except SQLAlchemyError:
        engine.dispose()  # reconnect afresh on the next probe or request
        return "database unreachable"
    return None
