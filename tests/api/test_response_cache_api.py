"""Facets, counts and searches answered from the response cache stay exact across writes."""

from __future__ import annotations

from typing import Any

from fastapi.testclient import TestClient

from tests.api.helpers import assert_problem, post_article


def _cache(client: TestClient) -> Any:
    return client.app.state.response_cache  # type: ignore[attr-defined]


def test_a_repeated_facet_request_is_answered_from_the_cache(client: TestClient) -> None:
    post_article(client, "wires.txt")
    first = client.get("/v1/facets")
    hits = _cache(client).hits
    second = client.get("/v1/facets")
    assert second.status_code == 200
    assert second.content == first.content
    assert second.headers["etag"] == first.headers["etag"]
    assert _cache(client).hits == hits + 1


def test_a_write_changes_the_cached_answers(client: TestClient) -> None:
    post_article(client, "wires.txt")
    paths = ["/v1/facets", "/v1/claims?count=exact&limit=1", "/v1/claims?q=said"]
    before = {path: client.get(path).json() for path in paths}
    for path in paths:
        client.get(path)  # now kept
    post_article(client, "sanctions.md")
    after = {path: client.get(path).json() for path in paths}
    assert (
        after["/v1/claims?count=exact&limit=1"]["count"]
        > before["/v1/claims?count=exact&limit=1"]["count"]
    )
    assert after["/v1/facets"] != before["/v1/facets"]


def test_a_delete_changes_the_cached_count(client: TestClient) -> None:
    first = post_article(client, "wires.txt")
    post_article(client, "harbour.txt")
    path = "/v1/claims?count=exact&limit=1"
    counted = client.get(path).json()["count"]
    client.get(path)
    assert client.delete(f"/v1/articles/{first['id']}").status_code == 204
    assert client.get(path).json()["count"] < counted


def test_cached_and_uncached_answers_are_the_same_bytes(make_client: Any) -> None:
    plain = make_client(response_cache=False)
    cached = make_client()
    post_article(plain, "wires.txt")
    post_article(plain, "sanctions.md")
    assert _cache(plain) is None
    for path in ["/v1/facets?facet=source&facet=topic", "/v1/claims?q=said&count=exact"]:
        expected = plain.get(path)
        cached.get(path)
        again = cached.get(path)
        assert again.content == expected.content, path
        assert again.headers.get("link") == expected.headers.get("link")


def test_plain_pages_are_not_kept(client: TestClient) -> None:
    post_article(client, "wires.txt")
    client.get("/v1/claims?limit=2")
    client.get("/v1/claims?limit=2")
    assert len(_cache(client)) == 0


def test_a_bad_request_is_a_problem_every_time(client: TestClient) -> None:
    for _ in range(2):
        assert_problem(client.get("/v1/facets?facet=no-such-facet"), 422)
    assert len(_cache(client)) == 0
