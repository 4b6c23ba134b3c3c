"""One regression test per failure kind of the reference reader, each on an article of its own.

None of the splitter's rules was written from these articles: they vary the
kinds of layout that once failed (list separators and labels, unnumbered lists,
unknown domains, Wikipedia text, markers, sentences, furniture, scripts).
"""

from __future__ import annotations

import pytest

from app.splitter.core import split
from app.splitter.sources import SourceRegistry, slugify
from app.splitter.types import SplitResult

BODY = (
    "Grain prices rose sharply on Monday.[1] Traders blamed the frost.[2][3]\n\n"
    "The ministry promised support for farmers.[3]\n\n"
)
WANTED = [
    ("Grain prices rose sharply on Monday.", {"Reuters"}),
    ("Traders blamed the frost.", {"Associated Press", "BBC News"}),
    ("The ministry promised support for farmers.", {"BBC News"}),
]


def claims(result: SplitResult) -> list[tuple[str, set[str]]]:
    return [(s.text, {c.source.name for c in s.sources}) for s in result.statements]


# -- 1. reference lists not laid out one entry per paragraph -----------------------------


@pytest.mark.parametrize(
    ("fmt", "tail"),
    [
        ("text", "[1] Reuters [2] AP [3] BBC"),
        ("text", "Sources\n[1] Reuters [2] AP [3] BBC"),
        ("markdown", "[1] Reuters\n[2] AP\n[3] BBC"),  # soft breaks: one paragraph
        ("markdown", "References\n[1] Reuters\n[2] AP\n[3] BBC"),
        ("text", "1. Reuters\n2. AP\n3. BBC"),  # numbered, no heading
        ("text", "1) Reuters\n2) AP\n3) BBC"),
        ("markdown", "1. Reuters\n2. AP\n3. BBC"),
        ("text", "1. Reuters 2. AP 3. BBC"),
        ("text", "Sources: [1] Reuters [2] AP [3] BBC"),  # a lead-in, then labels
        ("markdown", "Sources: 1. Reuters 2. AP 3. BBC"),
    ],
)
def test_lists_on_one_line_soft_breaks_or_numbered_without_heading(fmt: str, tail: str) -> None:
    result = split("Frost hits the grain belt\n\n" + BODY + tail, format=fmt)  # type: ignore[arg-type]
    assert claims(result) == WANTED
    assert [(r.label, r.source.name if r.source else None) for r in result.references] == [
        ("1", "Reuters"),
        ("2", "Associated Press"),
        ("3", "BBC News"),
    ]


def test_html_entries_separated_by_br() -> None:
    page = (
        "<h1>Frost hits the grain belt</h1><p>Grain prices rose sharply on Monday.[1] "
        "Traders blamed the frost.[2][3]</p><p>The ministry promised support for farmers.[3]</p>"
        "<p>[1] Reuters<br>[2] AP<br>\n[3] BBC</p>"
    )
    assert claims(split(page, format="html")) == WANTED


# -- 2. unnumbered lists: order gives the labels ------------------------------------------------


@pytest.mark.parametrize(
    "tail",
    [
        "Sources: Reuters; AP; BBC",
        "Sources\nhttps://www.reuters.com/a\nhttps://apnews.com/b\nhttps://www.bbc.com/c",
        "https://www.reuters.com/a\nhttps://apnews.com/b\nhttps://www.bbc.com/c",
    ],
)
def test_unnumbered_lists_are_numbered_by_their_order(tail: str) -> None:
    result = split("Frost hits the grain belt\n\n" + BODY + tail)
    assert claims(result) == WANTED
    assert [r.label for r in result.references] == ["1", "2", "3"]


def test_a_sources_line_without_numeric_markers_keeps_empty_labels() -> None:
    result = split("Prices rose (Reuters). Markets fell.\n\nSources: Reuters; AP", title="T")
    assert [r.label for r in result.references] == ["", ""]
    assert not result.integrity.uncited_references


# -- 3. URL-only references of publishers the registry does not list by that domain ------


