"""The Splitter: built once with its registries, then split() per article."""

from __future__ import annotations

import functools

from app.splitter.actors.registry import ActorRegistry
from app.splitter.attribution import InlineAttribution
from app.splitter.furniture import FurnitureRules
from app.splitter.pipeline import ActorTagger, State, Tools, TopicTagger, run
from app.splitter.segment import Abbreviations
from app.splitter.sources import default_registry
from app.splitter.topics.taxonomy import TopicTaxonomy
from app.splitter.types import Format, SplitResult

__all__ = ["SPLITTER_VERSION", "Splitter", "default_splitter", "split"]

SPLITTER_VERSION = "1.4.0"


class Splitter:
    """Turns one article into statements with sources; immutable and reusable."""

    __slots__ = ("_tools",)

    def __init__(
        self, *, actors: ActorRegistry | None = None, topics: TopicTaxonomy | None = None
    ) -> None:
        actor_tagger: ActorTagger = actors if actors is not None else ActorRegistry.default()
        topic_tagger: TopicTagger = topics if topics is not None else TopicTaxonomy.default()
        registry = default_registry()
        self._tools = Tools(
            registry=registry,
            rules=FurnitureRules.default(),
            abbreviations=Abbreviations.default(),
            attribution=InlineAttribution.build(registry),
            actors=actor_tagger,
            topics=topic_tagger,
            version=SPLITTER_VERSION,
        )

    def split(
        self,
        text: str,
        *,
        format: Format = "text",
        title: str | None = None,
        language: str | None = None,
    ) -> SplitResult:
        """Split one article into its title, references and statements.

        `language` is a BCP 47 tag; without one (or with one that is not a tag) the
        language is detected. A wrong language splits less well, never fails.
        """
        state = State(text=text, format=format, client_title=title, client_language=language)
        return run(state, self._tools)


@functools.cache
def default_splitter() -> Splitter:
    """The process-wide splitter with the default registries."""
    return Splitter()


def split(
    text: str, *, format: Format = "text", title: str | None = None, language: str | None = None
) -> SplitResult:
    """Split with the default splitter."""
    return default_splitter().split(text, format=format, title=title, language=language)
