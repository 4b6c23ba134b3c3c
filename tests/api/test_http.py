"""HTTP transport on every response: ETag and 304, Cache-Control, gzip, CORS, security headers."""

from __future__ import annotations

import gzip
import re
from typing import Any

import anyio
import pytest
from fastapi.testclient import TestClient
from starlette.types import Message

from app.api import articles as article_routes
from app.docs import CSP as DOCS_CSP
from app.docs import REDOC_CSP
from app.http_cache import LIST_CACHE_CONTROL, RESOURCE_CACHE_CONTROL
from tests.api.helpers import assert_problem, post_article

SECURITY = {
    "x-content-type-options": "nosniff",
    "x-frame-options": "DENY",
    "referrer-policy": "no-referrer",
}


def _assert_secure(response: Any, *, csp: bool = True) -> None:
    for name, value in SECURITY.items():
        assert response.headers.get(name) == value, name
    if csp:
        assert "default-src 'none'" in response.headers["content-security-policy"]


def test_etag_round_trip_on_a_list(client: TestClient) -> None:
    post_article(client, "harbour.txt")
    first = client.get("/v1/claims")
    assert first.status_code == 200
    etag = first.headers["etag"]
    assert etag.startswith('W/"')
    assert first.headers["cache-control"] == LIST_CACHE_CONTROL
    again = client.get("/v1/claims", headers={"If-None-Match": etag})
    assert again.status_code == 304
    assert again.content == b""
    assert again.headers["etag"] == etag
    assert "content-type" not in again.headers
    assert again.headers["cache-control"] == LIST_CACHE_CONTROL
    _assert_secure(again)
    listed = client.get("/v1/claims", headers={"If-None-Match": f'W/"other", {etag}'})
    assert listed.status_code == 304
    post_article(client, "grain.txt")  # the list changes
    changed = client.get("/v1/claims", headers={"If-None-Match": etag})
    assert changed.status_code == 200
    assert changed.headers["etag"] != etag
    assert len(changed.json()["items"]) > len(first.json()["items"])


def test_etag_round_trip_on_one_resource(client: TestClient) -> None:
    article = post_article(client, "harbour.txt")
    url = f"/v1/claims/{article['claims'][0]['id']}"
    first = client.get(url)
    assert first.headers["cache-control"] == RESOURCE_CACHE_CONTROL
    etag = first.headers["etag"]
    assert client.get(url, headers={"If-None-Match": etag}).status_code == 304
    # JSON-LD is another representation: another tag, and caches keep them apart.
    jsonld = client.get(url + ".jsonld")
    assert jsonld.headers["etag"] != etag
    assert "Accept" in jsonld.headers["vary"]
    assert client.delete(f"/v1/articles/{article['id']}").status_code == 204
    gone = client.get(url, headers={"If-None-Match": etag})
    assert_problem(gone, 404)
    assert "etag" not in gone.headers
    assert gone.headers["cache-control"] == "no-store"


def test_writes_and_probes_are_not_cached(client: TestClient) -> None:
    created = client.post("/v1/articles", json={"text": "Talks resumed.[1]\n\n[1] Reuters"})
    assert created.headers["cache-control"] == "no-store"
    assert "etag" not in created.headers
    _assert_secure(created)
    assert client.get("/healthz").headers["cache-control"] == "no-store"


def test_gzip_for_bodies_over_1_kb_only(client: TestClient) -> None:
    post_article(client, "harbour.txt")
    big = client.get("/v1/claims", headers={"Accept-Encoding": "gzip"})
    assert big.headers["content-encoding"] == "gzip"
    assert "Accept-Encoding" in big.headers["vary"]
    assert len(big.content) > 1024  # httpx decoded it
    plain = client.get("/v1/claims", headers={"Accept-Encoding": "identity"})
    assert "content-encoding" not in plain.headers
    assert plain.headers["etag"] == big.headers["etag"]  # weak: one tag for both encodings
    revalidated = client.get(
        "/v1/claims", headers={"Accept-Encoding": "gzip", "If-None-Match": big.headers["etag"]}
    )
    assert revalidated.status_code == 304
    small = client.get("/v1/topics", params={"limit": 1}, headers={"Accept-Encoding": "gzip"})
    assert len(small.content) < 1024
    assert "content-encoding" not in small.headers


def _asgi_get(
    client: TestClient, path: str, query: str, headers: list[tuple[bytes, bytes]]
) -> list[Message]:
    """Drive the app directly and keep every message it sends, as a server would see them."""
    messages: list[Message] = []
    requested = False

    async def receive() -> Message:
        nonlocal requested
        if requested:  # the client stays connected until the response ends
            await anyio.sleep_forever()
        requested = True
        return {"type": "http.request", "body": b"", "more_body": False}

    async def send(message: Message) -> None:
        messages.append(message)

    scope = {
        "type": "http",
        "asgi": {"version": "3.0"},
        "http_version": "1.1",
        "method": "GET",
        "scheme": "http",
        "path": path,
        "raw_path": path.encode(),
        "root_path": "",
        "query_string": query.encode(),
        "headers": [(b"host", b"testserver"), *headers],
        "client": ("127.0.0.1", 1234),
        "server": ("testserver", 80),
        "state": {},
    }
    anyio.run(client.app, scope, receive, send)  # type: ignore[arg-type]
    return messages