def test_country_domains_and_subdomains_of_known_publishers() -> None:
    tail = (
        "[1] https://edition.cnn.com/a\n[2] https://www.bbc.co.uk/news/b\n[3] https://cnn.co.jp/c"
    )
    text = "A.[1] B.[2] C.[3]\n\n" + tail
    result = split(text, title="T")
    assert [r.source.name for r in result.references if r.source] == ["CNN", "BBC News", "CNN"]


def test_an_unknown_domain_is_named_by_its_entry_when_both_agree() -> None:
    text = (
        "Rivers rose overnight.[1] Schools closed.[2]\n\n"
        "[1] The Valley Courier, https://www.valleycourier.co.nz/floods\n"
        "[2] Floods close schools https://valleycourier.co.nz/schools"
    )
    result = split(text, title="T")
    names = [r.source.name for r in result.references if r.source]
    # the headline of [2] is not a publisher: the domain names it
    assert names == ["The Valley Courier", "valleycourier.co.nz"]


# -- 4. Wikipedia text saved from a browser ----------------------------------------------------

WIKI = """Harbour Bridge collapse

From Wikipedia, the free encyclopedia

This article is about the 2025 collapse. For the bridge itself, see Harbour Bridge (Valdora).

Contents
1 Background
2 Investigation
3 Notes
4 References

The Harbour Bridge partly collapsed on 3 June 2025 after a cargo ship struck a pier.[1][2] \
Six people were injured.[a]

Background[edit]
The bridge opened in 1974 and carried about 40,000 vehicles a day.[3]

Investigation[edit]
The transport safety board opened an inquiry on 4 June.[2][3]

Notes[edit]
a. ^ Two of them were crew members of the ship.

References[edit]
1. ^ a b Moreno, Lucia (3 June 2025). "Ship strikes Harbour Bridge pier". Reuters. \
Retrieved 4 June 2025.
2. ^ Keller, Tom (4 June 2025). "Inquiry opens into bridge collapse". BBC News. \
Retrieved 4 June 2025.
3. ^ "Harbour Bridge: facts and figures". Valdora Tribune. 5 June 2025. Retrieved 6 June 2025.
"""


def test_wikipedia_text_furniture_notes_and_references() -> None:
    result = split(WIKI)
    assert result.title == "Harbour Bridge collapse"
    assert claims(result) == [
        (
            "The Harbour Bridge partly collapsed on 3 June 2025 after a cargo ship struck a pier.",
            {"Reuters", "BBC News"},
        ),
        ("Six people were injured.", set()),
        (
            "The bridge opened in 1974 and carried about 40,000 vehicles a day.",
            {"Valdora Tribune"},
        ),
        (
            "The transport safety board opened an inquiry on 4 June.",
            {"BBC News", "Valdora Tribune"},
        ),
    ]
    assert [s.section for s in result.statements] == [None, None, "Background", "Investigation"]


# -- 5. markers ---------------------------------------------------------------------------------


def test_superscripts_after_words_and_at_the_end_of_a_paragraph() -> None:
    text = (
        "Frost hits the grain belt\n\nGrain prices rose sharply on the vote¹. Traders blamed "
        "the frost.²³\n\nThe ministry promised support for farmers.³\n\n¹ Reuters\n² AP\n³ BBC"
    )
    result = split(text)
    assert claims(result) == [
        ("Grain prices rose sharply on the vote.", {"Reuters"}),
        ("Traders blamed the frost.", {"Associated Press", "BBC News"}),
        ("The ministry promised support for farmers.", {"BBC News"}),
    ]


def test_parenthesised_markers_and_enumerations() -> None:
    text = (
        "Frost hits the grain belt\n\nGrain prices rose sharply on Monday (1). Traders blamed "
        "the frost.(2)(3) They demand (1) credit and (2) seed.\n\n"
        "(1) Reuters\n(2) AP\n(3) BBC"
    )
    assert claims(split(text)) == [
        ("Grain prices rose sharply on Monday.", {"Reuters"}),
        ("Traders blamed the frost.", {"Associated Press", "BBC News"}),
        ("They demand (1) credit and (2) seed.", set()),
    ]


