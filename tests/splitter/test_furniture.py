"""Golden table: page furniture, titles, sections and repeated lines."""

from __future__ import annotations

import pytest

from app.splitter.core import split
from app.splitter.furniture import FurnitureRules

PAGE = """Skip to content
Menu
Home | World | Business | Sport
Mayors agree on a shared flood plan
Mayors agree on a shared flood plan
By City Desk
Updated 3 April 2025, 10:00
Five mayors signed a flood defence pact on Tuesday.

Money and timing
The plan costs about 40 million euros. Work starts in June.
Five mayors signed a flood defence pact on Tuesday.
Share this article
© 2025 City News. All rights reserved.
"""


def test_furniture_title_and_sections() -> None:
    result = split(PAGE)
    assert result.title == "Mayors agree on a shared flood plan"
    assert [(s.text, s.section) for s in result.statements] == [
        ("Five mayors signed a flood defence pact on Tuesday.", None),
        ("The plan costs about 40 million euros.", "Money and timing"),
        ("Work starts in June.", "Money and timing"),
    ]


def test_client_title_wins_and_is_not_a_statement() -> None:
    result = split("Flood plan agreed\n\nThe mayors signed it.", title="Flood plan agreed")
    assert result.title == "Flood plan agreed"
    assert [s.text for s in result.statements] == ["The mayors signed it."]


def test_no_headline_no_title() -> None:
    result = split("## Background\n\nThe mayors signed it.", format="markdown")
    assert result.title is None
    assert result.statements[0].section == "Background"


def test_html_drops_navigation_and_uses_h1() -> None:
    html = (
        "<html><head><title>Flood | Site</title></head><body><nav><p>Home</p></nav>"
        "<h1>Flood plan agreed</h1><p>The mayors signed it.</p>"
        "<footer><p>Subscribe to our newsletter</p></footer></body></html>"
    )
    result = split(html, format="html")
    assert result.title == "Flood plan agreed"
    assert [s.text for s in result.statements] == ["The mayors signed it."]


@pytest.mark.parametrize(
    "line",
    [
        "Activists outside the court in Strasbourg. Photo: AFP",
        "A flooded street in Faenza on Wednesday. (Image: Getty)",
        "Photo: Reuters",
    ],
)
def test_a_line_ending_in_a_picture_credit_is_a_caption(line: str) -> None:
    """Captions are not statements, even when they read like a sentence."""
    text = f"Headline here\n\nPrices rose on Monday.\n{line}\nMarkets fell."
    assert [s.text for s in split(text).statements] == ["Prices rose on Monday.", "Markets fell."]


def test_related_box_before_the_reference_run() -> None:
    text = (
        "Headline here\nPrices rose on Monday[1].\nRelated stories\nOther headline one\n"
        "[1] https://www.reuters.com/x\n"
    )
    result = split(text)
    assert [s.text for s in result.statements] == ["Prices rose on Monday."]
    assert [r.source.name for r in result.references if r.source] == ["Reuters"]


@pytest.mark.parametrize(
    "line",
    [
        "5 min read",
        "Our Standards: The Trust Principles.",
        "Get the latest news delivered to your inbox",
        "Click here to subscribe",
        "(AP Photo/Jane Doe)",
        "This story has been updated.",
        "Additional reporting by Olena Harmash in Kyiv",
        "Writing by Mark Trevelyan; editing by Andrew Osborn",
        "(Reporting by Ana Ruiz; Editing by Tom Hale)",
        "Tags: trade, tariffs",
        "FOR IMMEDIATE RELEASE",
        "Media contact:",
    ],
)
def test_wire_and_page_furniture_lines(line: str) -> None:
    assert FurnitureRules.default().is_furniture(line)


@pytest.mark.parametrize(
    "line",
    [
        "Reporting by ProPublica found that the agency had ignored warnings.",
        "Contacts between the two delegations resumed on Monday.",
        "About 4,000 people were moved to higher ground.",
    ],
)
def test_prose_that_looks_like_furniture_is_kept(line: str) -> None:
    assert not FurnitureRules.default().is_furniture(line)
