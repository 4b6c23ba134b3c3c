"""The ordered, named steps of the splitter over one per-call State.

Each step is a function `(state, tools) -> None` that reads what earlier
steps left on the state and adds its own part. `Tools` holds the immutable,
long-lived tables (registries, rules); the State lives for one call only.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Protocol

from app.splitter.attribution import InlineAttribution
from app.splitter.blocks.extract import extract_blocks
from app.splitter.blocks.page_meta import page_publisher
from app.splitter.citing import own_citations
from app.splitter.context import context_citations, context_topics
from app.splitter.furniture import FurnitureRules
from app.splitter.integrity import integrity_of
from app.splitter.language import detect_language, primary_language
from app.splitter.markers import cites_by_superscript, find_markers
from app.splitter.normalise import normalise
from app.splitter.references import find_references
from app.splitter.segment import Abbreviations, segment_block
from app.splitter.sources import SourceRegistry
from app.splitter.structure import structure
from app.splitter.text import Block, Marker, Sentence, cut_markers, fold
from app.splitter.types import (
    Actor,
    Citation,
    Format,
    Integrity,
    PageMeta,
    Reference,
    Span,
    SplitResult,
    Statement,
    Topic,
)

__all__ = ["STEPS", "ActorTagger", "State", "Tools", "TopicTagger", "run"]


class ActorTagger(Protocol):
    """What the pipeline needs from an actor registry."""

    def tag(self, sentences: Sequence[str]) -> list[tuple[Actor, ...]]:
        """One tuple of actors per sentence."""
        ...


class TopicTagger(Protocol):
    """What the pipeline needs from a topic taxonomy."""

    def tag(
        self, sentences: Sequence[str], sections: Sequence[str | None]
    ) -> list[tuple[Topic, ...]]:
        """One tuple of topics per sentence."""
        ...


@dataclass(frozen=True, slots=True)
class Tools:
    """Long-lived, immutable tables shared by every call."""

    registry: SourceRegistry
    rules: FurnitureRules
    abbreviations: Abbreviations
    attribution: InlineAttribution
    actors: ActorTagger
    topics: TopicTagger
    version: str


@dataclass(slots=True)
class State:
    """Everything one call accumulates, step by step."""

    text: str
    format: Format
    client_title: str | None
    client_language: str | None = None  # the client's BCP 47 tag, as given
    clean: str = ""
    blocks: list[Block] = field(default_factory=list)
    roles: list[str] = field(default_factory=list)
    texts: list[str] = field(default_factory=list)  # folded, marker-free block texts
    markers: list[list[Marker]] = field(default_factory=list)
    references: list[Reference] = field(default_factory=list)
    title: str | None = None
    sections: list[str | None] = field(default_factory=list)
    sentences: list[Sentence] = field(default_factory=list)
    citations: list[list[Citation]] = field(default_factory=list)
    actors: list[tuple[Actor, ...]] = field(default_factory=list)
    topics: list[tuple[Topic, ...]] = field(default_factory=list)
    topics_context: list[tuple[Topic, ...]] = field(default_factory=list)
    integrity: Integrity = field(default_factory=Integrity)
    language: str | None = None  # ISO 639 primary subtag, given or detected
    page: PageMeta | None = None  # a whole HTML page's own metadata


def step_normalise(state: State, tools: Tools) -> None:
    """Same-length working copy of the input."""
    state.clean = normalise(state.text)


def step_blocks(state: State, tools: Tools) -> None:
    """Blocks of extracted text per format, each with its offset map."""
    state.blocks, state.page = extract_blocks(state.clean, state.format)
    state.roles = ["body"] * len(state.blocks)


def step_references(state: State, tools: Tools) -> None:
    """The reference list and end matter, cut before segmentation."""
    state.references = find_references(
        state.blocks, state.roles, registry=tools.registry, rules=tools.rules
    )


def step_markers(state: State, tools: Tools) -> None:
    """Citation markers of every remaining block; marker-free folded block texts."""
    known = frozenset(r.label for r in state.references if r.label)
    body_blocks = [b for b, role in zip(state.blocks, state.roles, strict=True) if role == "body"]
    bare = [m for b in body_blocks for m in b.markers if m.style == "bare"]
    scheme = bool(known) and cites_by_superscript(
        [b.text for b in body_blocks], known_labels=known, bare=bare
    )
    state.markers = []
    state.texts = []
    for block, role in zip(state.blocks, state.roles, strict=True):
        markers = (
            find_markers(block, known_labels=known, superscript_scheme=scheme)
            if role == "body"
            else []
        )
        state.markers.append(markers)
        state.texts.append(fold(cut_markers(block.text, markers)) if markers else block.folded)


def step_structure(state: State, tools: Tools) -> None:
    """Title, headings, sections, furniture and duplicates."""
    state.title, state.sections = structure(
        state.blocks,
        state.texts,
        state.roles,
        format=state.format,
        client_title=state.client_title or _page_title(state),
        rules=tools.rules,
    )


def step_language(state: State, tools: Tools) -> None:
    """The article's language: the client's tag when it is one, else detected from the body."""
    state.language = primary_language(state.client_language)
    if state.language is None:
        body = [t for t, role in zip(state.texts, state.roles, strict=True) if role == "body"]
        state.language = detect_language(body)


def _page_title(state: State) -> str | None:
    """A whole page's own headline (JSON-LD, og:title) when no <h1> of its article gives one."""
    if state.page is None or any(b.kind == "heading" and b.level == 1 for b in state.blocks):
        return None
    return state.page.title


