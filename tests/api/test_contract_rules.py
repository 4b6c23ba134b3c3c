"""Strict requests, links from CLAIMS_PUBLIC_URL (never the Host), CORS for scripts."""

from __future__ import annotations

from typing import Any

import pytest
from fastapi.testclient import TestClient

from tests.api.helpers import assert_problem, post_article

PUBLIC = "https://claims.example.org"


@pytest.mark.parametrize("published_at", [0, 1733130000, 0.5, True, "1733130000", "0.5"])
@pytest.mark.parametrize("path", ["/v1/articles", "/v1/split"])
def test_a_number_for_a_date_time_is_422(client: TestClient, path: str, published_at: Any) -> None:
    body = {"text": "Talks resumed on Monday (Reuters).", "published_at": published_at}
    problem = assert_problem(client.post(path, json=body), 422)
    assert problem["errors"][0]["loc"] == ["body", "published_at"]
    assert client.get("/v1/articles").json()["items"] == []


@pytest.mark.parametrize(
    "params", [{"until": "0.5"}, {"since": "1733130000"}, {"since": "0"}, {"until": "true"}]
)
def test_a_number_for_a_date_filter_is_422(client: TestClient, params: dict[str, str]) -> None:
    for path in ("/v1/claims", "/v1/facets", "/v1/claims.ndjson"):
        problem = assert_problem(client.get(path, params=params), 422)
        assert problem["errors"][0]["loc"] == ["query", *params]


def test_dates_as_the_schema_says_are_accepted(client: TestClient) -> None:
    for since in ("2026-11-01", "2026-11-01T09:00:00Z", "2026-11-01T09:00:00+02:00"):
        assert client.get("/v1/claims", params={"since": since}).status_code == 200


def test_an_unknown_body_field_is_a_422_naming_it(client: TestClient) -> None:
    body = {"text": "Talks resumed.", "titel": "typo"}
    problem = assert_problem(client.post("/v1/articles", json=body), 422)
    assert problem["errors"] == [
        {
            "loc": ["body", "titel"],
            "type": "extra_forbidden",
            "msg": "Extra inputs are not permitted",
        }
    ]


def test_links_are_paths_without_a_public_url(client: TestClient) -> None:
    article = post_article(client, "harbour.txt")
    assert article["api_url"] == f"/v1/articles/{article['id']}"
    claim = article["claims"][0]
    assert claim["url"] == f"/v1/claims/{claim['id']}"
    assert client.get(claim["url"]).json()["id"] == claim["id"]
    page = client.get("/v1/claims", params={"limit": 1}, headers={"Host": "evil.example"})
    assert page.headers["link"].startswith("</v1/claims?")
    jsonld = client.get(claim["url"] + ".jsonld", headers={"Host": "evil.example"}).json()
    assert jsonld["@id"] == claim["url"]


def test_links_and_redirects_use_the_public_url_never_the_host(make_client: Any) -> None:
    client: TestClient = make_client(public_url=PUBLIC)
    article = post_article(client, "harbour.txt")
    assert article["api_url"] == f"{PUBLIC}/v1/articles/{article['id']}"
    claim = client.get("/v1/claims", params={"limit": 1}).json()["items"][0]
    assert claim["url"] == f"{PUBLIC}/v1/claims/{claim['id']}"
    evil = {"Host": "evil.example"}
    page = client.get("/v1/claims", params={"limit": 1}, headers=evil)
    assert page.headers["link"].startswith(f"<{PUBLIC}/v1/claims?")
    assert "evil" not in page.text
    jsonld = client.get(f"/v1/claims/{claim['id']}.jsonld", headers=evil).json()
    assert jsonld["@id"] == f"{PUBLIC}/v1/claims/{claim['id']}"
    created = client.post("/v1/actors", json={"name": "Kaja Kallas", "type": "person"})
    assert created.headers["location"] == f"{PUBLIC}/v1/actors/kaja-kallas"
    slash = client.get("/v1/claims/", headers=evil, follow_redirects=False)
    assert slash.status_code in (307, 308)
    assert slash.headers["location"] == f"{PUBLIC}/v1/claims"


def test_the_trailing_slash_redirect_ignores_the_host(client: TestClient) -> None:
    slash = client.get(
        "/v1/claims/?limit=1", headers={"Host": "evil.example"}, follow_redirects=False
    )
    assert slash.status_code in (307, 308)
    assert slash.headers["location"] == "/v1/claims?limit=1"


def test_cors_lets_scripts_patch_and_read_paging_and_retry_headers(make_client: Any) -> None:
    origin = "https://app.example.org"
    client: TestClient = make_client(cors_origins=origin)
    preflight = client.options(
        "/v1/actors/nato",
        headers={
            "Origin": origin,
            "Access-Control-Request-Method": "PATCH",
            "Access-Control-Request-Headers": "Authorization, Content-Type",
        },
    )
    assert preflight.status_code == 200
    assert "PATCH" in preflight.headers["access-control-allow-methods"]
    exposed = client.get("/v1/claims", headers={"Origin": origin}).headers
    names = {h.strip().lower() for h in exposed["access-control-expose-headers"].split(",")}
    assert {"link", "etag", "retry-after", "location"} <= names
