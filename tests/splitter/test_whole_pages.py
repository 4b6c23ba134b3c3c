"""Issue 18: whole web pages in, the article's statements out, the page's furniture not."""

from __future__ import annotations

from pathlib import Path

import pytest

from app.splitter import PageMeta, split
from app.splitter.main_content import is_whole_page
from app.splitter.page_meta import page_publisher
from app.splitter.sources import SourceRegistry

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


def test_issue18_a_news_page_gives_its_article_and_no_furniture() -> None:
    result = split(NEWS, format="html")
    assert [s.text for s in result.statements] == ARTICLE
    assert result.title == "Harbour authority approves new ferry terminal"


@pytest.mark.parametrize("phrase", FURNITURE)
def test_issue18_no_furniture_of_a_news_page_becomes_a_statement(phrase: str) -> None:
    statements = split(NEWS, format="html").statements
    assert not [s.text for s in statements if phrase.casefold() in s.text.casefold()]


def test_issue18_spans_of_a_whole_page_index_the_html_as_received() -> None:
    for statement in split(NEWS, format="html").statements:
        assert NEWS[statement.span.start : statement.span.end] == statement.text


def test_issue18_the_page_metadata_is_read() -> None:
    assert split(NEWS, format="html").page == PageMeta(
        title="Harbour authority approves new ferry terminal",
        published="2026-03-04T07:30:00+00:00",
        url="https://ledger.example/news/ferry-terminal",  # canonical wins over og:url
        site_name="The Coastal Ledger",  # og:site_name wins over the JSON-LD publisher
    )


def test_issue18_the_meta_headline_names_a_page_without_an_h1() -> None:
    page = NEWS.replace('<h1 class="headline">', "<p>").replace("</h1>", "</p>")
    page = page.replace("Harbour authority approves new ferry terminal</p>", "</p>")
    assert split(page, format="html").title == "Harbour authority approves new ferry terminal"


def test_issue18_a_fragment_has_no_page_metadata_and_keeps_every_paragraph() -> None:
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


def test_issue18_every_wikipedia_marker_resolves_to_its_publisher() -> None:
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
def test_issue18_no_wikipedia_chrome_becomes_a_statement(phrase: str) -> None:
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