@pytest.mark.parametrize("encoding", [b"identity", b"gzip"])
def test_ndjson_export_still_streams(client: TestClient, encoding: bytes) -> None:
    for name in ("harbour.txt", "grain.txt", "wires.txt"):
        post_article(client, name)
    claims = client.get("/v1/claims", params={"limit": 200}).json()["items"]
    messages = _asgi_get(
        client,
        "/v1/claims.ndjson",
        "",
        [(b"accept-encoding", encoding), (b"if-none-match", b"*")],
    )
    start, *bodies = messages
    assert start["status"] == 200
    headers = {name.decode().lower(): value.decode() for name, value in start["headers"]}
    assert "etag" not in headers
    assert "content-length" not in headers
    assert headers["x-content-type-options"] == "nosniff"
    # One message per claim (or so): nothing buffered the stream into one body.
    assert len(bodies) > len(claims) // 2
    assert all(message.get("more_body") for message in bodies[:-1])
    data = b"".join(message.get("body", b"") for message in bodies)
    if encoding == b"gzip":
        assert headers["content-encoding"] == "gzip"
        data = gzip.decompress(data)
    assert len(data.splitlines()) == len(claims) + 1  # and the terminator


def test_csv_export_is_not_etagged(client: TestClient) -> None:
    post_article(client, "harbour.txt")
    response = client.get("/v1/claims", params={"format": "csv"}, headers={"If-None-Match": "*"})
    assert response.status_code == 200
    assert "etag" not in response.headers
    assert response.text.startswith("id,article_id")


def test_headers_on_errors_too(client: TestClient, monkeypatch: pytest.MonkeyPatch) -> None:
    for response in (
        client.get("/v1/articles/999999"),
        client.get("/v1/claims", params={"limit": "0"}),
        client.post("/v1/articles", content=b"x", headers={"content-type": "text/plain"}),
        client.get("/v1/changes", params={"since": "forged"}),
    ):
        assert response.status_code >= 400
        _assert_secure(response)
        assert response.headers["cache-control"] == "no-store"

    def boom(*_: Any, **__: Any) -> Any:
        raise RuntimeError("unexpected")

    monkeypatch.setattr(article_routes, "article_by_id", boom)
    failed = client.get("/v1/articles/1")
    assert_problem(failed, 500)
    _assert_secure(failed)
    assert failed.headers["cache-control"] == "no-store"


def test_docs_pages_allow_only_this_origin(client: TestClient) -> None:
    for path, policy in (("/docs", DOCS_CSP), ("/redoc", REDOC_CSP)):
        docs = client.get(path)
        assert docs.status_code == 200
        assert docs.headers["content-security-policy"] == policy
        assert "http" not in docs.text  # every asset from this service
        _assert_secure(docs, csp=False)
        for asset in re.findall(r'(?:src|href)="(/[^"]+)"', docs.text):
            assert client.get(asset).status_code == 200, asset


def test_cors_for_configured_origins_only(make_client: Any) -> None:
    allowed = "https://app.example.org"
    client: TestClient = make_client(cors_origins=f"{allowed},https://other.example.org")
    ok = client.get("/v1/claims", headers={"Origin": allowed})
    assert ok.headers["access-control-allow-origin"] == allowed
    assert "etag" in ok.headers["access-control-expose-headers"].lower()
    stranger = client.get("/v1/claims", headers={"Origin": "https://evil.example.com"})
    assert stranger.status_code == 200
    assert "access-control-allow-origin" not in stranger.headers
    preflight = client.options(
        "/v1/articles",
        headers={
            "Origin": allowed,
            "Access-Control-Request-Method": "POST",
            "Access-Control-Request-Headers": "Authorization, Content-Type",
        },
    )
    assert preflight.status_code == 200
    assert preflight.headers["access-control-allow-origin"] == allowed
    assert "POST" in preflight.headers["access-control-allow-methods"]
    refused = client.options(
        "/v1/articles",
        headers={"Origin": "https://evil.example.com", "Access-Control-Request-Method": "POST"},
    )
    assert refused.status_code == 400
    assert "access-control-allow-origin" not in refused.headers


def test_no_cors_headers_without_configured_origins(client: TestClient) -> None:
    response = client.get("/v1/claims", headers={"Origin": "https://app.example.org"})
    assert "access-control-allow-origin" not in response.headers
