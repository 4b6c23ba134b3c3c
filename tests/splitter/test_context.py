"""What a sentence takes from its paragraph: sources when it cites none, topics it lacks."""

from __future__ import annotations

from app.splitter.context import context_citations, context_topics
from app.splitter.types import Citation, Source, Topic

REUTERS = Source(slug="reuters", name="Reuters")
AP = Source(slug="ap", name="AP")
ENERGY = Topic(slug="energy", name="Energy")
TRADE = Topic(slug="trade", name="Trade")


def test_a_sentence_citing_nothing_takes_its_paragraphs_cited_sources_only() -> None:
    own = [
        [Citation(REUTERS, "cited", "1")],
        [],
        [Citation(AP, "inline", None)],
        [],  # another paragraph: nothing to inherit
    ]
    result = context_citations([0, 0, 0, 1], own)
    assert result[0] == own[0]
    assert result[1] == [Citation(REUTERS, "context", "1")]  # inline AP is not passed on
    assert result[2] == own[2]
    assert result[3] == []


def test_a_sentence_gets_the_topics_of_its_paragraph_that_it_lacks() -> None:
    result = context_topics([0, 0, 1], [(ENERGY,), (TRADE, ENERGY), ()])
    assert result == [(TRADE,), (), ()]
