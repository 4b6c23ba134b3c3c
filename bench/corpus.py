"""Generated news articles for the seed: every citation style, Zipf-like actors and sources.

Deterministic per seed, so a database can be rebuilt identically. Each article
is ~20 sentences in plain text, Markdown or HTML, citing sources through `[n]`
markers and a reference list, Markdown footnotes, HTML `<sup>` links, inline
"(Reuters)" or "according to CNN", datelines, and by paragraph context.
"""

from __future__ import annotations

import bisect
import itertools
import random
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from functools import cache

from app.splitter.actors.registry import ActorRegistry
from app.splitter.sources import known_sources

__all__ = ["SOURCE_COUNT", "Article", "Cast", "article", "cast"]

SOURCE_COUNT = 30
ACTOR_COUNT = 2000
_EPOCH = datetime(2024, 1, 1, tzinfo=UTC)

# Generated people, introduced by a title so the splitter's person rule tags them.
_FIRST_NAMES = (
    "Alvaro Mirela Tomasz Ingrid Kofi Leila Dmitri Hana Mateo Sanna Oskar Amara Yusuf "
    "Elena Rafael Ines Bogdan Noor Kenji Aylin Marek Zofia Luca Farah Pavel Lina Andres "
    "Greta Emeka Nadia Viktor Selin Jonas Yara Tariq Olena Henrik Daria Samir Irina"
)
_FIRST = tuple(_FIRST_NAMES.split())
_LAST_NAMES = (
    "Menendez Kovacs Brandt Okafor Haddad Lindqvist Moreau Petrenko Santos Novak "
    "Ferreira Kowalski Mansour Tanaka Varga Rossi Bakker Hussain Dumitru Nilsson "
    "Castillo Horvat Yilmaz Schmidt Adeyemi Karimi Sokolov Ortega Lund Barros Weber "
    "Nakamura Abdi Marin Kaplan Eriksen Salazar Popescu Mendes Duarte"
)
_LAST = tuple(_LAST_NAMES.split())
_TITLES = ("Minister", "Senator", "General", "Ambassador", "Governor", "Spokesperson")

# Phrases the topic taxonomy recognises, one list per topic.
_TOPIC_PHRASES = {
    "diplomacy": ("peace talks", "a summit with their counterparts", "the bilateral dialogue"),
    "ceasefire": ("the ceasefire", "a truce along the front", "the ceasefire monitors"),
    "security-guarantees": ("security guarantees", "a security guarantee framework"),
    "alliances": ("NATO membership", "the alliance enlargement", "allied defence ministers"),
    "territory": ("the annexation of the region", "occupied territory", "the disputed border"),
    "military-action": ("the shelling overnight", "drone strikes", "the counteroffensive"),
    "casualties": ("civilian casualties", "the death toll", "people killed and wounded"),
    "prisoners": ("a prisoner exchange", "prisoners of war", "the detainees"),
    "sanctions": ("new sanctions", "the sanctions package", "an export embargo"),
    "military-aid": ("military aid", "air defence systems", "weapons deliveries"),
    "humanitarian": ("humanitarian aid", "refugees crossing the border", "the evacuation"),
    "human-rights": ("human rights abuses", "war crimes investigators", "press freedom"),
    "economy": ("inflation", "the central bank's interest rates", "GDP growth"),
    "energy": ("gas supplies", "the oil price cap", "the power grid"),
    "elections": ("the presidential election", "voters at the polls", "the election campaign"),
}
_VERBS = (
    "said",
    "told reporters",
    "announced",
    "warned",
    "confirmed",
    "insisted",
    "argued",
    "stressed",
)
_FILLERS = (
    "Officials said talks would continue later this week",
    "The statement gave no further details",
    "Analysts expect the decision to take several months",
    "Observers described the mood in the capital as tense",
    "The figures could not be independently verified",
    "A spokesperson declined to comment on the timing",
)
_INLINE = ("({s})", "according to {s}", "{s} reported")


@dataclass(frozen=True, slots=True)
class Cast:
    """Who the generated articles quote and cite, and how often (Zipf-like)."""

    sources: tuple[str, ...]  # names, most cited first
    source_weights: tuple[float, ...]
    actors: tuple[str, ...]  # mentions as written in text, most used first
    actor_weights: tuple[float, ...]


@dataclass(frozen=True, slots=True)
class Article:
    """One generated article, ready to be an ArticleIn."""

    text: str
    format: str
    title: str
    url: str
    published_at: datetime


def _cumulative(count: int, exponent: float) -> tuple[float, ...]:
    return tuple(itertools.accumulate(1.0 / (rank**exponent) for rank in range(1, count + 1)))


@cache
def cast() -> Cast:
    """The sources (30 of the registry) and ~2,000 actors the corpus draws from."""
    sources = tuple(source.name for source in known_sources()[:SOURCE_COUNT])
    registry = [entry.name for entry in ActorRegistry.default().entries() if entry.type != "group"]
    people = [
        f"{title} {first} {last}"
        for (first, last), title in zip(
            itertools.product(_FIRST, _LAST), itertools.cycle(_TITLES), strict=False
        )
    ]
    shuffled = random.Random(7)
    shuffled.shuffle(registry)
    shuffled.shuffle(people)
    # Interleave so registry actors and generated people share the head of the curve.
    actors = [name for pair in itertools.zip_longest(registry, people) for name in pair if name]
    actors = actors[:ACTOR_COUNT]
    return Cast(
        sources=sources,
        source_weights=_cumulative(len(sources), 1.1),
        actors=tuple(actors),
        actor_weights=_cumulative(len(actors), 1.0),
    )


