"""POST /v1/articles:batch: many articles, each whole or not at all, one result per article."""

from __future__ import annotations

from typing import Any

import orjson
import pytest
from fastapi.testclient import TestClient
from sqlalchemy import event, text
from sqlalchemy.engine import Engine

from app.schemas import BatchResult
from app.services.ingest import store as batch_services
from app.splitter.core import Splitter
from tests.api.helpers import article_body, assert_problem

NDJSON = {"content-type": "application/x-ndjson"}


def _article(number: int) -> dict[str, Any]:
    return {"text": f"Talks round {number} resumed in Geneva.[1]\n\n[1] Reuters"}


def _count(engine: Engine, table: str) -> int:
    with engine.connect() as conn:
        return int(conn.execute(text(f"SELECT count(*) FROM {table}")).scalar_one())


def _batch(client: TestClient, body: Any, **kwargs: Any) -> dict[str, Any]:
    response = client.post("/v1/articles:batch", json=body, **kwargs)
    assert response.status_code == 200, response.text
    result: dict[str, Any] = response.json()
    BatchResult.model_validate(result)
    return result


def test_results_come_per_article_in_input_order(client: TestClient, engine: Engine) -> None:
    harbour = article_body("harbour.txt")
    result = _batch(
        client,
        [
            harbour,
            {"format": "text"},  # no text
            harbour,  # the same article again
            {**_article(1), "url": "ftp://example.org/x"},
            _article(2),
        ],
    )
    statuses = [(item["index"], item["status"]) for item in result["items"]]
    assert statuses == [(0, "created"), (1, "error"), (2, "existing"), (3, "error"), (4, "created")]
    assert (result["created"], result["existing"], result["failed"]) == (2, 1, 2)
    first, missing, again, bad_url, last = result["items"]
    assert again["id"] == first["id"]
    assert missing["id"] is None
    assert missing["problem"]["status"] == 422
    assert missing["problem"]["errors"][0]["loc"] == ["body", "text"]
    assert bad_url["problem"]["errors"][0]["loc"] == ["body", "url"]
    assert _count(engine, "article") == 2
    stored = client.get(f"/v1/articles/{last['id']}").json()
    assert stored["text"] == _article(2)["text"]
    single = client.post("/v1/articles", json=harbour)
    assert single.status_code == 200
    assert single.json()["id"] == first["id"]


def test_ndjson_takes_one_article_per_line(client: TestClient) -> None:
    lines = [orjson.dumps(_article(1)), b"", b"{not json", b"   ", orjson.dumps(_article(2))]
    response = client.post("/v1/articles:batch", content=b"\n".join(lines) + b"\n", headers=NDJSON)
    assert response.status_code == 200, response.text
    result = response.json()
    assert [item["status"] for item in result["items"]] == ["created", "error", "created"]
    assert result["items"][1]["problem"]["status"] == 400
    assert [item["index"] for item in result["items"]] == [0, 1, 2]


def test_an_article_over_the_size_limit_fails_alone(make_client: Any) -> None:
    client: TestClient = make_client(max_article_bytes=1024)
    result = _batch(client, [{"text": "Long. " * 300}, _article(1)])
    assert [item["status"] for item in result["items"]] == ["error", "created"]
    assert result["items"][0]["problem"]["status"] == 413


def test_a_failure_while_storing_rolls_back_only_that_article(
    client: TestClient, engine: Engine, monkeypatch: pytest.MonkeyPatch
) -> None:
    real = batch_services.store_article

    def failing(session: Any, **kwargs: Any) -> Any:
        outcome = real(session, **kwargs)  # written, then the transaction fails
        if "round 2 " in kwargs["prepared"].article.text:
            raise RuntimeError("disk on fire")
        return outcome

    monkeypatch.setattr(batch_services, "store_article", failing)
    result = _batch(client, [_article(1), _article(2), _article(3)])
    assert [item["status"] for item in result["items"]] == ["created", "error", "created"]
    assert result["items"][1]["problem"]["status"] == 500
    assert "disk on fire" not in str(result)
    assert _count(engine, "article") == 2
    texts = {c["text"] for c in client.get("/v1/claims").json()["items"]}
    assert texts == {"Talks round 1 resumed in Geneva.", "Talks round 3 resumed in Geneva."}


