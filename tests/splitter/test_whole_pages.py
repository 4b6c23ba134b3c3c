"""Whole web pages in, the article's statements out, the page's furniture not."""

from __future__ import annotations

from pathlib import Path

import pytest

from app.splitter.blocks import main_content
from app.splitter.blocks.html import html_blocks
from app.splitter.blocks.main_content import _is_article, _same_box, is_whole_page
from app.splitter.blocks.page_meta import page_publisher
from app.splitter.core import split
from app.splitter.sources import SourceRegistry
from app.splitter.types import PageMeta

PAGES = Path(__file__).parent.parent / "fixtures" / "pages"
NEWS = (PAGES / "news_page.html").read_text(encoding="utf-8")
WIKI = (PAGES / "wikipedia_page.html").read_text(encoding="utf-8")

ARTICLE = [
    "The harbour authority approved plans for a new ferry terminal on Tuesday, ending two years"
    " of public consultation.",
    "The terminal will replace the existing pier, which engineers said was no longer safe for"
    " larger vessels after winter storms damaged its foundations.",
    "Construction is expected to begin in September and to last about eighteen months,"
    " according to the authority's chief executive.",
    # after the inline advertisement: the body column resumes
    "Local residents had raised concerns about traffic on the coast road during the"
    " consultation period.",
    "The new terminal will double the number of crossings we can run each day.",  # pull quote
    "Ferry operators welcomed the decision and said they would add two evening crossings once"
    " the terminal opens.",
    "The regional council must still approve a separate budget for road improvements near the"
    " harbour.",
]

# One phrase of each piece of page furniture around the article.
FURNITURE = [
    "cookies",  # cookie banner
    "Business",  # navigation
    "Share on",  # share bar
    "4 min read",  # byline line
    "luxury cruises",  # the inline advertisement between the article's paragraphs
    "Tagged",  # tag line
    "covering transport",  # author bio
    "newsletter",  # newsletter box
    "coastal bridge",  # related stories
    "disgrace",  # reader comments
    "Storm warning",  # most-read sidebar
    "All rights reserved",  # footer
    "editorial principles",
]


def test_a_news_page_gives_its_article_and_no_furniture() -> None:
    result = split(NEWS, format="html")
    assert [s.text for s in result.statements] == ARTICLE
    assert result.title == "Harbour authority approves new ferry terminal"


@pytest.mark.parametrize("phrase", FURNITURE)
def test_no_furniture_of_a_news_page_becomes_a_statement(phrase: str) -> None:
    statements = split(NEWS, format="html").statements
    assert not [s.text for s in statements if phrase.casefold() in s.text.casefold()]


def test_spans_of_a_whole_page_index_the_html_as_received() -> None:
    for statement in split(NEWS, format="html").statements:
        assert NEWS[statement.span.start : statement.span.end] == statement.text


def test_the_page_metadata_is_read() -> None:
    assert split(NEWS, format="html").page == PageMeta(
        title="Harbour authority approves new ferry terminal",
        published="2026-03-04T07:30:00+00:00",
        url="https://ledger.example/news/ferry-terminal",  # canonical wins over og:url
        site_name="The Coastal Ledger",  # og:site_name wins over the JSON-LD publisher
    )


def test_the_meta_headline_names_a_page_without_an_h1() -> None:
    page = NEWS.replace('<h1 class="headline">', "<p>").replace("</h1>", "</p>")
    page = page.replace("Harbour authority approves new ferry terminal</p>", "</p>")
    assert split(page, format="html").title == "Harbour authority approves new ferry terminal"


def test_a_fragment_has_no_page_metadata_and_keeps_every_paragraph() -> None:
    fragment = "<p>Prices rose on Monday.</p><div class='box'><p>Officials said more.</p></div>"
    result = split(fragment, format="html")
    assert result.page is None
    assert [s.text for s in result.statements] == ["Prices rose on Monday.", "Officials said more."]


WIKI_SOURCES = [
    ("The Eastport Ferry Terminal is a planned passenger terminal in the harbour of Eastport.",
     {"Reuters"}),
    ("It will replace a pier built in 1931.", {"BBC News"}),
    ("Storms in the winter of 2024 damaged the foundations of the old pier.", {"The Guardian"}),
    ("The harbour authority opened a public consultation in 2024 and approved the plans in"
     " March 2026.", {"Reuters", "Associated Press"}),
    ("The terminal is designed to handle twice as many daily crossings as the old pier.",
     {"BBC News"}),
]  # fmt: skip


