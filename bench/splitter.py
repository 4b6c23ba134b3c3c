"""Splitter throughput on a generated corpus, and timings on adversarial inputs.

Run: .venv/bin/python -m bench.splitter

Times are the CPU time of this process (one core), so other work on the
machine does not distort them; the full Splitter runs, taggers included.
"""

from __future__ import annotations

import json
import random
import time
from collections.abc import Callable
from pathlib import Path

from app.splitter.core import Splitter
from app.splitter.types import Format

WORDS = [
    "officials",
    "negotiators",
    "government",
    "ministry",
    "talks",
    "sanctions",
    "pipeline",
    "forum",
    "delegation",
    "agreement",
    "ceasefire",
    "proposal",
    "economy",
    "border",
    "security",
    "analysts",
    "market",
    "prices",
    "exports",
    "said",
    "would",
    "could",
    "after",
    "before",
    "during",
    "under",
    "against",
    "between",
    "across",
]
NAMES = ["Russia", "Ukraine", "NATO", "the U.S.", "Gen. Ortiz", "St. Petersburg", "Mr. Lee"]
PUBLISHERS = ["Reuters", "CNN", "BBC News", "Al Jazeera", "Associated Press", "RFE/RL"]


def _sentence(rng: random.Random) -> str:
    words = [rng.choice(WORDS) for _ in range(rng.randint(8, 24))]
    words.insert(rng.randrange(len(words)), rng.choice(NAMES))
    body = " ".join(words)
    marker = "".join(f"[{rng.randint(1, 6)}]" for _ in range(rng.randint(0, 2)))
    return body[0].upper() + body[1:] + (marker + "." if rng.random() < 0.5 else "." + marker)


def _article(rng: random.Random, fmt: Format) -> str:
    paragraphs = [" ".join(_sentence(rng) for _ in range(rng.randint(2, 5))) for _ in range(12)]
    refs = [f"[{i}] {name}" for i, name in enumerate(PUBLISHERS, 1)]
    if fmt == "markdown":
        body = "\n\n".join(
            (f"## Section {i}\n\n" if i % 4 == 0 else "") + p for i, p in enumerate(paragraphs)
        )
        notes = "\n".join(f"[^{i}]: {name}, 3 May 2025" for i, name in enumerate(PUBLISHERS, 1))
        return "# A generated headline\n\n" + body.replace("[", "[^") + "\n\n" + notes + "\n"
    if fmt == "html":
        body = "".join(
            f"<p>{p}</p>".replace("[", "<sup><a href='#fn").replace("]", "'>x</a></sup>")
            for p in paragraphs
        )
        notes = "".join(f"<li id='fn{i}'>{name}</li>" for i, name in enumerate(PUBLISHERS, 1))
        return (
            "<html><body><nav><a href='/'>Home</a></nav><article><h1>A generated headline</h1>"
            f"{body}</article><ol class='footnotes'>{notes}</ol></body></html>"
        )
    return "A generated headline\n\n" + "\n\n".join(paragraphs) + "\n\n" + "\n".join(refs)


def throughput(
    splitter: Splitter, fmt: Format, megabytes: float = 2.0, repeat: int = 3
) -> tuple[float, float]:
    """(MB/s, articles/s) over a generated corpus of about `megabytes` of text: the best of
    `repeat` passes, as timeit reports, since other work on a shared machine only slows one."""
    rng = random.Random(7)
    corpus: list[str] = []
    size = 0
    while size < megabytes * 1_000_000:
        article = _article(rng, fmt)
        corpus.append(article)
        size += len(article.encode("utf-8"))
    passes = []
    for _ in range(repeat):
        start = time.process_time()
        for article in corpus:
            splitter.split(article, format=fmt)
        passes.append(time.process_time() - start)
    elapsed = min(passes)
    return size / 1_000_000 / elapsed, len(corpus) / elapsed


LANGUAGE_CASES = Path(__file__).parent.parent / "tests" / "fixtures" / "eval" / "languages"