def test_an_entry_naming_two_publishers_gives_both() -> None:
    result = split("Talks resumed.[1]\n\n[1] Reuters and AP", title="T")
    assert claims(result) == [("Talks resumed.", {"Reuters", "Associated Press"})]


# -- 6. sentences -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    "quoted",
    [
        '"Is that fair?" the senator asked.',
        '"Is that fair?" Senator Warren asked.',
        "“Who pays for the damage?” Ms. Okafor said at a news conference.",
        '"Stop the trucks!" protesters shouted.',
    ],
)
def test_a_quoted_question_and_its_attribution_are_one_statement(quoted: str) -> None:
    text = f"{quoted} Nobody answered."
    assert [s.text for s in split(text, title="T").statements] == [quoted, "Nobody answered."]


@pytest.mark.parametrize(
    "text",
    [
        'He asked: "Is that fair?" Nobody answered the question that afternoon.',
        '"Is that fair?" Nobody said a word.',
    ],
)
def test_a_quoted_question_before_a_new_sentence_still_ends_it(text: str) -> None:
    assert len(split(text, title="T").statements) == 2


def test_bullet_and_number_prefixes_are_not_statement_text() -> None:
    text = (
        "Tariff talks stall\n\nNegotiators met on Friday.\n\n- Officials said the tariff would "
        "rise.\n- Exporters warned of job losses.\n\n1. Farmers want credit.\n2. Ports want time."
    )
    assert [s.text for s in split(text).statements] == [
        "Negotiators met on Friday.",
        "Officials said the tariff would rise.",
        "Exporters warned of job losses.",
        "Farmers want credit.",
        "Ports want time.",
    ]


# -- 7. furniture and titles ---------------------------------------------------------------


def test_tags_and_wire_credits_are_furniture() -> None:
    text = (
        "Tariff talks stall\n\nTrade talks stalled on Friday (Reuters). Negotiators will meet "
        "again.\n\nTags: trade, tariffs, exports\n\n(Reporting by Ana Ruiz; Editing by Tom Hale)"
    )
    assert [s.text for s in split(text).statements] == [
        "Trade talks stalled on Friday (Reuters).",
        "Negotiators will meet again.",
    ]


def test_press_release_furniture() -> None:
    text = (
        "FOR IMMEDIATE RELEASE\n\nHarbourline opens a new ferry route\n\n"
        "Harbourline said on Tuesday that it had opened a ferry route to the islands. "
        "The ferries will sail twice a day.\n\n"
        "About Harbourline\nHarbourline is a ferry operator based in Split. It runs six ships.\n\n"
        "Media contact:\nIva Horvat\npress@harbourline.example\n\n###"
    )
    result = split(text)
    assert result.title == "Harbourline opens a new ferry route"
    assert [s.text for s in result.statements] == [
        "Harbourline said on Tuesday that it had opened a ferry route to the islands.",
        "The ferries will sail twice a day.",
    ]


def test_a_question_as_headline_is_the_title_not_a_statement() -> None:
    result = split("Will the ceasefire hold?\n\nNegotiators met in Doha. They will meet again.")
    assert result.title == "Will the ceasefire hold?"
    assert [s.text for s in result.statements] == [
        "Negotiators met in Doha.",
        "They will meet again.",
    ]


def test_with_no_headline_the_first_sentence_stays_a_statement() -> None:
    text = "Police arrested three people on Tuesday. Prosecutors said more arrests were likely."
    result = split(text)
    assert result.title is None
    assert len(result.statements) == 2


# -- 8. names in other scripts -------------------------------------------------------------

NAMES = [
    "Reuters",
    "Vesti Daily",
    "Вести",
    "Новая газета",
    "Η Καθημερινή",
    "Ελεύθερος Τύπος",
    "الأهرام",
    "الشروق",
    "人民日报",
    "联合早报",
    "★★★",
    "✦✦",
]


