"""Step: inline attribution - a publisher named as the sentence's source in its text.

"(Reuters)", "according to CNN", "the Associated Press reported", "told
Bloomberg News", "Bloomberg News said". Only registry publishers, or names a
reader would recognise as a news outlet ("the Moscow Times reported").
"""

from __future__ import annotations

import functools
import json
import re
from dataclasses import dataclass
from importlib import resources

from app.splitter.sources import SourceRegistry, slugify
from app.splitter.types import Source

__all__ = ["InlineAttribution"]

_REPORT_VERBS = (
    r"(?:reported|reports|said|says|wrote|writes|quoted|quotes|cited|cites|found|revealed|"
    r"learned|learnt|has learned|has reported|reported on \w+day|said on \w+day|"
    r"was told|were told|has been told|first reported|reported earlier|confirmed|"
    r"reviewed|obtained|saw|has seen|has obtained|understands|has established|can reveal)"
)
# one describing word before the outlet's noun: "meldete die russische Agentur TASS"
_DESCRIBED = r"(?:[^\W\d_]+\s+(?=\S))?"
_STAFF = (
    r"(?:correspondents?|reporters?|journalists?|bureau|editors?|crew|team|reporting|"
    r"investigation|analysis|sources?)"
)
# A capitalised name ending in a word that marks a news outlet (an "Agency" only as a news
# or press agency: "according to the European Union Aviation Safety Agency" is an authority).
_OUTLET_NAME = (
    r"(?:[A-Z][\w'’&.-]*\s){0,4}(?:Press Agency|News Agency|News|Times|Post|Journal|Herald|"
    r"Gazette|Telegraph|Tribune|"
    r"Radio|Television|Daily|Wire|Chronicle|Observer|Independent|Pravda|Izvestia)"
)

# No leading \b: the engine then skips ahead to the words' first letters, several times
# faster on prose; `_names_outlet` checks the start of the word itself.
_OUTLET_WORD = re.compile(
    r"(?:News|Times|Post|Journal|Herald|Gazette|Telegraph|Tribune|Agency|Radio|Television|"
    r"Daily|Wire|Chronicle|Observer|Independent|Pravda|Izvestia)\b"
)


def _names_outlet(text: str) -> bool:
    """True when a word such as "Times" or "Agency" (a newspaper's name) stands in `text`."""
    for match in _OUTLET_WORD.finditer(text):
        start = match.start()
        if start == 0 or not (text[start - 1].isalnum() or text[start - 1] == "_"):
            return True
    return False


# A phrase that ends in an apostrophe (l') or an Arabic attached preposition (لـ) joins
# the next word without a space.
_JOINS = ("'", "’", "لـ")


def _phrase(phrase: str) -> str:
    """One cue phrase as a pattern: any run of spaces between its words, then its joint."""
    body = r"\s+".join(re.escape(word) for word in phrase.split())
    return body + (r"\s*" if phrase.endswith(_JOINS) else r"\s+")


def _alternation(phrases: list[str]) -> str:
    return "|".join(_phrase(p) for p in sorted(set(phrases), key=len, reverse=True))


@functools.cache
def _cues() -> tuple[str, str, str]:
    """The other languages' cues (data/attribution_cues.json): before, between, after."""
    raw = json.loads(
        resources.files("app.splitter").joinpath("data/attribution_cues.json").read_text("utf-8")
    )
    languages = [value for key, value in raw.items() if not key.startswith("about")]
    before = _alternation([p for lang in languages for p in lang["before"]])
    between = _alternation([p for lang in languages for p in lang["between"]])
    after = "|".join(
        r"\s+".join(re.escape(w) for w in p.split())
        for p in sorted({p for lang in languages for p in lang["after"]}, key=len, reverse=True)
    )
    return before, between, after


