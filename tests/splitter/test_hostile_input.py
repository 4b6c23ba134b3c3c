"""Hostile input of every kind: the splitter never raises and its spans stay sound.

Linear time on such input is measured in bench/splitter.py, not asserted here.
"""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from app.splitter.core import Splitter
from app.splitter.types import SplitResult

SPLITTER = Splitter()
FORMATS = st.sampled_from(["text", "markdown", "html"])

# Every code point, lone surrogates and controls included.
ANY_UNICODE = st.text(alphabet=st.characters(codec=None, exclude_categories=()), max_size=400)
TAGS = st.sampled_from(
    ["div", "p", "sup", "a", "h1", "h2", "li", "ol", "nav", "script", "b", "body", "article"]
)


@st.composite
def html_soup(draw: st.DrawFn) -> str:
    """Tags opened and closed at random (often unbalanced), with text, refs and entities."""
    parts: list[str] = []
    for _ in range(draw(st.integers(0, 40))):
        tag = draw(TAGS)
        parts.append(
            draw(
                st.sampled_from(
                    [
                        f"<{tag}>",
                        f"</{tag}>",
                        f'<{tag} class="footnote" href="#fn{draw(st.integers(0, 9))}">',
                        "Officials said talks resumed.",
                        "[1]",
                        "&amp;",
                        "&#",
                        "<!--",
                        "<![CDATA[",
                        "\x00",
                        # a whole page's metadata
                        '<meta property="og:title" content="Talks">',
                        '<script type="application/ld+json">{"@type": "NewsArticle", "headline": ',
                    ]
                )
            )
        )
        if draw(st.booleans()):
            parts.append(draw(st.text(max_size=20)))
    return "".join(parts)


@st.composite
def markdown_mess(draw: st.DrawFn) -> str:
    """Markdown constructs in random order: headings, lists, quotes, footnotes, links."""
    pieces = st.sampled_from(
        ["# ", "## ", "- ", "> ", "1. ", "[^1]", "[^1]: Reuters\n", "[a](http://x)", "**", "_",
         "`", "\n\n", "\n", "Talks resumed on Monday.", "[1] CNN\n", "|a|b|\n", "```\n"]
    )  # fmt: skip
    return "".join(draw(st.lists(pieces, max_size=60)))


@st.composite
def mixed_encoding(draw: st.DrawFn) -> str:
    """Bytes of several encodings glued together, decoded the way a lenient reader would."""
    chunks = draw(
        st.lists(
            st.tuples(
                st.text(max_size=30), st.sampled_from(["utf-8", "latin-1", "utf-16", "cp1252"])
            ),
            max_size=6,
        )
    )
    raw = b"".join(text.encode(encoding, "replace") for text, encoding in chunks)
    bom = b"\xef\xbb\xbf" if draw(st.booleans()) else b""
    return (bom + raw).decode("utf-8", "surrogateescape")


def _assert_sound(text: str, result: SplitResult) -> None:
    previous_end = 0
    for statement in result.statements:
        assert 0 <= statement.span.start <= statement.span.end <= len(text)
        assert statement.span.start >= previous_end
        previous_end = statement.span.end
        assert statement.text
        assert statement.text == statement.text.strip()
    for reference in result.references:
        assert 0 <= reference.span.start <= reference.span.end <= len(text)


HOSTILE = settings(deadline=None, suppress_health_check=[HealthCheck.too_slow])


@HOSTILE
@given(text=st.one_of(ANY_UNICODE, html_soup(), markdown_mess(), mixed_encoding()), fmt=FORMATS)
def test_any_input_in_any_format(text: str, fmt: str) -> None:
    _assert_sound(text, SPLITTER.split(text, format=fmt))  # type: ignore[arg-type]


@pytest.mark.slow
@pytest.mark.parametrize("fmt", ["text", "markdown", "html"])
@pytest.mark.parametrize(
    "text",
    [
        "<div>" * 10_000 + "Deep text." + "</div>" * 10_000,
        "<b>" * 10_000,
        "> " * 10_000 + "Quoted deep.",
        "a" * 1_000_000,
        "word " * 200_000,
        "\ufeff" + "Talks.[1] " * 1000 + "\n\n[1] Reuters",
        "\x00" * 100_000,
        "\ud800" * 10_000 + "Lone surrogates.",
    ],
    ids=["div-10000", "b-10000", "quote-10000", "1MB-line", "words", "bom", "nul", "surrogates"],
)
def test_pathological_documents(text: str, fmt: str) -> None:
    _assert_sound(text, SPLITTER.split(text, format=fmt))  # type: ignore[arg-type]


@st.composite
def reference_mess(draw: st.DrawFn) -> str:
    """Reference-list pieces in any order: labels of every form, URLs, breaks, headings."""
    pieces = st.sampled_from(
        ["[1] ", "[2] ", "1. ", "2) ", "(3) ", "¹ ", "²³ ", "^ a b ", "a. ", "Sources: ",
         "Reuters", " and AP", "; BBC", "https://www.bbc.co.uk/a", " http://x.example/y",
         "\n", "\n\n", "References\n", "About Acme\n", "###\n", "Contents\n1 Intro\n",
         "Talks resumed.[1] ", "vote¹². ", "(1)(2). ", '"Why?" she asked. ', "[edit]"]
    )  # fmt: skip
    return "".join(draw(st.lists(pieces, max_size=50)))


@HOSTILE
@given(text=reference_mess(), fmt=FORMATS)
def test_reference_lists_in_any_shape(text: str, fmt: str) -> None:
    result = SPLITTER.split(text, format=fmt)  # type: ignore[arg-type]
    _assert_sound(text, result)
    for statement in result.statements:  # a cited source resolves to a reference entry
        labels = {r.label for r in result.references}
        assert all(c.label in labels for c in statement.sources if c.kind == "cited")


@pytest.mark.slow
@pytest.mark.parametrize(
    "text",
    [
        "Talks.[1]\n\n" + " ".join(f"[{i % 999 + 1}] Reuters" for i in range(20_000)),
        "Talks.[1]\n\n" + " ".join(f"{i % 999 + 1}. AP" for i in range(20_000)),
        "Talks.[1]\n\n" + "\n".join("https://www.bbc.co.uk/x" for _ in range(20_000)),
        "Talks¹.\n\n" + "\n".join("¹ Reuters" for _ in range(20_000)),
        "Talks.[1]\n\nSources: " + "; ".join("AP" for _ in range(20_000)),
        "T\n\nContents\n" + "\n".join("1 Background" for _ in range(20_000)),
        '"Why?" he asked. ' * 20_000,
    ],
    ids=["bracket-line", "number-line", "urls", "superscripts", "names", "contents", "quotes"],
)
def test_long_reference_lists(text: str) -> None:
    for fmt in ("text", "markdown"):
        _assert_sound(text, SPLITTER.split(text, format=fmt))  # type: ignore[arg-type]
