"""Golden table: reference lists in their common shapes."""

from __future__ import annotations

import pytest

from app.splitter.core import split

CASES = [
    ("[1] Reuters\n[2] CNN", [("1", "Reuters"), ("2", "CNN")]),
    ("References\n1. Reuters\n2) BBC News", [("1", "Reuters"), ("2", "BBC News")]),
    (
        'References\n1. ^ Doe, J. (1 May 2025). "A headline". '
        "Radio Free Europe/Radio Liberty. Retrieved 2 May 2025.",
        [("1", "RFE/RL")],
    ),
    (
        "Sources\n1. https://www.reuters.com/world/x\n2. https://apnews.com/article/y",
        [("1", "Reuters"), ("2", "Associated Press")],
    ),
    ("Sources\n1. https://www.unknown-daily.net/a", [("1", "unknown-daily.net")]),
    ("Sources: Reuters, CNN", [("1", "Reuters"), ("2", "CNN")]),  # numbered by their order
    ("Source 1: Reuters\nSource 2: CNN", [("1", "Reuters"), ("2", "CNN")]),
    ("Ref. 1 - Reuters Ref. 2 - CNN", [("1", "Reuters"), ("2", "CNN")]),
]


@pytest.mark.parametrize(("tail", "expected"), CASES)
def test_reference_lists(tail: str, expected: list[tuple[str, str]]) -> None:
    result = split("Prices rose sharply.[1] Markets fell.[2]\n\n" + tail, title="T")
    assert [(r.label, r.source.name if r.source else "") for r in result.references] == expected
    assert [s.text for s in result.statements] == ["Prices rose sharply.", "Markets fell."]


def test_markdown_link_definitions() -> None:
    text = "Prices rose.[1]\n\n[1]: https://www.bbc.co.uk/news/a\n"
    result = split(text, format="markdown", title="T")
    assert [(r.label, r.source.name if r.source else "") for r in result.references] == [
        ("1", "BBC News")
    ]
    assert [c.source.name for c in result.statements[0].sources] == ["BBC News"]


def test_notes_are_neither_statements_nor_references() -> None:
    text = (
        "Prices rose.[1][a]\n\nNotes\na. ^ An explanation of the figure.\n\n"
        "References\n1. ^ Reuters"
    )
    result = split(text, title="T")
    assert [s.text for s in result.statements] == ["Prices rose."]
    assert [r.label for r in result.references] == ["1"]


def test_numbered_markdown_links_cite_their_urls() -> None:
    """AI answers link their footnotes inline: `gains [2](https://...)`."""
    text = (
        "Oil prices climbed on Monday [1](https://www.reuters.com/markets/a). Analysts expect "
        "more gains [2](https://apnews.com/article/b), and [traders](https://example.com/c) agree "
        "[1](https://www.reuters.com/markets/a)."
    )
    result = split(text, format="markdown", title="T")
    assert [(s.text, [c.source.name for c in s.sources]) for s in result.statements] == [
        ("Oil prices climbed on Monday.", ["Reuters"]),
        ("Analysts expect more gains, and traders agree.", ["Associated Press", "Reuters"]),
    ]
    assert [(r.label, r.url) for r in result.references] == [
        ("1", "https://www.reuters.com/markets/a"),
        ("2", "https://apnews.com/article/b"),
    ]
    for reference in result.references:
        assert text[reference.span.start : reference.span.end] == reference.url


def test_numbered_html_links_cite_their_urls_but_page_numbers_do_not() -> None:
    page = (
        '<p>Oil prices climbed.<a href="https://www.reuters.com/a">[1]</a> Analysts expect gains '
        '<a href="https://apnews.com/b">2</a><a href="https://www.bbc.com/c">[3]</a>.</p>'
        '<p>More stories: <a href="https://news.example/p/1">1</a> '
        '<a href="https://news.example/p/2">2</a></p>'
    )
    result = split(page, format="html", title="T")
    assert [(s.text, [c.source.name for c in s.sources]) for s in result.statements] == [
        ("Oil prices climbed.", ["Reuters"]),
        ("Analysts expect gains.", ["Associated Press", "BBC News"]),
    ]
    assert [r.label for r in result.references] == ["1", "2", "3"]


def test_many_numbered_links_in_one_paragraph() -> None:
    page = "<p>" + "Word.<a href='https://www.reuters.com/a'>[1]</a> " * 20_000 + "</p>"
    result = split(page, format="html", title="T")
    assert len(result.statements) == 20_000
    assert [r.label for r in result.references] == ["1"]


def test_a_closing_numbered_list_of_short_items_is_no_reference_list() -> None:
    text = (
        "Talks end\n\nThe ministry listed its demands in a statement to reporters.\n\n"
        "1. Ceasefire\n2. Prisoner exchange\n3. Elections"
    )
    assert split(text).references == ()


def test_short_names_in_a_numbered_list_are_references_when_the_body_cites_them() -> None:
    text = (
        "Talks end\n\nDemands were listed.[1] Others agreed.[2]\n\n1. Kyiv Daily\n2. Harbour Times"
    )
    assert [(r.label, r.source.name if r.source else None) for r in split(text).references] == [
        ("1", "Kyiv Daily"),
        ("2", "Harbour Times"),
    ]
