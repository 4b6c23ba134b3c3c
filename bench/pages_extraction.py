"""Main text out of whole news pages: recall of the article, leak of the page's furniture.

Run: .venv/bin/python -m bench.pages_extraction PATH [--extractor NAME] [--show N]

The sets the rules of `app/splitter/main_content.py` are tuned on (their pages
may be read one by one with --show). PATH is one of:
- a checkout (or copy) of Scrapinghub's article-extraction benchmark
  (github.com/scrapinghub/article-extraction-benchmark, MIT licence, 181
  pages of 2019-2020): `PATH/ground-truth.json` maps a page id to its
  `articleBody`, `PATH/html/<id>.html` or `<id>.html.gz` holds the saved page;
- a folder in the CleanEval layout, `PATH/input/<name>.html` with its text in
  `PATH/GoldStandard/<name>.txt`: Dragnet's 1,381 news and blog pages of 2012
  (github.com/seomoz/dragnet_data, AGPL; the text after its COMMENTS line is
  the readers' comments, not the article) or CleanPortalEval's 71 portal
  pages, both as the merged copy github.com/j-szulc/html-cleaning-dataset-merged
  holds them.
Nothing is downloaded; the data stays outside the repository. The held-out
set, which no rule is tuned on, is read by `bench.pages_heldout`.

Each page goes through `split(html, format="html")` (or, with --extractor,
through trafilatura, readability-lxml or justext when they are installed, to
measure the specialist alone; its plain text is then split as text, so both
count statements alike). Texts are compared as lower-case word
sequences:
- main-text recall: the share of the article's sentences (the ground truth
  cut at sentence ends) whose words come out, in order, in the output; also
  over its prose sentences alone, since headings, table rows and captions
  are never statements;
- furniture leak rate: the share of the output's statements whose words are
  not in the article.
Both are pooled over all pages (micro averages) and printed with the
throughput of the extraction (MB/s of HTML, CPU time of this process).
"""

from __future__ import annotations

import argparse
import gzip
import html
import json
import re
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from itertools import islice
from pathlib import Path

_WORD = re.compile(r"\w+")
_SENTENCE_END = re.compile(r"(?<=[.!?…])[\"'”’)\]]*\s+|\n+")

Extractor = Callable[[str], list[str]]


def words(text: str) -> str:
    """Lower-case words joined by single spaces, with a space on each side."""
    return " " + " ".join(_WORD.findall(text.casefold())) + " "


def sentences(text: str) -> list[tuple[str, bool]]:
    """The ground truth's sentences as word strings (three words at least), each with
    whether it is prose: six words or more ending with . ! ? (not a heading, a table row,
    a caption or a list item, which the splitter does not make statements of)."""
    found = []
    for piece in _SENTENCE_END.split(text):
        folded = words(piece)
        if folded.count(" ") >= 4:
            prose = folded.count(" ") >= 7 and piece.rstrip(" \"'”’)]").endswith((".", "!", "?"))
            found.append((folded, prose))
    return found


def _page(root: Path, key: str) -> str:
    plain = root / "html" / f"{key}.html"
    data = (
        plain.read_bytes()
        if plain.exists()
        else gzip.decompress(plain.with_suffix(".html.gz").read_bytes())
    )
    return data.decode("utf-8", errors="replace")


_GOLD_TAG = re.compile(r"<(?:p|h|l)>", re.IGNORECASE)
_COMMENTS = "!@#$%^&*()  COMMENTS"  # Dragnet's line between the article and its comments


def gold_text(raw: str) -> str:
    """A CleanEval-layout gold text as paragraphs, one a line: without its URL line and the
    comments after Dragnet's separator; <p>, <h> and <l> tags start paragraphs whose lines
    are hard-wrapped."""
    raw = raw.partition(_COMMENTS)[0]
    if raw.startswith("URL:"):
        raw = raw.partition("\n")[2]
    if _GOLD_TAG.search(raw) is None:
        return html.unescape(raw)
    return "\n".join(
        " ".join(html.unescape(piece).split()) for piece in _GOLD_TAG.split(raw) if piece.strip()
    )


def _decoded(data: bytes) -> str:
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        return data.decode("cp1252", errors="replace")  # pages of before UTF-8 everywhere


def _pages(root: Path) -> Iterator[tuple[str, str, str]]:
    """(id, HTML, article text) of every page of the set at `root`, in name order."""
    if (root / "ground-truth.json").exists():
        truth = json.loads((root / "ground-truth.json").read_text(encoding="utf-8"))
        for key in sorted(truth):
            yield key, _page(root, key), truth[key].get("articleBody", "")
        return
    for page in sorted((root / "input").glob("*.html")):
        gold = root / "GoldStandard" / f"{page.stem}.txt"
        if gold.exists():
            yield page.stem, _decoded(page.read_bytes()), gold_text(_decoded(gold.read_bytes()))


