"""Step: sentence boundaries inside each body block.

sentencex finds the base boundaries on the block text with its markers cut
out; the corrections below (data in data/abbreviations.json) fix what it gets
wrong, then every sentence is mapped back to block coordinates and takes the
markers that close it (`capabilities[1][2].` and `stalled.[2]` alike).
"""

from __future__ import annotations

import functools
import json
import re
from bisect import bisect_right
from collections.abc import Mapping
from dataclasses import dataclass, field
from importlib import resources
from typing import Any

import sentencex

from app.splitter.text import Marker

__all__ = ["Abbreviations", "LanguageRules", "segment_block"]


@dataclass(frozen=True, slots=True)
class LanguageRules:
    """One language's corrections (data/abbreviations.json, `languages`)."""

    titles: frozenset[str]
    never_final: frozenset[str]
    months: frozenset[str]
    ordinals: bool
    openers: frozenset[str]
    lowercase_continues: bool
    initials: bool
    final_before_capital: frozenset[str] = frozenset()
    colon_ends: bool = False
    colon_opens_quote: frozenset[str] = frozenset()

    @classmethod
    def from_data(cls, raw: dict[str, Any]) -> LanguageRules:
        """Rules from one entry of the data file."""
        return cls(
            titles=frozenset(raw["titles"]),
            never_final=frozenset(_squeeze(a) for a in raw["never_final"]),
            months=frozenset(raw["months"]),
            ordinals=bool(raw["ordinals"]),
            openers=frozenset(raw["openers"]),
            lowercase_continues=bool(raw["lowercase_continues"]),
            initials=bool(raw["initials"]),
            final_before_capital=frozenset(
                _squeeze(a) for a in raw.get("final_before_capital", ())
            ),
            colon_ends=bool(raw.get("colon_ends", False)),
            colon_opens_quote=frozenset(raw.get("colon_opens_quote", ())),
        )


def _squeeze(abbreviation: str) -> str:
    """'z. B' and 'z.B.' alike: lower case, no spaces, no final period."""
    return abbreviation.lower().replace(" ", "").rstrip(".")


@dataclass(frozen=True, slots=True)
class Abbreviations:
    """Abbreviation tables loaded from data/abbreviations.json."""

    titles: frozenset[str]
    before_number: frozenset[str]
    never_final: frozenset[str]  # in any language: 'approx. €210'
    months: frozenset[str]
    acronym_continuations: frozenset[str]
    time_zones: frozenset[str]
    sentence_openers: frozenset[str]
    speech_verbs: frozenset[str]
    after_speech_verb: frozenset[str]
    languages: Mapping[str, LanguageRules] = field(default_factory=dict)

    @classmethod
    @functools.cache
    def default(cls) -> Abbreviations:
        """The bundled tables."""
        raw = json.loads(
            resources.files("app.splitter").joinpath("data/abbreviations.json").read_text("utf-8")
        )
        return cls(
            titles=frozenset(raw["titles"]),
            before_number=frozenset(raw["before_number"]),
            never_final=frozenset(raw["never_final"]),
            months=frozenset(raw["months"]),
            acronym_continuations=frozenset(raw["acronym_continuations"]),
            time_zones=frozenset(raw["time_zones"]),
            sentence_openers=frozenset(raw["sentence_openers"]),
            speech_verbs=frozenset(raw["speech_verbs"]),
            after_speech_verb=frozenset(raw["after_speech_verb"]),
            # a plain dict (not a read-only proxy): Tools are pickled to the worker pool
            languages={
                code: LanguageRules.from_data(rules) for code, rules in raw["languages"].items()
            },
        )


