"""The same articles rendered in every common citation layout, generated in code.

Each article is written once as data: its sections and paragraphs, every sentence
with the reference numbers it cites, and its reference entries. `renderings()`
writes each article out in a combination of marker style x placement x
reference-list layout x list heading x headline x format; every rendering must
give the same statements with the same sources (a metamorphic test).
"""

from __future__ import annotations

import html
import itertools
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass

__all__ = ["ARTICLES", "Article", "Layout", "Rendering", "all_layouts", "renderings"]


@dataclass(frozen=True)
class Entry:
    """One reference: the name the list writes, the canonical publisher, its link and story."""

    written: str
    canonical: str
    url: str
    story: str
    author: str  # "Surname, Given"
    work: str  # the work field a Wikipedia citation gives


@dataclass(frozen=True)
class Article:
    """An article as data: sentences with the reference numbers they cite."""

    key: str
    headline: str
    date: str  # "4 March 2026"
    entries: tuple[Entry, ...]
    sections: tuple[tuple[str | None, tuple[tuple[tuple[str, tuple[int, ...]], ...], ...]], ...]

    def sentences(self) -> Iterator[tuple[str, tuple[int, ...]]]:
        """Every sentence with its labels, in order."""
        for _heading, paragraphs in self.sections:
            for paragraph in paragraphs:
                yield from paragraph

    def expected(self) -> list[tuple[str, frozenset[str]]]:
        """(statement text, canonical sources) of every sentence, in order."""
        return [
            (text, frozenset(self.entries[n - 1].canonical for n in labels))
            for text, labels in self.sentences()
        ]


