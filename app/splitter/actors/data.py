"""Reading the actor registry and its context rules from the shipped data files.

The files are YAML lists of entries (see app/splitter/data/actors_*.yaml):

    - name: Russia              # canonical name (required)
      slug: russia              # stable id; default: slugify(name)
      type: country             # person | country | organization | group (default per file)
      iso: RU                   # ISO 3166 code where known
      wikidata: Q159            # Wikidata id where known
      aliases: [Russian Federation]   # other names: always the actor
      demonyms: [Russian]       # adjectives: the actor only before a state noun
      plurals: [Russians]       # "the Russians": the actor after "the" (default: derived)
      capitals: [Moscow]        # cities: the actor only when they act, not as a place
      metonyms: [Kremlin]       # seats of government: always the actor
      surnames: [Putin]         # persons: surname-only forms (default: derived)
      offices: [president]      # persons: offices that stand for them with their state
      of: nato                  # persons: the organisation the offices are of (default: iso)
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, replace
from importlib import resources
from typing import Any, Literal, cast

import yaml

from app.splitter.actors.languages import fixed_offices, translated_capitals, translated_forms
from app.splitter.actors.text import fold_letters, fold_words, slugify
from app.splitter.types import ActorType

__all__ = [
    "ACTOR_TYPES",
    "FormKind",
    "Rules",
    "Spec",
    "load_rules",
    "load_specs",
    "office_bodies",
    "office_holders",
    "person_surnames",
    "read_yaml",
    "spec_from_mapping",
]

FormKind = Literal[
    "name", "translated", "demonym", "plural", "capital", "metonym", "surname", "office"
]
ACTOR_TYPES: frozenset[str] = frozenset({"person", "country", "organization", "group"})

_ENTRY_FILES: tuple[tuple[str, ActorType], ...] = (
    ("actors_countries.yaml", "country"),
    ("actors_organizations.yaml", "organization"),
    ("actors_people.yaml", "person"),
)
_KIND_KEYS: tuple[tuple[str, FormKind], ...] = (
    ("aliases", "name"),
    ("demonyms", "demonym"),
    ("plurals", "plural"),
    ("capitals", "capital"),
    ("metonyms", "metonym"),
    ("surnames", "surname"),
)


@dataclass(frozen=True, slots=True)
class Spec:
    """One registry entry as read from data: the public fields plus how each form is used."""

    slug: str
    name: str
    type: ActorType
    forms: tuple[tuple[str, FormKind], ...]  # every written form with its kind, name first
    iso_code: str | None = None
    wikidata_id: str | None = None


@dataclass(frozen=True, slots=True)
class Rules:
    """Word lists that decide context: who acts, what is a place, what is a name."""

    roles: tuple[str, ...]  # title words a name may follow ("Foreign Minister", "Gen.")
    reporting_verbs: tuple[str, ...]  # verbs whose capitalised subject is a person
    ignore: tuple[str, ...]  # phrases that hide a shorter alias ("Latin America")
    state_nouns: frozenset[str]  # heads that make a demonym mean the state
    predicates: frozenset[str]  # verbs after "the French" that make it the state
    place_words: frozenset[str]  # words before a city that make it a place
    place_nouns: frozenset[str]  # words after a city that make it a place
    title_words: frozenset[str]  # capitalised words of titles, never part of a name
    stopwords: frozenset[str]  # capitalised function words, never part of a name
    non_person_words: frozenset[str]  # words that make a capitalised run an organisation
    particles: frozenset[str]  # lower-case name particles (von, al, bin, da)
    given_names: tuple[str, ...]  # first names that start a person's name
    former_words: frozenset[str] = frozenset()  # before an office: not its present holder
    any_case_words: frozenset[str] = frozenset()  # common nouns of names, written either case


_ACRONYM = re.compile(r"(?:[A-Z]\.?){2,6}")


def read_yaml(name: str) -> Any:
    path = resources.files("app.splitter").joinpath("data", name)
    with path.open("r", encoding="utf-8") as handle:
        return yaml.load(handle, Loader=yaml.CSafeLoader)


def _strings(value: object) -> tuple[str, ...]:
    if value is None:
        return ()
    if isinstance(value, str):
        return (value,)
    return tuple(str(item) for item in cast(Iterable[object], value))


def spec_from_mapping(
    item: Mapping[str, Any], *, default_type: ActorType, particles: frozenset[str]
) -> Spec:
    """Build one Spec from a data-file mapping (see the module docstring)."""
    name = str(item["name"]).strip()
    actor_type = str(item.get("type", default_type))
    if actor_type not in ACTOR_TYPES:
        raise ValueError(f"actor {name!r}: unknown type {actor_type!r}")
    forms: list[tuple[str, FormKind]] = [(name, "name")]
    for key, kind in _KIND_KEYS:
        for alias in _strings(item.get(key)):
            # a person's one-word alias is a surname: it needs the surname's context checks
            one_word = actor_type == "person" and kind == "name" and " " not in alias
            forms.append((alias, "surname" if one_word else kind))
    if "plurals" not in item:
        # "Russian" -> "Russians", "Israeli" -> "Israelis"; "the British" stays a demonym
        for demonym in _strings(item.get("demonyms")):
            if demonym.endswith(("an", "i")) and " " not in demonym:
                forms.append((demonym + "s", "plural"))
    if actor_type != "person":
        # "the UN's atomic watchdog" as well as "the UN atomic watchdog"
        for form, kind in list(forms):
            head, _, rest = form.partition(" ")
            if kind == "name" and rest and _ACRONYM.fullmatch(head):
                forms.append((f"{head}'s {rest}", "name"))
    if actor_type == "person" and "surnames" not in item:
        full_names = [form for form, kind in forms if kind == "name"]
        for full in full_names:
            forms.extend((s, "surname") for s in person_surnames(full, particles=particles))
    forms = list(dict.fromkeys(forms))
    iso = item.get("iso")
    wikidata = item.get("wikidata")
    return Spec(
        slug=str(item.get("slug") or slugify(name)),
        name=name,
        type=cast(ActorType, actor_type),
        forms=tuple(forms),
        iso_code=str(iso) if iso else None,
        wikidata_id=str(wikidata) if wikidata else None,
    )


@functools.cache
def load_specs() -> tuple[Spec, ...]:
    """Every shipped registry entry, parsed once per process."""
    particles = load_rules().particles
    specs: list[Spec] = []
    seen: set[str] = set()
    for filename, default_type in _ENTRY_FILES:
        for item in read_yaml(filename) or ():
            spec = spec_from_mapping(item, default_type=default_type, particles=particles)
            if spec.slug in seen:
                raise ValueError(f"{filename}: duplicate actor slug {spec.slug!r}")
            seen.add(spec.slug)
            specs.append(_with_translations(spec))
    offices = _office_forms()
    return tuple(
        replace(spec, forms=spec.forms + tuple((form, "office") for form in offices[spec.slug]))
        if spec.slug in offices
        else spec
        for spec in specs
    )


def _body_names(item: Mapping[str, Any]) -> list[str]:
    """The English names a state or organisation goes by."""
    return [str(item["name"]), *_strings(item.get("aliases"))]


@functools.cache
def _office_table() -> tuple[dict[str, list[str]], dict[str, str], dict[str, dict[str, str]]]:
    """Office forms per holder slug, the state or body each form names as well, and the
    holder of each office per state or body.

    "Kyiv's top diplomat" and "the Ukrainian foreign minister" name the state as well as
    the holder, as the name or demonym before a state noun does on its own.
    """
    bodies: dict[str, Mapping[str, Any]] = {}
    by_iso: dict[str, str] = {}
    for filename, _ in _ENTRY_FILES[:2]:
        for item in read_yaml(filename) or ():
            slug = str(item.get("slug") or slugify(str(item["name"])))
            bodies[slug] = item
            if filename == "actors_countries.yaml" and item.get("iso"):
                by_iso[str(item["iso"])] = slug
    forms: dict[str, list[str]] = {}
    body_of: dict[str, str] = {}
    bare: dict[str, dict[str, str]] = {}
    for item in read_yaml("actors_people.yaml") or ():
        offices = _strings(item.get("offices"))
        body = str(item.get("of") or by_iso.get(str(item.get("iso")), ""))
        if not offices or body not in bodies:
            continue
        names = _body_names(bodies[body])
        # a capital only in the possessive: "Kyiv's top diplomat", but "the head of Kyiv"
        # is its mayor
        capitals = _strings(bodies[body].get("capitals"))
        demonyms = _strings(bodies[body].get("demonyms"))
        written: list[str] = []
        holder = str(item.get("slug") or slugify(str(item["name"])))
        for office in offices:
            bare.setdefault(fold_words(office), {}).setdefault(body, holder)
            for name in names:
                of_forms = (f"{office} of {name}", f"{office} of the {name}")
                for form in (f"{name}'s {office}", f"{name} {office}", *of_forms):
                    written.append(form)
                    body_of[fold_words(form)] = body
            for form in (
                *(f"{city}'s {office}" for city in capitals),
                *(f"{demonym} {office}" for demonym in demonyms),
            ):
                written.append(form)
                body_of[fold_words(form)] = body
        forms[holder] = written
    for slug, written_out in fixed_offices().items():
        forms.setdefault(slug, []).extend(written_out)
    return forms, body_of, bare


def _office_forms() -> dict[str, list[str]]:
    return _office_table()[0]


def office_bodies() -> dict[str, str]:
    """fold_words(office form) -> the slug of the state or body the form names."""
    return _office_table()[1]


def office_holders() -> dict[str, dict[str, str]]:
    """fold_words(office) -> {state or body slug: the holder's slug} ("defence minister")."""
    return _office_table()[2]


def _with_translations(spec: Spec) -> Spec:
    """The spec with its names in other languages (actor_languages): names, and capitals
    that act only when they are not a place ("Moscou a rejeté", not "à Moscou")."""
    translated = translated_forms()
    extra = [*translated.get(spec.slug, ())]
    if spec.type == "country" and spec.iso_code:
        extra.extend(translated.get(spec.iso_code, ()))
    cities = translated_capitals().get(spec.slug, ())
    if not extra and not cities:
        return spec
    known = {form for form, _kind in spec.forms}
    # German nouns are capitalised: a word before "Deutschlands" is no first name, so a
    # name in another language is "translated", judged without that check
    added: list[tuple[str, FormKind]] = [
        (form, "translated") for form in dict.fromkeys(extra) if form not in known
    ]
    known.update(form for form, _ in added)
    added.extend((form, "capital") for form in dict.fromkeys(cities) if form not in known)
    return replace(spec, forms=spec.forms + tuple(added))


def _words(data: Mapping[str, Any], key: str) -> frozenset[str]:
    return frozenset(fold_letters(word) for word in _strings(data.get(key)))


@functools.cache
def load_rules() -> Rules:
    """The shipped context word lists, parsed once per process."""
    data = read_yaml("actors_rules.yaml")
    return Rules(
        roles=_strings(data.get("roles")),
        reporting_verbs=_strings(data.get("reporting_verbs")),
        ignore=_strings(data.get("ignore")),
        state_nouns=_words(data, "state_nouns"),
        predicates=_words(data, "predicates"),
        place_words=_words(data, "place_words"),
        place_nouns=_words(data, "place_nouns"),
        title_words=_words(data, "title_words"),
        stopwords=_words(data, "stopwords"),
        non_person_words=_words(data, "non_person_words"),
        particles=_words(data, "particles"),
        given_names=_strings(data.get("given_names")),
        former_words=_words(data, "former_words"),
        any_case_words=_words(data, "any_case_words"),
    )


def person_surnames(name: str, *, particles: frozenset[str]) -> tuple[str, ...]:
    """Surname forms of a multi-word personal name: 'Ursula von der Leyen' -> ('von der Leyen',)."""
    words = name.split()
    if len(words) < 2:
        return ()
    last = len(words) - 1
    # a trailing generational suffix or regnal number is not the surname ("Charles III")
    if words[last].rstrip(".") in {"Jr", "Sr", "II", "III", "IV"}:
        return ()
    start = last
    while start > 1 and fold_letters(words[start - 1]) in particles:
        start -= 1
    surname = " ".join(words[start:])
    forms = [surname]
    # "al-Sharaa" is also written "Sharaa"
    head, sep, rest = words[last].partition("-")
    if sep and fold_letters(head) in particles and rest[:1].isupper():
        forms.append(rest)
    return tuple(forms)
