"""Small helpers shared by the HTTP tests."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from fastapi.testclient import TestClient
from sqlalchemy import text
from sqlalchemy.engine import Connection

ARTICLES = Path(__file__).parent.parent / "fixtures" / "api"
PROBLEM_KEYS = {"type", "title", "status", "detail"}


def article_body(name: str, **extra: Any) -> dict[str, Any]:
    """The JSON body posting a fixture article."""
    path = ARTICLES / name
    fmt = {".md": "markdown", ".html": "html"}.get(path.suffix, "text")
    return {"text": path.read_text(encoding="utf-8"), "format": fmt, **extra}


def post_article(client: TestClient, name: str, **extra: Any) -> dict[str, Any]:
    """Ingest a fixture article and return the stored article."""
    response = client.post("/v1/articles", json=article_body(name, **extra))
    assert response.status_code == 201, response.text
    created: dict[str, Any] = response.json()
    return created


def texts(items: list[dict[str, Any]]) -> list[str]:
    """The text of every claim."""
    return [item["text"] for item in items]


def all_pages(client: TestClient, url: str, **params: Any) -> list[dict[str, Any]]:
    """Follow next_cursor to the end and return every item."""
    items: list[dict[str, Any]] = []
    cursor = None
    for _ in range(1_000):
        query = dict(params, **({"cursor": cursor} if cursor else {}))
        response = client.get(url, params=query)
        assert response.status_code == 200, response.text
        page = response.json()
        items.extend(page["items"])
        cursor = page["next_cursor"]
        if cursor is None:
            return items
    raise AssertionError("pagination did not end")


def assert_problem(response: Any, status: int) -> dict[str, Any]:
    """Assert the response is an RFC 9457 problem with this status."""
    assert response.status_code == status, response.text
    assert response.headers["content-type"].startswith("application/problem+json")
    body: dict[str, Any] = response.json()
    assert body.keys() >= PROBLEM_KEYS
    assert body["status"] == status
    assert "Traceback" not in response.text
    return body


def assert_no_orphans(conn: Connection) -> None:
    """No claim link outlives its claim, and no reference its article."""
    for table in ("claim_citation", "claim_actor", "claim_topic"):
        orphans = conn.execute(
            text(f"SELECT count(*) FROM {table} WHERE claim_id NOT IN (SELECT id FROM claim)")
        ).scalar_one()
        assert orphans == 0, table
    refs = conn.execute(
        text("SELECT count(*) FROM reference WHERE article_id NOT IN (SELECT id FROM article)")
    ).scalar_one()
    assert refs == 0
