"""Per-sentence actor recognition: automaton hits judged in context.

* names, acronyms and seats of government ("the Kremlin") are actors;
* a demonym is its state only before a state noun ("Russian officials");
* a capital is its state only when it acts ("Moscow said"), not as a place ("in Moscow");
* a surname alone is its person unless a given name precedes it ("Melania Trump");
* then people outside the registry (app/splitter/actors/people.py) and extra recognisers.

Everything an article teaches the tagger lives in one `ArticleState` per call.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Protocol

from app.splitter.actors.data import Rules
from app.splitter.actors.index import Hit, Index, automaton_text, find_hits, scan_sentences
from app.splitter.actors.people import ArticleState, SentenceBase
from app.splitter.actors.text import fold_letters, fold_words, slugify
from app.splitter.actors.tokens import after, bare, before, is_cap, is_word, previous_word
from app.splitter.types import Actor, ActorType

__all__ = ["ArticleState", "EntityRecognizer", "tag_sentence", "tag_sentences"]

_CONJUNCTIONS = frozenset({"and", "or", "&"})
_OPEN = frozenset({"surname", "given", "role", "verb"})  # hits a name run may cross


class EntityRecognizer(Protocol):
    """An optional extra recogniser (e.g. a spaCy NER model) run after the registry."""

    def find(self, text: str) -> Iterable[tuple[int, int, ActorType]]:
        """Spans [start, end) of `text` it believes name an actor, with their type."""
        ...


class _Sentence(SentenceBase):
    """The judgement of one sentence's registry hits."""

    __slots__ = ("index", "named_offices")

    def __init__(
        self,
        index: Index,
        rules: Rules,
        text: str,
        state: ArticleState,
        scanned: str,
        hits: list[Hit],
    ) -> None:
        super().__init__(rules, text, state)
        self.index = index
        self.named_offices: list[Hit] = []  # offices a name follows: read like roles
        self.scanned = scanned
        self.hits = hits
        self.blocking = [(h.start, h.end) for h in hits if h.kind not in _OPEN]

    def first_name_before(self, start: int) -> bool:
        """True when a capitalised given name sits right before `start` ("Melania Trump")."""
        text = self.text
        if start < 2 or text[start - 1] != " ":
            return False
        if text[start] > "\u024f":
            # beyond Latin script (Cyrillic, Arabic) the registry has the whole names, and a
            # capitalised word before a country opens the sentence ("Делегация Украины")
            return False
        word = previous_word(text, start - 1)
        if not word[:1].isupper() or not word[-1:].isalpha():
            return False  # quick exit: lower case, or ends in punctuation ("Russia's,")
        tok = (word, start - 1 - len(word), start - 1)
        if not self.is_name_word(tok) or word.endswith(("'s", "’s")):
            return False
        return not self.covered(tok[1], tok[2], self.blocking)

    def capital_acts(self, hit: Hit, previous: Hit | None, place_before: bool) -> bool:
        """A capital stands for its government unless it is only a place."""
        text, rules = self.text, self.rules
        nxt = after(text, hit.end, 3)
        if len(nxt) == 3 and nxt[0][0] in "'’" and nxt[1][0] == "s":
            # possessive, whatever precedes it: "Moscow's mayor" is the city, "at Moscow's
            # request" the state
            return fold_letters(nxt[2][0]) not in rules.place_nouns and not self.first_name_before(
                hit.start
            )
        prev = before(text, hit.start, 1)
        if prev:
            word = fold_letters(prev[0][0])
            if word in _CONJUNCTIONS and previous is not None and previous.kind == "capital":
                return not place_before  # "in Moscow and Kyiv": both places
            if word in rules.place_words:
                return False
        if self.first_name_before(hit.start):
            return False
        if nxt and is_word(nxt[0]) and nxt[0][1] == hit.end + 1:
            word = fold_letters(nxt[0][0])
            if word in rules.place_nouns:
                return False
            if is_cap(nxt[0]) and word not in rules.stopwords:
                return False  # part of a longer name: "Moscow Exchange"
        return True

    def after_the(self, start: int) -> bool:
        """True when the word before `start` is the article "the"."""
        return fold_letters(previous_word(self.text, start)) == "the"

    def demonym_acts(self, hit: Hit) -> bool:
        """A demonym stands for its state before a state noun ("Russian officials"),
        or as a people acting ("the French have refused")."""
        rules = self.rules
        words = 0
        toks = after(self.text, hit.end, 6)
        if toks and self.after_the(hit.start) and fold_letters(toks[0][0]) in rules.predicates:
            return True
        for tok in toks:
            if tok[0] == "-":
                continue
            if not is_word(tok):
                return False
            word = bare(tok[0])
            if word in rules.state_nouns:
                return True
            if words == 0 and is_cap(tok) and word not in rules.title_words:
                return False  # part of a proper name: "Russian Orthodox Church"
            words += 1
            if words >= 3:
                return False
        return False

    def resolve_surname(self, hit: Hit) -> str | None:
        """The person a surname hit stands for: the one named in full earlier, or the only one."""
        slug = self.state.named.get(fold_words(self.text[hit.start : hit.end]))
        if slug is not None and slug in hit.slugs:
            return slug
        return hit.slugs[0] if len(hit.slugs) == 1 else None

    def note_person(self, slug: str) -> None:
        """Remember that the article named this registry person (for shared surnames)."""
        for key in self.index.person_surnames.get(slug, ()):
            self.state.named[key] = slug

    def judge(self, hit: Hit, previous: Hit | None, place_before: bool) -> str | None:
        """The slug a registry hit stands for in this context, or None."""
        kind = hit.kind
        if kind in ("name", "metonym", "translated"):
            single = " " not in self.text[hit.start : hit.end]
            if kind == "name" and single and self.first_name_before(hit.start):
                return None  # "Michael Jordan", "Richard Wagner"
            return hit.slugs[0]
        if kind == "office":
            return self.office_holder(hit)
        if kind == "capital":
            return hit.slugs[0] if self.capital_acts(hit, previous, place_before) else None
        if kind == "demonym":
            return hit.slugs[0] if self.demonym_acts(hit) else None
        if kind == "plural":  # "the Russians have...", not "Russians fleeing the war"
            return hit.slugs[0] if self.after_the(hit.start) else None
        if kind == "surname" and not self.first_name_before(hit.start):
            if self.name_continues(hit.end):
                return None  # part of a longer name: "Trump Tower"
            return self.resolve_surname(hit)
        return None

    def office_holder(self, hit: Hit) -> str | None:
        """An office stands for its holder ("Kyiv's top diplomat", "the Ukrainian foreign
        minister") unless a former one is meant or a name follows that says who holds it."""
        text = self.text
        body = self.index.office_bodies.get(fold_words(text[hit.start : hit.end]))
        if body is not None:  # "Kyiv's top diplomat" names the state too
            self.found.append((hit.start, self.index.actors[body]))
        if fold_letters(previous_word(text, hit.start)) in self.rules.former_words:
            return None  # "former Ukrainian foreign minister Dmytro Kuleba"
        if text[hit.end : hit.end + 3].lstrip(" ,")[:1].isupper():
            # "Ukrainian Foreign Minister Dmytro Kuleba": the name says who, read as after a
            # role once the registry's names are judged
            self.named_offices.append(hit)
            return None
        return hit.slugs[0]

    def bare_office(self, hit: Hit) -> None:
        """ "The defence minister" with no state of its own: the holder's, when the sentence
        names exactly one state or body that has one, else when earlier sentences name one
        more often than any other."""
        text = self.text
        holders = self.index.office_holders.get(fold_words(text[hit.start : hit.end]))
        if not holders or fold_letters(previous_word(text, hit.start)) != "the":
            return  # "former defence minister", "a defence minister", "Britain's ..." (an office)
        if text[hit.end : hit.end + 3].lstrip(" ,")[:1].isupper():
            return  # "the defence minister, Boris Pistorius": the name says who
        places = self.rules.place_words  # "arrived in Poland" does not say whose
        here = {
            actor.slug
            for start, actor in self.found
            if actor.slug in holders and fold_letters(previous_word(text, start)) not in places
        }
        if len(here) > 1:
            return
        if not here:
            ranked = sorted(
                ((count, slug) for slug, count in self.state.mentions.items() if slug in holders),
                reverse=True,
            )
            if not ranked or (len(ranked) > 1 and ranked[1][0] == ranked[0][0]):
                return
            here = {ranked[0][1]}
        holder = self.index.actors[holders[here.pop()]]
        self.note_person(holder.slug)
        self.add(hit.start, hit.end, holder)

    def name_continues(self, end: int) -> bool:
        """True when a capitalised non-function word follows `end` directly."""
        text = self.text
        if end >= len(text) - 1 or text[end] != " " or not text[end + 1].isupper():
            return False
        nxt = after(text, end + 1, 1)
        return bool(nxt) and fold_letters(nxt[0][0]) not in self.rules.stopwords

    def extra(self, recognizer: EntityRecognizer) -> None:
        """Spans of an extra recogniser: registry aliases first, else new actors."""
        text = self.text
        judged = [(h.start, h.end) for h in self.hits if h.kind not in ("role", "verb")]
        for start, end, actor_type in recognizer.find(text):
            if self.covered(start, end, self.spans) or self.covered(start, end, judged):
                continue  # the registry has decided about this span ("talks in Kiev")
            surface = " ".join(text[start:end].split())
            candidate = self.index.forms.get(fold_words(surface))
            slug = next((f.slug for f in candidate.forms if f.slug), "") if candidate else ""
            if slug:
                self.add(start, end, self.index.actors[slug])
            elif actor_type == "person":
                toks = after(text, start, 6)
                toks = [t for t in toks if t[2] <= end]
                if toks:
                    self.adhoc_person(toks)
            elif surface:
                self.add(start, end, Actor(slug=slugify(surface), name=surface, type=actor_type))

    def run(self, recognizers: Sequence[EntityRecognizer]) -> tuple[Actor, ...]:
        """Judge every hit, then look for people outside the registry."""
        if not self.hits and not recognizers and not self.state.adhoc:
            return ()
        actors = self.index.actors
        parents = self.index.parents
        roles: list[Hit] = []
        verbs: list[Hit] = []
        givens: list[Hit] = []
        previous: Hit | None = None
        place_before = False
        for hit in self.hits:
            kind = hit.kind
            if kind == "role":
                roles.append(hit)
                continue
            if kind == "verb":
                verbs.append(hit)
                continue
            if kind == "given":
                givens.append(hit)
                continue
            slug = self.judge(hit, previous, place_before)
            if kind == "capital":
                place_before = slug is None
            if kind != "ignore":
                previous = hit
            if slug is None:
                continue
            actor = actors[slug]
            if actor.type == "person":
                self.note_person(slug)
            self.add(hit.start, hit.end, actor)
            parent = parents.get(slug)
            if parent is not None:  # a national body also counts for its state
                self.found.append((hit.start, actors[parent]))
        for hit in roles:
            self.after_role(hit)
            self.bare_office(hit)
        for hit in self.named_offices:
            self.after_role(hit)
        for hit in verbs:
            self.around_verb(hit)
        for hit in givens:
            self.given_name(hit)
        for recognizer in recognizers:
            self.extra(recognizer)
        if self.state.adhoc:
            self.known_surnames()
        self.found.sort(key=lambda item: item[0])
        unique: dict[str, Actor] = {}
        for _, actor in self.found:
            unique.setdefault(actor.slug, actor)
        mentions = self.state.mentions
        for slug, actor in unique.items():
            if actor.type != "person":
                mentions[slug] = mentions.get(slug, 0) + 1
        return tuple(unique.values())


def tag_sentence(
    index: Index,
    rules: Rules,
    text: str,
    state: ArticleState,
    recognizers: Sequence[EntityRecognizer] = (),
    *,
    scan: tuple[str, list[Hit]] | None = None,
) -> tuple[Actor, ...]:
    """The actors of one sentence, in order of first mention, without duplicates.

    `scan` is the sentence's (automaton text, hits) when already found for the article
    (`scan_sentences`); without it the sentence is scanned here.
    """
    if scan is None:
        scanned = automaton_text(text)
        hits = find_hits(index, text, scanned)
    else:
        scanned, hits = scan
    if not hits and not recognizers and not state.adhoc:
        return ()
    return _Sentence(index, rules, text, state, scanned, hits).run(recognizers)


def tag_sentences(
    index: Index,
    rules: Rules,
    texts: Sequence[str],
    recognizers: Sequence[EntityRecognizer] = (),
) -> list[tuple[Actor, ...]]:
    """The actors of each sentence of one article (one automaton pass for all of them)."""
    state = ArticleState()
    return [
        tag_sentence(index, rules, text, state, recognizers, scan=scan)
        for text, scan in zip(texts, scan_sentences(index, texts), strict=True)
    ]
