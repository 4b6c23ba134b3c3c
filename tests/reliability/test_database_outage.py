"""The database goes away or turns read-only: clear 503s, no damage, and recovery by itself."""

from __future__ import annotations

import os
from collections.abc import Iterator
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import event
from sqlalchemy.engine import make_url

from app.db import is_sqlite
from app.main import create_app
from app.settings import Settings
from tests.api.helpers import article_body, assert_problem, post_article
from tests.conftest import TEST_DATABASE_ENV
from tests.reliability.proxy import Relay


def test_a_read_only_database_refuses_writes_serves_reads_and_recovers(
    client: TestClient, database_url: str
) -> None:
    if not is_sqlite(database_url):
        pytest.skip("SQLite's read-only mode")
    post_article(client, "harbour.txt")
    engine = client.app.state.engine  # type: ignore[attr-defined]
    read_only = {"on": True}

    @event.listens_for(engine, "connect")
    def _query_only(dbapi_connection: Any, _record: Any) -> None:
        # As if the file had lost its write permission: SQLite refuses every write.
        if read_only["on"]:
            dbapi_connection.execute("PRAGMA query_only=ON")

    engine.dispose()
    try:
        refused = client.post("/v1/articles", json=article_body("grain.txt"))
        problem = assert_problem(refused, 503)
        assert "unavailable" in problem["detail"]
        assert refused.headers["retry-after"] == "5"
        ready = client.get("/readyz")
        assert ready.status_code == 503
        assert ready.json()["detail"] == "database is read-only"
        reads = client.get("/v1/claims", params={"source": "reuters"})
        assert reads.status_code == 200
        assert len(reads.json()["items"]) == 1

        read_only["on"] = False  # the operator fixes the permissions; nobody restarts
        # A connection opened while read-only may serve one more probe; the
        # probe that finds it drops the pool, and the next one is ready.
        assert _eventually_ready(client)
        assert client.post("/v1/articles", json=article_body("grain.txt")).status_code == 201
    finally:
        event.remove(engine, "connect", _query_only)


def _eventually_ready(client: TestClient, attempts: int = 3) -> bool:
    return any(client.get("/readyz").status_code == 200 for _ in range(attempts))


@pytest.fixture
def relayed() -> Iterator[tuple[TestClient, Relay]]:
    url = os.environ.get(TEST_DATABASE_ENV)
    if not url or is_sqlite(url):
        pytest.skip("a database server to take away (PostgreSQL)")
    parsed = make_url(url)
    with Relay((parsed.host or "127.0.0.1", parsed.port or 5432)) as relay:
        through = parsed.set(host="127.0.0.1", port=relay.port).render_as_string(
            hide_password=False
        )
        with TestClient(create_app(Settings(database_url=through))) as client:
            yield client, relay


@pytest.mark.db
def test_a_database_that_goes_away_gives_503s_and_the_service_recovers(
    relayed: tuple[TestClient, Relay], engine: Any
) -> None:
    from tests.conftest import empty_database

    empty_database(engine)
    client, relay = relayed
    assert client.post("/v1/articles", json=article_body("harbour.txt")).status_code == 201

    relay.cut()
    assert client.get("/readyz").status_code == 503
    assert_problem(client.post("/v1/articles", json=article_body("grain.txt")), 503)
    assert_problem(client.get("/v1/claims"), 503)
    assert client.get("/healthz").status_code == 200  # the process itself is fine

    relay.restore()
    assert _eventually_ready(client)
    assert client.get("/v1/claims").status_code == 200
    assert client.post("/v1/articles", json=article_body("grain.txt")).status_code == 201
