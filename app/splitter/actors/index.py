"""The immutable search index behind ActorRegistry: one Aho-Corasick automaton over
every alias, role word and reporting verb, with the case rule of each written form.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Literal

import ahocorasick

from app.splitter.actors.data import FormKind, Rules
from app.splitter.actors.text import fold_joined, fold_letters, fold_words
from app.splitter.types import Actor

__all__ = [
    "Candidate",
    "Form",
    "Hit",
    "Index",
    "MatchKind",
    "automaton_text",
    "build_index",
    "find_hits",
    "scan_sentences",
]

MatchKind = Literal[FormKind, "given", "role", "verb", "ignore"]


@dataclass(frozen=True, slots=True)
class Form:
    """One written form in the automaton: what it points to and its case rule."""

    slug: str  # "" for role, verb and ignore forms
    kind: MatchKind
    upper: tuple[int, ...]  # offsets that must be upper case in the text
    exact: bool  # an acronym ("US", "AP"): every letter must match its case


@dataclass(frozen=True, slots=True)
class Candidate:
    """All forms that fold to one automaton key, the most specific kind first."""

    length: int  # of the written form (the automaton key adds a space each side)
    forms: tuple[Form, ...]
    free: bool  # no case rule and one kind: accept without looking at the text
    slugs: tuple[str, ...]  # the slugs of the first kind (used when free)


# When one written form has several uses, the most specific wins.
_PRIORITY: dict[str, int] = {
    "ignore": 0,
    "name": 1,
    "translated": 1,
    "metonym": 2,
    "capital": 3,
    "demonym": 4,
    "plural": 5,
    "office": 6,
    "surname": 7,
    "given": 8,
    "role": 9,
    "verb": 10,
}


def _candidate(key: str, bucket: list[Form]) -> Candidate:
    forms = tuple(sorted(bucket, key=lambda f: _PRIORITY[f.kind]))
    kind = forms[0].kind
    same = [f for f in forms if f.kind == kind]
    free = len(same) == len(forms) and not any(f.upper or f.exact for f in forms)
    slugs = tuple(dict.fromkeys(f.slug for f in same))
    return Candidate(length=len(key), forms=forms, free=free, slugs=slugs)


def automaton_text(text: str) -> str:
    """What the automaton scans: words folded, everything else a space, padded both sides.

    Keys are padded the same way, so a match always starts and ends on word boundaries.
    """
    return " " + fold_words(text) + " "


@dataclass(slots=True)
class Hit:
    """One accepted automaton match in a sentence."""

    start: int
    end: int
    kind: MatchKind
    slugs: tuple[str, ...]  # the entries it may stand for (several for a shared surname)


@dataclass(frozen=True, slots=True)
class Index:
    """Everything the per-sentence tagger reads; never written after build."""

    automaton: Any  # ahocorasick.Automaton (untyped)
    actors: Mapping[str, Actor]
    surnames: Mapping[str, tuple[str, ...]]  # surname key (fold_words) -> person slugs
    person_surnames: Mapping[str, tuple[str, ...]]  # person slug -> surname keys
    parents: Mapping[str, str]  # national body slug -> its country's slug
    forms: Mapping[str, Candidate] = field(default_factory=dict)  # fold_words(form) -> candidate
    # fold_words(office form) -> the state or body it names too ("Kyiv's top diplomat")
    office_bodies: Mapping[str, str] = field(default_factory=dict)
    # fold_words(office) -> {state or body slug: holder slug}, for "the defence minister"
    office_holders: Mapping[str, Mapping[str, str]] = field(default_factory=dict)


def _case_rule(text: str) -> tuple[tuple[int, ...], bool]:
    letters = [c for c in text if c.isalpha()]
    acronym = len(letters) >= 2 and all(c.isupper() for c in letters) and len(letters) <= 6
    upper = tuple(i for i, c in enumerate(text) if c.isupper())
    return upper, acronym


_WORD = re.compile(r"\w+")


def _proper_only(text: str, upper: tuple[int, ...], common: frozenset[str]) -> tuple[int, ...]:
    """Upper-case offsets without those of common nouns ("Russia's Defence Ministry" is also
    written "Russia's defence ministry"); unchanged when no proper noun would be left."""
    loose = {m.start() for m in _WORD.finditer(text) if fold_letters(m.group()) in common}
    kept = tuple(i for i in upper if i not in loose)
    return kept if kept else upper


def build_index(
    forms: Iterable[tuple[str, str, MatchKind]],
    *,
    actors: Mapping[str, Actor],
    rules: Rules,
    parents: Mapping[str, str],
    office_bodies: Mapping[str, str] | None = None,
    office_holders: Mapping[str, Mapping[str, str]] | None = None,
) -> Index:
    """Compile (written form, slug, kind) triples and the rules' words into an Index."""
    table: dict[str, list[Form]] = {}

    def add(text: str, slug: str, kind: MatchKind, *, case_free: bool = False) -> None:
        text = " ".join(text.split())
        if not text:
            return
        upper, exact = _case_rule(text)
        if case_free:
            upper, exact = (), False
        elif slug and len(upper) > 1 and rules.any_case_words:
            upper = _proper_only(text, upper, rules.any_case_words)
        form = Form(slug=slug, kind=kind, upper=upper, exact=exact)
        bucket = table.setdefault(fold_words(text), [])
        if form not in bucket:
            bucket.append(form)

    for text, slug, kind in forms:
        add(text, slug, kind)
    for text in rules.roles:
        add(text, "", "role", case_free=not text.endswith("."))
    for text in rules.reporting_verbs:
        add(text, "", "verb", case_free=True)
    for text in rules.ignore:
        add(text, "", "ignore")
    for text in rules.given_names:
        add(text, "", "given")

    automaton = ahocorasick.Automaton()
    candidates: dict[str, Candidate] = {}
    for key, bucket in table.items():
        candidate = _candidate(key, bucket)
        candidates[key] = candidate
        automaton.add_word(" " + key + " ", candidate)
    if candidates:
        automaton.make_automaton()

    surnames: dict[str, list[str]] = {}
    by_person: dict[str, list[str]] = {}
    for key, candidate in candidates.items():
        for form in candidate.forms:
            if form.kind == "surname":
                surnames.setdefault(key, []).append(form.slug)
                by_person.setdefault(form.slug, []).append(key)
    return Index(
        automaton=automaton,
        actors=actors,
        surnames={k: tuple(dict.fromkeys(v)) for k, v in surnames.items()},
        person_surnames={k: tuple(v) for k, v in by_person.items()},
        parents=parents,
        forms=candidates,
        office_bodies={k: v for k, v in (office_bodies or {}).items() if v in actors},
        office_holders={
            office: {body: holder for body, holder in by_body.items() if holder in actors}
            for office, by_body in (office_holders or {}).items()
        },
    )


