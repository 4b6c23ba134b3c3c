"""People who are not in the registry, found by rules, and the article state that
links their later surname-only mentions.

* a name after a role word: "Foreign Minister Jan Novak", "Gen. Novak", "envoy, Jan Novak"
* a capitalised two- or three-word name as the subject of a reporting verb:
  "Jan Novak said", "Jan Novak, a farmer, said", "..., said Jan Novak"
* later, the surname alone: "Novak added"
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field

from app.splitter.actors.data import Rules
from app.splitter.actors.index import Hit
from app.splitter.actors.text import fold_letters, fold_words, slugify
from app.splitter.actors.tokens import Tok, after, bare, before, is_cap, is_word
from app.splitter.types import Actor

__all__ = ["ArticleState", "SentenceBase"]

_CAPITALISED = re.compile(r"[^\W\d_][\w'’\-]*")
_DETERMINERS = frozenset({"the", "a", "an", "this", "that", "its", "their", "his", "her"})
_POSSESSIVE = ("'s", "’s")


@dataclass(slots=True)
class ArticleState:
    """What one article has taught the tagger so far; never shared between calls."""

    named: dict[str, str] = field(default_factory=dict)  # surname key -> registry slug
    adhoc: dict[str, Actor] = field(default_factory=dict)  # folded name/surname -> person
    adhoc_keys: list[str] = field(default_factory=list)  # the same, as automaton text
    # states and bodies named in earlier sentences, with how often: whose "defence minister"
    mentions: dict[str, int] = field(default_factory=dict)

    def remember(self, key: str, actor: Actor, *, probe: bool = True) -> None:
        """Link a folded name or surname to an ad-hoc person (first one wins)."""
        if key not in self.adhoc:
            self.adhoc[key] = actor
            if probe:  # the surname: what later sentences are searched for
                self.adhoc_keys.append(" " + fold_words(key) + " ")


class SentenceBase:
    """One sentence under judgement: accepted actors and the people rules."""

    __slots__ = ("blocking", "found", "hits", "rules", "scanned", "spans", "state", "text")

    def __init__(self, rules: Rules, text: str, state: ArticleState) -> None:
        self.rules = rules
        self.text = text
        self.state = state
        self.found: list[tuple[int, Actor]] = []
        self.spans: list[tuple[int, int]] = []  # accepted actor spans
        self.hits: list[Hit] = []
        self.blocking: list[tuple[int, int]] = []  # registry names a person run must not cross
        self.scanned = ""

    def add(self, start: int, end: int, actor: Actor) -> None:
        """Accept an actor mentioned at [start, end)."""
        self.found.append((start, actor))
        self.spans.append((start, end))

    @staticmethod
    def covered(start: int, end: int, spans: Sequence[tuple[int, int]]) -> bool:
        """True when [start, end) overlaps any of `spans`."""
        return any(s < end and start < e for s, e in spans)

    def is_name_word(self, tok: Tok) -> bool:
        """A capitalised word that may be part of a personal name."""
        word = tok[0]
        if not word[0].isupper() or word.isupper():
            return False
        key = bare(word)
        rules = self.rules
        if key in rules.stopwords or key in rules.title_words:
            return False
        # "Foundations", "Ministries": a plural organisation word too
        if key.endswith("s") and key[:-1] in rules.non_person_words:
            return False
        return key not in rules.non_person_words

    def name_run(self, toks: Sequence[Tok]) -> list[Tok]:
        """The leading run of name words (particles and initials inside) of `toks`."""
        run: list[Tok] = []
        particles = self.rules.particles
        for tok in toks:
            if self.covered(tok[1], tok[2], self.blocking):
                break
            if self.is_name_word(tok):
                run.append(tok)
                if tok[0].endswith(_POSSESSIVE):
                    break
            elif run and is_word(tok) and fold_letters(tok[0]) in particles:
                run.append(tok)
            else:
                break
            if len(run) >= 4:
                break
        while run and not is_cap(run[-1]):
            run.pop()
        return run

    def adhoc_person(self, run: Sequence[Tok]) -> None:
        """Accept the person named by `run`, reusing one the article already knows."""
        start, end = run[0][1], run[-1][2]
        if self.covered(start, end, self.spans):
            return
        words = [t[0] for t in run]
        if words[-1].endswith(_POSSESSIVE):
            words[-1] = words[-1][:-2]
        name = " ".join(words)
        key = fold_letters(name)
        actor = self.state.adhoc.get(key)
        if actor is None:
            actor = Actor(slug=slugify(name), name=name, type="person")
            self.state.remember(key, actor, probe=False)
            self.state.remember(fold_letters(words[-1]), actor)
        self.add(start, end, actor)

    def after_role(self, hit: Hit) -> None:
        """A name right after a role word: "Foreign Minister Jan Novak"."""
        text = self.text
        head = text[hit.end : hit.end + 3].lstrip(" ,")
        if not head or not head[0].isupper():
            return  # quick exit: no capitalised word follows
        toks = after(text, hit.end, 8)
        if toks and toks[0][0] == ",":
            toks = toks[1:]
        titles = self.rules.title_words
        while toks and is_word(toks[0]) and fold_letters(toks[0][0]) in titles:
            toks = toks[1:]
        run = self.name_run(toks)
        # a lone word after a lower-case role ("an official Gaza ...") is too weak; after
        # a title ("President Novak", "Gen. Novak", "Mr. Novak") it is a surname
        if (
            len(run) == 1
            and not text[hit.start].isupper()
            and fold_letters(run[0][0]) not in self.state.adhoc
        ):
            return
        if run:
            self.adhoc_person(run)

    def given_name(self, hit: Hit) -> None:
        """A common given name and the capitalised words after it: "met Olena Kovalenko"."""
        text = self.text
        if hit.end >= len(text) - 1 or text[hit.end] != " " or not text[hit.end + 1].isupper():
            return  # quick exit: no capitalised word follows
        prev = before(text, hit.start, 1)
        if prev and is_cap(prev[0]) and prev[0][2] == hit.start - 1:
            key = fold_letters(prev[0][0])
            rules = self.rules
            if key not in rules.stopwords and key not in rules.title_words:
                return  # inside a longer name: "Second Thomas Shoal", "Port Louis"
        toks = after(text, hit.start, 6)
        run = self.name_run(toks)
        if len(run) < 2 or run[0][1] != hit.start:
            return
        nxt = toks[len(run)] if len(toks) > len(run) else None
        if nxt is not None and is_cap(nxt) and nxt[1] == run[-1][2] + 1:
            return  # the name of a place or body: "John Hopkins University"
        self.adhoc_person(run)

    def subject_before(self, pos: int) -> list[Tok]:
        """The name right before `pos`, or before an appositive: "Jan Novak, a farmer, said"."""
        toks = before(self.text, pos, 10)
        if toks and toks[0][0] == ",":
            inner = self.name_run(toks[1:])  # the name is the appositive: "an aide, Jan Novak,"
            rest = toks[1 + len(inner) :]
            if len(inner) >= 2 and rest and rest[0][0] == ",":
                inner.reverse()
                return inner
            close = next((i for i, t in enumerate(toks[1:], 1) if t[0] in ",("), 0)
            toks = toks[close + 1 :] if close else []
        run = self.name_run(toks)
        run.reverse()
        return run

    def around_verb(self, hit: Hit) -> None:
        """A two- to four-word name as the subject (or inverted subject) of a reporting verb."""
        text = self.text
        base = max(0, hit.start - 40)
        head = text[base : hit.start].rstrip()
        word = head[head.rfind(" ") + 1 :]
        tail = text[hit.end : hit.end + 2].lstrip()
        near = base + len(head) - 1  # the last character of `word`
        known = self.covered(near, near + 1, self.spans)  # "Peskov said": already an actor
        if (word[:1].isupper() and not known) or head.endswith(","):
            subject = self.subject_before(hit.start)
            if len(subject) >= 2:
                prev = before(text, subject[0][1], 1)
                if not (prev and fold_letters(prev[0][0]) in _DETERMINERS):
                    self.adhoc_person(subject)
                    return
        if tail[:1].isupper():
            inverted = self.name_run(after(text, hit.end, 5))
            if len(inverted) >= 2:
                self.adhoc_person(inverted)

    def known_surnames(self) -> None:
        """Later mentions of an ad-hoc person's surname alone."""
        state = self.state
        if not any(key in self.scanned for key in state.adhoc_keys):
            return
        for m in _CAPITALISED.finditer(self.text):
            word = m.group()
            if not word[0].isupper():
                continue
            actor = state.adhoc.get(bare(word))
            if actor is not None and not self.covered(m.start(), m.end(), self.spans):
                self.add(m.start(), m.end(), actor)