def _claimsapi() -> Extractor:
    from app.splitter.core import split

    def run(html: str) -> list[str]:
        return [s.text for s in split(html, format="html").statements]

    return run


def statements_of(text: str) -> list[str]:
    """An extractor's plain text through the splitter, so both count statements alike."""
    from app.splitter.core import split

    return [s.text for s in split(text, format="text").statements]


def _trafilatura() -> Extractor:
    import trafilatura  # type: ignore[import-not-found]

    def run(html: str) -> list[str]:
        return statements_of(trafilatura.extract(html, include_comments=False) or "")

    return run


def _readability() -> Extractor:
    import lxml.html  # type: ignore[import-not-found]
    from readability import Document  # type: ignore[import-not-found]

    def run(html: str) -> list[str]:
        summary = Document(html).summary()
        text = lxml.html.fromstring(summary).text_content() if summary.strip() else ""
        return statements_of(text)

    return run


def _justext() -> Extractor:
    import justext  # type: ignore[import-not-found]

    def run(html: str) -> list[str]:
        paragraphs = justext.justext(html.encode("utf-8"), justext.get_stoplist("English"))
        return statements_of("\n\n".join(p.text for p in paragraphs if not p.is_boilerplate))

    return run


EXTRACTORS = {
    "claimsapi": _claimsapi,
    "trafilatura": _trafilatura,
    "readability": _readability,
    "justext": _justext,
}


@dataclass(slots=True)
class Score:
    """Pooled counts over a page set; the figures are their ratios."""

    found: int = 0
    total: int = 0
    prose_found: int = 0
    prose_total: int = 0
    leaked: int = 0
    emitted: int = 0
    size: int = 0
    spent: float = 0.0
    rows: list[tuple[float, float, str, list[str]]] = field(default_factory=list)

    def add(self, key: str, html: str, body: str, article: str, extract: Extractor) -> None:
        """Score one page: `body` is the text to recall, `article` all the text that belongs
        to the article (the body, or the body with its headline and captions)."""
        self.size += len(html.encode("utf-8"))
        began = time.process_time()
        out = extract(html)
        self.spent += time.process_time() - began
        allowed = words(article)
        output = "".join(words(text) for text in out)
        expected = sentences(body)
        hits = sum(1 for sentence, _prose in expected if sentence in output)
        self.prose_total += sum(1 for _sentence, prose in expected if prose)
        self.prose_found += sum(1 for sentence, prose in expected if prose and sentence in output)
        leaks = [text for text in out if words(text).strip() and words(text) not in allowed]
        self.found += hits
        self.total += len(expected)
        self.leaked += len(leaks)
        self.emitted += len(out)
        self.rows.append((hits / max(1, len(expected)), len(leaks) / max(1, len(out)), key, leaks))

    def report(self, name: str) -> None:
        """Print the pooled figures."""
        pages = len(self.rows)
        print(f"{name}: {pages} pages, {self.size / 1e6:.1f} MB of HTML")
        print(
            f"main-text recall     {self.found / max(1, self.total):.3f}  "
            f"({self.found}/{self.total} sentences)"
        )
        print(
            f"  of prose sentences {self.prose_found / max(1, self.prose_total):.3f}  "
            f"({self.prose_found}/{self.prose_total}: headings, table rows, captions, "
            "list items left out)"
        )
        print(
            f"furniture leak rate  {self.leaked / max(1, self.emitted):.3f}  "
            f"({self.leaked}/{self.emitted} statements)"
        )
        print(
            f"throughput           {self.size / 1e6 / max(self.spent, 1e-9):.2f} MB/s "
            f"({self.spent:.1f} s CPU)"
        )

    def worst(self, count: int) -> None:
        """Print the `count` worst pages with their leaked statements (tuning sets only)."""
        for recall, leak, key, leaks in sorted(self.rows, key=lambda r: r[0] - r[1])[:count]:
            print(f"\n{key[:12]} recall {recall:.2f} leak {leak:.2f}")
            for text in leaks[:6]:
                print("   leak:", text[:110])


def main(argv: list[str] | None = None) -> int:
    """Run one extractor over the page set; print recall, leak rate and speed."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("path", type=Path)
    parser.add_argument("--extractor", choices=sorted(EXTRACTORS), default="claimsapi")
    parser.add_argument("--limit", type=int, default=0, help="first N pages only")
    parser.add_argument("--show", type=int, default=0, help="print N worst pages")
    args = parser.parse_args(argv)
    extract = EXTRACTORS[args.extractor]()
    score = Score()
    for key, page, body in islice(_pages(args.path), args.limit or None):
        score.add(key, page, body, body, extract)
    score.report(args.extractor)
    score.worst(args.show)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
