"""The running claim counts stay equal to the truth through every kind of write."""

from __future__ import annotations

from fastapi.testclient import TestClient
from sqlalchemy import text
from sqlalchemy.engine import Engine

from tests.api.helpers import all_pages, post_article

TRUTH = {
    "source": "SELECT count(*) FROM claim_citation l WHERE l.source_id = e.id "
    "AND l.kind IN ('cited', 'inline')",
    "actor": "SELECT count(*) FROM claim_actor l WHERE l.actor_id = e.id",
    "topic": "SELECT count(*) FROM claim_topic l WHERE l.topic_id = e.id",
}


def _assert_counters_true(engine: Engine) -> None:
    with engine.connect() as conn:
        for table, truth in TRUTH.items():
            wrong = conn.execute(
                text(
                    f"SELECT slug, claim_count, ({truth}) FROM {table} e "
                    f"WHERE claim_count <> ({truth})"
                )
            ).all()
            assert wrong == [], table
        total = conn.execute(text("SELECT value FROM counter WHERE name = 'claims'")).scalar()
        assert total == conn.execute(text("SELECT count(*) FROM claim")).scalar_one()


def test_counters_follow_ingest_reprocess_and_delete(client: TestClient, engine: Engine) -> None:
    harbour = post_article(client, "harbour.txt")
    grain = post_article(client, "grain.txt")
    post_article(client, "sanctions.md")
    _assert_counters_true(engine)
    with engine.begin() as conn:  # as if an older splitter had cut one sentence differently
        conn.execute(
            text("UPDATE claim SET text = 'Older cut.' WHERE id = :id"),
            {"id": harbour["claims"][2]["id"]},
        )
    assert client.post(f"/v1/articles/{harbour['id']}/reprocess").status_code == 200
    _assert_counters_true(engine)
    assert client.delete(f"/v1/articles/{grain['id']}").status_code == 204
    _assert_counters_true(engine)
    listed = {s["slug"]: s["claim_count"] for s in all_pages(client, "/v1/sources", limit=200)}
    assert listed["al-jazeera"] == 0
    assert listed["reuters"] == 3


def test_estimates_from_counters(client: TestClient) -> None:
    post_article(client, "harbour.txt")
    post_article(client, "grain.txt")
    exact = client.get("/v1/claims", params={"source": "reuters", "count": "exact"}).json()
    estimated = client.get("/v1/claims", params={"source": "reuters", "count": "estimated"}).json()
    assert estimated["count"] == exact["count"] == 3
    total = client.get("/v1/claims", params={"count": "estimated", "limit": 1}).json()["count"]
    assert total == 10
    both = client.get(
        "/v1/claims", params={"source": "reuters", "topic": "diplomacy", "count": "estimated"}
    ).json()
    assert 0 <= both["count"] <= 3
