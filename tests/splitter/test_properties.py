"""Hypothesis properties: never raises, spans valid and ordered, plain-text spans slice back."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from app.splitter.core import Splitter
from app.splitter.markers import find_markers
from app.splitter.text import BlockBuilder, cut_markers, fold

SPLITTER = Splitter()
PIECES = st.sampled_from(
    [
        "Prices rose",
        ".",
        " ",
        "\n",
        "\n\n",
        "[1]",
        "[2, 3]",
        "[^1]",
        "¹",
        "U.S.",
        "Gen.",
        '?" ',
        "(Reuters)",
        "<p>",
        "</p>",
        "<sup>",
        "&amp;",
        "# ",
        "- ",
        "*",
        "`",
        "\x00",
        "\ufeff",
        "\r\n",
        "\ud800",
        "[1] Reuters\n",
        "References\n",
        "1. ",
        "According to CNN, ",
        "...",
        "[",
        "]",
    ]
)
TEXTS = st.one_of(st.text(max_size=300), st.lists(PIECES, max_size=60).map("".join))


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(text=TEXTS, fmt=st.sampled_from(["text", "markdown", "html"]))
def test_never_raises_and_spans_are_sound(text: str, fmt: str) -> None:
    result = SPLITTER.split(text, format=fmt)  # type: ignore[arg-type]
    previous_end = 0
    for statement in result.statements:
        assert 0 <= statement.span.start <= statement.span.end <= len(text)
        assert statement.span.start >= previous_end
        previous_end = statement.span.end
        assert statement.text == statement.text.strip()
        assert statement.text


def _marker_free(piece: str, labels: frozenset[str] = frozenset()) -> str:
    builder = BlockBuilder(piece)
    builder.copy(0, len(piece))
    block = builder.build("line")
    return cut_markers(piece, find_markers(block, known_labels=labels))


@settings(max_examples=150, deadline=None)
@given(text=TEXTS)
def test_plain_text_span_slices_to_statement(text: str) -> None:
    result = SPLITTER.split(text, title="T")
    labels = frozenset(r.label for r in result.references)  # superscripts cite only known labels
    for statement in result.statements:
        piece = text[statement.span.start : statement.span.end]
        assert fold(_marker_free(piece.replace("\r\n", " \n"), labels)) == statement.text


@pytest.mark.slow
@pytest.mark.parametrize(
    "text",
    ["[" * 200_000, "a." * 100_000, "word " * 40_000, "<div>" * 10_000, "x[1]" * 50_000],
)
def test_adversarial_inputs_complete(text: str) -> None:
    for fmt in ("text", "markdown", "html"):
        SPLITTER.split(text, format=fmt)  # type: ignore[arg-type]
