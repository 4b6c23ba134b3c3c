"""HTML blocks through html.parser: title fallback, footnotes, furniture, hostile markup."""

from __future__ import annotations

import time

import pytest

from app.splitter.blocks.html_guard import guard_html
from app.splitter.core import split


@pytest.mark.parametrize(
    ("page_title", "title"),
    [
        ("Court blocks merger | The Daily Ledger", "Court blocks merger"),
        ("Digital Services Act enforcement - Tech Policy Wiki", "Digital Services Act enforcement"),
        ("Grain deal", "Grain deal"),
    ],
)
def test_title_falls_back_to_the_page_title_without_the_site(page_title: str, title: str) -> None:
    html = f"<html><head><title>{page_title}</title></head><body><p>Prices rose.</p></body></html>"
    result = split(html, format="html")
    assert result.title == title
    assert [s.text for s in result.statements] == ["Prices rose."]


def test_h1_wins_over_the_page_title() -> None:
    html = "<title>Other | Site</title><h1>Real headline</h1><p>Prices rose.</p>"
    assert split(html, format="html").title == "Real headline"


def test_footnotes_section_heading_is_no_reference() -> None:
    html = (
        "<h1>T</h1><p>Prices rose.<sup><a href='#fn1'>1</a></sup></p>"
        "<section class='footnotes'><h2>Sources</h2><ol><li id='fn1'>Reuters</li></ol></section>"
    )
    result = split(html, format="html")
    assert [(r.label, r.source.name if r.source else None) for r in result.references] == [
        ("1", "Reuters")
    ]
    assert [c.source.name for c in result.statements[0].sources] == ["Reuters"]


def test_entities_scripts_and_edit_links() -> None:
    html = (
        "<h1>T</h1><script>if (a < b) { x('<p>no</p>'); }</script>"
        "<h2>Trade<span class='mw-editsection'>[<a href='/e'>edit</a>]</span></h2>"
        "<p>Oil &amp; gas rose&nbsp;again.<br>Coal fell &#8212; sharply.</p>"
    )
    result = split(html, format="html")
    assert [(s.text, s.section) for s in result.statements] == [
        ("Oil & gas rose again.", "Trade"),
        ("Coal fell — sharply.", "Trade"),
    ]
    for statement in result.statements:
        assert html[statement.span.start : statement.span.end].startswith(("Oil", "Coal"))


@pytest.mark.parametrize(
    "text",
    ['<a x="' * 2000, "<a " * 3000, "<!--" * 3000, "</" * 3000, "&#" * 3000, "<![x[" * 2000],
)
def test_guard_keeps_length_and_the_parser_finishes(text: str) -> None:
    assert len(guard_html(text)) == len(text)
    split(text, format="html")  # never raises


def test_guard_leaves_ordinary_markup_alone() -> None:
    html = '<p class="a">x &amp; y &#8212; <a href="/b?c=1&d=2">z</a></p><!-- c --><br/>'
    assert guard_html(html) == html


@pytest.mark.slow
def test_hostile_html_grows_linearly() -> None:
    """Twice the input, about twice the time (quadratic would be four times)."""

    def seconds(n: int) -> float:
        text = '<a x="' * (n // 6) + "<a " * (n // 6)
        start = time.process_time()
        split(text, format="html")
        return time.process_time() - start

    small, large = seconds(100_000), seconds(200_000)
    assert large < 3.2 * max(small, 0.01)
