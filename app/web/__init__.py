"""The pages people read in a browser: the claim explorer, articles, entities, embeds.

Server-rendered from the same services and repository functions as the JSON API,
readable without JavaScript, and left out of the OpenAPI document.
"""

from pathlib import Path

from fastapi import APIRouter

from app.web import articles, claims, entities, explorer, split
from app.web.errors import error_page

__all__ = ["STATIC_DIR", "error_page", "router", "split"]

STATIC_DIR = Path(__file__).parent / "static"

router = APIRouter(include_in_schema=False)
for module in (explorer, articles, claims, entities, split):
    router.include_router(module.router)