def test_slugs_are_distinct_for_names_in_any_script() -> None:
    slugs = [slugify(name) for name in NAMES]
    assert all(slug and slug != "source" for slug in slugs)
    distinct_names = {" ".join(n.casefold().split()) for n in NAMES}
    assert len(set(slugs)) == len(distinct_names)
    assert slugify("Вести") == slugify("Вести")  # stable


def test_no_new_source_takes_a_registered_publishers_slug() -> None:
    registry = SourceRegistry.load()
    for name in NAMES:
        source = registry.new_source(name)
        owner = registry.by_slug.get(source.slug)
        assert owner is None or owner == source


@pytest.mark.parametrize("name", ["ТАСС", "Вести", "الأهرام", "人民日报", "Η Καθημερινή"])
def test_a_reference_in_another_script_is_a_source_of_its_own(name: str) -> None:
    result = split(f"Talks resumed.[1] Markets fell.[2]\n\n[1] {name}\n[2] Reuters", title="T")
    first, second = (c.source for s in result.statements for c in s.sources)
    assert first.slug != second.slug
    assert first.slug != "source"


def test_a_wire_story_copied_from_its_page() -> None:
    text = (
        "World\nEurope\nGrain corridor talks resume in Istanbul\nBy Jane Doe and Piotr Nowak\n"
        "November 30, 2025 3:04 PM GMT+2 Updated 2 hours ago\n"
        "ISTANBUL, Nov 30 (Reuters) - Delegations met in Istanbul on Sunday to discuss the "
        "grain corridor, officials said.\nThe talks come a week after a drone strike.\n"
        "Advertisement · Scroll to continue\n"
        "Exports through the corridor reached 4.2 million tonnes in October.\n"
        "Reporting by Jane Doe in Istanbul; Editing by Tom Hale\n"
        "Our Standards: The Trust Principles., opens new tab\nSuggested Topics:\nEurope\n"
        "Jane Doe\nJane covers Turkey and the Black Sea region, including energy and shipping.\n"
    )
    result = split(text)
    assert result.title == "Grain corridor talks resume in Istanbul"
    assert [s.text for s in result.statements] == [
        "ISTANBUL, Nov 30 (Reuters) - Delegations met in Istanbul on Sunday to discuss the "
        "grain corridor, officials said.",
        "The talks come a week after a drone strike.",
        "Exports through the corridor reached 4.2 million tonnes in October.",
    ]


# -- entries that name their publisher inside other words ---------------------------------


@pytest.mark.parametrize(
    ("entry", "publisher"),
    [
        ("Baltic Ledger (balticledger.org)", "Baltic Ledger"),  # the domain in brackets
        ("Harbour Report [harbourreport.net/2025/05/strike]", "Harbour Report"),
        ("Reporting by the Delta Courier in Port Harcourt", "Delta Courier"),  # a credit line
        ("Additional reporting by Reuters", "Reuters"),
        ("Via the Andes Wire", "Andes Wire"),
    ],
)
def test_an_entry_names_its_publisher_without_its_domain_credit_or_place(
    entry: str, publisher: str
) -> None:
    text = "Port strike spreads\n\nDockworkers walked out in three cities.[1]\n\nSources\n[1] "
    result = split(text + entry)
    assert [r.source.name if r.source else None for r in result.references] == [publisher]
    assert claims(result) == [("Dockworkers walked out in three cities.", {publisher})]


def test_a_bio_after_the_reference_list_is_neither_reference_nor_statement() -> None:
    text = (
        "Port strike spreads\n\nDockworkers walked out in three cities.[1] "
        "Shipping lines diverted vessels.[2]\n\nSources\n[1] Reuters\n[2] AP\n\n"
        "About the author\n\nMira Holm covers shipping for the Baltic Ledger.\n\nComments\n\n"
        "Be the first to comment."
    )
    result = split(text)
    assert [r.label for r in result.references] == ["1", "2"]
    assert [s.text for s in result.statements] == [
        "Dockworkers walked out in three cities.",
        "Shipping lines diverted vessels.",
    ]


