"""Actors: who a statement is about, canonical, from a curated registry and rules.

One Aho-Corasick pass per article finds every alias, role word and reporting verb;
context rules (app/splitter/data/actors_rules.yaml) then decide whether a demonym or
a capital stands for its state, and which capitalised names are people not in the
registry. The registry is immutable and safe to share between threads.
"""

from __future__ import annotations

import functools
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from app.splitter.actors.data import (
    FormKind,
    Rules,
    Spec,
    load_rules,
    load_specs,
    office_bodies,
    office_holders,
    person_surnames,
    read_yaml,
)
from app.splitter.actors.index import Index, MatchKind, build_index
from app.splitter.actors.match import EntityRecognizer, tag_sentences
from app.splitter.actors.orgs import default_recognizer
from app.splitter.types import Actor, ActorType

__all__ = ["ActorEntry", "ActorRegistry", "EntityRecognizer"]


@dataclass(frozen=True, slots=True)
class ActorEntry:
    """One canonical actor and every name it goes by (demonyms and metonyms included)."""

    slug: str
    name: str
    type: ActorType
    aliases: tuple[str, ...] = ()
    iso_code: str | None = None
    wikidata_id: str | None = None


def _entry(spec: Spec) -> ActorEntry:
    aliases = tuple(dict.fromkeys(form for form, _ in spec.forms if form != spec.name))
    return ActorEntry(
        slug=spec.slug,
        name=spec.name,
        type=spec.type,
        aliases=aliases,
        iso_code=spec.iso_code,
        wikidata_id=spec.wikidata_id,
    )


def _alias_kind(entry: ActorEntry, alias: str) -> FormKind:
    if entry.type == "person" and " " not in alias.strip():
        return "surname"
    return "name"


class ActorRegistry:
    """The canonical actors and the tagger that finds them in sentences."""

    __slots__ = ("_entries", "_index", "_kinds", "_recognizers", "_rules")

    def __init__(
        self,
        entries: Iterable[ActorEntry],
        *,
        kinds: dict[tuple[str, str], FormKind] | None = None,
        rules: Rules | None = None,
        recognizers: Sequence[EntityRecognizer] = (),
    ) -> None:
        """Build a registry; `kinds` says how a (slug, alias) is used (default: as shipped,
        else a name, or a surname for a one-word alias of a person)."""
        self._entries: dict[str, ActorEntry] = {}
        for entry in entries:
            if entry.slug in self._entries:
                raise ValueError(f"duplicate actor slug {entry.slug!r}")
            self._entries[entry.slug] = entry
        # how each shipped alias is used, so a registry rebuilt from plain entries (a
        # database copy) still reads "Moscow" as a capital and "Russian" as a demonym
        self._kinds = dict(_shipped_kinds()) if kinds is None else dict(kinds)
        self._rules = rules if rules is not None else load_rules()
        self._recognizers = tuple(recognizers)
        self._index = self._build()

    def _build(self) -> Index:
        forms: list[tuple[str, str, MatchKind]] = []
        particles = self._rules.particles
        for entry in self._entries.values():
            forms.append((entry.name, entry.slug, "name"))
            for alias in entry.aliases:
                kind = self._kinds.get((entry.slug, alias)) or _alias_kind(entry, alias)
                forms.append((alias, entry.slug, kind))
            if entry.type == "person" and (entry.slug, entry.name) not in self._kinds:
                # added at run time: derive its surnames as the data loader does
                for full in (entry.name, *entry.aliases):
                    for surname in person_surnames(full, particles=particles):
                        forms.append((surname, entry.slug, "surname"))
        actors = {
            e.slug: Actor(slug=e.slug, name=e.name, type=e.type) for e in self._entries.values()
        }
        countries = {e.iso_code: e.slug for e in self._entries.values() if e.type == "country"}
        parents = {
            e.slug: countries[e.iso_code]
            for e in self._entries.values()
            if e.type != "country" and e.type != "person" and e.iso_code in countries
        }
        return build_index(
            forms,
            actors=actors,
            rules=self._rules,
            parents=parents,
            office_bodies=office_bodies(),
            office_holders=office_holders(),
        )

    @classmethod
    def default(cls) -> ActorRegistry:
        """The registry shipped in app/splitter/data (parsed once per process)."""
        return _default_registry()

    def extended(self, entries: Iterable[ActorEntry]) -> ActorRegistry:
        """A new registry with `entries` added, or their aliases merged into the same slug."""
        merged = dict(self._entries)
        for entry in entries:
            old = merged.get(entry.slug)
            if old is None:
                merged[entry.slug] = entry
                continue
            extra = tuple(a for a in entry.aliases if a not in old.aliases and a != old.name)
            merged[entry.slug] = ActorEntry(
                slug=old.slug,
                name=old.name,
                type=old.type,
                aliases=old.aliases + extra,
                iso_code=old.iso_code or entry.iso_code,
                wikidata_id=old.wikidata_id or entry.wikidata_id,
            )
        return ActorRegistry(
            merged.values(), kinds=self._kinds, rules=self._rules, recognizers=self._recognizers
        )

    def replaced(self, entries: Iterable[ActorEntry]) -> ActorRegistry:
        """A new registry where each entry replaces the one with its slug (or is added).

        Unlike `extended`, aliases missing from the new entry are dropped (an alias edit
        that removes one); aliases the shipped data knows keep their use (demonym, capital).
        """
        merged = dict(self._entries)
        for entry in entries:
            merged[entry.slug] = entry
        return ActorRegistry(
            merged.values(), kinds=self._kinds, rules=self._rules, recognizers=self._recognizers
        )

    def with_recognizers(self, *recognizers: EntityRecognizer) -> ActorRegistry:
        """A new registry that also runs these extra recognisers (e.g. spaCy NER)."""
        return ActorRegistry(
            self._entries.values(),
            kinds=self._kinds,
            rules=self._rules,
            recognizers=self._recognizers + recognizers,
        )

    def entries(self) -> tuple[ActorEntry, ...]:
        """Every entry, in registry order."""
        return tuple(self._entries.values())

    def get(self, slug: str) -> ActorEntry | None:
        """The entry with this slug, if any."""
        return self._entries.get(slug)

    def tag(self, sentences: Sequence[str]) -> list[tuple[Actor, ...]]:
        """The actors of each sentence of one article, in order of first mention."""
        return tag_sentences(self._index, self._rules, sentences, self._recognizers)


@functools.cache
def _shipped_kinds() -> dict[tuple[str, str], FormKind]:
    return {(spec.slug, form): kind for spec in load_specs() for form, kind in spec.forms}


@functools.cache
def _default_registry() -> ActorRegistry:
    heads = tuple(str(h) for h in read_yaml("actors_rules.yaml").get("organisation_heads", ()))
    registry = ActorRegistry(_entry(spec) for spec in load_specs())
    return registry.with_recognizers(default_recognizer(heads)) if heads else registry
