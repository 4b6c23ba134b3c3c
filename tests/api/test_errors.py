"""Every failure is an RFC 9457 problem with the right status, and nothing half-written."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import text
from sqlalchemy.engine import Engine

from app.repository.writes import insert_article
from app.services.ingest import store as article_service
from tests.api.helpers import article_body, assert_problem


def _articles(engine: Engine) -> int:
    with engine.connect() as conn:
        return int(conn.execute(text("SELECT count(*) FROM article")).scalar_one())


@pytest.mark.parametrize("path", ["/v1/articles", "/v1/split"])
def test_invalid_json_is_400(client: TestClient, path: str) -> None:
    response = client.post(
        path, content=b'{"text": "unterminated', headers={"content-type": "application/json"}
    )
    assert_problem(response, 400)


@pytest.mark.parametrize("path", ["/v1/articles", "/v1/split"])
@pytest.mark.parametrize(
    "content_type", ["text/plain", "application/x-www-form-urlencoded", "application/xml"]
)
def test_non_json_body_is_415(client: TestClient, path: str, content_type: str) -> None:
    response = client.post(path, content=b"text=hello", headers={"content-type": content_type})
    body = assert_problem(response, 415)
    assert "application/json" in body["detail"]


def test_json_with_a_charset_parameter_is_accepted(client: TestClient) -> None:
    response = client.post(
        "/v1/split",
        content=b'{"text": "A sentence."}',
        headers={"content-type": "application/json; charset=utf-8"},
    )
    assert response.status_code == 200


@pytest.mark.parametrize(
    ("body", "where"),
    [
        ({}, ["body", "text"]),
        ({"text": ""}, ["body", "text"]),
        ({"text": 42}, ["body", "text"]),
        ({"text": "A.", "format": "pdf"}, ["body", "format"]),
        ({"text": "A.", "url": "ftp://example.org/x"}, ["body", "url"]),
        ({"text": "A.", "url": "javascript:alert(1)"}, ["body", "url"]),
        ({"text": "A.", "url": "not a url"}, ["body", "url"]),
        ({"text": "A.", "published_at": "2026-13-45"}, ["body", "published_at"]),
        ({"text": "A.", "published_at": "99999-01-01T00:00:00Z"}, ["body", "published_at"]),
        ({"text": "A.", "extra": True}, ["body", "extra"]),
        ({"text": "A.", "title": "t" * 1001}, ["body", "title"]),
    ],
)
def test_invalid_bodies_are_422_with_located_errors(
    client: TestClient, engine: Engine, body: dict[str, object], where: list[str]
) -> None:
    problem = assert_problem(client.post("/v1/articles", json=body), 422)
    assert where in [error["loc"] for error in problem["errors"]]
    assert _articles(engine) == 0


def test_invalid_utf8_is_400_not_500(client: TestClient) -> None:
    response = client.post(
        "/v1/articles",
        content=b'{"text": "caf\xe9"}',
        headers={"content-type": "application/json"},
    )
    assert_problem(response, 400)


def test_article_text_over_the_limit_is_413(make_client: object, engine: Engine) -> None:
    client = make_client(max_article_bytes=4096)  # type: ignore[operator]
    assert_problem(client.post("/v1/articles", json={"text": "word. " * 1000}), 413)
    assert_problem(client.post("/v1/split", json={"text": "é" * 3000}), 413)
    assert client.post("/v1/split", json={"text": "word. " * 600}).status_code == 200
    assert _articles(engine) == 0


def test_body_over_the_limit_is_refused_from_its_content_length(make_client: object) -> None:
    client = make_client(max_article_bytes=4096)  # type: ignore[operator]
    huge = b'{"text": "' + b"a" * 200_000 + b'"}'
    assert_problem(
        client.post("/v1/articles", content=huge, headers={"content-type": "application/json"}),
        413,
    )


def test_chunked_body_over_the_limit_is_refused_while_streaming(make_client: object) -> None:
    client = make_client(max_article_bytes=4096)  # type: ignore[operator]
    sent = 0

    def chunks():  # type: ignore[no-untyped-def]
        nonlocal sent
        yield b'{"text": "'
        for _ in range(1000):
            sent += 1
            yield b"a" * 1024
        yield b'"}'

    response = client.post(
        "/v1/articles", content=chunks(), headers={"content-type": "application/json"}
    )
    assert_problem(response, 413)


def test_a_failure_mid_write_leaves_nothing_behind(
    client: TestClient, engine: Engine, monkeypatch: pytest.MonkeyPatch
) -> None:
    real_insert = insert_article

    def insert_then_fail(*args: object, **kwargs: object) -> int:
        real_insert(*args, **kwargs)  # type: ignore[arg-type]
        raise RuntimeError("disk on fire")

    monkeypatch.setattr(article_service, "insert_article", insert_then_fail)
    response = client.post("/v1/articles", json=article_body("harbour.txt"))
    body = assert_problem(response, 500)
    assert "disk on fire" not in response.text
    assert body["detail"]
    assert _articles(engine) == 0
    with engine.connect() as conn:
        assert conn.execute(text("SELECT count(*) FROM claim")).scalar_one() == 0


def test_unknown_route_and_method_are_problems(client: TestClient) -> None:
    assert_problem(client.get("/v1/nothing-here"), 404)
    assert_problem(client.put("/v1/claims", json={}), 405)


class TestAuth:
    """Writes need a key when keys are configured; reads and /v1/split stay open."""

    KEYS = ("first-key-0123456789", "second-key-9876543210")

    @pytest.fixture
    def secured(self, make_client: object) -> TestClient:
        client: TestClient = make_client(api_keys=",".join(self.KEYS))  # type: ignore[operator]
        return client

    @pytest.mark.parametrize(
        "headers",
        [
            {},
            {"Authorization": "Bearer wrong-key"},
            {"Authorization": "Bearer "},
            {"Authorization": "first-key-0123456789"},
            {"Authorization": "Basic first-key-0123456789"},
            {"Authorization": "Bearer first-key-012345678"},
        ],
    )
    def test_writes_without_a_valid_key_are_401(
        self, secured: TestClient, engine: Engine, headers: dict[str, str]
    ) -> None:
        body = assert_problem(
            secured.post("/v1/articles", json=article_body("grain.txt"), headers=headers), 401
        )
        assert "Bearer" in body["detail"]
        assert _articles(engine) == 0
        response = secured.delete("/v1/articles/1", headers=headers)
        assert_problem(response, 401)
        assert response.headers["www-authenticate"].startswith("Bearer")

    @pytest.mark.parametrize("key", KEYS)
    def test_every_configured_key_writes(self, secured: TestClient, key: str) -> None:
        auth = {"Authorization": f"Bearer {key}"}
        created = secured.post("/v1/articles", json=article_body("grain.txt"), headers=auth)
        assert created.status_code == 201
        deleted = secured.delete(f"/v1/articles/{created.json()['id']}", headers=auth)
        assert deleted.status_code == 204

    def test_reads_and_split_stay_open(self, secured: TestClient) -> None:
        assert secured.post("/v1/split", json=article_body("grain.txt")).status_code == 200
        for path in ("/v1/claims", "/v1/articles", "/v1/sources", "/v1/actors", "/v1/topics"):
            assert secured.get(path).status_code == 200, path


class TestWriteRateLimit:
    """Each client gets a bucket of writes; past it, 429 with Retry-After, reads unaffected."""

    def test_writes_past_the_limit_are_429(self, make_client: object) -> None:
        client: TestClient = make_client(write_rate_limit="3/minute")  # type: ignore[operator]
        statuses = [
            client.post("/v1/articles", json={"text": f"Claim number {n} was made."}).status_code
            for n in range(4)
        ]
        assert statuses == [201, 201, 201, 429]
        refused = client.post("/v1/articles", json={"text": "One more claim was made."})
        problem = assert_problem(refused, 429)
        assert "rate limit" in problem["detail"]
        assert 1 <= int(refused.headers["retry-after"]) <= 60
        assert client.get("/v1/claims").status_code == 200
        assert client.post("/v1/split", json={"text": "Split stays open."}).status_code == 200

    def test_each_key_has_its_own_bucket(self, make_client: object) -> None:
        client: TestClient = make_client(  # type: ignore[operator]
            write_rate_limit="1/hour", api_keys="key-one-123,key-two-456"
        )
        for key in ("key-one-123", "key-two-456"):
            auth = {"Authorization": f"Bearer {key}"}
            body = {"text": f"A claim written with {key}."}
            assert client.post("/v1/articles", json=body, headers=auth).status_code == 201
        again = {"Authorization": "Bearer key-one-123"}
        body = {"text": "A second claim with the first key."}
        assert_problem(client.post("/v1/articles", json=body, headers=again), 429)

    def test_no_limit_when_disabled(self, make_client: object) -> None:
        client: TestClient = make_client(write_rate_limit="0")  # type: ignore[operator]
        for n in range(5):
            assert client.post("/v1/articles", json={"text": f"Claim {n} made."}).status_code == 201


def test_an_invalid_rate_limit_stops_start_up(monkeypatch: pytest.MonkeyPatch) -> None:
    from app.settings import InvalidSettingsError, load_settings

    monkeypatch.setenv("CLAIMS_WRITE_RATE_LIMIT", "lots/fortnight")
    with pytest.raises(InvalidSettingsError, match="CLAIMS_WRITE_RATE_LIMIT"):
        load_settings()


def test_api_keys_never_reach_the_logs(
    make_client: object, caplog: pytest.LogCaptureFixture
) -> None:
    import logging

    secret = "very-secret-key-0987654321"
    client: TestClient = make_client(api_keys=secret)  # type: ignore[operator]
    with caplog.at_level(logging.DEBUG):
        auth = {"Authorization": f"Bearer {secret}"}
        client.post("/v1/articles", json={"text": "Claim A was made."}, headers=auth)
        client.post(
            "/v1/articles", json={"text": "Claim B."}, headers={"Authorization": "Bearer x"}
        )
        client.post("/v1/articles", json=[], headers=auth)
    assert caplog.records
    assert all(secret not in record.getMessage() for record in caplog.records)
    assert secret not in caplog.text
