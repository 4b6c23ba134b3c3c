"""Optional NER backend: a spaCy model as an extra recogniser for ActorRegistry.

spaCy is not a dependency. A user who installs it and an English model can run

    registry = ActorRegistry.default().with_recognizers(SpacyRecognizer.load("en_core_web_sm"))

Registry aliases still win: a spaCy span that is an alias maps to its canonical actor;
other PERSON / ORG / GPE spans become new actors of the matching type.
"""

from __future__ import annotations

import importlib
from collections.abc import Iterable, Mapping
from typing import Any

from app.splitter.types import ActorType

__all__ = ["SPACY_LABELS", "SpacyRecognizer"]

# spaCy entity label -> actor type; other labels (NORP, LOC, DATE, ...) are ignored
SPACY_LABELS: Mapping[str, ActorType] = {
    "PERSON": "person",
    "ORG": "organization",
    "GPE": "country",
}


class SpacyRecognizer:
    """Wraps a loaded spaCy pipeline (anything with `nlp(text).ents`)."""

    __slots__ = ("_labels", "_nlp")

    def __init__(self, nlp: Any, *, labels: Mapping[str, ActorType] = SPACY_LABELS) -> None:
        """Use an already loaded pipeline (or any callable returning a doc with `.ents`)."""
        self._nlp = nlp
        self._labels = dict(labels)

    @classmethod
    def load(cls, model: str = "en_core_web_sm") -> SpacyRecognizer:
        """Load an installed spaCy model by name (never downloads); needs spaCy installed."""
        spacy = importlib.import_module("spacy")
        return cls(spacy.load(model, disable=["lemmatizer", "textcat"]))

    def find(self, text: str) -> Iterable[tuple[int, int, ActorType]]:
        """Entity spans of `text` with the actor type of their label."""
        for ent in self._nlp(text).ents:
            actor_type = self._labels.get(str(ent.label_))
            if actor_type is not None:
                yield int(ent.start_char), int(ent.end_char), actor_type