ARTICLES: tuple[Article, ...] = (
    Article(
        key="dam",
        headline="Engineers find cracks in the spillway of a Mekong dam after record floods",
        date="4 March 2026",
        entries=(
            Entry(
                "Reuters",
                "Reuters",
                "https://www.reuters.com/world/asia-pacific/mekong-dam-spillway-cracks-2026-03-04/",
                "Inspectors report cracks at Mekong dam spillway",
                "Thanh, Linh",
                "Reuters",
            ),
            Entry(
                "AFP",
                "Agence France-Presse",
                "https://www.afp.com/en/news/mekong-dam-villagers-moved",
                "Villagers moved downstream of damaged dam",
                "Roux, Camille",
                "Agence France-Presse",
            ),
            Entry(
                "Nikkei Asia",
                "Nikkei Asia",
                "https://asia.nikkei.com/business/energy/mekong-hydropower-lenders-review",
                "Lenders review Mekong hydropower exposure",
                "Mori, Takeshi",
                "Nikkei Asia",
            ),
            Entry(
                "BBC News",
                "BBC News",
                "https://www.bbc.com/news/world-asia-mekong-dam-floods",
                "Record floods test ageing dams on the Mekong",
                "Hughes, Megan",
                "BBC News",
            ),
        ),
        sections=(
            (
                None,
                (
                    (
                        (
                            "Engineers found cracks in the concrete spillway of a hydropower dam "
                            "on the Mekong River on Tuesday, a week after the heaviest floods in "
                            "two decades.",
                            (1, 4),
                        ),
                        (
                            "About 4,000 people living downstream were moved to higher ground "
                            "as a precaution.",
                            (2,),
                        ),
                    ),
                ),
            ),
            (
                "What the inspectors saw",
                (
                    (
                        (
                            "The longest crack runs for about 12 metres along the left side of "
                            "the spillway, the operator said.",
                            (1,),
                        ),
                        (
                            "Dr. Somchai Rattana, who led the inspection, said the dam was not "
                            "in danger of failing.",
                            (1, 2),
                        ),
                        ("The reservoir has been lowered by 3.5 metres since Sunday.", ()),
                    ),
                    (
                        (
                            "Water released from the reservoir flooded rice fields in two "
                            "districts.",
                            (2, 4),
                        ),
                    ),
                ),
            ),
            (
                "Lenders take a second look",
                (
                    (
                        (
                            "Three regional banks that financed the project are reviewing their "
                            "loans, which total about $1.2 billion.",
                            (3,),
                        ),
                        (
                            "Repairs are expected to take at least six months.",
                            (1, 2, 3, 4),
                        ),
                    ),
                ),
            ),
        ),
    ),
    Article(
        key="chips",
        headline="Netherlands tightens licences for chip equipment exports",
        date="18 February 2026",
        entries=(
            Entry(
                "Politico",
                "Politico",
                "https://www.politico.eu/article/netherlands-chip-equipment-licences/",
                "Dutch government widens chip export licences",
                "Visser, Anouk",
                "Politico",
            ),
            Entry(
                "Bloomberg",
                "Bloomberg News",
                "https://www.bloomberg.com/news/articles/2026-02-18/dutch-chip-tool-curbs",
                "Dutch Chip Tool Curbs Hit Service Contracts",
                "Jansen, Pieter",
                "Bloomberg News",
            ),
            Entry(
                "DW",
                "Deutsche Welle",
                "https://www.dw.com/en/netherlands-export-rules-chips/a-71234567",
                "Netherlands adds servicing to chip export rules",
                "Weber, Jonas",
                "Deutsche Welle",
            ),
            Entry(
                "Al Jazeera",
                "Al Jazeera",
                "https://www.aljazeera.com/economy/2026/2/18/beijing-protests-dutch-chip-rules",
                "Beijing protests Dutch chip rules",
                "Haddad, Rami",
                "Al Jazeera",
            ),
            Entry(
                "Reuters",
                "Reuters",
                "https://www.reuters.com/technology/dutch-chip-export-licences-2026-02-18/",
                "Dutch expand chip equipment export licences",
                "Bakker, Sanne",
                "Reuters",
            ),
        ),
        sections=(
            (
                None,
                (
                    (
                        (
                            "The Dutch government said on Wednesday that companies will need a "
                            "licence to service advanced chipmaking machines already sold abroad.",
                            (1, 5),
                        ),
                        (
                            "The rule takes effect on April 1.",
                            (3,),
                        ),
                    ),
                ),
            ),
            (
                "Service contracts",
                (
                    (
                        (
                            "Maintenance accounts for roughly a fifth of the sector's revenue, "
                            "analysts estimate.",
                            (2,),
                        ),
                        (
                            '"We will apply for every licence we need," a spokeswoman for one '
                            "equipment maker said.",
                            (2, 5),
                        ),
                        ("Shares in the company fell 2.4% in Amsterdam.", ()),
                    ),
                ),
            ),
            (
                "Reaction",
                (
                    (
                        (
                            "China's commerce ministry called the measure discriminatory and "
                            "said it would protect the rights of its firms.",
                            (4,),
                        ),
                        (
                            "Officials in Washington welcomed the decision.",
                            (1, 3, 4),
                        ),
                    ),
                    (("Talks with Japan on similar rules are continuing.", (5,)),),
                ),
            ),
        ),
    ),
    Article(
        key="measles",
        headline="Measles cases climb in Romania as vaccination rates fall",
        date="9 January 2026",
        entries=(
            Entry(
                "Euronews",
                "Euronews",
                "https://www.euronews.com/health/2026/01/09/romania-measles-cases",
                "Romania reports rise in measles cases",
                "Popescu, Ioana",
                "Euronews",
            ),
            Entry(
                "The Guardian",
                "The Guardian",
                "https://www.theguardian.com/world/2026/jan/09/romania-measles-vaccination",
                "Measles returns as Romania's vaccination rates slide",
                "Marin, Elena",
                "The Guardian",
            ),
            Entry(
                "Associated Press",
                "Associated Press",
                "https://apnews.com/article/romania-measles-schools-2026",
                "Romanian schools check vaccination records",
                "Stan, Andrei",
                "AP News",
            ),
        ),
        sections=(
            (
                None,
                (
                    (
                        (
                            "Romania recorded 1,870 measles cases in December, the highest "
                            "monthly figure since 2019.",
                            (1, 2),
                        ),
                        ("Most of the patients were children under five.", (1,)),
                        ("Two infants died in Bucharest.", (2, 3)),
                    ),
                ),
            ),
            (
                "Schools check records",
                (
                    (
                        (
                            "The health ministry asked schools to check pupils' vaccination "
                            "records by the end of the month.",
                            (3,),
                        ),
                        (
                            "Coverage for the second dose has fallen to 62%, well below the 95% "
                            "experts recommend.",
                            (2,),
                        ),
                        ("Parents' groups have opposed the checks.", ()),
                    ),
                ),
            ),
        ),
    ),
)


# -- the dimensions ------------------------------------------------------------------------

