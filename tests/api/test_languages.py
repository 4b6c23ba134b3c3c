"""The language of an article, given or detected, stored, returned, filtered, faceted."""

from __future__ import annotations

from typing import Any

from fastapi.testclient import TestClient

from tests.api.helpers import assert_problem, texts

RUSSIAN = (
    "Переговоры возобновились в Женеве в понедельник, сообщает ТАСС. "
    "В 2024 г. в Киеве прошли встречи, на которые пришли 5 тыс. человек."
)
GERMAN = (
    "Die Gespräche wurden am 3. Mai in Genf fortgesetzt, teilte das Auswärtige Amt mit. "
    "Laut dpa trafen sich die Minister bzw. ihre Vertreter zum 19. Mal."
)
ENGLISH = "Talks resumed in Geneva on Monday, Reuters reported. Officials met again."


def _post(client: TestClient, text: str, **extra: Any) -> dict[str, Any]:
    response = client.post("/v1/articles", json={"text": text, **extra})
    assert response.status_code == 201, response.text
    body: dict[str, Any] = response.json()
    return body


def test_split_detects_the_language_and_segments_with_it(client: TestClient) -> None:
    body = client.post("/v1/split", json={"text": GERMAN}).json()
    assert body["language"] == "de"
    assert texts(body["claims"]) == [
        "Die Gespräche wurden am 3. Mai in Genf fortgesetzt, teilte das Auswärtige Amt mit.",
        "Laut dpa trafen sich die Minister bzw. ihre Vertreter zum 19. Mal.",
    ]
    assert [s["slug"] for s in body["claims"][1]["sources"]] == ["dpa"]


def test_russian_abbreviations_and_cues(client: TestClient) -> None:
    body = client.post("/v1/split", json={"text": RUSSIAN}).json()
    assert body["language"] == "ru"
    assert len(body["claims"]) == 2
    assert [s["name"] for s in body["claims"][0]["sources"]] == ["TASS"]


def test_the_client_tag_wins_and_is_reduced_to_its_primary_subtag(client: TestClient) -> None:
    body = client.post("/v1/split", json={"text": ENGLISH, "language": "de-AT"}).json()
    assert body["language"] == "de"
    assert len(body["claims"]) == 2  # a wrong language splits less well, never fails


def test_an_invalid_tag_is_422(client: TestClient) -> None:
    assert_problem(client.post("/v1/split", json={"text": ENGLISH, "language": "not a tag"}), 422)
    assert_problem(client.post("/v1/articles", json={"text": ENGLISH, "language": "1"}), 422)


def test_stored_returned_filtered_and_faceted(client: TestClient) -> None:
    russian = _post(client, RUSSIAN)
    german = _post(client, GERMAN, language="de-DE")
    english = _post(client, ENGLISH)
    assert (russian["language"], german["language"], english["language"]) == ("ru", "de", "en")
    stored = client.get(f"/v1/articles/{german['id']}").json()
    assert stored["language"] == "de"
    listed = {a["id"]: a["language"] for a in client.get("/v1/articles").json()["items"]}
    assert listed[russian["id"]] == "ru"
    claims = client.get("/v1/claims", params={"language": "ru"}).json()["items"]
    assert {c["article_id"] for c in claims} == {russian["id"]}
    assert all(c["article"]["language"] == "ru" for c in claims)
    both = client.get("/v1/claims", params=[("language", "RU"), ("language", "de")]).json()
    assert {c["article_id"] for c in both["items"]} == {russian["id"], german["id"]}
    facet = client.get("/v1/facets", params={"facet": "language"}).json()["facets"]["language"]
    assert {v["slug"]: v["claim_count"] for v in facet} == {"ru": 2, "de": 2, "en": 2}
    narrowed = client.get("/v1/facets", params={"facet": "language", "language": "de"}).json()
    assert [v["slug"] for v in narrowed["facets"]["language"]] == ["de"]
    assert_problem(client.get("/v1/claims", params={"language": "deutsch"}), 422)


def test_reprocessing_keeps_the_client_language(client: TestClient) -> None:
    article = _post(client, ENGLISH, language="fr")
    response = client.post(f"/v1/articles/{article['id']}/reprocess")
    assert response.status_code == 200, response.text
    assert client.get(f"/v1/articles/{article['id']}").json()["language"] == "fr"


def test_one_actor_across_languages(client: TestClient) -> None:
    english = _post(client, "Ukraine asked for more air defence, officials said.")
    russian = _post(client, "Украина запросила больше систем ПВО, сообщает ТАСС.")
    german = _post(client, "Die Ukraine bat um mehr Luftabwehr, berichtete dpa.")
    claims = client.get("/v1/claims", params={"actor": "ukraine"}).json()["items"]
    assert {c["article_id"] for c in claims} == {english["id"], russian["id"], german["id"]}


def test_split_returns_topics_context_apart(client: TestClient) -> None:
    body = client.post(
        "/v1/split",
        json={
            "text": "Talks on a ceasefire resumed in Geneva. The mood was tense, officials said."
        },
    ).json()
    second = body["claims"][1]
    assert second["topics"] == []
    assert {t["slug"] for t in second["topics_context"]} == {"diplomacy", "ceasefire"}