_LAST_TOKEN = re.compile(r"(?:^|[\s(\"“])([^\s(\"“]+)\.\s*$")
# `\b(?:[A-Z]\.){2,}...`, written to start with a character class (the regex engine then
# scans for it quickly): the lookbehind after the first letter is the word boundary.
_ACRONYM_THEN_CAP = re.compile(
    r"[A-Z](?<!\w[A-Z])\.(?:[A-Z]\.)+\s+([A-Z][\w'’-]*)(\.?)(?:\s+([A-Z]))?"
)
_CLOCK_THEN_CAP = re.compile(r"\b[ap]\.m\.\s+([A-Z][A-Za-z]*)(\s+time\b)?")
_PAREN_END = re.compile(r"[.!?][\"”’']?\)\s+(?=[A-Z(\"“])")
_ENUMERATOR = re.compile(r"(?:^|(?<=\s))(?:[•⁃‣]\s?)?(\(?(\d{1,3}|[a-z])(?:\.\)|[.)]))(?=\s)")
_ENUMERATOR_ONLY = re.compile(r"^(?:[•⁃‣]\s?)?\(?(?:\d{1,3}|[a-zA-Z])(?:\.\)|[.)])$")
_CLOSERS = "\"'”’»)]"


class _Runs:
    """Maps an index of the masked text back to the block text (markers cut out)."""

    __slots__ = ("block_starts", "masked_starts")

    def __init__(self) -> None:
        self.masked_starts: list[int] = []
        self.block_starts: list[int] = []

    def __bool__(self) -> bool:
        return bool(self.masked_starts)

    def __getitem__(self, index: int) -> int:
        run = bisect_right(self.masked_starts, index) - 1
        return self.block_starts[run] + index - self.masked_starts[run]


def _mask(text: str, markers: list[Marker]) -> tuple[str, _Runs, set[int]]:
    """Text without its markers, the map back to block indexes, and the cut points."""
    runs = _Runs()
    if not markers:
        return text, runs, set()
    parts: list[str] = []
    cuts: set[int] = set()
    position = 0
    masked_len = 0
    for marker in markers:
        if marker.start > position:
            parts.append(text[position : marker.start])
            runs.masked_starts.append(masked_len)
            runs.block_starts.append(position)
            masked_len += marker.start - position
        cuts.add(masked_len)
        position = max(position, marker.end)
    if position < len(text):
        parts.append(text[position:])
        runs.masked_starts.append(masked_len)
        runs.block_starts.append(position)
    return "".join(parts), runs, cuts


def _base_boundaries(masked: str, language: str) -> list[int]:
    """sentencex boundaries (positions where a new sentence starts), excluding 0 and end."""
    try:
        pieces = sentencex.segment(language, masked)
    except Exception:  # a language sentencex mishandles splits as English, never fails
        pieces = sentencex.segment("en", masked)
    if "".join(pieces) != masked:
        return []
    bounds: list[int] = []
    position = 0
    for piece in pieces[:-1]:
        position += len(piece)
        bounds.append(position)
    return bounds + _inside_quotations(masked, language)


# Quotation marks that open and close a quotation: “…”, «…», „…“, "…".
_QUOTATION = re.compile(
    r"“([^“”\n]{3,2000})”|«([^«»\n]{3,2000})»|„([^„“”\n]{3,2000})[“”]|\"([^\"\n]{3,2000})\""
)


_REPLY_MAX_WORDS = 2


def _inside_quotations(masked: str, language: str) -> list[int]:
    """Boundaries between the sentences of one quotation, which sentencex never cuts.

    '"We are ready. We will not wait," he said.' holds two claims; the quotation's
    inner text is segmented on its own, and a cut before a capital letter is kept.
    """
    if not any(mark in masked for mark in '"“«„'):
        return []
    bounds: list[int] = []
    for match in _QUOTATION.finditer(masked):
        group = match.lastindex or 1
        inner, offset = match.group(group), match.start(group)
        try:
            pieces = sentencex.segment(language, inner)
        except Exception:  # as for the whole text: English rules, never a failure
            pieces = sentencex.segment("en", inner)
        if "".join(pieces) != inner:
            continue
        position = offset
        for piece in pieces[:-1]:
            position += len(piece)
            rest = inner[position - offset :]
            if piece.rstrip()[-1:] in "?!" and len(rest.split()) <= _REPLY_MAX_WORDS:
                continue  # '"Would we go alone? No," he said.': a reply to its own question
            if position < len(masked) and _capital_start(masked[position:]):
                bounds.append(position)
    return bounds


def _capital_start(text: str) -> bool:
    """True when the text's first letter (after spaces) is upper case or caseless."""
    stripped = text.lstrip()
    return bool(stripped) and (stripped[0].isupper() or stripped[0].isdigit())


