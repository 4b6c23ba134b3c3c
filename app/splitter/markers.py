"""Step: find citation and note markers in each block (block coordinates).

Marker styles are data: a table of (style, pattern). A marker span takes the
spaces before it, so cutting it leaves `ships.` from `ships [3].`.
"""

from __future__ import annotations

import re

from app.splitter.text import Block, Marker

__all__ = ["cites_by_superscript", "expand_labels", "find_markers"]

_NUM = r"\d{1,3}"
_RANGE = rf"{_NUM}(?:\s*[-–—]\s*{_NUM})?"
_SUPER_DIGITS = "⁰¹²³⁴⁵⁶⁷⁸⁹"
# a block without one of these holds no textual marker
_CANDIDATE = re.compile(f"[\\[{_SUPER_DIGITS}]|\\(\\d")
_SUPER_TO_ASCII = str.maketrans(_SUPER_DIGITS + "⁻", "0123456789-")

MARKER_PATTERNS: tuple[tuple[str, re.Pattern[str]], ...] = (
    # [1], [1, 2], [2–4], [2-3,6]: one to three digits, so years in brackets are not markers
    ("bracket", re.compile(rf"\[\s*({_RANGE}(?:\s*[,;]\s*{_RANGE})*)\s*\]")),
    # Markdown footnote reference [^1], [^note-2]
    ("footnote", re.compile(r"\[\^([^\]\s]{1,24})\]")),
    # Unicode superscripts ¹²,³ - only counted when the labels exist (see find_markers)
    ("superscript", re.compile(rf"[{_SUPER_DIGITS}]+(?:[,⁻][{_SUPER_DIGITS}]+)*")),
    # (1)(2), (1, 2): only counted when the labels exist and they close a clause (see below)
    ("paren", re.compile(rf"\(({_RANGE}(?:\s*,\s*{_RANGE})*)\)")),
    # Editorial notes: cut like markers, cite nothing
    (
        "note",
        re.compile(
            r"\[(?:citation needed|clarification needed|better source needed|"
            r"verification needed|failed verification|dubious(?: [–-] discuss)?|"
            r"according to whom\?|who\?|when\?|which\?|by whom\?|original research\??|"
            r"(?:note|nb|n) ?\d{1,3}|[a-z]|[ivx]{1,4}|edit|edit source)\]",
            re.IGNORECASE,
        ),
    ),
)


# notes that may stand after a space: "claims [citation needed]", "Background [edit]"
_DETACHED_NOTES = frozenset({"[citation needed]", "[edit]", "[edit source]"})


def expand_labels(raw: str) -> tuple[str, ...]:
    """'2-3,6' -> ('2', '3', '6'); '^1' -> ('1',); ranges are capped at 50 labels."""
    if raw.isdigit():
        return (raw.lstrip("0") or raw,)
    labels: list[str] = []
    for part in re.split(r"\s*[,;]\s*", raw.strip()):
        bounds = re.split(r"\s*[-–—]\s*", part)
        if len(bounds) == 2 and bounds[0].isdigit() and bounds[1].isdigit():
            low, high = int(bounds[0]), int(bounds[1])
            if low <= high <= low + 50:
                labels.extend(str(n) for n in range(low, high + 1))
                continue
        if part:
            labels.append(part.lstrip("^").lstrip("0") or part)
    return tuple(labels)


def cites_by_superscript(
    texts: list[str], *, known_labels: frozenset[str], bare: list[Marker] | None = None
) -> bool:
    """True when superscript digits cite at least two different references in the texts.

    Then a superscript after any word is a marker (`day⁴.`, `44C¹³`, `2.6%¹²`); in
    a text that does not cite this way it must follow a stop or a longer word. `bare`:
    the HTML `<sup>1</sup>` without a link, which count as superscript digits.
    """
    cited: set[str] = set()
    for marker in bare or ():
        if marker.labels and all(label in known_labels for label in marker.labels):
            cited.update(marker.labels)
            if len(cited) > 1:
                return True
    pattern = MARKER_PATTERNS[2][1]
    for text in texts:
        if text.isascii():
            continue
        for match in pattern.finditer(text):
            ascii_labels = match.group().translate(_SUPER_TO_ASCII)
            labels = expand_labels(ascii_labels)
            if not all(label in known_labels for label in labels):
                labels = tuple(ch for ch in ascii_labels if ch.isdigit())
            if labels and all(label in known_labels for label in labels):
                cited.update(labels)
                if len(cited) > 1:
                    return True
    return False


