"""Re-splitting stored articles keeps the ids of claims whose text did not change."""

from __future__ import annotations

from fastapi.testclient import TestClient
from sqlalchemy import text
from sqlalchemy.engine import Engine

from tests.api.helpers import all_pages, assert_problem, post_article


def test_reprocess_with_the_same_splitter_changes_nothing(client: TestClient) -> None:
    created = post_article(client, "harbour.txt")
    response = client.post(f"/v1/articles/{created['id']}/reprocess")
    assert response.status_code == 200
    again = response.json()
    assert [(c["id"], c["text"], c["sources"]) for c in again["claims"]] == [
        (c["id"], c["text"], c["sources"]) for c in created["claims"]
    ]


def test_changed_statements_get_new_ids_and_unchanged_keep_theirs(
    client: TestClient, engine: Engine
) -> None:
    created = post_article(client, "harbour.txt")
    other = post_article(client, "grain.txt")
    stale = created["claims"][1]
    # As if an older splitter had cut this sentence differently.
    with engine.begin() as conn:
        conn.execute(
            text("UPDATE claim SET text = 'An older cut.' WHERE id = :id"), {"id": stale["id"]}
        )
    again = client.post(f"/v1/articles/{created['id']}/reprocess").json()
    assert [c["text"] for c in again["claims"]] == [c["text"] for c in created["claims"]]
    kept = [c["id"] for i, c in enumerate(created["claims"]) if i != 1]
    assert [c["id"] for i, c in enumerate(again["claims"]) if i != 1] == kept
    assert again["claims"][1]["id"] not in {c["id"] for c in created["claims"]}
    assert_problem(client.get(f"/v1/claims/{stale['id']}"), 404)
    # Reading order is still article order then position, across both articles.
    every = all_pages(client, "/v1/claims", limit=3)
    assert [(c["article_id"], c["position"]) for c in every] == sorted(
        (c["article_id"], c["position"]) for c in every
    )
    assert {c["article_id"] for c in every} == {created["id"], other["id"]}
    reuters = [c["text"] for c in all_pages(client, "/v1/claims", source="reuters")]
    assert reuters[0] == created["claims"][0]["text"]


def test_reprocess_unknown_article_is_404(client: TestClient) -> None:
    assert_problem(client.post("/v1/articles/4242/reprocess"), 404)


def test_reprocess_needs_a_key_when_keys_are_set(make_client: object) -> None:
    secured: TestClient = make_client(api_keys="k-123456")  # type: ignore[operator]
    auth = {"Authorization": "Bearer k-123456"}
    created = secured.post(
        "/v1/articles", json={"text": "Talks resumed on Monday.[1]\n\n[1] Reuters"}, headers=auth
    ).json()
    assert_problem(secured.post(f"/v1/articles/{created['id']}/reprocess"), 401)
    ok = secured.post(f"/v1/articles/{created['id']}/reprocess", headers=auth)
    assert ok.status_code == 200


def test_strict_split_rejects_citation_problems(client: TestClient) -> None:
    body = {"text": "Talks resumed on Monday.[1] A deal is near.[4]\n\n[1] Reuters\n[2] CNN"}
    lenient = client.post("/v1/split", json=body)
    assert lenient.status_code == 200
    report = lenient.json()["integrity"]
    assert report["clean"] is False
    assert report["dangling_markers"] == ["4"]
    assert report["uncited_references"] == ["2"]
    problem = assert_problem(client.post("/v1/split?strict=true", json=body), 422)
    kinds = {error["type"] for error in problem["errors"]}
    assert kinds == {"dangling_markers", "uncited_references"}
    clean = {"text": "Talks resumed on Monday.[1]\n\n[1] Reuters"}
    assert client.post("/v1/split?strict=true", json=clean).status_code == 200
