"""Clients extend the actor registry; new aliases apply to later ingests and to reprocess."""

from __future__ import annotations

from fastapi.testclient import TestClient

from tests.api.helpers import assert_problem

ARTICLE = {
    "text": "Grey Heron Holdings announced a new shipping route on Monday.[1] "
    "Analysts said the Heron group would compete with state carriers.[1]\n\n[1] Reuters"
}


def test_a_new_actor_is_found_in_articles_ingested_afterwards(client: TestClient) -> None:
    before = client.post("/v1/articles", json=ARTICLE).json()
    assert all(
        "grey-heron-holdings" not in [a["slug"] for a in claim["actors"]]
        for claim in before["claims"]
    )
    created = client.post(
        "/v1/actors",
        json={"name": "Grey Heron Holdings", "type": "organization", "aliases": ["Heron group"]},
    )
    assert created.status_code == 201
    assert created.headers["location"] == "/v1/actors/grey-heron-holdings"
    actor = created.json()
    assert actor["slug"] == "grey-heron-holdings"
    assert actor["aliases"] == ["Heron group"]
    assert actor["claim_count"] == 0

    again = client.post(f"/v1/articles/{before['id']}/reprocess").json()
    tagged = ["grey-heron-holdings" in [a["slug"] for a in c["actors"]] for c in again["claims"]]
    assert tagged == [True, True]
    assert [c["id"] for c in again["claims"]] == [c["id"] for c in before["claims"]]
    found = client.get("/v1/claims", params={"actor": "Heron group"}).json()["items"]
    assert len(found) == 2
    assert client.get("/v1/actors/grey-heron-holdings").json()["claim_count"] == 2


def test_posting_an_existing_slug_adds_aliases(client: TestClient) -> None:
    response = client.post(
        "/v1/actors",
        json={"name": "Ukraine", "slug": "ukraine", "type": "country", "aliases": ["Ukraina"]},
    )
    assert response.status_code == 200
    assert "Ukraina" in response.json()["aliases"]
    article = client.post(
        "/v1/articles", json={"text": "Ukraina signed the accord on Tuesday.[1]\n\n[1] CNN"}
    ).json()
    assert [a["slug"] for a in article["claims"][0]["actors"]] == ["ukraine"]


def test_patch_replaces_aliases(client: TestClient) -> None:
    client.post(
        "/v1/actors", json={"name": "Blue Finch Party", "type": "group", "aliases": ["BFP"]}
    )
    response = client.patch(
        "/v1/actors/blue-finch-party", json={"aliases": ["the Finches", "the Finches", "BFP2"]}
    )
    assert response.status_code == 200
    assert response.json()["aliases"] == ["the Finches", "BFP2"]
    assert client.get("/v1/claims", params={"actor": "the finches"}).status_code == 200
    assert client.get("/v1/claims", params={"actor": "BFP"}).json()["items"] == []
    assert_problem(client.patch("/v1/actors/nobody", json={"aliases": []}), 404)


def test_invalid_actor_bodies(client: TestClient) -> None:
    assert_problem(client.post("/v1/actors", json={"name": "X"}), 422)
    assert_problem(client.post("/v1/actors", json={"name": "X", "type": "planet"}), 422)
    assert_problem(client.post("/v1/actors", json={"name": " ", "type": "group"}), 422)
    assert_problem(
        client.post("/v1/actors", json={"name": "X", "type": "group", "slug": "Not A Slug"}), 422
    )
    assert_problem(client.patch("/v1/actors/ukraine", json={"aliases": "Ukraina"}), 422)


def test_conflicts_are_409(client: TestClient) -> None:
    assert_problem(
        client.post("/v1/actors", json={"name": "Ukraine", "slug": "ukraine", "type": "person"}),
        409,
    )
    assert_problem(
        client.post(
            "/v1/actors", json={"name": "Ukraine", "slug": "other-ukraine", "type": "country"}
        ),
        409,
    )


def test_actor_writes_need_a_key_when_keys_are_set(make_client: object) -> None:
    secured: TestClient = make_client(api_keys="k-abcdef")  # type: ignore[operator]
    body = {"name": "Red Kite Union", "type": "group"}
    assert_problem(secured.post("/v1/actors", json=body), 401)
    assert_problem(secured.patch("/v1/actors/ukraine", json={"aliases": []}), 401)
    auth = {"Authorization": "Bearer k-abcdef"}
    assert secured.post("/v1/actors", json=body, headers=auth).status_code == 201
    assert (
        secured.patch(
            "/v1/actors/red-kite-union", json={"aliases": ["RKU"]}, headers=auth
        ).status_code
        == 200
    )
