"""The pages' view helpers: highlighted segments, filter links, the chart, safe links."""

from __future__ import annotations

import pytest

from app.web.views import FilterState, month_chart, palette, safe_href, segments


def _claim(start: int, end: int, *slugs: str) -> dict[str, object]:
    return {
        "span": {"start": start, "end": end},
        "sources": [{"slug": s, "name": s} for s in slugs],
        "context_sources": [],
    }


def test_segments_cut_at_code_points_and_keep_the_whole_text() -> None:
    text = "🚢 One. Two 🌾. Three."
    claims = [_claim(2, 6), _claim(7, 13), _claim(14, 20)]
    parts = segments(text, claims)
    assert "".join(part.text for part in parts) == text
    assert [part.text for part in parts if part.claim] == ["One.", "Two 🌾.", "Three."]
    assert [(p.start, p.end) for p in parts if p.claim] == [(2, 6), (7, 13), (14, 20)]


def test_overlapping_or_out_of_range_spans_never_repeat_text() -> None:
    text = "abcdefghij"
    parts = segments(text, [_claim(0, 5), _claim(3, 8), _claim(9, 40), _claim(6, 6)])
    assert "".join(part.text for part in parts) == text
    assert [(p.start, p.end) for p in parts if p.claim] == [(0, 5), (5, 8), (9, 10)]


def test_filter_state_adds_removes_and_pages_without_losing_the_rest() -> None:
    state = FilterState.of([("q", "a b"), ("source", "reuters"), ("cursor", "xyz")])
    assert state.here() == "/?q=a+b&source=reuters"
    assert state.adding("topic", "ceasefire") == "/?q=a+b&source=reuters&topic=ceasefire"
    assert state.adding("source", "reuters") == state.here()
    assert state.removing("source", "reuters") == "/?q=a+b"
    assert state.page("c2") == "/?q=a+b&source=reuters&cursor=c2"
    assert state.api() == "/v1/claims?q=a+b&source=reuters"
    assert state.applied() == [("source", "reuters")]
    assert FilterState(()).removing("x", "y") == "/"


def test_month_chart_fills_empty_months_and_scales_to_the_peak() -> None:
    chart = month_chart([("2025-11", 2), ("2026-02", 4)], width=400, height=120)
    assert [(bar.month, bar.count) for bar in chart.bars] == [
        ("2025-11", 2),
        ("2025-12", 0),
        ("2026-01", 0),
        ("2026-02", 4),
    ]
    assert chart.bars[3].height == 100.0
    assert chart.bars[0].height == 50.0
    assert month_chart([]).bars == ()


def test_palette_gives_a_page_s_sources_distinct_colours_in_order() -> None:
    claims = [_claim(0, 1, "reuters", "ap"), _claim(1, 2, "bbc"), _claim(2, 3, "reuters")]
    claims[0]["context_sources"] = [{"slug": "cnn", "name": "CNN"}]
    assert palette(claims) == {"reuters": "src-0", "ap": "src-1", "bbc": "src-2", "cnn": "src-3"}


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("https://example.org/a", "https://example.org/a"),
        ("HTTP://example.org", "HTTP://example.org"),
        ("javascript:alert(1)", None),
        (" JavaScript:alert(1)", None),
        ("data:text/html,x", None),
        ("//example.org", None),
        (None, None),
    ],
)
def test_only_http_links_are_offered(url: str | None, expected: str | None) -> None:
    assert safe_href(url) == expected
