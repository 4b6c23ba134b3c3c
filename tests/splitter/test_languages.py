"""Languages - detection, per-language boundaries, cues and actors across languages."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from app.evaluation import evaluate_folder
from app.splitter.actors.registry import ActorRegistry
from app.splitter.core import split
from app.splitter.language import primary_language

LANGUAGES = Path(__file__).parent.parent / "fixtures" / "eval" / "languages"

# Our own boundary cases per language (pySBD's per-language golden rules are not in its
# sdist): a text and the sentences it must split into.
BOUNDARIES: list[tuple[str, str, list[str]]] = [
    ("de", "Die Gespräche begannen am 3. Mai in Genf. Sie dauerten lange.",
     ["Die Gespräche begannen am 3. Mai in Genf.", "Sie dauerten lange."]),
    ("de", "Zum 19. Mal trafen sich die Minister. Das war neu.",
     ["Zum 19. Mal trafen sich die Minister.", "Das war neu."]),
    ("de", "Die Minister bzw. ihre Vertreter kamen, z. B. aus Wien. Dr. Müller sprach.",
     ["Die Minister bzw. ihre Vertreter kamen, z. B. aus Wien.", "Dr. Müller sprach."]),
    ("de", "Das war 2014. Die Lage blieb angespannt.",
     ["Das war 2014.", "Die Lage blieb angespannt."]),
    ("ru", "Это случилось в 2024 г. в Киеве. Пришли 5 тыс. человек.",
     ["Это случилось в 2024 г. в Киеве.", "Пришли 5 тыс. человек."]),
    ("ru", "В. Путин заявил, что т. е. всё хорошо. Песков промолчал.",
     ["В. Путин заявил, что т. е. всё хорошо.", "Песков промолчал."]),
    ("uk", "Це сталося у 2024 р. у Києві. Прийшли 5 тис. людей.",
     ["Це сталося у 2024 р. у Києві.", "Прийшли 5 тис. людей."]),
    ("uk", "В. Зеленський заявив про це. Росія мовчить.",
     ["В. Зеленський заявив про це.", "Росія мовчить."]),
    ("fr", "M. Macron a rencontré Mme Merkel. Ils ont parlé.",
     ["M. Macron a rencontré Mme Merkel.", "Ils ont parlé."]),
    ("es", "El Sr. Sánchez habló con la Sra. López. Ver pág. 5 del informe.",
     ["El Sr. Sánchez habló con la Sra. López.", "Ver pág. 5 del informe."]),
    # a number glued to the word it enumerates is a list item, not a sentence end
    ("es", "La carga incluye: 1.Trigo, 2.Maíz, 3.Cebada. El barco zarpa mañana.",
     ["La carga incluye: 1.Trigo, 2.Maíz, 3.Cebada.", "El barco zarpa mañana."]),
    ("en", "The agenda had three items: 1.Grain, 2.Ports, 3.Prisoners. Talks begin today.",
     ["The agenda had three items: 1.Grain, 2.Ports, 3.Prisoners.", "Talks begin today."]),
    # nor does a period glued to the next letter inside an abbreviation
    ("fr", "Le sigle « NN.UU.CC. » désigne les Nations unies. Il est rare.",
     ["Le sigle « NN.UU.CC. » désigne les Nations unies.", "Il est rare."]),
    # Arabic: a colon after a lead-in ends it, after a speech verb it opens the quotation
    ("ar", "تحليل إخباري: ماذا تعني نتائج القمة؟ يرى المحللون أن الاتفاق هش.",
     ["تحليل إخباري:", "ماذا تعني نتائج القمة؟", "يرى المحللون أن الاتفاق هش."]),
    ("ar", "وقال الوزير: سنواصل المحادثات غدا. ثم غادر القاعة.",
     ["وقال الوزير: سنواصل المحادثات غدا.", "ثم غادر القاعة."]),
    ("ar", "وصل الوفد عند الساعة 10:30 صباحا.", ["وصل الوفد عند الساعة 10:30 صباحا."]),
    # a title in a script without case, also with its period wrapped in directional marks
    ("ar", "التقى د. سامي حداد بالوفد. وانتهى الاجتماع مساء.",
     ["التقى د. سامي حداد بالوفد.", "وانتهى الاجتماع مساء."]),
    ("ar", "التقى د\u202a.\u202c سامي حداد بالوفد في عمان. وانتهى الاجتماع مساء.",
     ["التقى د\u202a.\u202c سامي حداد بالوفد في عمان.", "وانتهى الاجتماع مساء."]),
]  # fmt: skip


@pytest.mark.parametrize(("language", "text", "expected"), BOUNDARIES)
def test_boundaries_per_language(language: str, text: str, expected: list[str]) -> None:
    assert [s.text for s in split(text, language=language).statements] == expected


def test_the_language_cases_meet_the_issue_targets() -> None:
    report = evaluate_folder(LANGUAGES)
    misses = "\n".join(report.misses)
    assert report.statement_f1 >= 0.95, misses
    assert report.attribution_accuracy >= 0.95, misses
    assert report.citation_f1 >= 0.95, misses
    assert report.actor_recall >= 0.85, misses


def test_detection_on_the_language_cases() -> None:
    cases = [json.loads(p.read_text("utf-8")) for p in sorted(LANGUAGES.glob("??-0*.json"))]
    right = sum(split(c["input"]["text"]).language == c["language"] for c in cases)
    assert right / len(cases) >= 0.95


@pytest.mark.parametrize("language", [None, "xx", "en", "ar", "de-AT", "???"])
def test_a_wrong_or_missing_language_never_fails(language: str | None) -> None:
    result = split("Переговоры продолжатся, сообщает ТАСС. Путин промолчал.", language=language)
    assert len(result.statements) == 2


@pytest.mark.parametrize(
    ("tag", "primary"), [("de-AT", "de"), ("RU", "ru"), ("sr-Latn-RS", "sr"), ("x", None)]
)
def test_primary_language(tag: str, primary: str | None) -> None:
    assert primary_language(tag) == primary


@pytest.mark.parametrize(
    "text",
    [
        "Украина и Россия провели переговоры в Стамбуле.",
        "Санкции против России продлены, помощь Украине тоже.",
        "Die Ukraine und Russland verhandelten in Genf.",
        "Ucrania y Rusia negociaron en Ginebra.",
        "L'Ukraine et la Russie ont négocié à Genève.",
        "Україна та Росія провели переговори.",
    ],
)
def test_countries_across_languages_are_one_actor(text: str) -> None:
    slugs = {a.slug for s in split(text).statements for a in s.actors}
    assert {"ukraine", "russia"} <= slugs


def test_people_and_offices_in_cyrillic() -> None:
    result = split("Кремль отверг предложение Зеленского. Путин промолчал.")
    assert [[a.slug for a in s.actors] for s in result.statements] == [
        ["russia", "volodymyr-zelensky"],
        ["vladimir-putin"],
    ]


@pytest.mark.parametrize(
    ("text", "topic"),
    [
        ("Переговоры о прекращении огня возобновились.", "ceasefire"),
        ("Санкции против России продлены.", "sanctions"),
        ("Переговори про перемир'я відновилися.", "ceasefire"),
        ("Die EU beschloss neue Sanktionen.", "sanctions"),
        ("Die Waffenruhe hielt nicht.", "ceasefire"),
        ("Les pourparlers ont repris à Genève.", "diplomacy"),
        ("Las conversaciones sobre un alto el fuego se reanudaron.", "ceasefire"),
    ],
)
def test_topics_across_languages(text: str, topic: str) -> None:
    (statement,) = split(text).statements
    assert topic in {t.slug for t in statement.topics}


def test_a_paragraph_topic_is_context_never_a_topic() -> None:
    first, second = split(
        "Talks on a ceasefire resumed in Geneva. The mood was tense, officials said."
    ).statements
    assert {t.slug for t in first.topics} == {"diplomacy", "ceasefire"}
    assert second.topics == ()
    assert {t.slug for t in second.topics_context} == {"diplomacy", "ceasefire"}
    assert not set(first.topics) & set(first.topics_context)


def _golden() -> list[tuple[str, str, list[str]]]:
    data = json.loads((LANGUAGES / "golden-rules-languages.json").read_text("utf-8"))
    return [(c["language"], c["text"], c["sentences"]) for c in data["cases"]]


def test_golden_rules_per_language() -> None:
    passed: dict[str, int] = {}
    total: dict[str, int] = {}
    failures = []
    for language, text, expected in _golden():
        got = [s.text for s in split(text, language=language, title="Golden rule").statements]
        total[language] = total.get(language, 0) + 1
        if got == expected:
            passed[language] = passed.get(language, 0) + 1
        else:
            failures.append((language, got))
    assert sum(passed.values()) / sum(total.values()) >= 0.95, failures
    for language, count in total.items():
        if count >= 10:
            assert passed.get(language, 0) / count >= 0.9, (language, failures)


@pytest.mark.parametrize(
    ("text", "slug"),
    [
        ("Kyiv's top diplomat said the talks would resume.", "andrii-sybiha"),
        ("Moscow’s top diplomat rejected the plan.", "sergey-lavrov"),
        ("The Kremlin spokesman declined to comment.", "dmitry-peskov"),
        # offices in actors_people.yaml, after the state's name, capital or demonym
        ("The Ukrainian defence minister visited the front.", "denys-shmyhal"),
        ("Berlin's top diplomat flew to Warsaw.", "johann-wadephul"),
        ("Israel’s prime minister rejected the proposal.", "benjamin-netanyahu"),
        ("The Chinese premier opened the trade fair.", "li-qiang"),
        ("Officials said the US defense secretary would attend.", "pete-hegseth"),
        # and after an organisation's name, possessive or attributive
        ("NATO's secretary general called for more spending.", "mark-rutte"),
        ("The UN aid chief asked for access to the city.", "tom-fletcher"),
        ("The WHO chief warned of an outbreak.", "tedros-adhanom-ghebreyesus"),
        # organisation names with a possessive acronym or in lower case
        ("The UN's nuclear watchdog will inspect the plant.", "iaea"),
        ("Russia's defence ministry claimed the village.", "russia-defence-ministry"),
    ],
)
def test_offices_resolve_to_their_holder(text: str, slug: str) -> None:
    (statement,) = split(text).statements
    assert slug in {a.slug for a in statement.actors}


@pytest.mark.parametrize(
    ("text", "holder", "named"),
    [
        # a former holder, or the name that follows, says who is meant
        ("Former Ukrainian foreign minister Dmytro Kuleba spoke.", "andrii-sybiha", "ukraine"),
        ("Russia's deputy foreign minister met the envoy.", "sergey-lavrov", "russia"),
        ("Ex-Treasury Secretary Janet Yellen spoke.", "scott-bessent", None),
        ("Polish Prime Minister Jan Nowak arrived.", "donald-tusk", "poland"),
    ],
)
def test_offices_not_of_their_holder(text: str, holder: str, named: str | None) -> None:
    (statement,) = split(text).statements
    slugs = {a.slug for a in statement.actors}
    assert holder not in slugs
    if named is not None:
        assert named in slugs


@pytest.mark.parametrize(
    ("text", "name"),
    [
        ("The Suez Canal Authority said traffic recovered.", "Suez Canal Authority"),
        ("The ruling Party of Action and Solidarity won.", "Party of Action and Solidarity"),
        ("Turnout was 43%, the Federal Statistical Office said.", "Federal Statistical Office"),
    ],
)
def test_organisations_outside_the_registry_by_their_head_word(text: str, name: str) -> None:
    (statement,) = split(text).statements
    assert name in [a.name for a in statement.actors]


def test_an_office_holder_title_is_not_part_of_the_organisation() -> None:
    text = (
        "Russia, through its Ministry of Foreign Affairs and Foreign Minister Sergey Lavrov, "
        "replied."
    )
    names = [a.name for a in split(text).statements[0].actors]
    assert "Ministry of Foreign Affairs" in names
    assert "Sergey Lavrov" in names


@pytest.mark.parametrize(
    ("text", "language", "slug"),
    [
        # a capital in another language acts for its state ...
        ("Moscou a rejeté la proposition.", "fr", "russia"),
        ("Киев настаивает на перемирии.", "ru", "ukraine"),
        ("Warschau schickte weitere Panzer.", "de", "poland"),
        # ... a German genitive after a capitalised noun is the state, not a surname
        ("Die Regierung begrüßte die Zusagen Polens.", "de", "poland"),
        # country names pycountry translates, in more countries than before
        ("El Gobierno firmó con Marruecos un acuerdo pesquero.", "es", "morocco"),
        ("Власти Кении закрыли границу.", "ru", "kenya"),
    ],
)
def test_names_in_other_languages(text: str, language: str, slug: str) -> None:
    (statement,) = split(text, language=language).statements
    assert slug in {a.slug for a in statement.actors}


@pytest.mark.parametrize(
    ("text", "language"),
    [
        ("Le ministre est arrivé à Moscou lundi.", "fr"),
        ("Делегация прибыла в Киев утром.", "ru"),
        ("Die Delegation reiste nach Warschau.", "de"),
    ],
)
def test_capitals_in_other_languages_as_places(text: str, language: str) -> None:
    (statement,) = split(text, language=language).statements
    assert statement.actors == ()


@pytest.mark.parametrize(
    ("text", "slug"),
    [
        # an office before the state or body it is of
        ("The president of Egypt received the delegation.", "abdel-fattah-el-sisi"),
        ("She met the head of the IAEA in Vienna.", "rafael-grossi"),
        ("The secretary general of NATO spoke first.", "mark-rutte"),
    ],
)
def test_offices_before_their_state(text: str, slug: str) -> None:
    (statement,) = split(text).statements
    assert slug in {a.slug for a in statement.actors}


@pytest.mark.parametrize(
    ("sentences", "expected"),
    [
        # an office with no state of its own is the holder's of the one state in view
        (
            ["Germany will raise spending.", "The defence minister wants more troops."],
            "boris-pistorius",
        ),
        (
            ["Poland hosted the summit.", "Later the prime minister met NATO leaders."],
            "donald-tusk",
        ),
        # two states in the sentence, or a place only: nobody
        (["Talks between Russia and Ukraine resumed.", "The foreign minister left early."], None),
        (["The president arrived in Poland on Monday."], None),
    ],
)
def test_offices_without_a_state(sentences: list[str], expected: str | None) -> None:
    last = ActorRegistry.default().tag(sentences)[-1]
    people = {a.slug for a in last if a.type == "person"}
    assert people == ({expected} if expected else set())


def test_an_office_before_a_registry_name_adds_no_one_else() -> None:
    (statement,) = split("Russian President Putin said the talks would go on.").statements
    assert [a.name for a in statement.actors] == ["Russia", "Vladimir Putin"]
