"""The kinds of entity linked to claims (source, actor, topic), declared once.

Filters, facets, counters, link writes and entity lookups all read this table:
a new kind of entity is one row here (and its tables in models.py).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, cast

from sqlalchemy import Table

from app import models

__all__ = [
    "CITATION_KINDS",
    "DEFAULT_KINDS",
    "KINDS",
    "EntityKind",
    "kind_of_link",
]

# How a claim links to a source, strongest first: a marker of its own, an inline
# mention, or context inherited from its paragraph.
CITATION_KINDS = ("cited", "inline", "context")
# What a claim itself cites: what `source=` matches unless `kind=` says otherwise,
# and what a source's claim_count counts.
DEFAULT_KINDS = ("cited", "inline")


def _table(model: Any) -> Table:
    return cast(Table, model.__table__)


@dataclass(frozen=True, slots=True)
class EntityKind:
    """How one kind of entity is stored, linked to claims and shown."""

    name: str  # the filter, facet and path name: source, actor, topic
    table: Table  # slugs, names (and aliases), claim_count
    link: Table  # claim <-> entity, one row per pair
    link_column: str  # the entity's id in `link`
    columns: tuple[str, ...]  # what the API shows of an entity
    # Link rows carry a citation kind: `kind=` selects among them, and only these count.
    counted_kinds: tuple[str, ...] | None = None

    @property
    def entity_table(self) -> str:
        """The entity table's name."""
        return self.table.name

    @property
    def link_table(self) -> str:
        """The link table's name."""
        return self.link.name

    @property
    def by_kind(self) -> bool:
        """True when link rows carry a citation kind."""
        return self.counted_kinds is not None

    @property
    def has_aliases(self) -> bool:
        """True when names and aliases are searchable (a folded `search_text` column)."""
        return "search_text" in self.table.c

    def counted(self, alias: str) -> str:
        """The condition on link rows (as `alias`) that claim_count counts; '' for all."""
        if self.counted_kinds is None:
            return ""
        kinds = ", ".join(f"'{kind}'" for kind in self.counted_kinds)
        return f"{alias}.kind IN ({kinds})"

    def counts(self, row: Mapping[str, Any]) -> bool:
        """True when claim_count counts this link row."""
        return self.counted_kinds is None or row["kind"] in self.counted_kinds


KINDS: Mapping[str, EntityKind] = {
    kind.name: kind
    for kind in (
        EntityKind(
            "source",
            _table(models.Source),
            _table(models.ClaimCitation),
            "source_id",
            ("slug", "name", "aliases", "domains", "claim_count"),
            counted_kinds=DEFAULT_KINDS,
        ),
        EntityKind(
            "actor",
            _table(models.Actor),
            _table(models.ClaimActor),
            "actor_id",
            ("slug", "name", "type", "aliases", "iso_code", "wikidata_id", "claim_count"),
        ),
        EntityKind(
            "topic",
            _table(models.Topic),
            _table(models.ClaimTopic),
            "topic_id",
            ("slug", "name", "description", "iptc_code", "claim_count"),
        ),
    )
}
_BY_LINK = {kind.link_table: kind for kind in KINDS.values()}


def kind_of_link(link_table: str) -> EntityKind:
    """The entity kind a link table links."""
    return _BY_LINK[link_table]