MARKER_STYLES = (
    "brackets",  # [1][2]
    "bracket-list",  # [1, 2]
    "bracket-range",  # [1-3]
    "bracket-range-dash",  # [1–3]
    "caret-footnote",  # [^1] (Markdown footnotes)
    "superscript",  # ¹²
    "paren",  # (1)(2)
    "html-sup",  # <sup><a href="#n1">1</a></sup>
    "wiki-sup",  # <sup class="reference"><a href="#cite_note-1">[1]</a></sup>
    "md-numbered-link",  # [1](https://...): the link is the reference (AI answers)
    "html-numbered-link",  # <a href="https://...">[1]</a>: likewise in HTML
)
PLACEMENTS = ("before-stop", "after-stop", "spaced")
LIST_LAYOUTS = (
    "blank-lines",  # entries separated by blank lines
    "single-lines",  # one per line, single newlines (soft breaks, <br>)
    "one-line",  # all entries on one line
    "numbered-dot",  # 1. Name
    "numbered-paren",  # 1) Name
    "numbered-urls",  # 1. https://...
    "bare-urls",  # one URL per line, no labels
    "names-line",  # Sources: A; B; C (unnumbered; order gives the numbers)
    "wiki-text",  # 1. ^ a b Surname, Given (date). "Title". Work. Retrieved ...
    "md-link-defs",  # [1]: https://...
    "md-footnote-defs",  # [^1]: Name, date, URL
    "html-ol",  # <ol><li id="n1">
    "html-wiki-ol",  # <ol class="references"><li id="cite_note-1">
    "links-only",  # no list: the numbered links carry the URLs
)
LIST_HEADINGS = ("Sources", "References", "Notes and references", "Источники", "Fuentes", None)
FORMATS = ("text", "markdown", "html")

_SUPERSCRIPT = str.maketrans("0123456789", "⁰¹²³⁴⁵⁶⁷⁸⁹")
_BRACKET_STYLES = ("brackets", "bracket-list", "bracket-range", "bracket-range-dash")


@dataclass(frozen=True)
class Layout:
    """One combination of the dimensions."""

    format: str
    markers: str
    placement: str
    layout: str
    heading: str | None
    headline: bool

    def __str__(self) -> str:
        head = "headline" if self.headline else "no headline"
        return (
            f"{self.format}/{self.markers}/{self.placement}/{self.layout}/"
            f"{self.heading or 'no heading'}/{head}"
        )


@dataclass(frozen=True)
class Rendering:
    """One article written out in one layout, and what the splitter must return for it."""

    article: Article
    layout: Layout
    text: str

    @property
    def expected_title(self) -> str | None:
        """The headline when the rendering has one."""
        return self.article.headline if self.layout.headline else None


def compatible(layout: Layout) -> bool:
    """Combinations that occur in real articles (and that a reader could resolve)."""
    fmt, markers, lst = layout.format, layout.markers, layout.layout
    if markers in ("md-numbered-link", "html-numbered-link") or lst == "links-only":
        wanted = {"markdown": "md-numbered-link", "html": "html-numbered-link"}.get(fmt)
        return markers == wanted and lst == "links-only" and layout.heading is None
    if markers == "caret-footnote" or lst == "md-footnote-defs":
        return fmt == "markdown" and markers == "caret-footnote" and lst == "md-footnote-defs"
    if markers in ("html-sup", "wiki-sup") or lst in ("html-ol", "html-wiki-ol"):
        return fmt == "html" and markers in ("html-sup", "wiki-sup") and lst.startswith("html")
    if lst == "md-link-defs":
        return fmt == "markdown" and markers in _BRACKET_STYLES
    numbered = lst in ("numbered-dot", "numbered-paren", "numbered-urls", "wiki-text")
    if numbered and (fmt == "html" or (lst == "wiki-text" and markers not in _BRACKET_STYLES)):
        return False
    if markers in ("superscript", "paren") and fmt == "html":
        return False
    if markers == "superscript" and layout.placement == "spaced":
        return False  # nobody writes "word ¹."
    return lst != "names-line" or layout.heading is None  # "Sources:" is its own heading


def all_layouts() -> list[Layout]:
    """Every compatible combination."""
    return [
        layout
        for values in itertools.product(
            FORMATS, MARKER_STYLES, PLACEMENTS, LIST_LAYOUTS, LIST_HEADINGS, (True, False)
        )
        if compatible(layout := Layout(*values))
    ]


