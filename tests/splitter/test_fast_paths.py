"""The splitter's fast paths agree with the plain computations they replace."""

from __future__ import annotations

import re

from hypothesis import given, settings
from hypothesis import strategies as st

from app.splitter.actors.index import automaton_text, find_hits, scan_sentences
from app.splitter.actors.registry import ActorRegistry
from app.splitter.attribution import _OUTLET_WORD, _names_outlet
from app.splitter.furniture import has_terminal
from app.splitter.segment import _ACRONYM_THEN_CAP
from app.splitter.text import fold
from app.splitter.topics.taxonomy import TopicTaxonomy

REGISTRY = ActorRegistry.default()
TAXONOMY = TopicTaxonomy.default()
WORDS = st.sampled_from(
    [
        "Russia",
        "russian",
        "Russian officials",
        "the U.S.",
        "US",
        "Gen.",
        "Mr. Lee",
        "said",
        "Said",
        "Moscow",
        "ceasefire",
        "talks",
        "negotiations",
        "sanctions",
        "Trump",
        " ",
        ".",
        ",",
        "-",
        "'s",
        "\x00",
        "é",
        "\n",
    ]
)
SENTENCE = st.lists(WORDS, max_size=12).map(" ".join)


@given(st.text(alphabet=".!?…:;\"'”’»)]a \n", max_size=8))
def test_has_terminal_is_the_regex(text: str) -> None:
    assert has_terminal(text) == bool(re.search(r"[.!?…:;][\"'”’»)\]]*$", text))


@given(st.text(alphabet="AUSab. .É_1-\nXT", max_size=16))
def test_acronym_pattern_is_the_word_boundary_pattern(text: str) -> None:
    plain = re.compile(r"\b(?:[A-Z]\.){2,}\s+([A-Z][\w'’-]*)(\.?)(?:\s+([A-Z]))?")
    fast = [(m.span(), m.groups()) for m in _ACRONYM_THEN_CAP.finditer(text)]
    assert fast == [(m.span(), m.groups()) for m in plain.finditer(text)]


@given(st.text(alphabet="ab \x00\u200b\ufeffé\n", max_size=12))
def test_fold_ascii_shortcut(text: str) -> None:
    odd = "\u200b\u200c\u200d\u2060\ufeff\u00ad\x00"
    expected = " ".join("".join(c for c in text if c not in odd).split())
    assert fold(text) == expected


@settings(max_examples=200)
@given(st.lists(SENTENCE, max_size=6))
def test_one_scan_per_article_equals_one_per_sentence(texts: list[str]) -> None:
    index = REGISTRY._index
    each = []
    for text in texts:
        scanned = automaton_text(text)
        each.append((scanned, find_hits(index, text, scanned)))
    assert scan_sentences(index, texts) == each


@settings(max_examples=200)
@given(st.lists(SENTENCE, max_size=6))
def test_topic_scores_of_an_article_equal_per_sentence(texts: list[str]) -> None:
    matcher = TAXONOMY._matcher
    together = matcher.scores_each(texts)
    for text, scores in zip(texts, together, strict=True):
        alone = matcher.scores(text)
        assert (scores if scores is not None else [0.0] * len(alone)) == alone


_OUTLET_WITH_BOUNDARY = re.compile(r"\b" + _OUTLET_WORD.pattern)
OUTLET_PIECES = st.sampled_from(
    ["News", "Times", "Daily", "Herald", "Agency", "Radio", "re", "x", "_", "1", " ", ".", "é", "ß"]
)


@settings(max_examples=300)
@given(st.lists(OUTLET_PIECES, max_size=12).map("".join))
def test_outlet_word_check_is_the_word_boundary_regex(text: str) -> None:
    """The outlet-word check without a leading \\b gives what the \\b regex gives."""
    assert _names_outlet(text) == (_OUTLET_WITH_BOUNDARY.search(text) is not None)
