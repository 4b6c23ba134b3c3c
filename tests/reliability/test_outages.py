"""Outages answer 503 with Retry-After, exports end checkably, registries come back."""

from __future__ import annotations

import sqlite3
from typing import Any

import orjson
import psycopg
import pytest
from fastapi.testclient import TestClient
from sqlalchemy import event, text

from app.db import is_sqlite
from app.repository import counters
from app.repository.claims import list_claim_keys
from app.services import claims as claim_service
from tests.api.helpers import article_body, assert_problem, post_article


@pytest.fixture
def read_only(client: TestClient, database_url: str) -> Any:
    """Turn the service's SQLite database read-only, as a lost write permission would."""
    if not is_sqlite(database_url):
        pytest.skip("SQLite's read-only mode")
    engine = client.app.state.engine  # type: ignore[attr-defined]

    def query_only(dbapi_connection: Any, _record: Any) -> None:
        dbapi_connection.execute("PRAGMA query_only=ON")

    def turn() -> None:
        event.listen(engine, "connect", query_only)
        engine.dispose()
        client.app.state.reads.close()  # type: ignore[attr-defined]

    yield turn
    if event.contains(engine, "connect", query_only):
        event.remove(engine, "connect", query_only)
    engine.dispose()


def test_delete_on_a_read_only_database_is_503(client: TestClient, read_only: Any) -> None:
    article = post_article(client, "harbour.txt")
    read_only()
    response = client.delete(f"/v1/articles/{article['id']}")
    problem = assert_problem(response, 503)
    assert response.headers["retry-after"] == "5"
    assert "unavailable" in problem["detail"]


def test_a_batch_on_a_read_only_database_is_503(client: TestClient, read_only: Any) -> None:
    read_only()
    batch = [article_body("harbour.txt"), article_body("grain.txt")]
    response = client.post("/v1/articles:batch", json=batch)
    assert_problem(response, 503)
    assert response.headers["retry-after"] == "5"
    response = client.post(
        "/v1/articles:batch", json=[article_body(n) for n in ("harbour.txt",) * 20]
    )
    assert_problem(response, 503)


@pytest.mark.parametrize("fmt", ["ndjson", "csv"])
def test_an_export_cut_by_an_outage_says_so_at_its_end(
    client: TestClient, monkeypatch: pytest.MonkeyPatch, fmt: str
) -> None:
    text_ = " ".join(f"Report {n} was filed.[1]" for n in range(1_200)) + "\n\n[1] Reuters"
    assert client.post("/v1/articles", json={"text": text_}).status_code == 201
    real = list_claim_keys
    calls = {"n": 0}

    def failing(session: Any, **kwargs: Any) -> Any:
        calls["n"] += 1
        if calls["n"] == 2:  # the second batch: the database went away mid-export
            raise sqlite3.OperationalError("disk I/O error")
        return real(session, **kwargs)

    monkeypatch.setattr(claim_service, "list_claim_keys", failing)
    response = client.get("/v1/claims", params={"format": fmt})
    assert response.status_code == 200  # the status line went out with the first claims
    last = response.text.strip().splitlines()[-1]
    if fmt == "ndjson":
        end = orjson.loads(last)
        assert end["complete"] is False
        assert end["count"] == 500
        assert end["problem"]["status"] == 503
    else:
        assert last.startswith("#incomplete,500,")


def test_registries_come_back_when_the_schema_does(client: TestClient, engine: Any) -> None:
    assert client.get("/v1/topics/sanctions").status_code == 200
    # The database recreated and migrated under the running service: empty tables.
    with engine.begin() as conn:
        for table in ("actor", "topic", "source"):
            conn.execute(text(f"DELETE FROM {table}"))
    assert_problem(client.get("/v1/topics/sanctions"), 404)
    assert client.get("/readyz").status_code == 200
    assert client.get("/v1/topics/sanctions").status_code == 200
    assert client.get("/v1/claims", params={"source": "reuters"}).status_code == 200
    assert client.get("/v1/actors/ukraine").status_code == 200


@pytest.mark.parametrize(
    "error",
    [
        sqlite3.OperationalError("attempt to write a readonly database"),
        psycopg.errors.ReadOnlySqlTransaction("cannot execute UPDATE in a read-only transaction"),
    ],
)
def test_a_write_refused_by_the_driver_itself_is_503(
    client: TestClient, monkeypatch: pytest.MonkeyPatch, error: Exception
) -> None:
    # The driver's own errors, as a statement on its cursor (app/repository/sql.py) meets
    # them: a read-only file (SQLite) or a standby (PostgreSQL).
    article = post_article(client, "harbour.txt")

    def refused(*_: Any, **__: Any) -> None:
        raise error

    monkeypatch.setattr(counters, "execute_many", refused)
    response = client.delete(f"/v1/articles/{article['id']}")
    assert_problem(response, 503)
    assert response.headers["retry-after"] == "5"
    monkeypatch.undo()
    assert client.get(f"/v1/articles/{article['id']}").status_code == 200  # rolled back
