"""The change feed: claim events in commit order, enough to mirror the store exactly."""

from __future__ import annotations

import threading
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import text
from sqlalchemy.engine import Engine

from app.cursors import encode_cursor
from app.schemas import ChangePage
from tests.api.helpers import assert_problem, post_article


def _stored_claims(engine: Engine) -> dict[int, str]:
    with engine.connect() as conn:
        return {row.id: row.text for row in conn.execute(text("SELECT id, text FROM claim"))}


def _page(client: TestClient, token: str | None, limit: int = 100) -> dict[str, Any]:
    params: dict[str, Any] = {"limit": limit}
    if token is not None:
        params["since"] = token
    response = client.get("/v1/changes", params=params)
    assert response.status_code == 200, response.text
    page: dict[str, Any] = response.json()
    ChangePage.model_validate(page)
    return page


def _follow(
    client: TestClient, token: str | None = None, limit: int = 100
) -> tuple[list[dict[str, Any]], str]:
    events: list[dict[str, Any]] = []
    while True:
        page = _page(client, token, limit)
        events.extend(page["items"])
        token = page["next_token"]
        if not page["has_more"]:
            assert token is not None
            return events, token


class Mirror:
    """What a client following the feed holds: claim id -> text."""

    def __init__(self) -> None:
        self.claims: dict[int, str | None] = {}
        self.seqs: list[int] = []
        self.created: list[int] = []

    def apply(self, events: list[dict[str, Any]]) -> None:
        for event in events:
            self.seqs.append(event["seq"])
            if event["kind"] == "deleted":
                assert event["claim"] is None
                self.claims.pop(event["claim_id"], None)
                continue
            if event["kind"] == "created":
                self.created.append(event["claim_id"])
            claim = event["claim"]
            assert claim is None or claim["id"] == event["claim_id"]
            # null: deleted since; its `deleted` event is still to come.
            self.claims[event["claim_id"]] = claim["text"] if claim else None

    def assert_exact(self, stored: dict[int, str]) -> None:
        assert self.seqs == sorted(self.seqs)
        assert len(self.seqs) == len(set(self.seqs)), "an event was repeated"
        assert len(self.created) == len(set(self.created)), "a claim was created twice"
        assert self.claims == stored


def test_an_empty_feed_still_gives_a_token_to_poll_with(client: TestClient) -> None:
    first = _page(client, None)
    assert first["items"] == []
    assert first["has_more"] is False
    again = _page(client, first["next_token"])
    assert again == first
    post_article(client, "grain.txt")
    events = _page(client, first["next_token"])["items"]
    assert events
    assert {e["kind"] for e in events} == {"created"}


def test_ingest_creates_one_event_per_claim_with_the_claim(client: TestClient) -> None:
    article = post_article(client, "harbour.txt")
    events, _ = _follow(client)
    assert [e["claim_id"] for e in events] == [c["id"] for c in article["claims"]]
    assert all(e["kind"] == "created" and e["article_id"] == article["id"] for e in events)
    assert [e["claim"] for e in events] == article["claims"]
    assert all(e["changed_at"].endswith("+00:00") for e in events)


def test_small_pages_visit_every_event_once(client: TestClient) -> None:
    for name in ("harbour.txt", "grain.txt", "wires.txt"):
        post_article(client, name)
    whole, last = _follow(client)
    paged, paged_last = _follow(client, limit=2)
    assert paged == whole
    assert paged_last == last
    assert _page(client, last)["items"] == []


def test_deletes_are_events_and_the_mirror_follows(client: TestClient, engine: Engine) -> None:
    kept = post_article(client, "harbour.txt")
    gone = post_article(client, "grain.txt")
    mirror = Mirror()
    events, token = _follow(client)
    mirror.apply(events)
    assert client.delete(f"/v1/articles/{gone['id']}").status_code == 204
    events, token = _follow(client, token)
    assert [(e["kind"], e["claim_id"], e["claim"]) for e in events] == [
        ("deleted", c["id"], None) for c in gone["claims"]
    ]
    mirror.apply(events)
    mirror.assert_exact(_stored_claims(engine))
    assert set(mirror.claims) == {c["id"] for c in kept["claims"]}
    # Replayed from the start, the created events of deleted claims carry no claim.
    replay, _ = _follow(client)
    created_gone = [e for e in replay if e["kind"] == "created" and e["article_id"] == gone["id"]]
    assert created_gone
    assert all(e["claim"] is None for e in created_gone)


