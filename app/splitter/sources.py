"""The publisher registry: canonical sources, found by alias, by domain, or named anew."""

from __future__ import annotations

import functools
import hashlib
import json
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from importlib import resources
from typing import Any

import ahocorasick
import tldextract
from anyascii import anyascii

from app.splitter.types import Source

__all__ = ["SourceRegistry", "known_sources", "slugify"]

# Offline: the bundled public-suffix snapshot only, never the network, no cache dir.
_EXTRACT = tldextract.TLDExtract(suffix_list_urls=(), cache_dir=None)
_URL = re.compile(r"(?:https?://|www\.)[^\s<>\"'\])]+", re.IGNORECASE)
_CREDIT_LEAD_IN = re.compile(
    r"(?:additional\s+)?(?:reporting|reported|written|compiled|research|photos?|video)\s+by\s+"
    r"(?:the\s+)?|(?:via|courtesy\s+of)\s+(?:the\s+)?",
    re.IGNORECASE,
)
_PLACE_TAIL = re.compile(r"\s+(?:in|from)\s+[A-Z][\w'’-]*(?:\s+[A-Z][\w'’-]*){0,2}$")
_BRACKETED_DOMAIN = re.compile(
    r"\s*[(\[]\s*((?:[a-z0-9-]+\.)+[a-z]{2,}(?:/[^\s)\]]*)?)\s*[)\]]", re.IGNORECASE
)
_QUOTED = re.compile(r"\"[^\"\n]*\"|“[^”\n]*”|«[^»\n]*»")
_RETRIEVED = re.compile(r"\b(?:Retrieved|Accessed|Archived)\b.*$", re.IGNORECASE)
_DATE_TAIL = re.compile(
    r"[,(]\s*(?:\d{1,2}\s+)?(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec)[a-z]*\.?"
    r"(?:\s+\d{1,2})?,?\s*\d{4}\)?.*$|[,(]\s*\d{4}(?:-\d{2}){0,2}\)?.*$",
    re.IGNORECASE,
)


_ONLY_DATE = re.compile(
    r"^\(?(?:\d{1,2}\s+)?(?:(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\.?\s+)?"
    r"(?:\d{1,2},?\s+)?\d{4}(?:-\d{2}){0,2}\)?$",
    re.IGNORECASE,
)


def _NAME_EDGE(char: str) -> bool:  # noqa: N802 - reads like the regex class it mirrors
    """A character that glues a name to its neighbour: a word character, / & or -."""
    return char.isalnum() or char in "_/&-"


def slugify(name: str) -> str:
    """Lower-case ASCII slug of a name in any script: 'Al Jazeera' -> 'al-jazeera'.

    Transliterated, so names in different scripts get different slugs; a name with
    nothing to transliterate gets one derived from its own text, never a shared constant.
    """
    slug = re.sub(r"[^a-z0-9]+", "-", anyascii(name).lower()).strip("-")
    if slug:
        return slug[:80].rstrip("-")
    digest = hashlib.sha256(" ".join(name.split()).casefold().encode()).hexdigest()[:10]
    return f"source-{digest}"


def registered_domain(url_or_host: str) -> str | None:
    """The registered domain of a URL or host name ('news.bbc.co.uk' -> 'bbc.co.uk')."""
    parts = _EXTRACT(url_or_host.strip())
    if not parts.domain:
        return None
    if not parts.suffix:
        return parts.domain.lower() if "." in url_or_host else None
    return f"{parts.domain}.{parts.suffix}".lower()


