"""Clients' additions to the actor registry: new actors and aliases."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from sqlalchemy.orm import Session

from app.errors import Conflict, NotFound
from app.repository.entities import actor_slug_by_name, entity_by_slug, save_actor
from app.schemas import ActorIn
from app.splitter.actors.text import slugify

__all__ = ["add_actor", "set_actor_aliases"]


def _clean(aliases: list[str], *, name: str) -> list[str]:
    seen: dict[str, str] = {}
    for alias in aliases:
        if alias.lower() != name.lower():
            seen.setdefault(alias.lower(), alias)
    return list(seen.values())


def add_actor(session: Session, *, actor: ActorIn) -> tuple[dict[str, Any], bool]:
    """Create the actor, or merge its aliases into the one with the same slug.

    Returns the stored actor and whether it was created.
    """
    slug = actor.slug or slugify(actor.name)
    if not slug:
        raise Conflict(f"Cannot derive a slug from the name '{actor.name}'; give one.")
    existing = entity_by_slug(session, kind="actor", slug=slug)
    if existing is None:
        holder = actor_slug_by_name(session, name=actor.name)
        if holder is not None:
            raise Conflict(f"The actor '{holder}' already has the name '{actor.name}'.")
        row = {
            "slug": slug,
            "name": actor.name,
            "type": actor.type,
            "aliases": _clean(actor.aliases, name=actor.name),
            "iso_code": actor.iso_code,
            "wikidata_id": actor.wikidata_id,
        }
    else:
        if existing["type"] != actor.type:
            raise Conflict(f"The actor '{slug}' is a {existing['type']}, not a {actor.type}.")
        row = {
            "slug": slug,
            "name": existing["name"],
            "type": existing["type"],
            "aliases": _clean([*existing["aliases"], *actor.aliases], name=existing["name"]),
            "iso_code": existing["iso_code"] or actor.iso_code,
            "wikidata_id": existing["wikidata_id"] or actor.wikidata_id,
        }
    save_actor(session, row={**row, "edited_at": datetime.now(UTC)})
    stored = entity_by_slug(session, kind="actor", slug=slug)
    assert stored is not None
    return stored, existing is None


def set_actor_aliases(session: Session, *, slug: str, aliases: list[str]) -> dict[str, Any]:
    """Replace an actor's aliases."""
    existing = entity_by_slug(session, kind="actor", slug=slug)
    if existing is None:
        raise NotFound(f"No actor has slug '{slug}'.")
    row = {key: existing[key] for key in ("slug", "name", "type", "iso_code", "wikidata_id")}
    row["aliases"] = _clean(aliases, name=existing["name"])
    save_actor(session, row={**row, "edited_at": datetime.now(UTC)})
    stored = entity_by_slug(session, kind="actor", slug=slug)
    assert stored is not None
    return stored
