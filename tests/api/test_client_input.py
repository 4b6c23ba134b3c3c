"""Client input that answered 500 answers a 4xx problem, on both backends."""

from __future__ import annotations

import base64
import json
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import text

from app.cursors import fingerprint
from app.main import create_app
from app.repository.filters import ClaimFilter
from app.services.changes import CHANGES_QUERY
from app.settings import Settings
from tests.api.helpers import article_body, assert_problem, post_article

NUL = "\x00"


@pytest.mark.parametrize(
    ("path", "params"),
    [
        ("/v1/claims", {"q": NUL}),
        ("/v1/claims", {"q": f"ceasefire{NUL}"}),
        ("/v1/claims", {"source": f"reu{NUL}ters"}),
        ("/v1/claims", {"actor": NUL}),
        ("/v1/claims", {"topic": NUL}),
        ("/v1/claims", {"section": NUL}),
        ("/v1/claims", {"article_url": f"https://example.org/{NUL}"}),
        ("/v1/claims", {"source": NUL, "format": "ndjson"}),
        ("/v1/facets", {"actor": NUL}),
        ("/v1/actors", {"q": NUL}),
        ("/v1/sources", {"q": NUL}),
        ("/v1/sources/reu%00ters", {}),
        ("/v1/actors/%00", {}),
        ("/v1/topics/%00", {}),
    ],
)
def test_a_nul_in_a_parameter_is_a_4xx(client: TestClient, path: str, params: Any) -> None:
    post_article(client, "harbour.txt")
    response = client.get(path, params=params)
    assert 400 <= response.status_code < 500, response.text
    assert_problem(response, response.status_code)


def test_an_article_with_nul_is_stored_with_u_fffd_in_its_place(client: TestClient) -> None:
    body = {"text": f"Talks resumed{NUL} in Geneva.[1]\n\n[1] Reuters", "title": f"Tal{NUL}ks"}
    created = client.post("/v1/articles", json=body)
    assert created.status_code == 201, created.text
    article = client.get(f"/v1/articles/{created.json()['id']}").json()
    # One code point for one: every span still indexes the text as it was sent.
    assert article["text"] == body["text"].replace(NUL, "\ufffd")
    assert article["title"] == "Tal\ufffdks"
    claim = created.json()["claims"][0]
    assert article["text"][claim["span"]["start"] : claim["span"]["end"]].startswith("Talks")
    split = client.post("/v1/split", json=body)
    assert split.status_code == 200
    assert "\\u0000" not in split.text


@pytest.mark.parametrize("param", ["article", "source", "actor", "topic", "section", "article_url"])
def test_more_filter_values_than_the_bound_are_a_clear_422(client: TestClient, param: str) -> None:
    values = [str(n) for n in range(1, 1002)]
    response = client.get("/v1/claims", params={param: values})
    problem = assert_problem(response, 422)
    assert problem["errors"][0]["loc"] == ["query", param]
    assert "100" in problem["errors"][0]["msg"]


def test_the_bound_on_filter_values_holds_on_exports_and_facets(client: TestClient) -> None:
    values = [str(n) for n in range(1, 1002)]
    assert_problem(client.get("/v1/claims", params={"article": values, "format": "csv"}), 422)
    assert_problem(client.get("/v1/facets", params={"article": values}), 422)


def _forge(key: list[Any], *, query: str) -> str:
    # By hand: orjson (the service's encoder) cannot even write integers this large.
    raw = json.dumps([1, query, key]).encode()
    return base64.urlsafe_b64encode(raw).rstrip(b"=").decode("ascii")


def _articles_cursor(key: list[Any]) -> str:
    return _forge(key, query="articles")


@pytest.mark.parametrize(
    "cursor",
    [
        _articles_cursor(["x"]),
        _articles_cursor([2**63]),
        _articles_cursor([-(2**63) - 1]),
        _articles_cursor([10**30]),
        _articles_cursor([1.5]),
    ],
)
def test_a_forged_articles_cursor_is_400(client: TestClient, cursor: str) -> None:
    assert_problem(client.get("/v1/articles", params={"cursor": cursor}), 400)


