"""Read filters as data: each query parameter, what it names, and how values resolve."""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Literal

from sqlalchemy.orm import Session

from app.repository.driver import driver_rows

__all__ = [
    "CITATION_KINDS",
    "DEFAULT_KINDS",
    "ENTITY_FILTERS",
    "ClaimFilter",
    "EntityFilter",
    "Order",
    "ResolvedFilter",
    "fold",
    "like_escape",
    "resolve_article_urls",
    "resolve_entities",
    "search_text",
]

Order = Literal["reading", "published", "-published", "relevance"]
CITATION_KINDS = ("cited", "inline", "context")
# `source` matches what a sentence itself cites unless `kind` says otherwise.
DEFAULT_KINDS = ("cited", "inline")


@dataclass(frozen=True, slots=True)
class EntityFilter:
    """A repeatable filter on an entity linked to claims (values OR, filters AND)."""

    param: str  # query parameter name
    entity_table: str  # where slugs, names and aliases live
    link_table: str  # claim <-> entity
    link_column: str  # the entity's id in link_table
    by_kind: bool = False  # link rows carry a citation kind that `kind=` selects
    has_aliases: bool = True  # entity_table has a JSON `aliases` column


ENTITY_FILTERS: tuple[EntityFilter, ...] = (
    EntityFilter("source", "source", "claim_citation", "source_id", by_kind=True),
    EntityFilter("actor", "actor", "claim_actor", "actor_id"),
    EntityFilter("topic", "topic", "claim_topic", "topic_id", has_aliases=False),
)


@dataclass(frozen=True, slots=True)
class ClaimFilter:
    """Claim filters as the client gave them: slugs or names, `-` for negation."""

    source: tuple[str, ...] = ()
    actor: tuple[str, ...] = ()
    topic: tuple[str, ...] = ()
    kind: tuple[str, ...] = DEFAULT_KINDS
    has_source: bool | None = None
    section: tuple[str, ...] = ()
    article: tuple[int, ...] = ()
    article_url: tuple[str, ...] = ()
    since: datetime | None = None
    until: datetime | None = None
    language: tuple[str, ...] = ()
    q: str | None = None
    order: Order = "reading"

    def query_params(self) -> dict[str, list[str]]:
        """The filter as query parameters, for cursors: same params, same cursor."""
        params: dict[str, list[str]] = {
            spec.param: list(getattr(self, spec.param)) for spec in ENTITY_FILTERS
        }
        params["kind"] = list(self.kind)
        params["has_source"] = [] if self.has_source is None else [str(self.has_source)]
        params["section"] = list(self.section)
        params["article"] = [str(a) for a in self.article]
        params["article_url"] = list(self.article_url)
        params["since"] = [self.since.isoformat()] if self.since else []
        params["until"] = [self.until.isoformat()] if self.until else []
        params["language"] = list(self.language)
        params["q"] = [self.q] if self.q else []
        params["order"] = [self.order]
        return {key: values for key, values in params.items() if values}


# Ids start at 1: a filter on this id alone matches nothing, through the same SQL.
NO_ROW = 0


@dataclass(frozen=True, slots=True)
class ResolvedFilter:
    """One entity filter with its values turned into ids, split by sign."""

    spec: EntityFilter
    ids: tuple[int, ...]
    negated: tuple[int, ...] = ()


def like_escape(value: str) -> str:
    """Escape LIKE wildcards (with ESCAPE '\\') so the value matches literally."""
    return value.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


# Separates the names in `search_text`: no name or alias holds one.
SEPARATOR = "\x1f"


def fold(value: str) -> str:
    """A name as matching sees it: NFC, Unicode case folding, outer spaces gone."""
    return unicodedata.normalize("NFC", value).strip().casefold()


def search_text(name: str, aliases: Iterable[str]) -> str:
    """The `search_text` column of a source or actor: every name folded, each fenced."""
    names = dict.fromkeys(fold(n) for n in (name, *aliases) if n.strip())
    return SEPARATOR + SEPARATOR.join(names) + SEPARATOR


def _resolve_one(session: Session, spec: EntityFilter, value: str) -> list[int]:
    key = value.strip().lower()
    table = spec.entity_table
    # The slug first: its unique index answers the usual case without a scan.
    found = driver_rows(session, f"SELECT id FROM {table} WHERE slug = ?", (key,))
    if not found and spec.has_aliases:
        # The name or an alias, exactly, in any case (Unicode folding on both backends:
        # folded in Python when the row is written, and here).
        folded = fold(value)
        if folded:
            pattern = f"%{SEPARATOR}{like_escape(folded)}{SEPARATOR}%"
            found = driver_rows(
                session, f"SELECT id FROM {table} WHERE search_text LIKE ? ESCAPE '\\'", (pattern,)
            )
    elif not found:
        found = driver_rows(session, f"SELECT id FROM {table} WHERE lower(name) = ?", (key,))
    return [row[0] for row in found]


def resolve_entities(
    session: Session, *, spec: EntityFilter, values: Sequence[str]
) -> ResolvedFilter:
    """Turn slugs, names or aliases (any case, `-` to exclude) into ids.

    An unknown value matches nothing, as GitHub's and Datasette's filters do: among
    known values of an OR list it adds nothing, alone it leaves the page empty, and
    excluded it excludes nothing. A typo in a search box is not an error.
    """
    wanted: list[int] = []
    excluded: list[int] = []
    asked = False
    for value in values:
        if value.startswith("-") and len(value) > 1:
            excluded.extend(_resolve_one(session, spec, value[1:]))
        else:
            asked = True
            wanted.extend(_resolve_one(session, spec, value))
    if asked and not wanted:
        wanted = [NO_ROW]
    return ResolvedFilter(spec, tuple(dict.fromkeys(wanted)), tuple(dict.fromkeys(excluded)))


def resolve_article_urls(session: Session, *, urls: Sequence[str]) -> list[int]:
    """The ids of the articles published at these URLs (an unknown URL matches nothing)."""
    ids: list[int] = []
    for url in urls:
        found = driver_rows(session, "SELECT id FROM article WHERE url = ?", (url,))
        ids.extend(row[0] for row in found)
    return ids or [NO_ROW]