def language_throughput(
    splitter: Splitter, language: str, *, given: bool, megabytes: float = 0.5, repeat: int = 3
) -> float:
    """MB/s over the language's eval articles (tests/fixtures/eval/languages), language
    detected or given by the client."""
    cases = [json.loads(p.read_text("utf-8")) for p in sorted(LANGUAGE_CASES.glob("*-0*.json"))]
    articles = [c["input"] for c in cases if c["language"] == language]
    corpus: list[dict[str, str]] = []
    size = 0
    while size < megabytes * 1_000_000:
        article = articles[len(corpus) % len(articles)]
        corpus.append(article)
        size += len(article["text"].encode("utf-8"))
    passes = []
    for _ in range(repeat):
        start = time.process_time()
        for article in corpus:
            splitter.split(
                article["text"],
                format=article["format"],  # type: ignore[arg-type]  # from the case file
                language=language if given else None,
            )
        passes.append(time.process_time() - start)
    return size / 1_000_000 / min(passes)


ADVERSARIAL: dict[str, Callable[[int], str]] = {
    '"[" * n': lambda n: "[" * n,
    '"a." * n/2': lambda n: "a." * (n // 2),
    "one line, no punctuation": lambda n: "word " * (n // 5),
    '"x[1]" * n/4': lambda n: "x[1]" * (n // 4),
    "nested <div> (html)": lambda n: "<div>" * (n // 5),
    "unclosed <p>a (html)": lambda n: "<p>a" * (n // 4),
    '"<a x=\\"" * n/6 (html)': lambda n: '<a x="' * (n // 6),
    '"<a " * n/3 (html)': lambda n: "<a " * (n // 3),
    '"<!--" * n/4 (html)': lambda n: "<!--" * (n // 4),
    '"</" * n/2 (html)': lambda n: "</" * (n // 2),
    '"&#" * n/2 (html)': lambda n: "&#" * (n // 2),
    # whole pages (a <body>): the main-content extractor reads them too
    "page: nested <div> (html)": lambda n: "<body>" + "<div>" * (n // 5) + "<p>Talks resumed.</p>",
    "page: unclosed <p>a (html)": lambda n: "<body>" + "<p>a" * (n // 4),
    'page: "<a x="" * n/6 (html)': lambda n: "<body>" + '<a x="' * (n // 6),
    "page: <meta> tags (html)": lambda n: (
        "<body>" + '<meta property="og:title" content="x">' * (n // 38)
    ),
    "page: unclosed JSON-LD (html)": lambda n: (
        "<body>" + '<script type="application/ld+json">{"a":[' * (n // 41)
    ),
    "page: JSON-LD scripts (html)": lambda n: (
        "<body>"
        + ('<script type="application/ld+json">{"@type":"NewsArticle","headline":"x"}</script>')
        * (n // 84)
    ),
    "page: table soup (html)": lambda n: "<body><table>" + "<tr><td>a<td>b" * (n // 14),
    '"*a" * n/2 (markdown)': lambda n: "*a" * (n // 2),
    "[n] entries on one line": lambda n: (
        "x.[1]\n\n" + " ".join(f"[{i % 999 + 1}] Reuters" for i in range(n // 12))
    ),
    "URL per line": lambda n: "x.[1]\n\n" + "\n".join("https://a.com/x" for _ in range(n // 16)),
    "soft-broken entries (markdown)": lambda n: "x.[1]\n\n" + "[1] AP\n" * (n // 7),
    '"It rained. " * n/11': lambda n: "It rained. " * (n // 11),
}


def main() -> None:
    """Print throughput per format, then adversarial timings at growing sizes."""
    splitter = Splitter()
    print("format     MB/s   articles/s")
    formats: tuple[Format, ...] = ("text", "markdown", "html")
    for fmt in formats:
        mbs, aps = throughput(splitter, fmt)
        print(f"{fmt:9} {mbs:6.2f}   {aps:8.1f}")
    print()
    print("language   MB/s detected   MB/s given   (tests/fixtures/eval/languages articles)")
    for language in ("ru", "uk", "de", "fr", "es"):
        detected = language_throughput(splitter, language, given=False)
        given = language_throughput(splitter, language, given=True)
        print(f"{language:9} {detected:14.2f} {given:12.2f}")
    print()
    sizes = (250_000, 500_000, 1_000_000)
    print("adversarial input".ljust(30) + "".join(f"{n:>12,}" for n in sizes))
    for name, make in ADVERSARIAL.items():
        kind: Format = "html" if "html" in name else "markdown" if "markdown" in name else "text"
        cells = []
        for n in sizes:
            text = make(n)
            start = time.process_time()
            splitter.split(text, format=kind)
            cells.append(f"{time.process_time() - start:11.3f}s")
        print(name.ljust(30) + "".join(cells))


if __name__ == "__main__":
    main()
