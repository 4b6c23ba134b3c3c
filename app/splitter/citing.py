"""What each sentence cites itself: the references its markers point at, then the
publishers it names as its source ("(Reuters)", "according to AP")."""

from __future__ import annotations

from collections.abc import Sequence

from app.splitter.attribution import InlineAttribution
from app.splitter.text import Sentence
from app.splitter.types import Citation, Reference


def own_citations(
    sentences: Sequence[Sentence],
    references: Sequence[Reference],
    paragraphs: Sequence[str],
    attribution: InlineAttribution,
) -> list[list[Citation]]:
    """One list per sentence, each publisher once: cited by marker first, then inline.

    `paragraphs` are the folded texts of the blocks, indexed like `Sentence.block`.
    """
    by_label = _publishers_by_label(references)
    own: list[list[Citation]] = []
    attributable: dict[int, bool] = {}  # a paragraph naming no publisher is not searched again
    for sentence in sentences:
        citations: list[Citation] = []
        seen: set[str] = set()
        for marker in sentence.markers:
            for label in marker.labels:
                for reference in by_label.get(label, ()):
                    source = reference.source
                    if source is not None and source.slug not in seen:
                        seen.add(source.slug)
                        citations.append(Citation(source, "cited", label))
        if sentence.block not in attributable:
            attributable[sentence.block] = attribution.possible(paragraphs[sentence.block])
        for source in attribution.find(sentence.text) if attributable[sentence.block] else ():
            if source.slug not in seen:
                seen.add(source.slug)
                citations.append(Citation(source, "inline", None))
        own.append(citations)
    return own


def _publishers_by_label(references: Sequence[Reference]) -> dict[str, list[Reference]]:
    """The references a label stands for.

    One entry may name two publishers ("Reuters and AP"), given as two references with
    one label and one span; a label that another entry repeats is not followed there.
    """
    by_label: dict[str, list[Reference]] = {}
    for entry in references:
        if not entry.label:
            continue
        same = by_label.setdefault(entry.label, [entry])
        if same[0] is not entry and same[0].span == entry.span:
            same.append(entry)
    return by_label