def test_every_wikipedia_marker_resolves_to_its_publisher() -> None:
    result = split(WIKI, format="html")
    got = [(s.text, {c.source.name for c in s.sources}) for s in result.statements]
    assert got == WIKI_SOURCES
    assert [r.label for r in result.references] == ["1", "2", "3", "4"]
    assert result.integrity.clean
    assert result.title == "Eastport Ferry Terminal"


@pytest.mark.parametrize(
    "phrase",
    ["edit", "old town", "Location", "Northland", "Westport", "Main page", "Categories",
     "free encyclopedia", "Creative Commons", "Jump to content", "View history"],
)  # fmt: skip
def test_no_wikipedia_chrome_becomes_a_statement(phrase: str) -> None:
    statements = split(WIKI, format="html").statements
    assert not [s.text for s in statements if phrase.casefold() in s.text.casefold()]


def test_an_article_document_without_page_chrome_is_read_as_it_is() -> None:
    """A <body> that holds only the article (no navigation, header, footer, sidebar or
    menus) keeps every paragraph: there is nothing for the extractor to take away."""
    document = (
        "<!DOCTYPE html><html><head><title>Harbour talks</title></head><body>"
        "<h1>Harbour talks resume</h1><p>Short standfirst.</p>"
        "<p>Negotiators met in Geneva on Monday.</p></body></html>"
    )
    assert not is_whole_page(document)
    assert is_whole_page(document.replace("<body>", "<body><nav><a href='/'>Home</a></nav>"))
    assert [s.text for s in split(document, format="html").statements] == [
        "Short standfirst.",
        "Negotiators met in Geneva on Monday.",
    ]


@pytest.mark.parametrize(
    ("site_name", "canonical", "slug", "domains"),
    [
        # a registered name or alias, whatever the domain
        ("BBC News", "https://example.org/x", "bbc-news", None),
        ("the guardian", None, "the-guardian", None),
        # a registered domain under the page's own name for itself
        ("Reuters.com", "https://www.reuters.com/world/x", "reuters", None),
        # unknown: named as the page names itself, with its canonical domain
        ("The Coastal Ledger", "https://coastal-ledger.co.uk/a", "the-coastal-ledger",
         ("coastal-ledger.co.uk",)),
        ("Valley Times", None, "valley-times", ()),
    ],
)  # fmt: skip
def test_the_publisher_a_page_names_is_its_own_source(
    site_name: str, canonical: str | None, slug: str, domains: tuple[str, ...] | None
) -> None:
    registry = SourceRegistry.load()
    publisher = page_publisher(PageMeta(site_name=site_name, url=canonical), registry)
    assert publisher is not None
    assert publisher.slug == slug
    if domains is not None:
        assert publisher.domains == domains


def test_a_page_that_names_no_publisher_has_none() -> None:
    registry = SourceRegistry.load()
    assert page_publisher(None, registry) is None
    assert page_publisher(PageMeta(url="https://coastal-ledger.co.uk/a"), registry) is None
    assert page_publisher(PageMeta(site_name="A slogan " * 12), registry) is None


def test_the_split_result_carries_the_page_publisher() -> None:
    publisher = split(NEWS, format="html").publisher
    assert publisher is not None
    assert publisher.name == "The Coastal Ledger"
    assert split("The council met on Monday.", format="text").publisher is None


# A page as a browser's "Save page as" leaves it: every link written out whole (the
# markers point at <page URL>#cite_note-...), a hatnote, an infobox citing a reference of
# its own, a [citation needed] tag, named references cited twice, a navbox.
SAVED_WIKI = (PAGES / "wikipedia_saved_page.html").read_text(encoding="utf-8")

SAVED_WIKI_SOURCES = [
    ("The Millbrook Tidal Barrage is a tidal power station across the mouth of the Millbrook"
     " estuary.", {"Financial Times"}),
    ("It generates enough electricity for about 90,000 homes.", {"BBC News"}),
    ("Engineers first proposed a barrage at the site in 1979, but the plan was shelved after a"
     " dispute over fishing rights.", {"The Guardian"}),
    ("Construction finally began in 2012 and cost more than twice the first estimate.",
     {"Financial Times", "Reuters"}),
    ("Local anglers opposed the project for decades.", set()),
    ("The first turbines were switched on in 2017.", {"Associated Press"}),
]  # fmt: skip