@pytest.mark.parametrize("key", [2**63, 2**64 + 5, -(2**63) - 1])
def test_a_claims_cursor_with_a_key_past_64_bits_is_400(client: TestClient, key: int) -> None:
    post_article(client, "harbour.txt")
    query = f"claims:{fingerprint(ClaimFilter().query_params())}"
    cursor = _forge([key], query=query)
    assert_problem(client.get("/v1/claims", params={"cursor": cursor}), 400)
    by_date = ClaimFilter(sort="published_at")
    dated = _forge(
        ["2026-01-01T00:00:00+00:00", key],
        query=f"claims:{fingerprint(by_date.query_params())}",
    )
    assert_problem(client.get("/v1/claims", params={"cursor": dated, "sort": "published_at"}), 400)


@pytest.mark.parametrize("key", [2**63, 2**70])
def test_a_changes_token_with_a_key_past_64_bits_is_400(client: TestClient, key: int) -> None:
    token = _forge([key], query=CHANGES_QUERY)
    assert_problem(client.get("/v1/changes", params={"since": token}), 400)


EDGE_DATES = ["0001-01-01T00:00:00+14:00", "9999-12-31T23:59:59-14:00"]


@pytest.mark.parametrize("when", EDGE_DATES)
@pytest.mark.parametrize("param", ["since", "until"])
def test_dates_at_the_edges_in_filters_are_4xx(client: TestClient, when: str, param: str) -> None:
    for path in ("/v1/claims", "/v1/facets"):
        response = client.get(path, params={param: when})
        problem = assert_problem(response, 422)
        assert problem["errors"][0]["loc"] == ["query", param]


@pytest.mark.parametrize("when", EDGE_DATES)
@pytest.mark.parametrize("path", ["/v1/articles", "/v1/split"])
def test_dates_at_the_edges_in_bodies_are_422(client: TestClient, when: str, path: str) -> None:
    response = client.post(path, json=article_body("harbour.txt", published_at=when))
    problem = assert_problem(response, 422)
    assert problem["errors"][0]["loc"] == ["body", "published_at"]


def test_dates_at_the_edges_in_a_batch_fail_that_article_alone(client: TestClient) -> None:
    batch = [
        article_body("harbour.txt", published_at=EDGE_DATES[0]),
        article_body("grain.txt"),
    ]
    response = client.post("/v1/articles:batch", json=batch)
    assert response.status_code == 200, response.text
    items = response.json()["items"]
    assert items[0]["problem"]["status"] == 422
    assert items[1]["status"] == "created"


@pytest.mark.parametrize("when", ["0001-01-01T00:00:00Z", "9999-12-31T23:59:59Z"])
def test_the_extreme_representable_dates_still_work(client: TestClient, when: str) -> None:
    assert client.get("/v1/claims", params={"since": when}).status_code == 200
    created = client.post("/v1/articles", json=article_body("harbour.txt", published_at=when))
    assert created.status_code == 201, created.text


@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("GET", "/v1/claims"),
        ("GET", "/v1/articles"),
        ("GET", "/v1/articles/1"),
        ("GET", "/v1/sources"),
        ("GET", "/v1/changes"),
        ("POST", "/v1/split"),
        ("POST", "/v1/articles"),
        ("DELETE", "/v1/articles/1"),
    ],
)
def test_a_database_not_yet_migrated_answers_503(
    database_url: str, tmp_path: Any, method: str, path: str
) -> None:
    if database_url.startswith("sqlite"):
        url = f"sqlite:///{tmp_path / 'new.db'}"
        settings = Settings(database_url=url)
    else:
        url = database_url
        settings = Settings(database_url=url)
    with TestClient(create_app(settings), raise_server_exceptions=False) as client:
        if not url.startswith("sqlite"):
            # Recreated under the running service: the schema is gone.
            engine = client.app.state.engine  # type: ignore[attr-defined]
            with engine.begin() as conn:
                conn.execute(text("ALTER SCHEMA public RENAME TO claims_moved_away"))
                conn.execute(text("CREATE SCHEMA public"))
            engine.dispose()
        try:
            body = article_body("harbour.txt") if method == "POST" else None
            response = client.request(method, path, json=body)
            problem = assert_problem(response, 503)
            assert "claimsapi db upgrade" in problem["detail"]
            assert response.headers["retry-after"]
        finally:
            if not url.startswith("sqlite"):
                engine = client.app.state.engine  # type: ignore[attr-defined]
                with engine.begin() as conn:
                    conn.execute(text("DROP SCHEMA public CASCADE"))
                    conn.execute(text("ALTER SCHEMA claims_moved_away RENAME TO public"))
                engine.dispose()
