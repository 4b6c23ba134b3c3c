"""No request stalls the service: probes never queue, writers never wait on a split."""

from __future__ import annotations

import asyncio
import contextlib
import signal
import sqlite3
import threading
import time
from collections.abc import Iterator
from typing import Any

import anyio
import httpx
import pytest
from anyio import to_thread
from fastapi.testclient import TestClient
from sqlalchemy.engine import make_url
from starlette.types import Message

from app.api import claims as claim_routes
from app.db import is_sqlite
from app.migrate import upgrade
from app.repository.claim_query import resolve_query
from app.splitter.core import Splitter
from tests.api.helpers import assert_problem, post_article
from tests.reliability.server import alive, descendants, running_service

# A probe that has not answered by then is queued behind the held threads.
HANG = 20.0


@pytest.fixture
def pool_full(client: TestClient) -> Iterator[None]:
    """Every thread of the shared pool taken, as by four long splits."""
    portal = client.portal  # type: ignore[attr-defined]
    limiter = portal.call(to_thread.current_default_thread_limiter)
    holders = [object() for _ in range(int(limiter.total_tokens))]
    for holder in holders:
        portal.call(limiter.acquire_on_behalf_of, holder)
    yield
    for holder in holders:
        portal.call(limiter.release_on_behalf_of, holder)


def _answer_within_hang(client: TestClient, path: str) -> int:
    answered: list[int] = []
    thread = threading.Thread(target=lambda: answered.append(client.get(path).status_code))
    thread.daemon = True
    thread.start()
    thread.join(HANG)
    assert answered, f"{path} queued behind the busy thread pool"
    return answered[0]


@pytest.mark.usefixtures("pool_full")
@pytest.mark.parametrize("path", ["/healthz", "/readyz"])
def test_probes_answer_while_every_worker_thread_is_busy(client: TestClient, path: str) -> None:
    assert _answer_within_hang(client, path) == 200


def test_reprocess_splits_without_holding_the_write_lock(
    client: TestClient, database_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    if not is_sqlite(database_url):
        pytest.skip("SQLite's database-wide write lock")
    article = post_article(client, "harbour.txt")
    real = Splitter.split
    writes: list[str] = []

    def split_then_write(self: Splitter, *args: Any, **kwargs: Any) -> Any:
        # Another writer, while the split runs: it must get the lock at once.
        other = sqlite3.connect(make_url(database_url).database or "", timeout=0)
        try:
            other.execute("BEGIN IMMEDIATE")
            other.execute("ROLLBACK")
            writes.append("ok")
        except sqlite3.OperationalError as exc:
            writes.append(str(exc))
        finally:
            other.close()
        return real(self, *args, **kwargs)

    monkeypatch.setattr(Splitter, "split", split_then_write)
    response = client.post(f"/v1/articles/{article['id']}/reprocess")
    assert response.status_code == 200, response.text
    assert writes == ["ok"]
    assert [c["id"] for c in response.json()["claims"]] == [c["id"] for c in article["claims"]]


def test_reprocess_of_an_article_deleted_while_it_split_is_404(
    client: TestClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    article = post_article(client, "harbour.txt")
    real = Splitter.split

    def split_while_deleted(self: Splitter, *args: Any, **kwargs: Any) -> Any:
        result = real(self, *args, **kwargs)
        with client.app.state.engine.begin() as conn:  # type: ignore[attr-defined]
            conn.exec_driver_sql(f"DELETE FROM claim WHERE article_id = {article['id']}")
            conn.exec_driver_sql(f"DELETE FROM reference WHERE article_id = {article['id']}")
            conn.exec_driver_sql(f"DELETE FROM article WHERE id = {article['id']}")
        return result

    monkeypatch.setattr(Splitter, "split", split_while_deleted)
    assert_problem(client.post(f"/v1/articles/{article['id']}/reprocess"), 404)


def test_exports_resolve_their_filters_as_reads_do(
    client: TestClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    post_article(client, "harbour.txt")
    reads = client.app.state.reads  # type: ignore[attr-defined]
    monkeypatch.setattr(reads, "inline", False)  # every read on a thread, as on PostgreSQL
    on_loop: list[bool] = []
    real = resolve_query

    def spy(session: Any, **kwargs: Any) -> Any:
        try:
            asyncio.get_running_loop()
            on_loop.append(True)
        except RuntimeError:
            on_loop.append(False)
        return real(session, **kwargs)

    monkeypatch.setattr(claim_routes, "resolve_query", spy)
    for fmt in ("ndjson", "csv"):
        response = client.get("/v1/claims", params={"format": fmt, "source": "reuters"})
        assert response.status_code == 200
    assert on_loop == [False, False]


def _post_unread(client: TestClient, path: str, authorization: bytes) -> tuple[int, int]:
    """POST through the app directly; (status, how many times the body was asked for)."""
    asked = [0]
    sent: list[Message] = []

    async def receive() -> Message:
        asked[0] += 1
        return {"type": "http.request", "body": b'{"text": "A sentence."}', "more_body": False}

    async def send(message: Message) -> None:
        sent.append(message)

    scope = {
        "type": "http",
        "asgi": {"version": "3.0"},
        "http_version": "1.1",
        "method": "POST",
        "scheme": "http",
        "path": path,
        "raw_path": path.encode(),
        "root_path": "",
        "query_string": b"",
        "headers": [
            (b"host", b"testserver"),
            (b"content-type", b"application/json"),
            (b"content-length", b"23"),
            (b"authorization", authorization),
        ],
        "client": ("127.0.0.1", 1234),
        "server": ("testserver", 80),
        "state": {},
    }
    anyio.run(client.app, scope, receive, send)  # type: ignore[arg-type]
    return sent[0]["status"], asked[0]


def test_the_key_is_checked_before_the_body_is_read(make_client: Any) -> None:
    client = make_client(api_keys=("right",))
    for path in ("/v1/articles", "/v1/articles:batch", "/v1/articles/1/reprocess"):
        assert _post_unread(client, path, b"Bearer wrong") == (401, 0)
    assert _post_unread(client, "/v1/articles", b"Bearer right")[0] == 201
    # An anonymous malformed body is refused for want of a key, not parsed.
    response = client.post(
        "/v1/articles", content=b"{not json", headers={"content-type": "application/json"}
    )
    assert_problem(response, 401)


@pytest.mark.slow
def test_sigterm_does_not_wait_for_a_long_split(database_url: str, tmp_path: Any) -> None:
    url = database_url
    if is_sqlite(url):
        url = f"sqlite:///{tmp_path / 'served.db'}"
        upgrade(url)
    # Two MiB of short sentences: minutes of CPU for a splitter quadratic in them.
    text = "It rained. " * 190_000
    with running_service(url) as (base, process):
        sent = threading.Thread(
            target=_ignore,
            args=(lambda: httpx.post(f"{base}/v1/split", json={"text": text}, timeout=120),),
            daemon=True,
        )
        sent.start()
        time.sleep(3)  # the split is under way in a worker process
        below = descendants(process.pid)
        process.send_signal(signal.SIGTERM)
        process.wait(timeout=60)  # not the minutes the split would take
        deadline = time.monotonic() + 15
        while any(alive(pid) for pid in below) and time.monotonic() < deadline:
            time.sleep(0.2)
        assert not [pid for pid in below if alive(pid)]


def _ignore(call: Any) -> None:
    with contextlib.suppress(httpx.HTTPError):  # the server went away mid-request, as it should
        call()
