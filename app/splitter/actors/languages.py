"""Actor names in other languages: pycountry's country names, declined forms, and data.

Read once per process from data/actors_languages.yaml and pycountry's bundled
gettext catalogues (no download). Russian and Ukrainian decline names, so each
one-word form also gets its case forms from the ending table (Украина -> Украины,
Украине, Украину, Украиной); German its genitive (Russlands).
"""

from __future__ import annotations

import functools
import gettext
from collections.abc import Mapping
from importlib import resources
from typing import Any

import yaml

__all__ = ["declined", "endings", "fixed_offices", "translated_capitals", "translated_forms"]


@functools.cache
def _data() -> dict[str, Any]:
    text = resources.files("app.splitter").joinpath("data/actors_languages.yaml").read_text("utf-8")
    loaded: dict[str, Any] = yaml.safe_load(text)
    return loaded


def fixed_offices() -> dict[str, list[str]]:
    """Offices written out whole per holder slug ("Kremlin spokesman"), in any language."""
    offices: dict[str, list[str]] = _data().get("offices") or {}
    return offices


def endings(language: str) -> dict[str, list[str]]:
    """The declension table of one language: nominative ending -> its other case endings."""
    table: dict[str, list[str]] = _data()["endings"].get(language, {})
    return table


def declined(form: str, endings: Mapping[str, list[str]]) -> list[str]:
    """The case forms of a one-word name by the longest ending that fits; none for phrases."""
    if " " in form or not form[-1:].isalpha() or form.isupper():
        return []  # phrases and acronyms (НАТО, США) do not decline here
    for ending in sorted(endings, key=len, reverse=True):
        if ending and form.endswith(ending):
            stem = form[: -len(ending)]
            return [stem + other for other in endings[ending]]
    if "" in endings and form[-1] not in "аеёиоуыэюяіїєь":
        return [form + other for other in endings[""]]
    return []


def _country_names(iso: str, languages: list[str]) -> list[str]:
    import pycountry

    country = pycountry.countries.get(alpha_2=iso)
    if country is None:
        return []
    english = [
        getattr(country, attribute)
        for attribute in ("name", "common_name", "official_name")
        if hasattr(country, attribute)
    ]
    names: list[str] = []
    for language in languages:
        try:
            catalogue = gettext.translation(
                "iso3166-1", pycountry.LOCALES_DIR, languages=[language]
            )
        except OSError:
            continue
        names.extend(name for name in (catalogue.gettext(n) for n in english) if "," not in name)
    return names


@functools.cache
def translated_forms() -> dict[str, tuple[str, ...]]:
    """Extra written forms per actor slug (country names, Cyrillic names), declined forms too."""
    import pycountry

    data = _data()
    languages: list[str] = data["languages"]
    endings: dict[str, dict[str, list[str]]] = data["endings"]
    forms: dict[str, list[str]] = {}
    for iso in data["countries"]:
        country = pycountry.countries.get(alpha_2=iso)
        if country is not None:
            forms.setdefault(iso, []).extend(_country_names(iso, languages))
    for slug, extra in data["forms"].items():
        forms.setdefault(slug, []).extend(extra)
    return {key: _with_declined(written, endings) for key, written in forms.items()}


@functools.cache
def translated_capitals() -> dict[str, tuple[str, ...]]:
    """Capitals in other languages per country slug, declined forms too (Киев, Киева)."""
    data = _data()
    tables: dict[str, dict[str, list[str]]] = data["endings"]
    return {
        slug: _with_declined(written, tables)
        for slug, written in (data.get("capitals") or {}).items()
    }


def _with_declined(
    written: list[str], tables: Mapping[str, Mapping[str, list[str]]]
) -> tuple[str, ...]:
    """Each form followed by its declined forms in every language's table, once each."""
    every: list[str] = []
    for form in written:
        every.append(form)
        for table in tables.values():
            every.extend(declined(form, table))
    return tuple(dict.fromkeys(every))