def test_a_saved_wikipedia_page_resolves_every_marker_to_its_publisher() -> None:
    result = split(SAVED_WIKI, format="html")
    got = [(s.text, {c.source.name for c in s.sources}) for s in result.statements]
    assert got == SAVED_WIKI_SOURCES
    assert [(r.label, r.url) for r in result.references] == [
        ("1", "https://www.ft.com/content/millbrook-barrage"),
        ("2", "https://www.bbc.co.uk/news/science-millbrook"),
        ("3", "https://www.theguardian.com/environment/1981/millbrook"),
        ("4", None),
        ("5", "https://apnews.com/article/millbrook-turbines"),
    ]
    assert result.integrity.clean  # the page's own URL + #cite_note is no numbered link
    assert result.title == "Millbrook Tidal Barrage"


@pytest.mark.parametrize(
    "phrase",
    ["For the village", "Northland", "Operational", "240 MW", "Commission date", "Saltmarsh",
     "Tidal power stations", "edit", "citation needed", "last edited", "Creative Commons",
     "Jump to content", "Categories", "free encyclopedia", "Search Wikipedia", "Random article",
     "View history", "Privacy policy"],
)  # fmt: skip
def test_no_chrome_of_a_saved_wikipedia_page_becomes_a_statement(phrase: str) -> None:
    statements = split(SAVED_WIKI, format="html").statements
    assert not [s.text for s in statements if phrase.casefold() in s.text.casefold()]


def test_a_link_to_another_page_with_a_fragment_still_cites_its_url() -> None:
    """Only the page's own URL is an in-page link; a numbered link elsewhere cites."""
    page = SAVED_WIKI.replace(
        'href="https://en.wikipedia.org/wiki/Millbrook_Tidal_Barrage#cite_note-4"',
        'href="https://www.reuters.com/business/energy/barrage-costs#top"',
    )
    linked = [(r.label, r.url) for r in split(page, format="html").references if r.url]
    assert ("4", "https://www.reuters.com/business/energy/barrage-costs#top") in linked


def test_double_line_breaks_end_paragraphs_of_a_page_without_p() -> None:
    """Pages written with <br><br> between paragraphs (a table cell, a <font> run) give one
    block per paragraph, so the extractor's choice applies to each, not to the whole cell."""
    cell = (
        "<td><font>The council approved the budget on Monday after a long debate.<br><br>\n"
        "Members said the plan depends on sales tax receipts this year.<br> <br>"
        "Copyright 2008 The Daily Herald</font></td>"
    )
    blocks = html_blocks(f"<table><tr>{cell}</tr></table>")
    assert [b.text.strip() for b in blocks] == [
        "The council approved the budget on Monday after a long debate.",
        "Members said the plan depends on sales tax receipts this year.",
        "Copyright 2008 The Daily Herald",
    ]
    one = html_blocks("<p>First line of an address<br>Second line</p>")
    assert len(one) == 1  # a single <br> is a line break inside the paragraph


def _page_with_comments(heading: str) -> str:
    body = "".join(
        f"<div class='content'><p>Paragraph {n} of the report says the harbour plan moved"
        f" forward on its {n}th day of review.</p></div>"
        for n in range(1, 5)
    )
    comment = (
        "<div class='content'><p>I think the council has wasted years on this plan and should"
        " resign.</p></div>"
    )
    lead = (
        "<div class='content'><p>The lead paragraph of the report stands here, before the"
        " rest.</p></div>"
    )
    return f"{lead}{body}{heading}{comment}"


def test_prose_of_the_article_box_after_a_heading_is_not_taken_back() -> None:
    """Comments often share the article paragraphs' box class; a heading ends the article."""
    page = _page_with_comments("<h3>Top rated comments</h3>")
    blocks = html_blocks(page)
    boxes = ["div.content"] * len(blocks)
    picked = [False, True, True, True, True, False, False]
    assert [b.kind for b in blocks][5] == "heading"
    kept = _same_box(blocks, boxes, picked)
    assert kept[0]  # before the last kept paragraph: the body column, taken back
    assert not kept[6]  # after a heading: the comments
    assert _same_box(blocks[:5] + blocks[6:], boxes[:6], [*picked[:5], False])[5]


PARAGRAPH = "<p>The council approved the budget on Monday after a long debate in the chamber.</p>"


