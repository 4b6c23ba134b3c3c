"""What a sentence takes from its paragraph: the sources its siblings cite when it cites
none itself, and the topics its siblings have that it lacks.

Both are worked out once per paragraph, not once per sentence (that was quadratic).
"""

from __future__ import annotations

from collections.abc import Sequence

from app.splitter.types import Citation, Topic


def context_citations(
    paragraph_of: Sequence[int], own: Sequence[list[Citation]]
) -> list[list[Citation]]:
    """Each sentence's own citations, or, when it has none, its paragraph's cited sources
    (kind "context", with the label that cited them)."""
    context: dict[int, list[Citation]] = {}
    slugs_of: dict[int, set[str]] = {}
    for paragraph, citations in zip(paragraph_of, own, strict=True):
        inherited = context.setdefault(paragraph, [])
        slugs = slugs_of.setdefault(paragraph, set())
        for citation in citations:
            if citation.kind == "cited" and citation.source.slug not in slugs:
                slugs.add(citation.source.slug)
                inherited.append(Citation(citation.source, "context", citation.label))
    return [
        citations or list(context[paragraph])
        for paragraph, citations in zip(paragraph_of, own, strict=True)
    ]


def context_topics(
    paragraph_of: Sequence[int], topics: Sequence[tuple[Topic, ...]]
) -> list[tuple[Topic, ...]]:
    """For each sentence, the topics of its paragraph that it does not have itself.

    Compared by slug: a dataclass's own hash and equality walk its fields on every call.
    """
    by_paragraph: dict[int, dict[str, Topic]] = {}
    for paragraph, found in zip(paragraph_of, topics, strict=False):
        if found:
            known = by_paragraph.setdefault(paragraph, {})
            for topic in found:
                known.setdefault(topic.slug, topic)
    context: list[tuple[Topic, ...]] = []
    for paragraph, found in zip(paragraph_of, topics, strict=False):
        siblings = by_paragraph.get(paragraph)
        if not siblings or len(siblings) == len(found):
            context.append(())  # the sentence has every topic of its paragraph
            continue
        own = {topic.slug for topic in found}
        context.append(tuple(t for slug, t in siblings.items() if slug not in own))
    return context
