"""405 and HEAD, CORS rejections as problems, non-ASCII names and aliases found."""

from __future__ import annotations

from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import text

from tests.api.helpers import assert_problem, post_article


@pytest.mark.parametrize(
    ("method", "path", "allow"),
    [
        ("DELETE", "/v1/claims", "GET, HEAD"),
        ("POST", "/v1/claims/1", "GET, HEAD"),
        ("PUT", "/v1/articles/1", "DELETE, GET, HEAD"),
        ("GET", "/v1/split", "POST"),
        ("PATCH", "/v1/sources/reuters", "GET, HEAD"),
        ("DELETE", "/v1/actors/ukraine", "GET, HEAD, PATCH"),
    ],
)
def test_405_names_the_allowed_methods(
    client: TestClient, method: str, path: str, allow: str
) -> None:
    response = client.request(method, path)
    problem = assert_problem(response, 405)
    assert response.headers["allow"] == allow
    assert problem["type"].endswith("/method-not-allowed")


@pytest.mark.parametrize(
    "path",
    ["/v1/claims", "/v1/articles", "/v1/sources/reuters", "/healthz", "/readyz", "/v1/facets"],
)
def test_head_answers_as_get_without_a_body(client: TestClient, path: str) -> None:
    post_article(client, "harbour.txt")
    got = client.get(path)
    head = client.head(path)
    assert head.status_code == got.status_code == 200
    assert head.content == b""
    assert head.headers["content-type"] == got.headers["content-type"]
    assert head.headers.get("etag") == got.headers.get("etag")


def test_head_of_an_export_and_of_an_error(client: TestClient) -> None:
    post_article(client, "harbour.txt")
    export = client.head("/v1/claims", params={"format": "ndjson"})
    assert export.status_code == 200
    assert export.content == b""
    missing = client.head("/v1/articles/999")
    assert missing.status_code == 404
    assert missing.content == b""
    assert missing.headers["content-type"] == "application/problem+json"


def test_a_refused_cors_preflight_is_a_problem(make_client: Any) -> None:
    client = make_client(cors_origins=("https://ok.example",))
    refused = client.options(
        "/v1/claims",
        headers={"Origin": "https://evil.example", "Access-Control-Request-Method": "GET"},
    )
    problem = assert_problem(refused, 400)
    assert "origin" in problem["detail"].lower()
    allowed = client.options(
        "/v1/claims",
        headers={"Origin": "https://ok.example", "Access-Control-Request-Method": "GET"},
    )
    assert allowed.status_code == 200


def _dovile(client: TestClient) -> dict[str, Any]:
    found = client.get("/v1/actors", params={"q": "dovile"}).json()["items"]
    assert len(found) == 1, found
    actor: dict[str, Any] = found[0]
    return actor


def test_non_ascii_aliases_are_stored_as_text_and_found_in_any_case(
    client: TestClient, engine: Any
) -> None:
    slug = _dovile(client)["slug"]
    added = client.patch(f"/v1/actors/{slug}", json={"aliases": ["Šakalienė", "Dovile Sakaliene"]})
    assert added.status_code == 200, added.text
    with engine.connect() as conn:
        stored = conn.execute(
            text("SELECT CAST(aliases AS TEXT) FROM actor WHERE slug = :s"), {"s": slug}
        ).scalar_one()
    assert "Šakalienė" in stored
    assert "\\u" not in stored
    for value in ("Šakalienė", "šakalienė", "ŠAKALIENĖ", "DOVILĖ ŠAKALIENĖ"):
        assert client.get("/v1/claims", params={"actor": value}).status_code == 200, value
    for prefix in ("šakalien", "ŠAKALIEN", "dovilė", "DOVILĖ š"):
        items = client.get("/v1/actors", params={"q": prefix}).json()["items"]
        assert [a["slug"] for a in items] == [slug], prefix


def test_a_backslash_matches_only_a_backslash(client: TestClient) -> None:
    assert client.get("/v1/actors", params={"q": "\\"}).json()["items"] == []
    # an unknown value matches nothing: the escaped form finds no actor
    assert client.get("/v1/claims", params={"actor": "\\u0160"}).json()["items"] == []