@pytest.mark.parametrize(
    "line",
    ["Refresh this page for the latest updates", "Show key events only", "Load more"],
)
def test_live_blog_controls_are_furniture(line: str) -> None:
    text = f"Live: storm hits the coast\n\n{line}\n\n10:42 GMT\n\nWinds reached 150 km/h (AP)."
    result = split(text)
    assert [s.text for s in result.statements] == ["Winds reached 150 km/h (AP)."]


@pytest.mark.parametrize(
    ("sentence", "publisher"),
    [
        ("Al Jazeera's correspondent in Riyadh reported that the talks had ended.", "Al Jazeera"),
        ("A BBC reporter at the border said the crossing was shut.", "BBC News"),
        ("The Guardian's analysis found that most ships were uninsured.", "The Guardian"),
    ],
)
def test_an_outlets_own_staff_reporting_attributes_to_the_outlet(
    sentence: str, publisher: str
) -> None:
    result = split(sentence)
    assert claims(result) == [(sentence, {publisher})]


def test_an_outlets_staff_in_the_news_is_no_attribution() -> None:
    sentence = "Reuters reporters were detained for several hours at the border."
    assert claims(split(sentence)) == [(sentence, set())]


# -- furniture inside and after the article ------------------------------------------------


def test_notes_corrections_post_signatures_bios_and_comments_are_furniture() -> None:
    text = (
        "Ferry strike ends\n\n"
        "Editor's note: This story was updated with the union's statement.\n\n"
        "The ferry strike ended on Friday after nine days.\n\n"
        "— Port Authority (@portauthority) May 3, 2026\n\n"
        "Crews returned to work at dawn, the union said.\n\n"
        "Correction: An earlier version misstated the strike. It lasted nine days.\n\n"
        "Lena Brandt is our maritime correspondent. She reported from Rostock.\n\n"
        "Comments (2)\n\nJan_K: Finally.\n\nMia: About time the ferries ran again."
    )
    assert [s.text for s in split(text).statements] == [
        "The ferry strike ended on Friday after nine days.",
        "Crews returned to work at dawn, the union said.",
    ]


def test_a_related_coverage_box_inside_the_article_is_furniture() -> None:
    text = (
        "Ferry strike ends\n\n"
        "The ferry strike ended on Friday after nine days of talks between the union and the "
        "operators, the port authority said in a statement.\n\n"
        "RELATED COVERAGE\n\nWhy ferry crews walked out\n\nPorts to get new cranes by 2027\n\n"
        "Crews returned to work at dawn on Saturday, and the first ferries left the harbour on "
        "time, according to the operators' timetable."
    )
    assert [s.text for s in split(text).statements] == [
        "The ferry strike ended on Friday after nine days of talks between the union and the "
        "operators, the port authority said in a statement.",
        "Crews returned to work at dawn on Saturday, and the first ferries left the harbour on "
        "time, according to the operators' timetable.",
    ]


@pytest.mark.parametrize(
    ("sentence", "publisher"),
    [
        (
            "Der Minister sagte der „Süddeutschen Zeitung“, die Lage sei ernst.",
            "Süddeutsche Zeitung",
        ),
        ("Laut der Deutschen Welle ist die Brücke gesperrt.", "Deutsche Welle"),
        ("Причины, по данным «Коммерсанта», две.", "Kommersant"),
        ("Рада ухвалила закон, повідомляє Суспільне.", "Suspilne"),
        ("El Congreso votará el envío, según recogió EFE.", "EFE"),  # a verb after the cue
        ("Die Lage sei ernst, meldete die russische Agentur TASS.", "TASS"),  # a described outlet
        ("Как пишет российская газета «Коммерсантъ», сделка сорвалась.", "Kommersant"),
        ("Голова ОВА сказав в інтерв'ю «Суспільному», що світло є.", "Suspilne"),  # dative
        ("Міністр заявив у коментарі для УНІАН, що Київ чекає.", "UNIAN"),
    ],
)
def test_publishers_in_the_forms_their_language_gives_them(sentence: str, publisher: str) -> None:
    assert claims(split(sentence)) == [(sentence, {publisher})]


