"""Failed keys are rate-limited, buckets cannot be dodged, limits hold across
instances (Redis), proxies are trusted only when named, slow clients are cut off."""

from __future__ import annotations

import contextlib
import secrets
import socket
import time
from collections.abc import Iterator
from typing import Any

import httpx
import orjson
import pytest
import redis

from tests.api.helpers import assert_problem
from tests.reliability.server import running_service

REDIS_URL = "redis://127.0.0.1:6379/13"  # database 13: this suite's own


def _post(client: Any, n: int, key: str | None = None, **headers: str) -> Any:
    auth = {"Authorization": f"Bearer {key}"} if key else {}
    body = {"text": f"Statement number {n} was made.{secrets.token_hex(4)}"}
    return client.post("/v1/articles", json=body, headers={**auth, **headers})


def test_failed_authentications_are_limited_per_address(make_client: Any) -> None:
    client = make_client(api_keys=("right",), auth_failure_rate_limit="10/minute")
    statuses = [_post(client, n, "wrong-" + str(n)).status_code for n in range(30)]
    assert statuses[:10] == [401] * 10
    assert set(statuses[10:]) == {429}
    refused = _post(client, 99, "right")  # even a right key, from this address, for now
    assert_problem(refused, 429)
    assert int(refused.headers["retry-after"]) >= 1
    assert "failed authentications" in refused.json()["detail"]


def test_made_up_keys_share_the_address_bucket_when_writes_are_open(make_client: Any) -> None:
    client = make_client(write_rate_limit="3/minute")
    statuses = [_post(client, n, secrets.token_hex(8)).status_code for n in range(5)]
    assert statuses == [201, 201, 201, 429, 429]


def test_a_valid_key_has_its_own_bucket(make_client: Any) -> None:
    client = make_client(api_keys=("a", "b"), write_rate_limit="2/minute")
    assert [_post(client, n, "a").status_code for n in range(3)] == [201, 201, 429]
    assert _post(client, 9, "b").status_code == 201


@pytest.fixture
def shared_redis() -> Iterator[redis.Redis]:
    connection = redis.Redis.from_url(REDIS_URL)
    try:
        connection.ping()
    except redis.ConnectionError:
        pytest.fail("Redis is not running on 127.0.0.1:6379 (.ci/run starts it)")
    connection.flushdb()
    yield connection
    connection.flushdb()
    connection.close()


def test_limits_hold_across_instances_sharing_redis(
    make_client: Any, shared_redis: redis.Redis
) -> None:
    first = make_client(redis_url=REDIS_URL, write_rate_limit="4/minute")
    second = make_client(redis_url=REDIS_URL, write_rate_limit="4/minute")
    statuses = [_post(client, n).status_code for n, client in enumerate([first, second] * 3)]
    assert statuses == [201, 201, 201, 201, 429, 429]
    assert shared_redis.keys("claimsapi:writes:*")
    keyed = [
        make_client(redis_url=REDIS_URL, api_keys=("k",), auth_failure_rate_limit="3/minute")
        for _ in range(2)
    ]
    failures = [_post(keyed[n % 2], n, "nope").status_code for n in range(5)]
    assert failures == [401, 401, 401, 429, 429]


def test_an_unreachable_redis_does_not_stop_writes(make_client: Any) -> None:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]  # nobody listens here once closed
    client = make_client(redis_url=f"redis://127.0.0.1:{port}/0", write_rate_limit="1/minute")
    assert [_post(client, n).status_code for n in range(2)] == [201, 201]


# ---------------------------------------------------------------- a served instance


@pytest.fixture
def served(database_url: str, tmp_path: Any) -> Iterator[str]:
    url = database_url
    if url.startswith("sqlite"):
        url = f"sqlite:///{tmp_path / 'served.db'}"
        from app.migrate import upgrade

        upgrade(url)
    env = {
        "CLAIMS_WRITE_RATE_LIMIT": "2/minute",
        "CLAIMS_HEADER_TIMEOUT": "1",
        "CLAIMS_BODY_TIMEOUT": "1",
        "CLAIMS_KEEP_ALIVE_TIMEOUT": "1",
    }
    with running_service(url, **env) as (base, _):
        yield base


