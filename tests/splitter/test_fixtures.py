"""Fixture articles (written for these tests) in every format, end to end."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from app.splitter.core import split
from app.splitter.markers import MARKER_PATTERNS
from app.splitter.text import fold

ARTICLES = Path(__file__).parent.parent / "fixtures" / "articles"
FILES = sorted(p for p in ARTICLES.iterdir() if not p.name.endswith(".json"))


@pytest.mark.parametrize("path", FILES, ids=lambda p: p.name)
def test_fixture_article(path: Path) -> None:
    expected = json.loads(path.with_name(path.stem + ".expected.json").read_text("utf-8"))
    text = path.read_text("utf-8")
    result = split(text, format=expected["format"])
    assert result.title == expected["title"]
    got = [
        {"text": s.text, "section": s.section, "sources": [c.source.name for c in s.sources]}
        for s in result.statements
    ]
    assert got == expected["statements"]
    for statement in result.statements:
        assert 0 <= statement.span.start < statement.span.end <= len(text)


def test_plain_text_spans_slice_to_the_statement() -> None:
    text = (ARTICLES / "harbour-text.txt").read_text("utf-8")
    for statement in split(text).statements:
        piece = text[statement.span.start : statement.span.end]
        for _style, pattern in MARKER_PATTERNS:
            piece = pattern.sub("", piece)
        assert fold(piece).replace(" .", ".") == statement.text


def test_crlf_nbsp_and_zero_width() -> None:
    text = "Prices\u00a0rose.\r\nMarkets fell\u200b.\r\n"
    result = split(text, title="T")
    assert [s.text for s in result.statements] == ["Prices rose.", "Markets fell."]
    assert (
        text[result.statements[1].span.start : result.statements[1].span.end]
        == "Markets fell\u200b."
    )