# -- HTML: superscripts without links, and tables -------------------------------------------


def test_bare_sup_digits_cite_where_a_superscript_digit_would() -> None:
    page = (
        "<h1>Gas imports fall</h1><p>Imports fell 11% in October.<sup>1</sup> The depot covers "
        "40 m<sup>2</sup> of land. Prices rose.<sup>2</sup></p>"
        "<h2>Sources</h2><ol><li>Reuters</li><li>Euractiv</li></ol>"
    )
    result = split(page, format="html")
    assert [
        (s.text, {c.source.name for c in s.citations if c.kind == "cited"})
        for s in result.statements
    ] == [
        ("Imports fell 11% in October.", {"Reuters"}),
        ("The depot covers 40 m2 of land.", set()),  # a unit, not a marker
        ("Prices rose.", {"Euractiv"}),
    ]


def test_a_data_table_is_not_prose_but_a_layout_table_is() -> None:
    page = (
        "<h1>Gas imports fall</h1><p>Imports fell 11% in October, the data showed.</p>"
        "<table><caption>Imports by country</caption><tr><th>Country</th><th>Change vs. Sept."
        "</th></tr><tr><td>Spain</td><td>-4%</td></tr></table>"
        "<table><tr><td><p>The ministry said the fall would continue into the winter months.</p>"
        "</td></tr></table>"
    )
    assert [s.text for s in split(page, format="html").statements] == [
        "Imports fell 11% in October, the data showed.",
        "The ministry said the fall would continue into the winter months.",
    ]


@pytest.mark.parametrize(
    "line",
    [
        "Автор: Ирина Смирнова · Обновлено 2 декабря 2026 г., 16:20 мск",
        "Авторка: Олена Ткач | Оновлено 18:40, 2 грудня 2026 р.",
        "Von Jonas Weber, Hamburg",
        "Aktualisiert am 2. Dezember 2026, 14:05 Uhr",
        "Par Anne Morel – Publié le 2 décembre 2026 à 09h12, mis à jour à 11h40",
        "Por Diego Ruiz | Sevilla | Actualizado: 02/12/2026 13:45 h",
    ],
)
def test_bylines_and_update_lines_in_other_languages_are_furniture(line: str) -> None:
    body = "Dockworkers walked out in three cities.[1]\n\n[1] Reuters"
    text = f"Port strike spreads\n\n{line}\n\n{body}"
    result = split(text)
    assert [(s.text, s.section) for s in result.statements] == [
        ("Dockworkers walked out in three cities.", None)
    ]


@pytest.mark.parametrize(
    ("sentence", "publishers"),
    [
        ("In an interview with CNN, the minister said talks would resume.", {"CNN"}),
        ("The ministry said in a statement to Axios that no decision was made.", {"Axios"}),
        ("According to a report by the Financial Times, the deal is close.", {"Financial Times"}),
        ("Reuters and the Associated Press reported the blast.", {"Reuters", "Associated Press"}),
        ("The Guardian understands that the plan was dropped.", {"The Guardian"}),
        # an authority after "according to" is no publisher
        ("Flights were diverted, according to the European Union Aviation Safety Agency.", set()),
    ],
)
def test_inline_attribution_phrasings(sentence: str, publishers: set[str]) -> None:
    assert claims(split(sentence)) == [(sentence, publishers)]


@pytest.mark.parametrize(
    "line",
    ["Читайте також: Як підготуватися до відключень", "Lire aussi : Ce que contient le plan"],
)
def test_read_also_lines_in_other_languages_are_furniture(line: str) -> None:
    text = (
        f"Port strike spreads\n\nDockworkers walked out in three cities.\n\n{line}\n\nShips waited."
    )
    assert [s.text for s in split(text).statements] == [
        "Dockworkers walked out in three cities.",
        "Ships waited.",
    ]