def test_articles_are_split_before_their_transaction_begins(
    client: TestClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    steps: list[str] = []
    real_split = Splitter.split

    def split(*args: Any, **kwargs: Any) -> Any:
        steps.append("split")
        return real_split(*args, **kwargs)

    def began(*_: Any) -> None:
        steps.append("begin")

    monkeypatch.setattr(Splitter, "split", split)
    app_engine: Engine = client.app.state.engine  # type: ignore[attr-defined]
    event.listen(app_engine, "begin", began)
    try:
        _batch(client, [_article(n) for n in range(3)])
    finally:
        event.remove(app_engine, "begin", began)
    # (Before them, the splitter cache reads the actor-edit stamp in a transaction of its own.)
    # Three articles make one group, and a group is whole before its transaction begins.
    assert steps[-4:] == ["split", "split", "split", "begin"]


def test_a_large_batch_is_split_by_workers_and_stored_in_groups(
    make_client: Any, engine: Engine
) -> None:
    count = batch_services.GROUP_ARTICLES * 2 + 5
    articles = [_article(n) for n in range(count)]
    articles[40] = {"format": "text"}  # invalid, in the middle of the second group
    pooled: TestClient = make_client(split_workers=1)
    app_engine: Engine = pooled.app.state.engine  # type: ignore[attr-defined]
    begins: list[object] = []

    def began(conn: object) -> None:
        begins.append(conn)

    event.listen(app_engine, "begin", began)
    try:
        result = _batch(pooled, articles)
    finally:
        event.remove(app_engine, "begin", began)
    assert (result["created"], result["existing"], result["failed"]) == (count - 1, 0, 1)
    assert result["items"][40]["problem"]["status"] == 422
    assert len(begins) == 1 + 3  # the actor-edit stamp, then three groups
    assert pooled.app.state.split_pool.running  # type: ignore[attr-defined]
    # Split in this process, the same articles hash and split the same: all found again.
    inline: TestClient = make_client(split_workers=0)
    again = _batch(inline, articles)
    assert again["existing"] == count - 1
    assert [i["id"] for i in again["items"]] == [i["id"] for i in result["items"]]
    texts = {c["text"] for c in inline.get("/v1/claims", params={"limit": 200}).json()["items"]}
    assert texts == {f"Talks round {n} resumed in Geneva." for n in range(count) if n != 40}


def test_a_group_whose_commit_fails_reports_every_article_failed(
    client: TestClient, engine: Engine, monkeypatch: pytest.MonkeyPatch
) -> None:
    app_engine: Engine = client.app.state.engine  # type: ignore[attr-defined]

    def refuse(*_: Any) -> None:
        raise RuntimeError("the disk is full")

    event.listen(app_engine, "commit", refuse)
    try:
        result = _batch(client, [_article(1), {"format": "text"}, _article(2)])
    finally:
        event.remove(app_engine, "commit", refuse)
    assert [item["status"] for item in result["items"]] == ["error"] * 3
    assert [item["problem"]["status"] for item in result["items"]] == [500, 422, 500]
    assert _count(engine, "article") == 0
    assert _batch(client, [_article(1)])["created"] == 1


@pytest.mark.parametrize(
    ("body", "headers", "status"),
    [
        (b"[{", {"content-type": "application/json"}, 400),
        (b'{"text": "one object"}', {"content-type": "application/json"}, 422),
        (b"hello", {"content-type": "text/plain"}, 415),
        (orjson.dumps([{}] * 1001), {"content-type": "application/json"}, 413),
        (b"{}\n" * 1001, NDJSON, 413),
    ],
)
def test_whole_request_problems(
    client: TestClient, body: bytes, headers: dict[str, str], status: int
) -> None:
    assert_problem(client.post("/v1/articles:batch", content=body, headers=headers), status)


def test_the_batch_route_has_its_own_body_limit(make_client: Any) -> None:
    client: TestClient = make_client(max_article_bytes=1024, max_batch_bytes=200_000)
    articles = [{"text": f"Statement {n} about the harbour talks. " * 24} for n in range(150)]
    body = orjson.dumps(articles)
    assert 70_000 < len(body) < 200_000  # over the single-article route's limit
    single = client.post("/v1/articles", content=body, headers={"content-type": "application/json"})
    assert_problem(single, 413)
    result = _batch(client, articles)
    assert result["created"] == 150
    problem = assert_problem(
        client.post("/v1/articles:batch", content=body * 2, headers=NDJSON), 413
    )
    assert "200000" in problem["detail"]


def test_the_batch_needs_a_key_when_keys_are_set(make_client: Any) -> None:
    secured: TestClient = make_client(api_keys="k-123456")
    assert_problem(secured.post("/v1/articles:batch", json=[_article(1)]), 401)
    auth = {"Authorization": "Bearer k-123456"}
    assert _batch(secured, [_article(1)], headers=auth)["created"] == 1


def test_an_empty_batch_stores_nothing(client: TestClient) -> None:
    assert _batch(client, []) == {"items": [], "created": 0, "existing": 0, "failed": 0}


def test_ndjson_is_only_for_the_batch_route(client: TestClient) -> None:
    line = orjson.dumps(_article(1))
    problem = assert_problem(client.post("/v1/articles", content=line, headers=NDJSON), 415)
    assert "application/x-ndjson" in problem["detail"]
    assert client.post("/v1/articles:batch", content=line, headers=NDJSON).status_code == 200