def _raw(base: str, data: bytes, *, pause: float = 0.0, then: bytes = b"") -> bytes:
    host, port = base.removeprefix("http://").split(":")
    with socket.create_connection((host, int(port)), timeout=15) as sock:
        sock.sendall(data)
        if pause:
            time.sleep(pause)
            with contextlib.suppress(OSError):  # closed on us already
                sock.sendall(then)
        chunks = []
        while chunk := sock.recv(65536):
            chunks.append(chunk)
        return b"".join(chunks)


def _problem(raw: bytes, status: int) -> dict[str, Any]:
    head, _, body = raw.partition(b"\r\n\r\n")
    assert head.startswith(f"HTTP/1.1 {status}".encode()), raw[:200]
    assert b"content-type: application/problem+json" in head.lower()
    problem: dict[str, Any] = orjson.loads(body)
    assert problem["status"] == status
    return problem


@pytest.mark.slow
def test_a_served_instance(served: str) -> None:
    """One server, several hostile clients (one start-up for all of them)."""
    # X-Forwarded-For from an untrusted peer (127.0.0.1 too) buys no fresh bucket.
    with httpx.Client(base_url=served) as client:
        statuses = [
            _post(client, n, **{"X-Forwarded-For": f"203.0.113.{n}"}).status_code for n in range(3)
        ]
    assert statuses == [201, 201, 429]
    # Headers that never end: 408 problem, connection closed.
    slow = _raw(served, b"GET /healthz HTTP/1.1\r\nHost: x\r\n", pause=3, then=b"X-A: b\r\n")
    assert "headers" in _problem(slow, 408)["detail"]
    # A connection that never sends a byte is closed too.
    assert "headers" in _problem(_raw(served, b""), 408)["detail"]
    # A body that stalls.
    head = b"POST /v1/split HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
    stalled = _raw(served, head + b"Content-Length: 100\r\n\r\n{", pause=3, then=b'"text"')
    assert "body" in _problem(stalled, 408)["detail"]
    # Idle between requests: closed after the keep-alive timeout, quietly.
    idle = _raw(served, b"GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n")
    assert idle.startswith(b"HTTP/1.1 200")
    # What the HTTP parser refuses is problem+json, not text/plain.
    bad_length = b"POST /v1/split HTTP/1.1\r\nHost: x\r\nContent-Length: nope\r\n\r\n"
    _problem(_raw(served, bad_length), 400)
    _problem(_raw(served, b"NOT HTTP AT ALL\r\n\r\n"), 400)
    long_url = b"GET /v1/claims?q=" + b"a" * 70_000 + b" HTTP/1.1\r\nHost: x\r\n\r\n"
    answer = _raw(served, long_url)
    head_line = answer.split(b"\r\n", 1)[0]
    assert head_line.split()[1].startswith(b"4"), head_line
    assert b"application/problem+json" in answer.partition(b"\r\n\r\n")[0].lower()


@pytest.mark.slow
def test_proxy_headers_are_believed_from_trusted_proxies(database_url: str, tmp_path: Any) -> None:
    url = database_url
    if url.startswith("sqlite"):
        url = f"sqlite:///{tmp_path / 'proxied.db'}"
        from app.migrate import upgrade

        upgrade(url)
    env = {"CLAIMS_WRITE_RATE_LIMIT": "1/minute", "CLAIMS_TRUSTED_PROXIES": "127.0.0.1"}
    with running_service(url, **env) as (base, _), httpx.Client(base_url=base) as client:
        statuses = [
            _post(client, n, **{"X-Forwarded-For": f"203.0.113.{n}"}).status_code for n in range(3)
        ]
        assert statuses == [201, 201, 201]  # one client each, as the proxy says
        again = _post(client, 7, **{"X-Forwarded-For": "203.0.113.0"})
        assert again.status_code == 429