@pytest.mark.parametrize(
    "page",
    [
        f"<html><head><title>Budget</title><body>{PARAGRAPH}</body></html>",
        f"<html><head><title>Budget</title><meta name='a' content='b'><table><tr><td>{PARAGRAPH}"
        "</td></tr></table></html>",
        "<html><head><title>Budget</title>The council approved the budget on Monday after a"
        " long debate in the chamber.",
        f"<HTML><HEAD><TITLE>Budget</TITLE><LINK rel=stylesheet href=a.css><DIV>{PARAGRAPH}",
    ],
)
def test_a_head_left_open_ends_where_the_body_starts(page: str) -> None:
    """Pages that never close <head> (common before HTML5) keep their body: an element or
    text that cannot stand in a head ends it, as in a browser."""
    result = split(page, format="html")
    assert [s.text for s in result.statements] == [
        "The council approved the budget on Monday after a long debate in the chamber."
    ]
    assert result.title == "Budget"


def test_a_document_without_a_body_tag_is_still_a_whole_page() -> None:
    links = "".join(f"<a href='/s{n}'>Section {n}</a> " for n in range(30))
    assert is_whole_page(f"<html><head><title>T</title></head><table><tr><td>{links}</td></tr>")
    assert is_whole_page(f"<head><title>T</title></head><nav>{links}</nav>{PARAGRAPH}")
    assert not is_whole_page(f"<div>{links}</div>{PARAGRAPH}")  # a fragment stays one


def test_a_word_or_two_is_the_article_only_as_a_line_of_the_extract() -> None:
    """'Business', 'U.S.', 'More': words that any article text holds somewhere; a short block
    is kept when the extract has it as a line of its own (a short heading of the article)."""
    blocks = html_blocks("<h2>Background</h2><li>Business</li><li>U.S.</li><p>Tides rose.</p>")
    extract_lines = {("background",), ("tides", "rose")}
    kept = {("the", "tides", "rose"), ("background", "of", "business")}
    assert [_is_article(b, kept, extract_lines) for b in blocks] == [True, False, False, True]


def test_prose_is_taken_back_only_in_the_article_column() -> None:
    """A box that holds a minority of the kept paragraphs (a few comments the extractor let
    through) gets none of its other prose back; the article's own column does."""
    page = "".join(
        f"<div class='{box}'><p>Paragraph {n} of this text says the harbour plan moved forward"
        " on its review day.</p></div>"
        for n, box in enumerate(["body"] * 6 + ["thread"] * 4)
    )
    blocks = html_blocks(page)
    boxes = ["div.body"] * 6 + ["div.thread"] * 4
    picked = [True, True, False, True, True, True, True, True, False, True]
    kept = _same_box(blocks, boxes, picked)
    assert kept[2]  # the article column, 5 of the 7 kept paragraphs
    assert not kept[8]  # 2 of 7: the comments


ARTICLE_BODY = (
    "<p>The harbour authority approved plans for a new terminal on Tuesday after two years of"
    " consultation.</p><p>Construction is expected to begin in September and to last about"
    " eighteen months, officials said.</p><p>Operators welcomed the decision and said they"
    " would add two evening crossings.</p>"
)
COMMENT = (
    "<p>I think the council has wasted years on this plan and everyone involved should resign.</p>"
)


@pytest.mark.parametrize(
    "thread",
    [
        f"<div id='comments'><h3>12 comments</h3><div class='comment'>{COMMENT}</div></div>",
        f"<ol class='commentlist'><li><div class='comment-body'>{COMMENT}</div></li></ol>",
        f"<section class='comments-area'>{COMMENT}</section>",
        f"<div id='disqus_thread'>{COMMENT}</div>",
    ],
)
def test_readers_comments_of_a_page_are_not_statements(thread: str) -> None:
    nav = "".join(f"<a href='/s{n}'>Section {n}</a>" for n in range(30))
    page = (
        f"<html><body class='has-comments'><nav>{nav}</nav><article class='post'>"
        f"<h1>Terminal approved</h1>{ARTICLE_BODY}</article>{thread}</body></html>"
    )
    texts = [s.text for s in split(page, format="html").statements]
    assert len(texts) == 3  # the article, kept whole under a body that "has-comments"
    assert not [t for t in texts if "resign" in t]


def test_when_the_fast_extractor_finds_nothing_its_fallbacks_are_asked(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    calls: list[bool] = []

    def run(source: str, *, fast: bool) -> str:
        calls.append(fast)
        return "" if fast else "The article text, found by a fallback extractor of the page."

    monkeypatch.setattr(main_content, "_run", run)
    assert main_content._extract("<html><body><p>x</p></body></html>").startswith("The article")
    assert calls == [True, False]