def _case_ok(form: Form, text: str, start: int, end: int) -> bool:
    if form.exact and not text[start:end].isupper():
        return False
    return all(text[start + i].isupper() for i in form.upper)


def find_hits(index: Index, text: str, scanned: str) -> list[Hit]:
    """All case-valid matches, longest-leftmost, none overlapping.

    `scanned` is automaton_text(text); offsets of the hits index `text`.
    """
    raw: list[tuple[int, int, int, Candidate]] = []
    for last, candidate in index.automaton.iter(scanned):
        end = last - 1
        start = end - candidate.length
        raw.append((start, start - end, end, candidate))
    return _accept(text, raw)


def scan_sentences(index: Index, texts: Sequence[str]) -> list[tuple[str, list[Hit]]]:
    """`(automaton_text(text), find_hits(...))` of every text, from one automaton pass."""
    if not texts:
        return []
    joined, starts = fold_joined(texts)
    raws: list[list[tuple[int, int, int, Candidate]]] = [[] for _ in texts]
    position = 0
    base = 0
    bound = starts[1] if len(starts) > 1 else len(joined)
    current = raws[0]
    for last, candidate in index.automaton.iter(joined):
        if last >= bound:  # matches come in order of their end: move to the text it is in
            while last >= bound:
                position += 1
                bound = starts[position + 1] if position + 1 < len(starts) else len(joined)
            base = starts[position]
            current = raws[position]
        end = last - 1 - base
        start = end - candidate.length
        current.append((start, start - end, end, candidate))
    return [
        (joined[start : start + len(text) + 2], _accept(text, raw) if raw else [])
        for text, start, raw in zip(texts, starts, raws, strict=True)
    ]


def _accept(text: str, raw: list[tuple[int, int, int, Candidate]]) -> list[Hit]:
    """The case-valid hits among raw (start, start - end, end, candidate) matches."""
    if not raw:
        return []
    if len(raw) > 1:
        raw.sort()  # leftmost first, then longest; never equal (one key per start and end)
    hits: list[Hit] = []
    reach = -1
    for start, _, end, candidate in raw:
        if start < reach:
            continue
        forms = candidate.forms  # sorted by kind priority at build time
        if candidate.free:
            first = forms[0]
            hits.append(Hit(start, end, first.kind, candidate.slugs))
            reach = end
            continue
        ok = [f for f in forms if _case_ok(f, text, start, end)]
        if not ok:
            continue  # a shorter match inside may still be valid: reach unchanged
        reach = end
        kind = ok[0].kind
        slugs = tuple(dict.fromkeys(f.slug for f in ok if f.kind == kind))
        hits.append(Hit(start, end, kind, slugs))
    return hits
