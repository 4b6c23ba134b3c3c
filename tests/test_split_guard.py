"""A split that runs long does not outlive its request (budget, disconnect, shutdown)."""

from __future__ import annotations

import asyncio
import time
from typing import Any

import pytest
from fastapi.testclient import TestClient

from app.errors import ClientGone
from app.services.split_guard import INLINE_BYTES, SplitGuard, SplitTooCostly
from app.splitter.core import Splitter
from tests.api.helpers import assert_problem
from tests.reliability.server import alive

LARGE = "It rained. " * (INLINE_BYTES // 10)  # over the inline limit: a worker splits it


class SlowSplitter:
    """Stands in for a split that takes far longer than anyone waits (pickled to the worker)."""

    def split(
        self,
        text: str,
        *,
        format: str = "text",
        title: str | None = None,
        language: str | None = None,
    ) -> Any:
        time.sleep(600)


def _run(coro: Any) -> Any:
    return asyncio.run(coro)


def test_a_split_past_its_budget_is_stopped() -> None:
    guard = SplitGuard(1)
    try:

        async def go() -> None:
            await guard.split(SlowSplitter(), text=LARGE, format="text", title=None, budget=1.0)  # type: ignore[arg-type]

        with pytest.raises(SplitTooCostly):
            _run(go())
        assert guard.pids == []  # its worker was killed, none left busy
    finally:
        guard.close()


def test_a_split_whose_client_left_is_stopped() -> None:
    guard = SplitGuard(1)
    seen: list[int] = []
    try:

        async def leave() -> None:
            await asyncio.sleep(1.0)
            seen.extend(guard.pids)  # the worker, busy splitting

        async def go() -> None:
            await guard.split(
                SlowSplitter(),  # type: ignore[arg-type]
                text=LARGE,
                format="text",
                title=None,
                budget=600,
                gone=leave,
            )

        with pytest.raises(ClientGone):
            _run(go())
        assert len(seen) == 1
        assert not alive(seen[0])
        assert guard.pids == []
    finally:
        guard.close()


def test_a_cancelled_request_stops_its_split() -> None:
    guard = SplitGuard(1)
    seen: list[int] = []

    async def go() -> None:
        task = asyncio.ensure_future(
            guard.split(SlowSplitter(), text=LARGE, format="text", title=None, budget=600)  # type: ignore[arg-type]
        )
        await asyncio.sleep(1.0)
        seen.extend(guard.pids)
        task.cancel()  # what a server shutting down does to the requests still running
        with pytest.raises(asyncio.CancelledError):
            await task

    try:
        _run(go())
        assert len(seen) == 1
        assert not alive(seen[0])
    finally:
        guard.close()


def test_a_worker_splits_as_the_request_thread_does() -> None:
    guard = SplitGuard(1)
    splitter = Splitter()
    text = "Talks resumed in Geneva.[1] " * (INLINE_BYTES // 20) + "\n\n[1] Reuters"
    try:
        result = _run(guard.split(splitter, text=text, format="text", title=None, budget=600))
        again = _run(guard.split(splitter, text=text, format="text", title=None, budget=600))
        assert guard.pids  # kept for the next large article
    finally:
        guard.close()
    assert result == again == splitter.split(text)


def test_a_large_article_past_the_budget_is_413(make_client: Any) -> None:
    client: TestClient = make_client(split_timeout=0.001)
    for path in ("/v1/split", "/v1/articles"):
        problem = assert_problem(client.post(path, json={"text": LARGE}), 413)
        assert problem["type"].endswith("/split-too-costly")
        assert "CLAIMS_SPLIT_TIMEOUT" in problem["detail"]
    assert client.get("/v1/articles").json()["items"] == []
    small = client.post("/v1/split", json={"text": "It rained. " * 100})
    assert small.status_code == 200  # small articles split inline, whatever the budget


def test_a_large_article_splits_in_a_worker_over_http(client: TestClient) -> None:
    response = client.post("/v1/split", json={"text": LARGE})
    assert response.status_code == 200, response.text[:300]
    assert len(response.json()["claims"]) == len(Splitter().split(LARGE).statements)
    assert client.app.state.split_guard.pids  # type: ignore[attr-defined]


def test_a_small_batch_stops_an_over_budget_article_and_stores_the_rest(make_client: Any) -> None:
    client: TestClient = make_client(split_timeout=0.001)
    batch = [{"text": LARGE}, {"text": "Talks resumed.[1]\n\n[1] Reuters"}]
    response = client.post("/v1/articles:batch", json=batch)
    assert response.status_code == 200, response.text[:300]
    first, second = response.json()["items"]
    assert first["problem"]["status"] == 413
    assert first["problem"]["type"].endswith("/split-too-costly")
    assert second["status"] == "created"
