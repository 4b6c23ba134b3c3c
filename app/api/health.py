"""Liveness and readiness probes."""

from __future__ import annotations

from fastapi import APIRouter, Request
from sqlalchemy.exc import SQLAlchemyError
from starlette.responses import Response

from app.api.deps import render
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
    responses={503: {"model": Health, "description": "Not ready."}},
    summary="Readiness",
)
def readyz(request: Request) -> Response:
    """The database is reachable and migrated to the revision this code expects."""
    try:
        revision = current_revision(request.app.state.engine)
    except SQLAlchemyError:
        return render({"status": "unavailable", "detail": "database unreachable"}, status_code=503)
    expected = request.app.state.head_revision
    if revision != expected:
        detail = f"database at revision {revision}, expected {expected}; run `claimsapi db upgrade`"
        return render({"status": "unavailable", "detail": detail}, status_code=503)
    return render({"status": "ok", "detail": None})
