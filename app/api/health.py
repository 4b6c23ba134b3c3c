"""Liveness and readiness probes."""

from __future__ import annotations

from fastapi import APIRouter, Request
from sqlalchemy.exc import SQLAlchemyError
from starlette.responses import Response

from app import repository
from app.api.deps import RETRY_AFTER_HEADER, render
from app.errors import RETRY_AFTER_SECONDS
from app.migrate import current_revision
from app.schemas import Health

router = APIRouter(tags=["health"])


@router.get("/healthz", response_model=Health, summary="Liveness")
def healthz() -> Response:
    """The process is up."""
    return render({"status": "ok", "detail": None})


@router.get(
    "/readyz",
    response_model=Health,
    responses={503: {"model": Health, "description": "Not ready.", "headers": RETRY_AFTER_HEADER}},
    summary="Readiness",
)
def readyz(request: Request) -> Response:
    """The database is reachable, migrated to the revision this code expects, and writable."""
    engine = request.app.state.engine
    try:
        revision = current_revision(engine)
        expected = request.app.state.head_revision
        if revision != expected:
            detail = (
                f"database at revision {revision}, expected {expected}; run `claimsapi db upgrade`"
            )
            return _unavailable(detail)
        if not repository.database_writable(engine):
            # Connections opened read-only stay so: reopen them on the next probe.
            engine.dispose()
            return _unavailable("database is read-only")
    except SQLAlchemyError:
        engine.dispose()  # reconnect afresh on the next probe or request
        return _unavailable("database unreachable")
    return render({"status": "ok", "detail": None})


def _unavailable(detail: str) -> Response:
    return render(
        {"status": "unavailable", "detail": detail},
        status_code=503,
        headers={"Retry-After": str(RETRY_AFTER_SECONDS)},
    )
