"""The response cache alone: bounds, recency, and one data version at a time."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from typing import Any

import pytest

from app import response_cache
from app.response_cache import ResponseCache
from app.settings import Settings


def test_a_kept_body_comes_back_at_its_version() -> None:
    cache = ResponseCache(max_entries=4, max_bytes=1024)
    cache.put("/v1/facets?", b'{"a":1}', version=3)
    assert cache.get("/v1/facets?", version=3) == b'{"a":1}'
    assert cache.get("/v1/facets?source=x", version=3) is None
    assert (cache.hits, cache.misses) == (1, 1)


def test_a_newer_version_drops_every_entry() -> None:
    cache = ResponseCache(max_entries=4, max_bytes=1024)
    cache.put("a", b"1", version=3)
    cache.put("b", b"2", version=3)
    assert cache.get("a", version=4) is None
    assert len(cache) == 0
    assert cache.size == 0
    assert cache.get("b", version=3) is None  # the old version is not served again


def test_an_older_snapshot_neither_reads_nor_writes() -> None:
    cache = ResponseCache(max_entries=4, max_bytes=1024)
    cache.put("a", b"new", version=5)
    assert cache.get("a", version=4) is None
    cache.put("a", b"old", version=4)
    assert cache.get("a", version=5) == b"new"


def test_the_entry_bound_drops_the_least_recently_used() -> None:
    cache = ResponseCache(max_entries=2, max_bytes=1024)
    cache.put("a", b"1", version=1)
    cache.put("b", b"2", version=1)
    assert cache.get("a", version=1) == b"1"  # a is now the most recent
    cache.put("c", b"3", version=1)
    assert cache.get("b", version=1) is None
    assert cache.get("a", version=1) == b"1"
    assert cache.get("c", version=1) == b"3"


def test_the_byte_bound_holds() -> None:
    cache = ResponseCache(max_entries=100, max_bytes=10)
    for n in range(6):
        cache.put(str(n), b"xxxx", version=1)
        assert cache.size <= 10
    assert len(cache) == 2
    assert cache.get("5", version=1) == b"xxxx"


def test_a_body_larger_than_the_bound_is_not_kept() -> None:
    cache = ResponseCache(max_entries=100, max_bytes=10)
    cache.put("small", b"1", version=1)
    cache.put("big", b"x" * 11, version=1)
    assert cache.get("big", version=1) is None
    assert cache.get("small", version=1) == b"1"


def test_putting_a_key_again_replaces_its_body_and_size() -> None:
    cache = ResponseCache(max_entries=4, max_bytes=100)
    cache.put("a", b"12345", version=1)
    cache.put("a", b"12", version=1)
    assert cache.size == 2
    assert cache.get("a", version=1) == b"12"


def test_the_setting_turns_it_off_and_sizes_it() -> None:
    assert ResponseCache.from_settings(Settings(response_cache=False)) is None
    cache = ResponseCache.from_settings(Settings(response_cache_entries=10, response_cache_mb=2))
    assert cache is not None
    assert (cache.max_entries, cache.max_bytes) == (10, 2 * 1024 * 1024)


class _Reads:
    """Runs work on no session after `opened` is set; the head is whatever `head` says."""

    def __init__(self) -> None:
        self.head = 1
        self.opened = asyncio.Event()

    async def __call__(self, work: Callable[[Any], Any]) -> Any:
        if work is response_cache.change_head:
            return self.head
        await self.opened.wait()
        return work(None)


@pytest.fixture
def reads(monkeypatch: pytest.MonkeyPatch) -> _Reads:
    made = _Reads()
    monkeypatch.setattr(response_cache, "change_head", lambda session: made.head)
    return made


def test_concurrent_misses_on_one_key_compute_once(reads: _Reads) -> None:
    cache = ResponseCache(max_entries=4, max_bytes=1024)
    runs: list[int] = []

    def work(_session: Any) -> dict[str, int]:
        runs.append(1)
        return {"n": len(runs)}

    async def scenario() -> list[Any]:
        waiting = [asyncio.create_task(cache.answer("k", reads, work)) for _ in range(5)]  # type: ignore[arg-type]
        await asyncio.sleep(0)
        reads.opened.set()
        return await asyncio.gather(*waiting)

    assert asyncio.run(scenario()) == [{"n": 1}] * 5
    assert len(runs) == 1


def test_when_the_computing_request_fails_each_waiter_computes_for_itself(
    reads: _Reads,
) -> None:
    cache = ResponseCache(max_entries=4, max_bytes=1024)
    runs: list[int] = []

    def work(_session: Any) -> dict[str, int]:
        runs.append(1)
        if len(runs) == 1:
            raise RuntimeError("the first one fails")
        return {"n": len(runs)}

    async def scenario() -> list[Any]:
        waiting = [asyncio.create_task(cache.answer("k", reads, work)) for _ in range(3)]  # type: ignore[arg-type]
        await asyncio.sleep(0)
        reads.opened.set()
        return await asyncio.gather(*waiting, return_exceptions=True)

    first, *others = asyncio.run(scenario())
    assert isinstance(first, RuntimeError)
    assert all(answer in ({"n": 2}, {"n": 3}) for answer in others)
    assert len(runs) <= 3


def test_a_new_head_is_computed_anew(reads: _Reads) -> None:
    cache = ResponseCache(max_entries=4, max_bytes=1024)
    reads.opened.set()
    runs: list[int] = []

    def work(_session: Any) -> dict[str, int]:
        runs.append(1)
        return {"n": len(runs)}

    assert asyncio.run(cache.answer("k", reads, work)) == {"n": 1}  # type: ignore[arg-type]
    assert asyncio.run(cache.answer("k", reads, work)) == {"n": 1}  # type: ignore[arg-type]
    reads.head = 2
    assert asyncio.run(cache.answer("k", reads, work)) == {"n": 2}  # type: ignore[arg-type]
