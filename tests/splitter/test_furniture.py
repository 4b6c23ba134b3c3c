"""Golden table: page furniture, titles, sections and repeated lines."""

from __future__ import annotations

from app.splitter import split

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