def _keeps_going(before: str, after: str, abbreviations: Abbreviations) -> bool:
    """True when the boundary between `before` and `after` sits after a non-final abbreviation."""
    match = _LAST_TOKEN.search(before[-40:])
    if match is None:
        return False
    token = match.group(1).lower()
    if token in abbreviations.never_final:
        return True
    nxt = after.lstrip()[:1]
    if not nxt:
        return False
    if token in abbreviations.titles and (nxt.isupper() or nxt.isdigit()):
        return True
    if token in abbreviations.before_number and nxt.isdigit():
        return True
    return token in abbreviations.months and nxt.isdigit()


_QUOTED_CRY = re.compile(r"[?!][\"”’']\s*$")
_OPENING_QUOTE = re.compile(r"\s*[\"“‘']")
_ATTRIBUTION_MAX_WORDS = 10


def _keep_attributions(masked: str, bounds: set[int], abbreviations: Abbreviations) -> None:
    """'"Is that fair?" Senator Warren asked.': a quoted question and its attribution are one.

    The boundary after a quotation that is a whole sentence ending in ? or ! goes when
    what follows is a short clause that ends the sentence and holds a speech verb.
    """
    ordered = sorted(b for b in bounds if 0 < b < len(masked))
    for index, bound in enumerate(ordered):
        start = ordered[index - 1] if index else 0
        end = ordered[index + 1] if index + 1 < len(ordered) else len(masked)
        if not _QUOTED_CRY.search(masked, max(start, bound - 4), bound):
            continue
        if not _OPENING_QUOTE.match(masked, start):
            continue
        clause = [word.strip(".,;:").lower() for word in masked[bound:end].split()]
        if (
            not clause
            or len(clause) > _ATTRIBUTION_MAX_WORDS
            or not masked[:end].rstrip().endswith(".")
        ):
            continue
        if _attributes(clause, abbreviations):
            bounds.discard(bound)


def _attributes(clause: list[str], abbreviations: Abbreviations) -> bool:
    """'the senator asked', 'asked the senator', 'Ms. Okafor said at a news conference'."""
    for position, word in enumerate(clause[:4]):
        if word in abbreviations.speech_verbs:
            after = clause[position + 1 : position + 2]
            return position == 0 or not after or after[0] in abbreviations.after_speech_verb
    return False


def _list_run(masked: str) -> list[tuple[int, int]]:
    """Enumerators of an inline list starting the block (1. 2. 3. / a) b) c)): (start, end)."""
    first = _ENUMERATOR.search(masked, 0, 12)
    if first is None or first.start() > 2:
        return []
    found = list(_ENUMERATOR.finditer(masked, first.start()))
    run = [found[0]]
    for match in found[1:]:
        previous = run[-1].group(2)
        current = match.group(2)
        if _follows(previous, current):
            run.append(match)
    if len(run) < 2:
        return []
    return [(m.start(), m.end()) for m in run]


def _follows(previous: str, current: str) -> bool:
    """True when enumerator `current` comes right after `previous` (2 after 1, b after a)."""
    if previous.isdigit() and current.isdigit():
        return int(current) == int(previous) + 1
    return previous.isalpha() and current.isalpha() and ord(current) == ord(previous) + 1


# The word before a boundary (abbreviation or number, period included) and the one after.
_WORD_BEFORE = re.compile(r"(?:^|[\s(\"“«„])([^\s(\"“«„]+)\.\s*$")
_WORD_AFTER = re.compile(r"\s*[\"“«„(]?(\w[\w'’-]*)")
_NUMBER = re.compile(r"\d{1,3}")


def _capital(char: str) -> bool:
    """An upper-case letter, or any letter of a script without case (Arabic, Hebrew)."""
    return char.isupper() or (char.isalpha() and not char.islower())