def test_reprocess_updates_kept_claims_and_replaces_changed_ones(
    client: TestClient, engine: Engine
) -> None:
    article = post_article(client, "harbour.txt")
    mirror = Mirror()
    events, token = _follow(client)
    mirror.apply(events)
    stale = article["claims"][1]
    # As if an older splitter had cut this sentence differently.
    with engine.begin() as conn:
        conn.execute(
            text("UPDATE claim SET text = 'An older cut.' WHERE id = :id"), {"id": stale["id"]}
        )
    again = client.post(f"/v1/articles/{article['id']}/reprocess").json()
    events, token = _follow(client, token)
    kinds = {(e["kind"], e["claim_id"]) for e in events}
    new_id = again["claims"][1]["id"]
    assert ("deleted", stale["id"]) in kinds
    assert ("created", new_id) in kinds
    kept = [c["id"] for i, c in enumerate(article["claims"]) if i != 1]
    assert {("updated", claim_id) for claim_id in kept} <= kinds
    assert len(events) == len(kept) + 2
    updated = next(e for e in events if e["kind"] == "updated")
    assert updated["claim"] == next(c for c in again["claims"] if c["id"] == updated["claim_id"])
    mirror.apply(events)
    mirror.assert_exact(_stored_claims(engine))


def test_concurrent_ingestion_is_mirrored_exactly(client: TestClient, engine: Engine) -> None:
    writers, per_writer = 4, 12
    failures: list[str] = []

    def write(worker: int) -> None:
        for number in range(per_writer):
            body = {
                "text": f"Talks round {worker}-{number} resumed in Geneva.[1] "
                f"Officials expect a draft by day {number}.[2]\n\n[1] Reuters\n[2] CNN"
            }
            response = client.post("/v1/articles", json=body)
            if response.status_code != 201:
                failures.append(response.text)
                return
            if number % 4 == 3:  # some deletions race with the reader too
                article_id = response.json()["id"]
                if client.delete(f"/v1/articles/{article_id}").status_code != 204:
                    failures.append(f"delete {article_id}")

    threads = [threading.Thread(target=write, args=(n,)) for n in range(writers)]
    mirror = Mirror()
    token: str | None = None
    for thread in threads:
        thread.start()
    polls = 0
    while any(thread.is_alive() for thread in threads):
        page = _page(client, token, limit=7)
        mirror.apply(page["items"])
        token = page["next_token"]
        polls += 1
    for thread in threads:
        thread.join()
    events, token = _follow(client, token, limit=7)
    mirror.apply(events)
    assert not failures
    stored = _stored_claims(engine)
    assert len(stored) == writers * (per_writer - per_writer // 4) * 2
    mirror.assert_exact(stored)
    assert polls > 1


@pytest.mark.parametrize(
    "token",
    [
        "not-a-token",
        encode_cursor([5], query="claims:abc"),  # a claims cursor is not a feed token
        encode_cursor(["5"], query="changes"),
        encode_cursor([-1], query="changes"),
        encode_cursor([1, 2], query="changes"),
    ],
)
def test_forged_tokens_are_400(client: TestClient, token: str) -> None:
    assert_problem(client.get("/v1/changes", params={"since": token}), 400)


def test_bad_parameters_are_422(client: TestClient) -> None:
    assert_problem(client.get("/v1/changes", params={"limit": 0}), 422)
    assert_problem(client.get("/v1/changes", params={"limit": 1001}), 422)
    # An unknown parameter (a cache-buster, a misspelling) is ignored, as everywhere.
    assert client.get("/v1/changes", params={"after": "x"}).status_code == 200
