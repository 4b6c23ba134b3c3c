"""Every page's route under one router, and the static files they link to."""

from pathlib import Path

from fastapi import APIRouter

from app.web import articles, claims, entities, explorer, split

__all__ = ["STATIC_DIR", "router"]

STATIC_DIR = Path(__file__).parent / "static"

router = APIRouter(include_in_schema=False)
for module in (explorer, articles, claims, entities, split):
    router.include_router(module.router)