def _keeps_going_in(before: str, after: str, rules: LanguageRules) -> bool:
    """True when one language's rules say the sentence goes on across this boundary."""
    if not before.isascii():  # an ASCII text holds no directional control
        before = before.translate(_NO_BIDI)
    if not after.isascii():
        after = after.translate(_NO_BIDI)
    match = _WORD_BEFORE.search(before)
    if match is None:
        return False
    token = re.split(r"['’]", match.group(1))[-1]  # L'art. -> art
    squeezed = _squeeze(token)
    if squeezed in rules.never_final or _squeeze(before[-12:].split("(")[-1]) in rules.never_final:
        return True  # whatever follows: 'approx. €210'
    following = _WORD_AFTER.match(after)
    if following is None:
        return False
    word = following.group(1)
    if rules.lowercase_continues and word[:1].islower():
        return True
    if squeezed in rules.titles and (_capital(word[:1]) or word[:1].isdigit()):
        return True
    if rules.initials and len(token) == 1 and token.isupper() and word[:1].isupper():
        return True
    if _NUMBER.fullmatch(token):
        if word.lower() in rules.months:
            return True
        return rules.ordinals and word[:1].isupper() and word not in rules.openers
    return False


# Directional formatting characters wrap a period in right-to-left text (`د\u202a.\u202c`):
# a boundary never falls before one, and the rules read the text without them.
_BIDI_CONTROLS = "\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"
_NO_BIDI = str.maketrans("", "", _BIDI_CONTROLS)


def _past_bidi(masked: str, bound: int) -> int:
    """The boundary moved past the directional controls that close the sentence before it."""
    while bound < len(masked) and masked[bound] in _BIDI_CONTROLS:
        bound += 1
    return bound


# A period glued to what follows ends no sentence: '3.Arroz' and '2.мясо' enumerate,
# 'LL.AA.II.RR.' and 'c.-à-d.' abbreviate, 'Madrid (EFE).- El' is a dateline's dash.
# (A marker cut out between them is another matter: those boundaries are added after this.)
def _glued(masked: str, bound: int) -> bool:
    return (
        1 < bound < len(masked)
        and masked[bound - 1] == "."
        and ((masked[bound].isalpha() and masked[bound - 2].isalnum()) or masked[bound] in _DASHES)
    )


_DASHES = "-‐–—"


_COLON_THEN_TEXT = re.compile(r"(?<!\w)(\w+)\s*:\s+(?=[^\W\d_])")


# 'وقال الوزير:' - the verb may stand a few words before its colon, its subject between.
_SPEECH_REACH = 4


def _colon_ends(masked: str, rules: LanguageRules) -> set[int]:
    """Boundaries after a colon that closes a lead-in (Arabic), not after a speech verb."""
    found: set[int] = set()
    for match in _COLON_THEN_TEXT.finditer(masked):
        lead = masked[max(0, match.end(1) - 80) : match.end(1)].split()[-_SPEECH_REACH:]
        if not any(word.strip("،,") in rules.colon_opens_quote for word in lead):
            found.add(match.end())
    return found


_LIST_END = re.compile(r"(?<!\w)(\w+)\.\s+(?=[^\W\d_])")


def _list_ends(masked: str, rules: LanguageRules) -> set[int]:
    """Boundaries after a list-closing abbreviation before a capitalised word (usw. Die)."""
    found: set[int] = set()
    for match in _LIST_END.finditer(masked):
        nxt = masked[match.end() : match.end() + 1]
        if nxt.isupper() and match.group(1).lower() in rules.final_before_capital:
            found.add(match.end())
    return found