@dataclass(frozen=True, slots=True)
class SourceRegistry:
    """Immutable lookup tables over the known publishers."""

    sources: tuple[Source, ...]
    by_key: dict[str, Source]  # folded name or alias -> source
    by_domain: dict[str, Source]
    prose_names: re.Pattern[str]  # names safe to look for inside running text
    name_of: dict[str, Source]  # exact alias/name (case kept) -> source
    # ahocorasick.Automaton (untyped) over the same names: those in Latin script, and the
    # others apart, searched only in a text that has such letters (one automaton over both
    # scans English text at half the speed)
    prose_automaton: Any
    script_automaton: Any
    by_slug: dict[str, Source]
    by_brand: dict[str, Source]  # the domain's own label ("bbc" of bbc.co.uk), when unique

    @classmethod
    def load(cls) -> SourceRegistry:
        """Read the bundled registry data file."""
        raw = json.loads(
            resources.files("app.splitter").joinpath("data/sources.json").read_text("utf-8")
        )
        sources: list[Source] = []
        by_key: dict[str, Source] = {}
        by_domain: dict[str, Source] = {}
        name_of: dict[str, Source] = {}
        prose: list[str] = []
        for entry in raw["sources"]:
            source = Source(
                slug=entry["slug"],
                name=entry["name"],
                aliases=tuple(entry["aliases"]),
                domains=tuple(entry["domains"]),
            )
            sources.append(source)
            for name in (source.name, *source.aliases, *_declined(source)):
                by_key.setdefault(_key(name), source)
                name_of.setdefault(name, source)
                if not entry.get("ambiguous"):
                    prose.append(name)
            for domain in source.domains:
                by_domain.setdefault(domain.lower(), source)
        prose.sort(key=len, reverse=True)
        alternation = "|".join(re.escape(name) for name in prose)
        pattern = re.compile(rf"(?<![\w/&-])(?:{alternation})(?![\w/&-])")
        latin = _automaton(name for name in prose if _LATIN_NAME.match(name))
        scripts = _automaton(name for name in prose if not _LATIN_NAME.match(name))
        by_slug = {source.slug: source for source in sources}
        brands: dict[str, set[str]] = {}
        for domain, source in by_domain.items():
            brands.setdefault(_brand(domain), set()).add(source.slug)
        by_brand = {
            brand: by_slug[next(iter(slugs))]
            for brand, slugs in brands.items()
            if len(slugs) == 1 and len(brand) >= 3
        }
        return cls(
            tuple(sources), by_key, by_domain, pattern, name_of, latin, scripts, by_slug, by_brand
        )

    def _hits(self, text: str) -> Iterator[tuple[int, int]]:
        """(last index, length) of every prose-safe name inside `text`, whole word or not."""
        yield from self.prose_automaton.iter(text)
        if not text.isascii() and _OTHER_SCRIPT.search(text):
            yield from self.script_automaton.iter(text)

    def mentions(self, text: str) -> bool:
        """True when a prose-safe publisher name stands in `text` as whole words (fast)."""
        for end, length in self._hits(text):
            start = end + 1 - length
            if start > 0 and _NAME_EDGE(text[start - 1]):
                continue
            if end + 1 < len(text) and _NAME_EDGE(text[end + 1]):
                continue
            return True
        return False

    def names_in(self, text: str) -> tuple[str, ...]:
        """The prose-safe publisher names that occur in `text`, longest first (fast)."""
        found = {text[end + 1 - length : end + 1] for end, length in self._hits(text)}
        return tuple(sorted(found, key=lambda name: (-len(name), name))) if found else ()

    def named(self, name: str) -> Source | None:
        """The known source called `name` (any alias, case and a leading 'the' ignored)."""
        return self.by_key.get(_key(name))

    def for_url(self, url: str) -> Source:
        """The source of a URL: known by domain, else a new source named after the domain."""
        host = re.sub(r"^[a-z]+://", "", url.strip(), flags=re.IGNORECASE).split("/")[0]
        domain = registered_domain(host)
        if domain is None:
            return self.new_source(host)
        known = self.by_domain.get(domain) or self.by_brand.get(_brand(domain))
        if known is not None:
            return known  # also a publisher's country domain: bbc.co.uk, cnn.co.jp
        return self.new_source(domain, domains=(domain,))

    def in_text(self, text: str) -> Source | None:
        """The known publisher named in a citation string, preferring text outside quotes."""
        whole = self.named(_strip_entry(text))
        if whole is not None:
            return whole
        outside = _QUOTED.sub(" ", _RETRIEVED.sub("", text))
        for candidate in (outside, text):
            best: Source | None = None
            best_len = 0
            for match in self.prose_names.finditer(candidate):
                if len(match.group()) > best_len:
                    best = self.name_of.get(match.group())
                    best_len = len(match.group())
            if best is not None:
                return best
        return None

    def resolve(self, text: str, url: str | None) -> Source | None:
        """The source of one reference entry: by URL domain, by known name, or named anew.

        An unknown domain takes the name the entry gives its publisher when that
        name and the domain agree ('The Kathmandu Post' and kathmandupost.com), so
        a headline is never taken for a publisher; else the domain names it.
        """
        if url is None:
            found = _URL.search(text)
            url = found.group() if found else None
        if url is None:
            # 'Caucasus Monitor (caucasusmonitor.org)': a domain in brackets is the entry's link
            bare = _BRACKETED_DOMAIN.search(text)
            if bare is not None and _EXTRACT(bare.group(1)).suffix:
                url = "https://" + bare.group(1)
                text = (text[: bare.start()] + text[bare.end() :]).strip()
        known = None
        if url is not None and url.lower().startswith(("http", "www")):
            by_url = self.for_url(url)
            if self.by_slug.get(by_url.slug) is by_url:  # a registered publisher
                return by_url
            known = self.in_text(text)
            if known is not None:
                return known
            name = _name_from_entry(text)
            if name and by_url.domains and _names_domain(name, by_url.domains[0]):
                return self.new_source(name, domains=by_url.domains)
            return by_url
        known = self.in_text(text)
        if known is not None:
            return known
        name = _name_from_entry(text)
        if not name:
            return None
        return self.new_source(name)

    def resolve_all(self, text: str, url: str | None) -> tuple[Source, ...]:
        """Every publisher of one entry: 'Reuters and AP' names two; else as `resolve`."""
        joined = self._joined_names(text) if url is None else ()
        if joined:
            return joined
        single = self.resolve(text, url)
        return () if single is None else (single,)

    def _joined_names(self, text: str) -> tuple[Source, ...]:
        """Known publishers joined by 'and', '&', ',' or ';' and nothing else, in order."""
        if _URL.search(text):
            return ()
        parts = _JOINED.split(_strip_entry(text))
        if len(parts) < 2:
            return ()
        found: list[Source] = []
        for part in parts:
            source = self.named(part)
            if source is None:
                return ()
            if source not in found:
                found.append(source)
        return tuple(found) if len(found) > 1 else ()

    def new_source(self, name: str, *, domains: tuple[str, ...] = ()) -> Source:
        """A publisher the registry does not know, named as the article names it.

        A slug that a registered publisher already has means the same publisher
        written another way ('BBC-News'), so that publisher is returned: two
        different publishers never share a slug.
        """
        slug = slugify(name)
        return self.by_slug.get(slug) or Source(slug=slug, name=name, domains=domains)


