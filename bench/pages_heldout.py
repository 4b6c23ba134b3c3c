"""Main text out of whole news pages nobody tuned on: L3S-GN1, summary figures only.

Run: .venv/bin/python -m bench.pages_heldout PATH [--extractor NAME]

The held-out set, chosen before anything was run on it: L3S-GN1 (Kohlschütter,
Fankhauser and Nejdl, "Boilerplate Detection using Shallow Text Features",
WSDM 2010; research-use licence), 621 English news articles from 408 sites
found through six Google News editions in 2008, each labelled by human
assessors. PATH is the folder of its per-page conversion (the one that holds
`original/<uuid>.html` and `annotated/<uuid>.html`; a copy ships in
github.com/geodrome/page-signal). Nothing is downloaded and the data stays
outside the repository.

The rules of `app/splitter/main_content.py` are tuned on the Scrapinghub set
(`bench.pages_extraction`), never on this one: this module prints the pooled
figures and no page, so that no rule can be fitted to a page of it.

The saved page (`original/`) goes through the splitter (or an extractor, as in
`bench.pages_extraction`); the assessors' labels come from `annotated/`, where
each text run is wrapped in a `<span class="x-nc-selN">`: 1 headline, 2 full
text, 3 supplemental (captions and the like), 4 related content, 5 comments,
0 not content. Recall counts the full text's sentences; leak counts the
statements whose words are in none of headline, full text and supplemental
(what the assessors said belongs to the article). The definitions are those
of `bench.pages_extraction`.
"""

from __future__ import annotations

import argparse
import functools
import re
from collections.abc import Iterator
from pathlib import Path

import lxml.etree  # type: ignore[import-untyped]
import lxml.html  # type: ignore[import-untyped]

from bench.pages_extraction import EXTRACTORS, Score, statements_of

_LABEL = re.compile(r"\bx-nc-sel(\d)\b")
_INVISIBLE = "x-nc-invisible"
_FULL_TEXT = {"2"}
_ARTICLE = {"1", "2", "3"}
# Elements that start a new line of text; runs inside one of them join with a space.
_BLOCK_TAGS = frozenset(
    (
        *("address", "article", "aside", "blockquote", "body", "br", "dd", "div", "dl", "dt"),
        *("fieldset", "figcaption", "figure", "footer", "form", "h1", "h2", "h3", "h4"),
        *("h5", "h6", "header", "hr", "li", "main", "nav", "ol", "p", "pre", "section"),
        *("table", "td", "th", "tr", "ul"),
    )
)


def _runs(root: lxml.html.HtmlElement) -> Iterator[tuple[int, str, str]]:
    """(block id, label, text) of every visible text run, in document order (iteratively:
    some saved pages nest deeper than Python's recursion limit)."""
    context = [(id(root), "0", False)]  # block, label, hidden of the open elements
    for event, element in lxml.etree.iterwalk(root, events=("start", "end")):
        if event == "end":
            context.pop()
            block, label, hidden = context[-1]
            if element.tail and not hidden:
                yield block, label, element.tail
            continue
        block, label, hidden = context[-1]
        classes = element.get("class") or "" if isinstance(element.tag, str) else ""
        hidden = hidden or _INVISIBLE in classes or element.tag in ("script", "style")
        hidden = hidden or not isinstance(element.tag, str)  # comments, processing instructions
        found = _LABEL.search(classes)
        label = found.group(1) if found else label
        block = id(element) if element.tag in _BLOCK_TAGS else block
        context.append((block, label, hidden))
        if element.text and not hidden:
            yield block, label, element.text


def labelled_text(annotated: str, labels: set[str]) -> str:
    """The text the assessors gave one of `labels`: runs of one block joined by spaces,
    blocks by new lines."""
    lines: list[list[str]] = []
    last = None
    for block, label, text in _runs(lxml.html.document_fromstring(annotated)):
        if label not in labels:
            last = None
            continue
        if block != last or not lines:
            lines.append([])
        lines[-1].append(text)
        last = block
    return "\n".join(" ".join(" ".join(line).split()) for line in lines)


def main(argv: list[str] | None = None) -> int:
    """Run one extractor over the held-out pages; print the pooled figures only."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("path", type=Path)
    parser.add_argument("--extractor", choices=sorted(EXTRACTORS), default="claimsapi")
    parser.add_argument(
        "--check",
        action="store_true",
        help="score the labelled full text itself, split as text (checks the measure: ~1, ~0)",
    )
    args = parser.parse_args(argv)
    extract = EXTRACTORS[args.extractor]()
    score = Score()
    for page in sorted((args.path / "original").glob("*.html")):
        annotated = (args.path / "annotated" / page.name).read_text(
            encoding="utf-8", errors="replace"
        )
        html = page.read_text(encoding="utf-8", errors="replace")
        body = labelled_text(annotated, _FULL_TEXT)
        if not body.strip():
            continue  # no full text labelled: nothing to recall
        if args.check:
            extract = functools.partial(lambda text, _html: statements_of(text), body)
        score.add(page.stem, html, body, labelled_text(annotated, _ARTICLE), extract)
    score.report(f"{'labelled text' if args.check else args.extractor} on L3S-GN1 (held out)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