def step_segment(state: State, tools: Tools) -> None:
    """Sentences of the body blocks, each with the markers it holds."""
    for index, (block, role) in enumerate(zip(state.blocks, state.roles, strict=True)):
        if role != "body":
            continue
        markers = state.markers[index]
        first = 0  # markers and sentences are both in order: walk them together
        for start, end in segment_block(
            block.text, markers, abbreviations=tools.abbreviations, language=state.language
        ):
            while first < len(markers) and markers[first].start < start:
                first += 1
            last = first
            while last < len(markers) and markers[last].end <= end:
                last += 1
            inside = markers[first:last]
            first = last
            text = fold(cut_markers(block.text, inside, start, end))
            if text:
                state.sentences.append(Sentence(index, start, end, inside, text))


def step_citations(state: State, tools: Tools) -> None:
    """Cited (marker), inline and context sources of every sentence."""
    own = own_citations(state.sentences, state.references, state.texts, tools.attribution)
    state.citations = context_citations([s.block for s in state.sentences], own)


def step_tag(state: State, tools: Tools) -> None:
    """Actors and topics of the final statement texts; topics a paragraph adds as context."""
    texts = [s.text for s in state.sentences]
    sections = [state.sections[s.block] for s in state.sentences]
    state.actors = tools.actors.tag(texts)
    state.topics = tools.topics.tag(texts, sections)
    state.topics_context = context_topics([s.block for s in state.sentences], state.topics)


def step_integrity(state: State, tools: Tools) -> None:
    """Dangling markers, uncited references, duplicate labels, mixed marker styles."""
    state.integrity = integrity_of(state.references, state.markers)


STEPS: tuple[tuple[str, Callable[[State, Tools], None]], ...] = (
    ("normalise", step_normalise),
    ("blocks", step_blocks),
    ("references", step_references),
    ("markers", step_markers),
    ("structure", step_structure),
    ("language", step_language),
    ("segment", step_segment),
    ("citations", step_citations),
    ("tag", step_tag),
    ("integrity", step_integrity),
)


def run(state: State, tools: Tools) -> SplitResult:
    """Run every step in order and assemble the result."""
    for _name, step in STEPS:
        step(state, tools)
    statements = []
    for position, sentence in enumerate(state.sentences):
        block = state.blocks[sentence.block]
        span = Span(block.start_of(sentence.start), block.end_of(sentence.end))
        statements.append(
            Statement(
                position=position,
                text=sentence.text,
                section=state.sections[sentence.block],
                span=span,
                paragraph=sentence.block,
                citations=tuple(state.citations[position]),
                actors=state.actors[position],
                topics=state.topics[position],
                topics_context=state.topics_context[position],
            )
        )
    return SplitResult(
        title=state.title,
        references=tuple(state.references),
        statements=tuple(statements),
        integrity=state.integrity,
        splitter_version=tools.version,
        language=state.language,
        page=state.page,
        publisher=page_publisher(state.page, tools.registry),
    )