def segment_block(
    text: str,
    markers: list[Marker],
    *,
    abbreviations: Abbreviations,
    language: str | None = None,
) -> list[tuple[int, int]]:
    """Sentences of one block as (start, end) in block coordinates, markers attached."""
    masked, index_of, cuts = _mask(text, markers)
    if not masked.strip():
        return []
    rules = abbreviations.languages.get(language) if language else None
    bounds = {
        _past_bidi(masked, bound)
        for bound in _base_boundaries(masked, language or "en")
        if not _glued(masked, bound)
    }
    if rules is not None and rules.colon_ends and ":" in masked:
        bounds |= _colon_ends(masked, rules)
    if rules is not None and rules.final_before_capital:
        bounds |= _list_ends(masked, rules)
    if rules is not None:
        for bound in sorted(bounds):
            if _keeps_going_in(
                masked[max(0, bound - 40) : bound], masked[bound : bound + 40], rules
            ):
                bounds.discard(bound)
    # Corrections that keep a sentence going.
    for bound in sorted(bounds):
        if _keeps_going(
            masked[max(0, bound - 40) : bound], masked[bound : bound + 3], abbreviations
        ):
            bounds.discard(bound)
    # Corrections that end one.
    for match in _ACRONYM_THEN_CAP.finditer(masked):
        word, stop, capital = match.groups()
        # U.S. Army, U.S. East Coast: a name goes on; U.S. The..., U.S. Officials said: it ends
        if word in abbreviations.acronym_continuations or (
            capital and not stop and word not in abbreviations.sentence_openers
        ):
            bounds.discard(match.start(1))
        else:
            bounds.add(match.start(1))
    for match in _CLOCK_THEN_CAP.finditer(masked) if ".m." in masked else ():
        if match.group(1) in abbreviations.time_zones or match.group(2):
            bounds.discard(match.start(1))  # 8:30 a.m. Eastern time, 9 a.m. Moscow time
    for match in _PAREN_END.finditer(masked):
        bounds.add(match.end())
    for cut in cuts:
        # a marker after a full stop, before a capitalised word, closes the sentence
        if 0 < cut < len(masked) and masked[cut - 1] in ".!?":
            rest = masked[cut : cut + 2].lstrip()
            before = masked[max(0, cut - 40) : cut]
            if rest[:1].isupper() and not _keeps_going(before, rest, abbreviations):
                bounds.add(cut + (len(masked[cut : cut + 2]) - len(masked[cut : cut + 2].lstrip())))
    _keep_attributions(masked, bounds, abbreviations)
    run = _list_run(masked)
    if run:
        enumerator_ends = {end + 1 for _, end in run} | {end for _, end in run}
        bounds -= enumerator_ends
        bounds |= {start for start, _ in run[1:]}
    spans = _spans(masked, sorted(b for b in bounds if 0 < b < len(masked)))
    spans = _merge_enumerators(masked, spans)
    return _to_block(text, spans, index_of, markers)


def _spans(masked: str, bounds: list[int]) -> list[tuple[int, int]]:
    """Trimmed (start, end) pieces of masked text between boundaries."""
    spans: list[tuple[int, int]] = []
    start = 0
    for bound in [*bounds, len(masked)]:
        s, e = start, bound
        while s < e and masked[s].isspace():
            s += 1
        while e > s and masked[e - 1].isspace():
            e -= 1
        if e > s:
            spans.append((s, e))
        start = bound
    return spans


def _merge_enumerators(masked: str, spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Join a piece that is only a list enumerator ('1.', 'a)') to the sentence it opens."""
    merged: list[tuple[int, int]] = []
    carry: int | None = None
    for start, end in spans:
        if carry is not None:
            start = carry
            carry = None
        if _ENUMERATOR_ONLY.match(masked[start:end]) and end - start <= 6:
            carry = start
            continue
        merged.append((start, end))
    if carry is not None:
        if merged:
            merged[-1] = (merged[-1][0], len(masked.rstrip()))
        else:
            merged.append((carry, len(masked.rstrip())))
    return merged


def _to_block(
    text: str, spans: list[tuple[int, int]], index_of: _Runs, markers: list[Marker]
) -> list[tuple[int, int]]:
    """Map masked spans to block coordinates and attach the markers that close each one."""
    marker_at = {m.start: m for m in markers}
    result: list[tuple[int, int]] = []
    for position, (start, end) in enumerate(spans):
        if index_of:
            b_start = index_of[start]
            b_end = index_of[end - 1] + 1
        else:
            b_start, b_end = start, end
        # take markers (and closers between them) that follow the sentence's last character
        limit = len(text)
        if position + 1 < len(spans) and index_of:
            limit = index_of[spans[position + 1][0]]
        elif position + 1 < len(spans):
            limit = spans[position + 1][0]
        while b_end < limit:
            marker = marker_at.get(b_end)
            if marker is not None:
                b_end = marker.end
                continue
            if text[b_end] in _CLOSERS:
                nxt = b_end + 1
                if nxt in marker_at or (nxt < limit and text[nxt] in _CLOSERS):
                    b_end = nxt
                    continue
            break
        if result and b_start < result[-1][1]:
            b_start = result[-1][1]
        if b_end > b_start:
            result.append((b_start, b_end))
    return result