def find_markers(
    block: Block, *, known_labels: frozenset[str], superscript_scheme: bool = False
) -> list[Marker]:
    """All markers of a block, in order: pre-found HTML ones plus textual ones."""
    text = block.text
    found: list[Marker] = [
        m if m.style != "bare" else Marker(m.start, m.end, m.labels, "html")
        for m in block.markers
        if m.style != "bare"
        or _superscript_cites(text, m.start, m.labels, known_labels, scheme=superscript_scheme)
    ]
    if _CANDIDATE.search(text):
        taken = bytearray(len(text) + 1)  # 1 where a marker or code already sits
        for r_start, r_end in [(m.start, m.end) for m in found] + block.no_markers:
            taken[r_start:r_end] = b"\x01" * (r_end - r_start)
        ascii_only = text.isascii()  # a flag check: then no superscript digit is in it
        for style, pattern in MARKER_PATTERNS:
            if ascii_only and style == "superscript":
                continue
            for match in pattern.finditer(text):
                start, end = match.span()
                if any(taken[start:end]):
                    continue
                detached = start == 0 or text[start - 1].isspace()
                if style == "note" and detached and match.group().lower() not in _DETACHED_NOTES:
                    continue
                if style == "superscript":
                    ascii_labels = match.group().translate(_SUPER_TO_ASCII)
                    labels = expand_labels(ascii_labels)
                    if not all(label in known_labels for label in labels):
                        # ¹² read as two markers when 12 is no label but 1 and 2 are
                        labels = tuple(ch for ch in ascii_labels if ch.isdigit())
                    if not _superscript_cites(
                        text, start, labels, known_labels, scheme=superscript_scheme
                    ):
                        continue
                elif style == "note":
                    labels = ()
                elif style == "paren":
                    labels = expand_labels(match.group(1))
                    if not _paren_cites(text, start, end, labels, known_labels):
                        continue
                else:
                    labels = expand_labels(match.group(1))
                taken[start:end] = b"\x01" * (end - start)
                found.append(Marker(start, end, labels, style))
    if not found:
        return []
    found.sort(key=lambda m: m.start)
    widened: list[Marker] = []
    for marker in found:
        start = marker.start
        floor = widened[-1].end if widened else 0
        while start > floor and text[start - 1] == " ":
            start -= 1
        widened.append(Marker(start, marker.end, marker.labels, marker.style))
    return widened


_AFTER_PAREN_MARKER = re.compile(r"\s*(?:\(\d|[.,;:!?)\]\"”’']|$|\s+[^a-z\s])")


def _paren_cites(
    text: str, start: int, end: int, labels: tuple[str, ...], known: frozenset[str]
) -> bool:
    """(1) cites only when its labels are references and it closes a clause.

    In "demands (1) a ceasefire and (2) ..." the numbers enumerate: a lower-case
    word follows them. A citation stands after a word or a stop and is followed by
    punctuation, the end of the text, another marker or the next sentence.
    """
    if not labels or not all(label in known for label in labels) or start == 0:
        return False
    before = text[start - 1]
    if before.isspace():
        before = text[start - 2] if start >= 2 else "("
    if before in "([{" or before.isspace():
        return False
    return _AFTER_PAREN_MARKER.match(text, end) is not None


def _closes_clause(text: str, start: int) -> bool:
    """True when the superscript run at `start` is followed by a stop or the end."""
    end = start
    while end < len(text) and (text[end] in _SUPER_DIGITS or text[end] in ",⁻"):
        end += 1
    return (
        end == len(text)
        or text[end] in ".,;:!?)\"”’'"
        or (text[end].isspace() and (end + 1 < len(text) and text[end + 1].isupper()))
    )


def _superscript_cites(
    text: str, start: int, labels: tuple[str, ...], known: frozenset[str], *, scheme: bool
) -> bool:
    """A superscript cites only when its labels are references and it follows a word or stop."""
    if not labels or not all(label in known for label in labels):
        return False
    if start == 0:
        return False
    before = text[start - 1]
    if before.isdigit():
        # 10³ and 2² are powers; in a text that cites by superscript, `in 2006³` and
        # `on April 1³.` (a number closing its clause) cite
        digits = start
        while digits > 0 and text[digits - 1].isdigit():
            digits -= 1
        return scheme and (start - digits >= 3 or _closes_clause(text, start))
    if before.isalpha():
        word_start = start
        while word_start > 0 and text[word_start - 1].isalpha():
            word_start -= 1
        if start - word_start <= 2 and labels in (("2",), ("3",)):
            return False  # a unit: km², m³
        return scheme or start - word_start > 3
    return before in ".,;:)\"”’'!?" or (scheme and not before.isspace())
