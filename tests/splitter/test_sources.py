"""Golden tables: the publisher registry and inline attribution."""

from __future__ import annotations

import pytest

from app.splitter.core import split
from app.splitter.sources import default_registry, known_sources


def test_registry_is_large_and_unique() -> None:
    sources = known_sources()
    assert len(sources) >= 60
    assert len({s.slug for s in sources}) == len(sources)
    names = {s.name for s in sources}
    for wanted in ("Reuters", "CNN", "Associated Press", "Agence France-Presse", "RFE/RL", "TASS"):
        assert wanted in names


@pytest.mark.parametrize(
    ("entry", "name"),
    [
        ("Reuters, 3 May 2025", "Reuters"),
        ("https://edition.cnn.com/2025/x", "CNN"),
        ("DW", "Deutsche Welle"),
        ("the Guardian", "The Guardian"),
        (
            'Roe, A. (1 May 2025). "Reuters and the truth". '
            "Kyiv Independent. Retrieved 2 May 2025.",
            "The Kyiv Independent",
        ),
        ("https://news.example.co.uk/a", "example.co.uk"),
        # the publisher before a quoted title when only a year follows it
        ('Nature Energy, "Frequency stability in low-inertia grids", 2021.', "Nature Energy"),
        ('Grid Weekly - "When the wind drops"', "Grid Weekly"),
    ],
)
def test_reference_entry_source(entry: str, name: str) -> None:
    source = default_registry().resolve(entry, None)
    assert source is not None
    assert source.name == name


@pytest.mark.parametrize(
    ("sentence", "names"),
    [
        ("Prices rose on Monday (Reuters).", ["Reuters"]),
        ("According to CNN, prices rose.", ["CNN"]),
        ("The Associated Press reported that prices rose.", ["Associated Press"]),
        ("An official told Bloomberg News that prices rose.", ["Bloomberg News"]),
        ("Prices rose, according to the BBC.", ["BBC News"]),
        ("Prices rose, the Financial Times reported.", ["Financial Times"]),
        ("The Moscow Times reported that prices rose.", ["The Moscow Times"]),
        ("The IAEA has said prices rose.", []),
        ("Reuters is a news agency based in London.", []),
        ("Firms must disclose it, according to a draft seen by Politico.", ["Politico"]),
    ],
)
def test_inline_attribution(sentence: str, names: list[str]) -> None:
    result = split(sentence, title="T")
    assert [c.source.name for c in result.statements[0].sources] == names
    assert all(c.kind == "inline" for c in result.statements[0].sources)


def test_context_sources_stay_out_of_sources() -> None:
    result = split("Prices rose.[1] Markets were calm.\n\n[1] Reuters", title="T")
    calm = result.statements[1]
    assert calm.sources == ()
    assert [c.source.name for c in calm.context_sources] == ["Reuters"]