@functools.lru_cache(maxsize=2048)
def _patterns(names: tuple[str, ...]) -> tuple[re.Pattern[str], ...]:
    """The attribution patterns over the publisher names one sentence holds.

    A pattern over every registry name (hundreds of alternatives) was tried at every
    position of every sentence; the names a sentence can match are the ones in it, so
    the patterns are built for those (cached: sentences repeat the same few names).
    """
    alternation = "|".join(re.escape(name) for name in names) or "(?!)"
    plain = rf"(?<![\w/&-])(?:{alternation})(?![\w/&-])"
    known = rf"(?P<name>{plain})"
    outlet = rf"(?P<outlet>{_OUTLET_NAME})(?![\w-])"
    either = rf"(?:{known}|{outlet})"
    the = r"(?:[Tt]he\s+)?"
    before, between, after = _cues()
    quote = r"[«\"„“]?"
    return (
        re.compile(
            rf"(?<!\w)(?:{before})(?:{_DESCRIBED}(?:{between})){{0,3}}{quote}{known}",
            re.IGNORECASE,
        ),
        re.compile(rf"{known}[»\"“”]?,?\s+(?:{after})(?!\w)", re.IGNORECASE),
        re.compile(rf"\(\s*{known}\s*\)"),
        re.compile(rf"\b[Aa]ccording\s+to\s+{the}{either}"),
        re.compile(rf"{the}{either}\s+(?:\w+ly\s+)?{_REPORT_VERBS}\b"),
        re.compile(
            rf"\b(?i:told|tells|telling|speaking\s+to|spoke\s+to|in\s+an\s+interview\s+with|"
            rf"interviewed\s+by|reported\s+by|cited\s+by|quoted\s+by|citing|"
            rf"(?:seen|obtained|reviewed|published)\s+by|"
            rf"in\s+(?:a|an)\s+(?:statement|email|e-mail|comment|remarks)\s+to|"
            rf"(?:said|says)\s+(?:to|in\s+an\s+interview\s+with))\s+{the}{either}"
        ),
        re.compile(
            rf"\b(?i:in|according\s+to|citing)\s+(?i:a|an)\s+"
            rf"(?i:report|interview|article|story|investigation|analysis)\s+"
            rf"(?i:by|with|for|in|from)\s+{the}{either}"
        ),
        # "Reuters and the Associated Press reported": both report
        re.compile(rf"{known}\s+(?:and|&)\s+{the}(?:{plain})\s+(?:\w+ly\s+)?{_REPORT_VERBS}\b"),
        # "Al Jazeera's correspondent in Riyadh reported": the outlet's own staff reporting
        re.compile(
            rf"{the}{either}(?:['’]s?)?\s+(?:[\w-]+\s+){{0,2}}{_STAFF}(?:\s+[\w,'’-]+){{0,6}}?"
            rf"\s+{_REPORT_VERBS}\b"
        ),
    )


_QUOTED_NAME = re.compile(r"«([^«»]{2,60})»")


@functools.cache
def _cue_before_quote() -> re.Pattern[str]:
    before, between, _after = _cues()
    return re.compile(rf"(?<!\w)(?:{before})(?:{_DESCRIBED}(?:{between})){{0,3}}$", re.IGNORECASE)


@functools.cache
def _nominatives() -> tuple[tuple[str, str], ...]:
    """(oblique ending, nominative ending) pairs of Russian and Ukrainian, longest first."""
    pairs = {
        (oblique, nominative)
        for table in (_declension("ru"), _declension("uk"))
        for nominative, obliques in table.items()
        for oblique in obliques
    }
    return tuple(sorted(pairs, key=lambda pair: -len(pair[0])))


def _declension(language: str) -> dict[str, list[str]]:
    from app.splitter.actors.languages import endings

    return endings(language)


@dataclass(frozen=True, slots=True)
class InlineAttribution:
    """Attribution patterns over the registry's publisher names."""

    registry: SourceRegistry

    @classmethod
    def build(cls, registry: SourceRegistry) -> InlineAttribution:
        """Attribution over one registry."""
        return cls(registry)

    def possible(self, text: str) -> bool:
        """False when `text` names no publisher at all, so none of its sentences can cite one."""
        # «...» may hold a declined name the registry knows only in the nominative
        return bool(self.registry.names_in(text)) or _names_outlet(text) or "«" in text

    def find(self, sentence: str) -> list[Source]:
        """Publishers the sentence names as its source, in order of appearance, once each."""
        found: list[tuple[int, Source]] = []
        names = self.registry.names_in(sentence)
        if "«" in sentence:
            found.extend(self._declined_in_quotes(sentence))
        if not names and not found and not _names_outlet(sentence):
            return []  # no publisher name at all: nothing to attribute
        for pattern in _patterns(names):
            for match in pattern.finditer(sentence):
                name = match.groupdict().get("name")
                if name:
                    source = self.registry.name_of.get(name) or self.registry.named(name)
                    if source is not None:
                        found.append((match.start("name"), source))
                    continue
                outlet = match.groupdict().get("outlet")
                if outlet:
                    outlet_name = outlet.strip()
                    source = self.registry.named(outlet_name)
                    if source is None:
                        if (
                            outlet_name.split()[0] in ("The", "A", "An")
                            and len(outlet_name.split()) < 3
                        ):
                            continue
                        source = Source(slug=slugify(outlet_name), name=outlet_name)
                    found.append((match.start("outlet"), source))
        found.sort(key=lambda item: item[0])
        result: list[Source] = []
        for _, source in found:
            if source not in result:
                result.append(source)
        return result

    def _declined_in_quotes(self, sentence: str) -> list[tuple[int, Source]]:
        """'по данным «Медузы»': a quoted, declined publisher name after a cue (Медуза)."""
        found: list[tuple[int, Source]] = []
        for match in _QUOTED_NAME.finditer(sentence):
            if not _cue_before_quote().search(sentence, max(0, match.start() - 60), match.start()):
                continue
            name = match.group(1).strip()
            source = self.registry.named(name)
            for oblique, nominative in _nominatives() if source is None else ():
                if oblique and name.endswith(oblique):
                    source = self.registry.named(name[: -len(oblique)] + nominative)
                    if source is not None:
                        break
            if source is not None:
                found.append((match.start(1), source))
        return found
