"""Rules a reader would agree with for lines that are page furniture, not prose."""

from __future__ import annotations

import functools
import json
import re
from dataclasses import dataclass
from importlib import resources

__all__ = ["FurnitureRules", "has_terminal", "word_count"]

_NAV_SEPARATOR = re.compile(r"\s[|·•/»›]\s")
_DATE_ONLY = re.compile(
    r"^(?:\w+,?\s+)?(?:\d{1,2}\s+)?(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\.?"
    r"(?:\s+\d{1,2})?,?\s+\d{4}"
    r"(?:,?\s+(?:at\s+)?\d{1,2}[:.]\d{2}(?:\s*[ap]\.?m\.?)?(?:\s+\w{2,4})?)?$"
    r"|^\d{1,2}[/.-]\d{1,2}[/.-]\d{2,4}(?:,?\s+\d{1,2}:\d{2})?$"
    r"|^\d{4}-\d{2}-\d{2}(?:[ t]\d{2}:\d{2}.*)?$",
    re.IGNORECASE,
)


# A line that opens with a date: "30 November 2025", "Nov. 30, 2025", "2025-11-30"
_DATE_FIRST = re.compile(
    r"^(?:\w+,?\s+)?(?:\d{1,2}\s+)?(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\.?"
    r"\s+(?:\d{1,2},?\s+)?\d{4}\b|^\d{4}-\d{2}-\d{2}\b",
    re.IGNORECASE,
)
_CLOSING = "\"'”’»)]"
# "... 2 грудня 2026 р.", "... 2 декабря 2026 г.": the stop of a year's abbreviation
_YEAR_END = re.compile(r"\d{4}\s*\w{0,4}\.$")
_COUNT_TAIL = re.compile(r"\s*\(\d+\)$")  # "comments (12)"
_PREFIX_CHARS = 120  # longer than any UI prefix: a paragraph is not case-folded whole for them


def has_terminal(text: str) -> bool:
    """True when folded, marker-free text ends like a sentence or a clause."""
    # as `re.search(r"[.!?…:;][\"'”’»)\]]*$", text)`, without scanning the whole text
    end = text[:-1] if text.endswith("\n") else text
    return end.rstrip(_CLOSING).endswith((".", "!", "?", "…", ":", ";"))


def word_count(text: str) -> int:
    """Whitespace-separated words."""
    return len(text.split())


_EDIT_LINK = re.compile(r"\s*\[\s*edit(?: source)?\s*\]\s*$", re.IGNORECASE)


def _norm(text: str) -> str:
    """Folded for comparison: case, a trailing colon and a wiki's '[edit]' link ignored."""
    folded = text.casefold().strip()
    if folded.endswith("]"):
        folded = _EDIT_LINK.sub("", folded)
    return folded.rstrip(":.").strip()


@dataclass(frozen=True, slots=True)
class FurnitureRules:
    """Generic UI phrases and heading names, loaded from data/furniture.json."""

    ui_phrases: frozenset[str]
    ui_prefixes: tuple[str, ...]
    ui_contains: tuple[str, ...]
    byline: re.Pattern[str]
    dateline: re.Pattern[str]
    credit: re.Pattern[str]
    reference_headings: frozenset[str]
    note_headings: frozenset[str]
    end_headings: frozenset[str]
    wire_credit: re.Pattern[str]
    boilerplate_heading: re.Pattern[str]
    end_marks: frozenset[str]
    contents_headings: frozenset[str]
    closing_headings: frozenset[str]
    post_signature: re.Pattern[str]
    bio: re.Pattern[str]

    @classmethod
    @functools.cache
    def default(cls) -> FurnitureRules:
        """The bundled rules."""
        raw = json.loads(
            resources.files("app.splitter").joinpath("data/furniture.json").read_text("utf-8")
        )
        return cls(
            ui_phrases=frozenset(raw["ui_phrases"]),
            ui_prefixes=tuple(raw["ui_prefixes"]),
            ui_contains=tuple(raw["ui_contains"]),
            byline=re.compile(raw["byline"], re.IGNORECASE),
            dateline=re.compile(raw["dateline"], re.IGNORECASE),
            credit=re.compile(raw["credit"], re.IGNORECASE),
            reference_headings=frozenset(raw["reference_headings"]),
            note_headings=frozenset(raw["note_headings"]),
            end_headings=frozenset(raw["end_headings"]),
            wire_credit=re.compile(raw["wire_credit"], re.IGNORECASE),
            boilerplate_heading=re.compile(raw["boilerplate_heading"]),
            end_marks=frozenset(raw["end_marks"]),
            contents_headings=frozenset(raw["contents_headings"]),
            closing_headings=frozenset(raw["closing_headings"]),
            post_signature=re.compile(raw["post_signature"]),
            bio=re.compile(raw["bio"]),
        )

    def heading_kind(self, text: str) -> str | None:
        """'references', 'notes', 'end' or 'boilerplate' when `text` names end matter.

        'end' (a "Related" box) ends the article only when no prose follows it;
        'boilerplate' (a press release's "About <Organisation>", an end mark such
        as ###) ends it whatever follows.
        """
        if len(text) > 60:
            return None
        norm = _norm(text)
        if norm in self.end_marks or self.boilerplate_heading.match(text.strip()):
            return "boilerplate"
        if _COUNT_TAIL.sub("", norm) in self.closing_headings:
            return "boilerplate"  # comments, the author's biography: nothing after is article
        if len(text) > 40:
            return None
        if norm in self.reference_headings:
            return "references"
        if norm in self.note_headings:
            return "notes"
        if norm in self.end_headings:
            return "end"
        return None

    def is_contents_heading(self, text: str) -> bool:
        """True for the heading of a table of contents box."""
        return len(text) <= 40 and _norm(text) in self.contents_headings

    def is_furniture(self, text: str) -> bool:
        """True for UI lines, bylines, datelines, copyright and navigation rows."""
        norm = _norm(text)
        if not norm:
            return True
        if norm in self.ui_phrases:
            return True
        stripped = text.lstrip()
        if stripped[:_PREFIX_CHARS].casefold().startswith(self.ui_prefixes):
            return True
        words = word_count(text)
        terminal = has_terminal(text)
        if not terminal or words <= 12:
            lowered = stripped.casefold()
            if any(p in lowered for p in self.ui_contains):
                return True
        if (
            words <= 18
            and (not terminal or _YEAR_END.search(text))
            and (self.byline.match(text) or self.dateline.match(text))
        ):
            return True
        if self.dateline.match(text) and words <= 8:
            return True
        if _DATE_ONLY.match(text.strip()):
            return True
        if words <= 14 and not terminal and _DATE_FIRST.match(text):
            return True  # "November 30, 2025 3:04 PM GMT+2 Updated 2 hours ago"
        if self.wire_credit.match(text.strip()):
            return True  # (Reporting by ...; Editing by ...)
        if words <= 60 and self.credit.search(text, max(0, len(text) - 120)):
            return True  # a caption: ends with its picture credit
        if words <= 16 and self.post_signature.match(stripped):
            return True  # "— Name (@handle) June 12, 2026" under an embedded post
        if words <= 40 and self.bio.match(stripped):
            return True  # "Anna Kowalska is our Warsaw correspondent. She ..."
        if terminal:
            return False
        separators = len(_NAV_SEPARATOR.findall(text))
        return separators >= 2 and words <= 4 * (separators + 1)
