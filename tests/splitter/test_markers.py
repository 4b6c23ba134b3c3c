"""Golden table: citation markers are cut, attached to the sentence they close, and cite."""

from __future__ import annotations

import pytest

from app.splitter.core import split

REFS = "\n\n[1] Reuters\n[2] CNN\n[3] BBC News\n[4] Al Jazeera\n[6] Financial Times"

CASES = [
    ("It rose[1][2]. It fell.", [("It rose.", ["Reuters", "CNN"]), ("It fell.", [])]),
    (
        "It stalled.[2] Officials met.[1][3] No date.",
        [("It stalled.", ["CNN"]), ("Officials met.", ["Reuters", "BBC News"]), ("No date.", [])],
    ),
    ("Ships waited [3]. Then left.", [("Ships waited.", ["BBC News"]), ("Then left.", [])]),
    ("It grew [1, 2].", [("It grew.", ["Reuters", "CNN"])]),
    ("It grew [2–4].", [("It grew.", ["CNN", "BBC News", "Al Jazeera"])]),
    ("It grew [2-3,6].", [("It grew.", ["CNN", "BBC News", "Financial Times"])]),
    ("Reuters reported[2] that it grew.", [("Reuters reported that it grew.", ["CNN", "Reuters"])]),
    ("It grew.[citation needed] It fell.[a]", [("It grew.", []), ("It fell.", [])]),
    ("In [2014] it grew.", [("In [2014] it grew.", [])]),
    ("It grew.[9]", [("It grew.", [])]),
]


@pytest.mark.parametrize(("body", "expected"), CASES)
def test_markers(body: str, expected: list[tuple[str, list[str]]]) -> None:
    result = split(body + REFS, title="T")
    got = [(s.text, [c.source.name for c in s.sources]) for s in result.statements]
    assert got == expected


def test_markdown_footnote_markers() -> None:
    text = "Talks resumed.[^1] Both sides came.[^1][^2]\n\n[^1]: Reuters, 3 May\n[^2]: CNN\n"
    result = split(text, format="markdown", title="T")
    assert [(s.text, [c.source.name for c in s.sources]) for s in result.statements] == [
        ("Talks resumed.", ["Reuters"]),
        ("Both sides came.", ["Reuters", "CNN"]),
    ]


def test_superscripts_only_cite_when_the_labels_exist() -> None:
    text = "Capacity grew to 40 km² this year.\n\nThe plan was approved¹².\n\n[1] Reuters\n[2] CNN"
    result = split(text, title="T")
    texts = [s.text for s in result.statements]
    assert "Capacity grew to 40 km² this year." in texts
    assert "The plan was approved." in texts


def test_integrity_report() -> None:
    result = split("It grew.[1] It fell.[5]\n\n[1] Reuters\n[1] CNN\n[2] BBC", title="T")
    assert result.integrity.dangling_markers == ("5",)
    assert result.integrity.uncited_references == ("2",)
    assert result.integrity.duplicate_labels == ("1",)
    assert not result.integrity.clean