def renderings(*, cells: int = 0) -> list[Rendering]:
    """Renderings of the articles: every compatible layout (cells=0), or a rotation of them.

    With cells > 0 each (format, markers, placement, list layout) cell appears once,
    its list heading, headline and article rotating, for a quicker run.
    """
    layouts = all_layouts()
    if cells:
        by_cell: dict[tuple[str, str, str, str], list[Layout]] = {}
        for layout in layouts:
            cell = (layout.format, layout.markers, layout.placement, layout.layout)
            by_cell.setdefault(cell, []).append(layout)
        layouts = []
        for turn, options in enumerate(by_cell.values()):
            heading = LIST_HEADINGS[turn % len(LIST_HEADINGS)]
            headline = turn % 2 == 0
            layouts.append(
                next(
                    (o for o in options if o.heading == heading and o.headline == headline),
                    options[turn % len(options)],
                )
            )
    return [
        Rendering(article, layout, render(article, layout))
        for index, layout in enumerate(layouts)
        for article in (ARTICLES[index % len(ARTICLES)],)
    ]


# -- writing an article out ------------------------------------------------------------------


def _runs(labels: tuple[int, ...]) -> list[tuple[int, int]]:
    runs: list[tuple[int, int]] = []
    for n in sorted(labels):
        if runs and n == runs[-1][1] + 1:
            runs[-1] = (runs[-1][0], n)
        else:
            runs.append((n, n))
    return runs


def _anchor(layout: Layout, n: int) -> str:
    return f"cite_note-{n}" if layout.layout == "html-wiki-ol" else f"n{n}"


def _marker(
    labels: tuple[int, ...], layout: Layout, uses: Counter[int], entries: tuple[Entry, ...]
) -> str:
    style = layout.markers
    if not labels:
        return ""
    if style == "md-numbered-link":
        return "".join(f"[{n}]({entries[n - 1].url})" for n in labels)
    if style == "html-numbered-link":
        return "".join(f'<a href="{entries[n - 1].url}">[{n}]</a>' for n in labels)
    if style == "brackets":
        return "".join(f"[{n}]" for n in labels)
    if style == "bracket-list":
        return "[" + ", ".join(str(n) for n in labels) + "]"
    if style in ("bracket-range", "bracket-range-dash"):
        dash = "-" if style == "bracket-range" else "–"
        parts = [f"{a}{dash}{b}" if b > a else str(a) for a, b in _runs(labels)]
        return "[" + ",".join(parts) + "]"
    if style == "caret-footnote":
        return "".join(f"[^{n}]" for n in labels)
    if style == "superscript":
        return "".join(str(n).translate(_SUPERSCRIPT) for n in labels)
    if style == "paren":
        return "".join(f"({n})" for n in labels)
    if style == "html-sup":
        return "".join(f'<sup><a href="#{_anchor(layout, n)}">{n}</a></sup>' for n in labels)
    parts = []
    for n in labels:
        uses[n] += 1
        parts.append(
            f'<sup id="cite_ref-{n}_{uses[n]}" class="reference">'
            f'<a href="#{_anchor(layout, n)}">[{n}]</a></sup>'
        )
    return "".join(parts)


def _place(sentence: str, marker: str, placement: str) -> str:
    if not marker:
        return sentence
    body, stop = sentence[:-1], sentence[-1]
    if placement == "before-stop":
        return f"{body}{marker}{stop}"
    if placement == "after-stop":
        return f"{sentence}{marker}"
    return f"{body} {marker}{stop}"


def _label(layout: Layout, n: int) -> str:
    if layout.markers == "superscript":
        return str(n).translate(_SUPERSCRIPT)
    if layout.markers == "paren":
        return f"({n})"
    return f"[{n}]"


def _wiki_text(article: Article, entry: Entry, cites: int) -> str:
    backlinks = "^" if cites <= 1 else "^ " + " ".join("abcdefgh"[:cites])
    return (
        f'{backlinks} {entry.author} ({article.date}). "{entry.story}". {entry.work}. '
        f"Retrieved {article.date}."
    )


def _plain_list(article: Article, layout: Layout, cites: Counter[int]) -> str:
    lines = []
    for n, entry in enumerate(article.entries, 1):
        lst = layout.layout
        if lst in ("blank-lines", "single-lines", "one-line"):
            lines.append(f"{_label(layout, n)} {entry.written}")
        elif lst == "numbered-dot":
            lines.append(f"{n}. {entry.written}")
        elif lst == "numbered-paren":
            lines.append(f"{n}) {entry.written}")
        elif lst == "numbered-urls":
            lines.append(f"{n}. {entry.url}")
        elif lst == "bare-urls":
            lines.append(entry.url)
        elif lst == "wiki-text":
            lines.append(f"{n}. {_wiki_text(article, entry, cites[n])}")
        elif lst == "md-link-defs":
            lines.append(f"[{n}]: {entry.url}")
        elif lst == "md-footnote-defs":
            lines.append(f"[^{n}]: {entry.written}, {article.date}, {entry.url}")
    if layout.layout == "names-line":
        return "Sources: " + "; ".join(entry.written for entry in article.entries)
    joiner = {"blank-lines": "\n\n", "one-line": " "}.get(layout.layout, "\n")
    return joiner.join(lines)