_GERMAN_DOMAIN = re.compile(r"\.(?:de|at|ch)$")
# adjective endings of publisher names (Süddeutsche, Allgemeine, Neue), not nouns (Presse)
_GERMAN_ADJECTIVE = re.compile(r"\b([A-ZÄÖÜ][a-zäöüß]*(?:sche|che|ine|eue|ige|lle))(?=\s+[A-ZÄÖÜ])")


def _declined(source: Source) -> tuple[str, ...]:
    """Forms a name takes inside a sentence of its language, beyond those the data lists.

    A German publisher's adjective declines after an article: "die Süddeutsche Zeitung",
    "sagte der Süddeutschen Zeitung", "laut der Frankfurter Allgemeinen Zeitung".
    """
    if not any(_GERMAN_DOMAIN.search(domain) for domain in source.domains):
        return ()
    forms = {_GERMAN_ADJECTIVE.sub(r"\1n", name) for name in (source.name, *source.aliases)}
    return tuple(sorted(forms - {source.name, *source.aliases}))


_LATIN_NAME = re.compile(r"^[\x00-\u024f\u2000-\u206f]*$")
_OTHER_SCRIPT = re.compile(r"[^\x00-\u024f\u2000-\u206f]")


def _automaton(names: Iterable[str]) -> Any:
    """An Aho-Corasick automaton over `names`, each stored with its length."""
    automaton = ahocorasick.Automaton()
    for name in names:
        automaton.add_word(name, len(name))
    if len(automaton):
        automaton.make_automaton()
    return automaton


def _brand(domain: str) -> str:
    """The label a registered domain is bought under: 'bbc.co.uk' -> 'bbc'."""
    parts = _EXTRACT(domain)
    return (parts.domain or domain.split(".")[0]).lower()


def _names_domain(name: str, domain: str) -> bool:
    """True when a name and a domain plainly belong together (letters or initials)."""
    brand = re.sub(r"[^a-z0-9]", "", anyascii(_brand(domain)).lower())
    words = re.findall(r"[a-z0-9]+", anyascii(name).lower())
    compact = "".join(words)
    if not brand or not compact:
        return False
    without_the = "".join(words[1:]) if words[0] == "the" else compact
    initials = "".join(word[0] for word in words if word not in ("the", "of", "and"))
    return brand in (compact, without_the, initials) or (
        len(brand) >= 5 and (brand in compact or without_the in brand)
    )


_JOINED = re.compile(r"\s*[,;]\s*|\s+(?:and|&|/)\s+")  # 'Anadolu Agency / Daily Sabah'


def _key(name: str) -> str:
    """Fold a publisher name for lookup: case, 'the ', punctuation and spacing ignored."""
    folded = re.sub(r"\s+", " ", name.strip().casefold())
    folded = folded.removeprefix("the ")
    return folded.strip(" .,;:")


def _strip_entry(text: str) -> str:
    """A short entry without its trailing date: 'Reuters, 3 May 2025' -> 'Reuters'."""
    return _DATE_TAIL.sub("", text).strip(" .,;:")


def _name_from_entry(text: str) -> str:
    """Name an unknown publisher from its reference entry."""
    text = _URL.sub(" ", _RETRIEVED.sub("", text)).strip()
    quoted = list(_QUOTED.finditer(text))
    if quoted:
        # Citation style: Author (date). "Title". Publisher. Date.
        after = text[quoted[-1].end() :].strip(" .,;:")
        name = after.split(".")[0].split(",")[0].strip() if after else ""
        if not name or _ONLY_DATE.match(name):
            # Publisher, "Title", date.  /  Publisher - "Title"
            name = text[: quoted[0].start()].strip(" .,;:-–—|").split(",")[0].strip()
        text = name
    else:
        text = _strip_entry(text).split(",")[0].strip()
    credit = _CREDIT_LEAD_IN.match(text)
    if credit:
        # 'Reporting by the Sahel Observer in Kidal': the credited outlet, not its place
        text = _PLACE_TAIL.sub("", text[credit.end() :]).strip()
    words = text.strip(" -–—|:").split()  # 'World Nuclear News - https://...'
    if not words or len(words) > 8:
        return ""
    return " ".join(words)


@functools.cache
def default_registry() -> SourceRegistry:
    """The bundled registry, loaded once."""
    return SourceRegistry.load()


def known_sources() -> tuple[Source, ...]:
    """Every publisher of the bundled registry."""
    return default_registry().sources