def _pick(rng: random.Random, names: Sequence[str], weights: Sequence[float]) -> str:
    return names[bisect.bisect(weights, rng.random() * weights[-1])]


def _sentence(rng: random.Random, people: Cast) -> str:
    topic = rng.choice(list(_TOPIC_PHRASES.values()))
    if rng.random() < 0.75:
        actor = _pick(rng, people.actors, people.actor_weights)
        body = f"{actor} {rng.choice(_VERBS)} that {rng.choice(topic)} would shape the next round"
        if rng.random() < 0.3:
            other = _pick(rng, people.actors, people.actor_weights)
            body += f" with {other}"
    else:
        body = f"{rng.choice(_FILLERS)}, and {rng.choice(topic)} remained on the agenda"
    return body


class _Refs:
    """The article's reference list: sources numbered in order of first citation."""

    def __init__(self) -> None:
        self.numbers: dict[str, int] = {}

    def number(self, source: str) -> int:
        return self.numbers.setdefault(source, len(self.numbers) + 1)


def _paragraph(rng: random.Random, people: Cast, refs: _Refs, fmt: str, first: bool) -> str:
    sentences: list[str] = []
    count = rng.randint(2, 5)
    # One cited sentence per paragraph most of the time: the rest inherit it as context.
    cited_at = rng.randrange(count) if rng.random() < 0.8 else -1
    for index in range(count):
        body = _sentence(rng, people)
        if first and index == 0 and rng.random() < 0.4:
            source = _pick(rng, people.sources, people.source_weights)
            body = f"KYIV ({source}) - {body}"
            sentences.append(body + ".")
            continue
        if index == cited_at:
            if rng.random() < 0.65:
                numbers = sorted(
                    {
                        refs.number(_pick(rng, people.sources, people.source_weights))
                        for _ in range(rng.choice((1, 1, 2)))
                    }
                )
                sentences.append(body + _markers(fmt, numbers) + ".")
            else:
                source = _pick(rng, people.sources, people.source_weights)
                style = rng.choice(_INLINE)
                if style.startswith("("):
                    sentences.append(f"{body} {style.format(s=source)}.")
                elif style.startswith("according"):
                    sentences.append(f"{body}, {style.format(s=source)}.")
                else:
                    sentences.append(f"{style.format(s=source)} that {body}.")
            continue
        sentences.append(body + ".")
    return " ".join(sentences)


def _markers(fmt: str, numbers: Sequence[int]) -> str:
    if fmt == "markdown":
        return "".join(f"[^{n}]" for n in numbers)
    if fmt == "html":
        return "".join(f'<sup><a href="#fn{n}">{n}</a></sup>' for n in numbers)
    return "".join(f"[{n}]" for n in numbers)


def article(seed: int) -> Article:
    """The generated article number `seed`: ~20 claims, distinct text, every citation style."""
    rng = random.Random(seed)
    people = cast()
    fmt = rng.choices(("text", "markdown", "html"), weights=(6, 3, 2))[0]
    refs = _Refs()
    title = f"{_pick(rng, people.actors, people.actor_weights)} weighs {rng.choice(_FILLERS)[:30]}"
    title = f"{title.rstrip()} ({seed})"
    paragraphs = [
        _paragraph(rng, people, refs, fmt, first=index == 0) for index in range(rng.randint(5, 7))
    ]
    sections = {len(paragraphs) // 2: "Background"} if rng.random() < 0.5 else {}
    listed = sorted(refs.numbers.items(), key=lambda item: item[1])
    if fmt == "markdown":
        body = "\n\n".join(
            (f"## {sections[i]}\n\n" if i in sections else "") + p for i, p in enumerate(paragraphs)
        )
        notes = "\n".join(f"[^{n}]: {name}, {seed % 28 + 1} May 2025" for name, n in listed)
        text = f"# {title}\n\n{body}\n\n{notes}\n"
    elif fmt == "html":
        body = "".join(
            (f"<h2>{sections[i]}</h2>" if i in sections else "") + f"<p>{p}</p>"
            for i, p in enumerate(paragraphs)
        )
        notes = "".join(f'<li id="fn{n}">{name}</li>' for name, n in listed)
        text = (
            f"<html><body><article><h1>{title}</h1>{body}</article>"
            f'<ol class="footnotes">{notes}</ol></body></html>'
        )
    else:
        body = "\n\n".join(
            (f"{sections[i]}\n\n" if i in sections else "") + p for i, p in enumerate(paragraphs)
        )
        notes = "\n".join(f"[{n}] {name}" for name, n in listed)
        text = f"{title}\n\n{body}\n\n{notes}\n"
    return Article(
        text=text,
        format=fmt,
        title=title,
        url=f"https://news.example.org/{seed}",
        published_at=_EPOCH + timedelta(minutes=37 * seed),
    )