def _html_list(article: Article, layout: Layout, cites: Counter[int]) -> str:
    def esc(text: str) -> str:
        return html.escape(text, quote=True)

    entries = list(enumerate(article.entries, 1))
    lst = layout.layout
    if lst in ("blank-lines", "single-lines", "one-line"):
        items = [f"{_label(layout, n)} {esc(e.written)}" for n, e in entries]
        if lst == "blank-lines":
            return "\n".join(f"<p>{item}</p>" for item in items)
        return "<p>" + ("<br>\n" if lst == "single-lines" else " ").join(items) + "</p>"
    if lst == "bare-urls":
        return (
            "<p>"
            + "<br>\n".join(f'<a href="{esc(e.url)}">{esc(e.url)}</a>' for _, e in entries)
            + "</p>"
        )
    if lst == "names-line":
        return "<p>Sources: " + "; ".join(esc(e.written) for _, e in entries) + "</p>"
    if lst == "html-ol":
        items = [
            f'<li id="{_anchor(layout, n)}"><a href="{esc(e.url)}">{esc(e.written)}</a></li>'
            for n, e in entries
        ]
        return "<ol>\n" + "\n".join(items) + "\n</ol>"
    items = []
    for n, e in entries:
        back = (
            "^"
            if cites[n] <= 1
            else "^ "
            + " ".join(f"<sup><i><b>{letter}</b></i></sup>" for letter in "abcdefgh"[: cites[n]])
        )
        items.append(
            f'<li id="{_anchor(layout, n)}"><span class="mw-cite-backlink">{back}</span> '
            f'<span class="reference-text"><cite class="citation news">{esc(e.author)} '
            f'({article.date}). <a class="external text" href="{esc(e.url)}">'
            f'"{esc(e.story)}"</a>. <i>{esc(e.work)}</i>. Retrieved {article.date}.'
            f"</cite></span></li>"
        )
    return '<div class="reflist"><ol class="references">\n' + "\n".join(items) + "\n</ol></div>"


def render(article: Article, layout: Layout) -> str:
    """The article written out in one layout."""
    fmt = layout.format
    esc = (lambda t: html.escape(t, quote=False)) if fmt == "html" else (lambda t: t)
    cites: Counter[int] = Counter(n for _text, labels in article.sentences() for n in labels)
    uses: Counter[int] = Counter()
    parts: list[str] = []
    if layout.headline:
        parts.append(
            {"text": article.headline, "markdown": f"# {article.headline}"}.get(
                fmt, f"<h1>{esc(article.headline)}</h1>"
            )
        )
    for heading, paragraphs in article.sections:
        if heading:
            parts.append(
                {"text": heading, "markdown": f"## {heading}"}.get(fmt, f"<h2>{esc(heading)}</h2>")
            )
        for paragraph in paragraphs:
            body = " ".join(
                _place(esc(text), _marker(labels, layout, uses, article.entries), layout.placement)
                for text, labels in paragraph
            )
            parts.append(f"<p>{body}</p>" if fmt == "html" else body)
    heading = layout.heading
    if fmt == "html":
        if layout.layout != "links-only":
            listing = _html_list(article, layout, cites)
            parts.append((f"<h2>{esc(heading)}</h2>\n" if heading else "") + listing)
        title = f"<title>{esc(article.headline)} - Newsroom</title>" if layout.headline else ""
        return (
            '<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8">'
            f"{title}</head>\n<body><article>\n" + "\n".join(parts) + "\n</article></body></html>\n"
        )
    listing = _plain_list(article, layout, cites) if layout.layout != "links-only" else ""
    if heading:
        under = "\n\n" if fmt == "markdown" or layout.layout == "blank-lines" else "\n"
        parts.append((f"## {heading}" if fmt == "markdown" else heading) + under + listing)
    elif listing:
        parts.append(listing)
    return "\n\n".join(parts) + "\n"
