"""Golden tables for the topic tagger (app/splitter/topics/taxonomy.py)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from app.splitter.topics.match import inflections, pattern_keys
from app.splitter.topics.taxonomy import TopicEntry, TopicTaxonomy

SLUGS = {
    "diplomacy",
    "ceasefire",
    "security-guarantees",
    "alliances",
    "territory",
    "military-action",
    "casualties",
    "prisoners",
    "sanctions",
    "military-aid",
    "humanitarian",
    "human-rights",
    "economy",
    "energy",
    "elections",
}


@pytest.fixture(scope="module")
def taxonomy() -> TopicTaxonomy:
    return TopicTaxonomy.default()


def slugs(taxonomy: TopicTaxonomy, sentence: str, section: str | None = None) -> set[str]:
    return {t.slug for t in taxonomy.tag([sentence], [section])[0]}


# (sentence, a topic it must get)
PER_SLUG = [
    ("Strikes destroyed 9 gigawatts of generating capacity this year.", "energy"),
    ("Power was restored in most districts by midnight.", "energy"),
    ("The undersea power cable between the two countries was cut.", "energy"),
    ("The first aid trucks crossed the border at dawn.", "humanitarian"),
    ("Aid groups say they cannot reach the town.", "humanitarian"),
    ("The unit suffered heavy losses in the fighting.", "casualties"),
    ("At least 19 fishermen remain in custody.", "prisoners"),
    ("The two delegations resumed negotiations in Geneva.", "diplomacy"),
    ("The foreign ministers will hold talks next week.", "diplomacy"),
    ("A summit between the two leaders is planned.", "diplomacy"),
    ("Qatar has offered to mediate.", "diplomacy"),
    ("Both sides accepted a 30-day ceasefire.", "ceasefire"),
    ("Earlier ceasefires collapsed within days.", "ceasefire"),
    ("A truce took hold on Sunday.", "ceasefire"),
    ("The armistice of 1953 still holds.", "ceasefire"),
    ("The cease-fire was violated overnight.", "ceasefire"),
    ("They agreed to a pause in fighting over the holiday.", "ceasefire"),
    ("Kyiv wants security guarantees from its partners.", "security-guarantees"),
    ("The guarantor states would deploy peacekeepers.", "security-guarantees"),
    ("Finland's accession doubled the border with the alliance.", "alliances"),
    ("Moscow demands that Kyiv renounce joining NATO.", "alliances"),
    ("The region was annexed in 2014.", "territory"),
    ("Russia demanded that Ukraine cede four regions.", "territory"),
    ("Troops remain in the occupied territories.", "territory"),
    ("Drones attacked the refinery overnight.", "military-action"),
    ("Artillery shelling continued along the front.", "military-action"),
    ("The counteroffensive stalled.", "military-action"),
    ("Missile strikes hit the port.", "military-action"),
    ("Three civilians were killed and 12 injured.", "casualties"),
    ("The war has caused tens of thousands of deaths.", "casualties"),
    ("Casualties are mounting.", "casualties"),
    ("The sides swapped 300 prisoners of war.", "prisoners"),
    ("Hostages were released on Thursday.", "prisoners"),
    ("Several activists were detained.", "prisoners"),
    ("The EU adopted new sanctions.", "sanctions"),
    ("China imposed export controls on gallium.", "sanctions"),
    ("An oil embargo took effect.", "sanctions"),
    ("The G7 lowered the price cap on crude.", "sanctions"),
    ("Berlin pledged new weapons deliveries.", "military-aid"),
    ("The package includes military aid worth $1 billion.", "military-aid"),
    ("Europe must rearm, the commissioner said.", "military-aid"),
    ("Aid convoys reached the city.", "humanitarian"),
    ("Millions of refugees have fled abroad.", "humanitarian"),
    ("Parts of the region are at risk of famine.", "humanitarian"),
    ("The report documents war crimes.", "human-rights"),
    ("Minorities face discrimination and persecution.", "human-rights"),
    ("The new tariffs hit steel imports.", "economy"),
    ("Trade between the two countries fell.", "economy"),
    ("Inflation slowed and the economy grew.", "economy"),
    ("Oil prices rose 3%.", "energy"),
    ("The pipeline carries gas to Europe.", "energy"),
    ("Strikes damaged the power grid.", "energy"),
    ("Voters go to the polls in the presidential election on Sunday.", "elections"),
    ("The referendum was postponed.", "elections"),
]


@pytest.mark.parametrize(("sentence", "slug"), PER_SLUG)
def test_per_slug(taxonomy: TopicTaxonomy, sentence: str, slug: str) -> None:
    assert slug in slugs(taxonomy, sentence)


def test_every_default_slug_is_covered() -> None:
    assert {slug for _, slug in PER_SLUG} == SLUGS


# (sentence, topics it must NOT get)
NEGATIVE = [
    ("Security featured as well.", {"security-guarantees"}),
    ("The ministry did not respond to a request for comment.", set(SLUGS)),
    ("Police used tear gas on the crowd.", {"energy"}),
    ("The two firms hope to strike a deal.", {"military-action"}),
    ("Both sides and their allies pushed different agendas.", {"alliances"}),
    ("The IAEA chief visited the nuclear power plant.", {"prisoners"}),
    ("Unions called a general strike.", {"military-action"}),
    ("The rivals traded accusations.", {"economy"}),
    ("Shipping insurers raised premiums after the last round of strikes.", {"diplomacy"}),
]


@pytest.mark.parametrize(("sentence", "absent"), NEGATIVE)
def test_negative(taxonomy: TopicTaxonomy, sentence: str, absent: set[str]) -> None:
    assert not slugs(taxonomy, sentence) & absent


def test_threshold_needs_strong_or_combined_evidence(taxonomy: TopicTaxonomy) -> None:
    # "observers" (weak) alone is not diplomacy; with "attend" (weak) it is
    assert "diplomacy" not in slugs(taxonomy, "Observers were present.")
    assert "diplomacy" in slugs(taxonomy, "Egypt will attend as an observer.")
    assert taxonomy.scores("Observers were present.")["diplomacy"] < taxonomy.threshold


def test_section_inheritance(taxonomy: TopicTaxonomy) -> None:
    out = taxonomy.tag(
        ["No date has been set.", "Drones hit the port."],
        ["Ceasefire talks", "Ceasefire talks"],
    )
    assert {t.slug for t in out[0]} == {"diplomacy", "ceasefire"}  # neutral: inherits
    assert {t.slug for t in out[1]} == {"military-action"}  # has its own topic
    assert taxonomy.tag(["No date has been set."], [None]) == [()]
    assert taxonomy.tag(["No date has been set."], ["What happens next"]) == [()]


def test_topics_are_in_taxonomy_order(taxonomy: TopicTaxonomy) -> None:
    out = taxonomy.tag(["Talks on a truce resumed."], [None])[0]
    assert [t.slug for t in out] == ["diplomacy", "ceasefire"]
    assert out[0].name == "Diplomacy"


def test_default_entries(taxonomy: TopicTaxonomy) -> None:
    entries = taxonomy.entries()
    assert {e.slug for e in entries} == SLUGS
    for entry in entries:
        assert entry.name
        assert entry.description
        assert entry.patterns
        assert entry.iptc_code is None or entry.iptc_code.startswith("medtop:")
    assert TopicTaxonomy.default() is taxonomy


def test_inflections() -> None:
    assert {"ceasefires"} <= inflections("ceasefire")
    assert {"casualties"} <= inflections("casualty")
    assert {"annexed", "annexes"} <= inflections("annex")
    assert {"shelled", "shelling"} <= inflections("shell")
    assert {"stopped", "stopping"} <= inflections("stop")
    assert pattern_keys("negotiat*") == [" negotiat"]
    assert " security guarantees " in pattern_keys("security guarantee")


CUSTOM = {
    "threshold": 1.0,
    "topics": [
        {
            "slug": "climate",
            "name": "Climate",
            "description": "Climate change and emissions.",
            "iptc": "medtop:06000000",
            "patterns": {"climate": 1, "emission*": 1},
        },
        {
            "slug": "energy",
            "name": "Energy",
            "description": "Only uranium here.",
            "patterns": [["uranium", 1.0]],
        },
    ],
}


def test_from_file_json_replaces(tmp_path: Path) -> None:
    path = tmp_path / "topics.json"
    path.write_text(json.dumps(CUSTOM), encoding="utf-8")
    taxonomy = TopicTaxonomy.from_file(path)
    assert [e.slug for e in taxonomy.entries()] == ["climate", "energy"]
    assert slugs(taxonomy, "Emissions rose.") == {"climate"}
    assert slugs(taxonomy, "Oil prices rose.") == set()
    assert slugs(taxonomy, "Uranium stocks grew.") == {"energy"}
    assert taxonomy.entries()[0] == TopicEntry(
        slug="climate",
        name="Climate",
        description="Climate change and emissions.",
        iptc_code="medtop:06000000",
        patterns=(("climate", 1.0), ("emission*", 1.0)),
    )


def test_from_file_yaml_extends(tmp_path: Path) -> None:
    path = tmp_path / "topics.yaml"
    path.write_text(
        "topics:\n"
        "  - slug: climate\n"
        "    name: Climate\n"
        "    description: Climate change.\n"
        "    patterns: {climate: 1, emission*: 1}\n"
        "  - slug: energy\n"
        "    name: Energy\n"
        "    description: Only uranium here.\n"
        "    patterns: {uranium: 1}\n",
        encoding="utf-8",
    )
    taxonomy = TopicTaxonomy.from_file(path, extend=True)
    found = [e.slug for e in taxonomy.entries()]
    assert len(found) == 16
    assert found[-1] == "climate"
    assert slugs(taxonomy, "Emissions rose after the ceasefire.") == {"climate", "ceasefire"}
    assert "energy" not in slugs(taxonomy, "Oil prices rose.")  # patterns replaced
    assert "energy" in slugs(taxonomy, "Uranium stocks grew.")
    assert TopicTaxonomy.default().entries()[-2].slug == "energy"  # default untouched


def test_from_file_toml(tmp_path: Path) -> None:
    path = tmp_path / "topics.toml"
    path.write_text(
        'threshold = 2.0\n[[topics]]\nslug = "climate"\nname = "Climate"\n'
        'description = "Climate."\npatterns = [["climate", 1.0], ["emission*", 1.0]]\n',
        encoding="utf-8",
    )
    taxonomy = TopicTaxonomy.from_file(path)
    assert taxonomy.threshold == 2.0
    assert slugs(taxonomy, "Emissions rose.") == set()
    assert slugs(taxonomy, "Climate emissions rose.") == {"climate"}


def test_duplicate_slugs_rejected() -> None:
    entry = TopicEntry(slug="x", name="X", description="", iptc_code=None, patterns=())
    with pytest.raises(ValueError, match="duplicate"):
        TopicTaxonomy([entry, entry])
