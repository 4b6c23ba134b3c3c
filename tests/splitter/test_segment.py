"""Golden table: sentence boundaries (segment step through the whole splitter)."""

from __future__ import annotations

import pytest

from app.splitter.core import split

CASES = [
    (  # an abbreviation that never ends a sentence, whatever follows it
        "The assets amount to approx. €210 billion. Most sit in Belgium.",
        ["The assets amount to approx. €210 billion.", "Most sit in Belgium."],
    ),
    (
        "He met them four times, incl. a meeting in Geneva. Nothing came of it.",
        ["He met them four times, incl. a meeting in Geneva.", "Nothing came of it."],
    ),
    (  # a period glued to a dash: a wire dateline, an abbreviation
        "Madrid, 2 dic (EFE).- El Gobierno enviará misiles. Nada más.",
        ["Madrid, 2 dic (EFE).- El Gobierno enviará misiles.", "Nada más."],
    ),
    (
        "Paris pousse pour un emprunt commun, c.-à-d. une dette mutualisée. Rien de plus.",
        ["Paris pousse pour un emprunt commun, c.-à-d. une dette mutualisée.", "Rien de plus."],
    ),
    (  # a quotation of two sentences is two claims
        'He paused. "We are ready. We will not wait," he said.',
        ["He paused.", '"We are ready.', 'We will not wait," he said.'],
    ),
    (
        "«Мы не отказываемся от диалога. Но и уступать не будем», — заявил министр.",
        ["«Мы не отказываемся от диалога.", "Но и уступать не будем», — заявил министр."],
    ),
    (
        "„Wir prüfen alle Optionen. Entschieden ist nichts“, sagte Merz.",
        ["„Wir prüfen alle Optionen.", "Entschieden ist nichts“, sagte Merz."],
    ),
    (  # ... nor before a one-word reply to the quotation's own question
        '"Would we go in alone? No," one official said. Talks resume today.',
        ['"Would we go in alone? No," one official said.', "Talks resume today."],
    ),
    (  # ... but not before a lower-case word, nor after an abbreviation
        "She said: “Mr. Lee left. the rest stayed.”",
        ["She said: “Mr. Lee left. the rest stayed.”"],
    ),
    (  # a capitalised name goes on after U.S.
        "Rates between Asia and the U.S. East Coast fell. Ships waited.",
        ["Rates between Asia and the U.S. East Coast fell.", "Ships waited."],
    ),
    (
        "I live in the U.S. How about you?",
        ["I live in the U.S.", "How about you?"],
    ),
    (  # a time zone after a.m./p.m.
        "It was filed at 8:30 a.m. Eastern time, before trading. Shares fell.",
        ["It was filed at 8:30 a.m. Eastern time, before trading.", "Shares fell."],
    ),
    (
        "The vote closed at 9 p.m. Moscow time on Sunday. Results came later.",
        ["The vote closed at 9 p.m. Moscow time on Sunday.", "Results came later."],
    ),
    (
        "The U.S. Army said it would help. Officials agreed.",
        ["The U.S. Army said it would help.", "Officials agreed."],
    ),
    (
        "Talks with the U.S. Officials said nothing more.",
        ["Talks with the U.S.", "Officials said nothing more."],
    ),
    ("Gen. Ortiz arrived. He left.", ["Gen. Ortiz arrived.", "He left."]),
    (
        "It was due on Jan. 5 at noon. Nobody came.",
        ["It was due on Jan. 5 at noon.", "Nobody came."],
    ),
    (
        "The forum in St. Petersburg opened. Few came.",
        ["The forum in St. Petersburg opened.", "Few came."],
    ),
    (
        "The No. 2 official resigned. A deputy took over.",
        ["The No. 2 official resigned.", "A deputy took over."],
    ),
    (
        "Smith et al. disagree with this. Others do not.",
        ["Smith et al. disagree with this.", "Others do not."],
    ),
    (
        "They met at 5 p.m. on Friday. Nothing was agreed.",
        ["They met at 5 p.m. on Friday.", "Nothing was agreed."],
    ),
    ("Growth was 3.5% last year. It will slow.", ["Growth was 3.5% last year.", "It will slow."]),
    (
        'He warned of "a long... and hard road" ahead. Then he left.',
        ['He warned of "a long... and hard road" ahead.', "Then he left."],
    ),
    (
        '"Who pays now?" asked a delegate. Nobody answered.',
        ['"Who pays now?" asked a delegate.', "Nobody answered."],
    ),
    (
        'Crowds chanted "Stop the war!" They were detained.',
        ['Crowds chanted "Stop the war!"', "They were detained."],
    ),
    (
        "Prices fell. (The ministry declined to comment.) Trading resumed.",
        ["Prices fell.", "(The ministry declined to comment.)", "Trading resumed."],
    ),
    ("He said (as before.) that it was over.", ["He said (as before.) that it was over."]),
    ("1. The first item 2. The second item", ["1. The first item", "2. The second item"]),
    (
        "a. The first item b. The second item c. The third item",
        ["a. The first item", "b. The second item", "c. The third item"],
    ),
]


@pytest.mark.parametrize(("text", "expected"), CASES)
def test_sentences(text: str, expected: list[str]) -> None:
    result = split(text, title="Given title")
    assert [s.text for s in result.statements] == expected
