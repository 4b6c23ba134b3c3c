"""The splitter a process uses: shipped registries, the topics file, clients' actor edits."""

from __future__ import annotations

import threading
from typing import NamedTuple

from sqlalchemy.engine import Engine
from sqlmodel import Session

from app.repository.entities import actor_edit_stamp, edited_actors
from app.settings import InvalidSettingsError, Settings
from app.splitter.actors.ner import SpacyRecognizer
from app.splitter.actors.registry import ActorEntry, ActorRegistry
from app.splitter.core import Splitter
from app.splitter.topics.taxonomy import TopicTaxonomy

__all__ = ["SplitterCache", "SplitterSetup", "splitter_for"]


class SplitterSetup(NamedTuple):
    """The splitter and the registries it tags with."""

    splitter: Splitter
    actors: ActorRegistry
    topics: TopicTaxonomy


def _topics(settings: Settings) -> TopicTaxonomy:
    if settings.topics_file is None:
        return TopicTaxonomy.default()
    return TopicTaxonomy.from_file(settings.topics_file, extend=settings.topics_mode == "extend")


def splitter_for(settings: Settings) -> SplitterSetup:
    """The splitter configured by settings, with the shipped actor registry."""
    actors = ActorRegistry.default()
    if settings.ner_model:
        try:
            recognizer = SpacyRecognizer.load(settings.ner_model)
        except (ImportError, OSError) as exc:
            raise InvalidSettingsError(
                f"invalid setting CLAIMS_NER_MODEL: cannot load spaCy model "
                f"'{settings.ner_model}' ({exc}); install the `ner` extra and the model"
            ) from None
        actors = actors.with_recognizers(recognizer)
    topics = _topics(settings)
    return SplitterSetup(Splitter(actors=actors, topics=topics), actors, topics)


def _with_edits(base: ActorRegistry, session: Session) -> ActorRegistry:
    edits = [
        ActorEntry(
            slug=row["slug"],
            name=row["name"],
            type=row["type"],
            aliases=tuple(row["aliases"] or ()),
            iso_code=row["iso_code"],
            wikidata_id=row["wikidata_id"],
        )
        for row in edited_actors(session)
    ]
    return base.replaced(edits) if edits else base


class SplitterCache:
    """Hands out the current splitter, rebuilding it only when clients edited actors.

    Every worker process checks a cheap stamp before it splits, so an alias added
    through one worker applies in all of them from the next article on.
    """

    def __init__(self, base: SplitterSetup) -> None:
        self._base = base
        self._lock = threading.Lock()
        self._stamp: tuple[int, str] | None = None
        self._current = base

    @property
    def base(self) -> SplitterSetup:
        """The setup without clients' edits."""
        return self._base

    def current(self, engine: Engine) -> SplitterSetup:
        """The splitter reflecting every actor edit committed so far."""
        with Session(engine) as session:
            stamp = actor_edit_stamp(session)
            if stamp == self._stamp:
                return self._current
            with self._lock:
                if stamp != self._stamp:
                    actors = _with_edits(self._base.actors, session)
                    splitter = Splitter(actors=actors, topics=self._base.topics)
                    self._current = SplitterSetup(splitter, actors, self._base.topics)
                    self._stamp = stamp
                return self._current
