"""Keep the known sources, actors and topics addressable in the database."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from sqlalchemy.orm import Session

from app.repository.entities import ensure_entities, upsert_topics
from app.splitter.actors.registry import ActorEntry, ActorRegistry
from app.splitter.sources import known_sources
from app.splitter.topics.taxonomy import TopicTaxonomy
from app.splitter.types import Actor
from app.views import source_json

__all__ = ["actor_rows", "sync_registries", "topic_row"]


def _actor_row(slug: str, name: str, type_: str, entry: ActorEntry | None) -> dict[str, Any]:
    return {
        "slug": slug,
        "name": name,
        "type": type_,
        "aliases": list(entry.aliases) if entry else [],
        "iso_code": entry.iso_code if entry else None,
        "wikidata_id": entry.wikidata_id if entry else None,
    }


def actor_rows(registry: ActorRegistry, actors: Iterable[Actor]) -> list[dict[str, Any]]:
    """Actor table rows for tagged actors, with the registry's aliases and codes."""
    rows: dict[str, dict[str, Any]] = {}
    for actor in actors:
        if actor.slug not in rows:
            rows[actor.slug] = _actor_row(
                actor.slug, actor.name, actor.type, registry.get(actor.slug)
            )
    return list(rows.values())


def topic_row(
    slug: str, name: str, *, description: str = "", iptc_code: str | None = None
) -> dict[str, Any]:
    """A topic table row: from a taxonomy entry, or a topic a claim was tagged with."""
    return {"slug": slug, "name": name, "description": description, "iptc_code": iptc_code}


def sync_registries(session: Session, *, actors: ActorRegistry, topics: TopicTaxonomy) -> None:
    """Make every known source, actor and topic addressable by filters, even before use."""
    ensure_entities(
        session, kind="source", rows=[source_json(source) for source in known_sources()]
    )
    ensure_entities(
        session,
        kind="actor",
        rows=[_actor_row(e.slug, e.name, e.type, e) for e in actors.entries()],
    )
    # Topics follow the loaded taxonomy: names, descriptions and codes are updated.
    upsert_topics(
        session,
        topics=[
            topic_row(e.slug, e.name, description=e.description, iptc_code=e.iptc_code)
            for e in topics.entries()
        ],
    )
