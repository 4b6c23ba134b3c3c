"""Publishers named in any script are distinct sources a client can filter by."""

from __future__ import annotations

from fastapi.testclient import TestClient

from tests.api.helpers import all_pages, texts

NAMES = {"Вести": "Rain fell.", "Η Καθημερινή": "Winds rose.", "人民日报": "Rivers swelled."}


def _post(client: TestClient, body: str) -> None:
    response = client.post("/v1/articles", json={"text": body, "title": "Storm"})
    assert response.status_code == 201, response.text


def test_each_script_gets_its_own_source_and_filter(client: TestClient) -> None:
    for name, sentence in NAMES.items():
        _post(client, f"{sentence}[1] Roads closed.[2]\n\n[1] {name}\n[2] Reuters")
    slugs = set()
    for name, sentence in NAMES.items():
        found = client.get("/v1/claims", params={"source": name})
        assert found.status_code == 200, found.text
        assert texts(found.json()["items"]) == [sentence]
        slugs.add(found.json()["items"][0]["sources"][0]["slug"])
    assert len(slugs) == len(NAMES)
    assert "source" not in slugs
    reuters = all_pages(client, "/v1/claims", source="reuters")
    assert len(reuters) == len(NAMES)


def test_a_registered_publisher_written_in_its_own_script(client: TestClient) -> None:
    _post(client, "Talks resumed.[1] Markets fell.[2]\n\n[1] ТАСС [2] Интерфакс")
    tass = client.get("/v1/claims", params={"source": "ТАСС"})
    assert tass.status_code == 200, tass.text
    assert [c["sources"][0]["name"] for c in tass.json()["items"]] == ["TASS"]
    assert texts(client.get("/v1/claims", params={"source": "interfax"}).json()["items"]) == [
        "Markets fell."
    ]


def test_the_users_own_example_on_one_line(client: TestClient) -> None:
    body = (
        "Sanctions talk stalls\n\nEnvoys met in Vienna.[1] No deal was reached.[2][3]\n\n"
        "[1] RFE/RL [2] Reuters [3] CNN"
    )
    _post(client, body)
    by_source = {
        slug: texts(all_pages(client, "/v1/claims", source=slug)) for slug in ("rfe-rl", "cnn")
    }
    assert by_source == {
        "rfe-rl": ["Envoys met in Vienna."],
        "cnn": ["No deal was reached."],
    }
