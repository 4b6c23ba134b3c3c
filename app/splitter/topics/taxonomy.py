"""Topics: what a statement is about, from a configurable weighted-pattern taxonomy.

The default taxonomy (app/splitter/data/topics.yaml) holds the 15 slugs of the
evaluation README. A file in the same format (YAML, TOML or JSON) may replace or
extend it. A sentence gets every topic whose evidence reaches the threshold; a
sentence with no topic of its own inherits the topics of its section heading.
"""

from __future__ import annotations

import functools
import json
import tomllib
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from importlib import resources
from pathlib import Path
from typing import Any, cast

import yaml

from app.splitter.topics.match import PatternMatcher
from app.splitter.types import Topic

__all__ = ["DEFAULT_THRESHOLD", "TopicEntry", "TopicTaxonomy"]

DEFAULT_THRESHOLD = 1.0


@dataclass(frozen=True, slots=True)
class TopicEntry:
    """One topic: its slug, description, optional IPTC code and weighted patterns."""

    slug: str
    name: str
    description: str
    iptc_code: str | None
    patterns: tuple[tuple[str, float], ...]


def _patterns(value: object) -> tuple[tuple[str, float], ...]:
    """Patterns as a mapping {pattern: weight} or a list of [pattern, weight] pairs."""
    if value is None:
        return ()
    if isinstance(value, Mapping):
        items: Iterable[Any] = value.items()
    else:
        items = cast(Iterable[Any], value)
    out: list[tuple[str, float]] = []
    for item in items:
        if isinstance(item, str):
            out.append((item, DEFAULT_THRESHOLD))
            continue
        pattern, weight = item
        out.append((str(pattern), float(weight)))
    return tuple(out)


def _entry(item: Mapping[str, Any]) -> TopicEntry:
    slug = str(item["slug"])
    iptc = item.get("iptc", item.get("iptc_code"))
    return TopicEntry(
        slug=slug,
        name=str(item.get("name") or slug.replace("-", " ").capitalize()),
        description=str(item.get("description") or ""),
        iptc_code=str(iptc) if iptc else None,
        patterns=_patterns(item.get("patterns")),
    )


def _parse(data: Any) -> tuple[tuple[TopicEntry, ...], float | None]:
    """(entries, threshold or None) from a parsed data file."""
    if isinstance(data, Mapping):
        threshold = data.get("threshold")
        items = data.get("topics") or ()
    else:
        threshold, items = None, data or ()
    entries = tuple(_entry(item) for item in cast(Iterable[Mapping[str, Any]], items))
    return entries, float(threshold) if threshold is not None else None


def _load(text: str, suffix: str) -> Any:
    if suffix == ".json":
        return json.loads(text)
    if suffix == ".toml":
        return tomllib.loads(text)
    return yaml.load(text, Loader=yaml.CSafeLoader)


@functools.cache
def _default_data() -> tuple[tuple[TopicEntry, ...], float | None]:
    resource = resources.files("app.splitter").joinpath("data", "topics.yaml")
    entries, threshold = _parse(_load(resource.read_text(encoding="utf-8"), ".yaml"))
    return _with_languages(entries), threshold


def _with_languages(entries: tuple[TopicEntry, ...]) -> tuple[TopicEntry, ...]:
    """The entries with their patterns in other languages (data/topics_languages.yaml)."""
    resource = resources.files("app.splitter").joinpath("data", "topics_languages.yaml")
    extra: Mapping[str, Mapping[str, Any]] = _load(resource.read_text(encoding="utf-8"), ".yaml")
    return tuple(
        replace(
            entry,
            patterns=entry.patterns
            + tuple(
                pattern
                for by_language in extra.get(entry.slug, {}).values()
                for pattern in _patterns(by_language)
            ),
        )
        for entry in entries
    )


class TopicTaxonomy:
    """The loaded topics and the tagger that finds them in sentences."""

    __slots__ = ("_entries", "_matcher", "_threshold", "_topics")

    def __init__(self, entries: Iterable[TopicEntry], *, threshold: float = DEFAULT_THRESHOLD):
        """Compile `entries`; a topic is given when its evidence reaches `threshold`."""
        self._entries: tuple[TopicEntry, ...] = tuple(entries)
        slugs = [e.slug for e in self._entries]
        if len(set(slugs)) != len(slugs):
            raise ValueError("duplicate topic slug")
        self._threshold = threshold
        self._topics = tuple(Topic(slug=e.slug, name=e.name) for e in self._entries)
        self._matcher = PatternMatcher([e.patterns for e in self._entries])

    @classmethod
    def default(cls) -> TopicTaxonomy:
        """The taxonomy shipped in app/splitter/data/topics.yaml (parsed once)."""
        return _default_taxonomy()

    @classmethod
    def from_file(cls, path: Path, *, extend: bool = False) -> TopicTaxonomy:
        """Load a YAML/TOML/JSON taxonomy; `extend` merges it over the default by slug."""
        path = Path(path)
        entries, threshold = _parse(_load(path.read_text(encoding="utf-8"), path.suffix.lower()))
        if not extend:
            return cls(entries, threshold=threshold if threshold is not None else DEFAULT_THRESHOLD)
        base = cls.default()
        merged = {e.slug: e for e in base.entries()}
        for entry in entries:
            merged[entry.slug] = entry
        return cls(
            merged.values(), threshold=threshold if threshold is not None else base.threshold
        )

    @property
    def threshold(self) -> float:
        """The evidence a topic needs."""
        return self._threshold

    def entries(self) -> tuple[TopicEntry, ...]:
        """Every topic, in taxonomy order."""
        return self._entries

    def scores(self, text: str) -> dict[str, float]:
        """The evidence for each topic with any in `text` (for explaining a tag)."""
        return {
            e.slug: round(score, 3)
            for e, score in zip(self._entries, self._matcher.scores(text), strict=True)
            if score
        }

    def topics_of(self, text: str) -> tuple[Topic, ...]:
        """The topics `text` itself has evidence for, in taxonomy order."""
        threshold = self._threshold
        return tuple(
            topic
            for topic, score in zip(self._topics, self._matcher.scores(text), strict=True)
            if score >= threshold
        )

    def tag(
        self, sentences: Sequence[str], sections: Sequence[str | None]
    ) -> list[tuple[Topic, ...]]:
        """Topics of each sentence; a neutral sentence inherits its section heading's topics."""
        headings: dict[str, tuple[Topic, ...]] = {}
        out: list[tuple[Topic, ...]] = []
        nothing: tuple[Topic, ...] | None = None  # the topics of a text without evidence
        threshold = self._threshold
        for position, scores in enumerate(self._matcher.scores_each(sentences)):
            if scores is not None:
                topics = tuple(
                    [
                        topic
                        for topic, score in zip(self._topics, scores, strict=True)
                        if score >= threshold
                    ]
                )
            else:
                if nothing is None:
                    nothing = self.topics_of("")
                topics = nothing
            section = sections[position] if position < len(sections) else None
            if not topics and section:
                inherited = headings.get(section)
                if inherited is None:
                    inherited = headings[section] = self.topics_of(section)
                topics = inherited
            out.append(topics)
        return out


@functools.cache
def _default_taxonomy() -> TopicTaxonomy:
    entries, threshold = _default_data()
    return TopicTaxonomy(
        entries, threshold=threshold if threshold is not None else DEFAULT_THRESHOLD
    )
