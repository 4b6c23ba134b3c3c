"""Answers of the expensive reads (facets, counts, searches), kept until the data changes.

A facet over 78k claims or a search ranking every match costs a thousand times
what a keyset page does, and most requests repeat a few popular filters. Each
answer is kept, as its JSON bytes, under the request's path and query and the
data version it was computed at: the change feed's head, which every write
that adds, changes or deletes a claim moves forward.

Every request first reads the head (one index lookup, its own read
transaction), then the data in a later one, so:
- an entry is never older than the version it is filed under;
- several processes or hosts on one database stay correct without talking to
  each other: a process that has not yet seen a write keeps serving what was
  true before it, exactly as an uncached read would, and drops every entry the
  first time it reads a newer head.

Requests that miss on the same key at the same version while its answer is
being computed wait for that answer instead of computing it again (under 32
connections, a popular facet would otherwise run 32 times at once).

Bounded in entries and in bytes, least recently used first out. The bytes are
the JSON bodies; the bookkeeping adds about 200 bytes an entry.
"""

from __future__ import annotations

import asyncio
import threading
from collections import OrderedDict
from collections.abc import Callable
from typing import Any

import orjson
from sqlalchemy.orm import Session
from starlette.requests import Request

from app.reads import ReadRunner
from app.repository.changes import change_head
from app.settings import Settings

__all__ = ["ResponseCache", "cache_key", "cached"]


class ResponseCache:
    """JSON bodies of one data version, least recently used out past either bound."""

    def __init__(self, *, max_entries: int, max_bytes: int) -> None:
        self.max_entries = max_entries
        self.max_bytes = max_bytes
        self.version = -1
        self.size = 0
        self.hits = 0
        self.misses = 0
        self._entries: OrderedDict[str, bytes] = OrderedDict()
        # Reads run on the event loop and on worker threads alike.
        self._lock = threading.Lock()
        # Answers being computed, by (key, version); touched on the event loop only.
        self._pending: dict[tuple[str, int], asyncio.Future[Any]] = {}

    @classmethod
    def from_settings(cls, settings: Settings) -> ResponseCache | None:
        """The cache the settings ask for; None when they turn it off."""
        if not settings.response_cache:
            return None
        return cls(
            max_entries=settings.response_cache_entries,
            max_bytes=settings.response_cache_mb * 1024 * 1024,
        )

    def __len__(self) -> int:
        return len(self._entries)

    def get(self, key: str, *, version: int) -> bytes | None:
        """The body kept for key at this version, or None."""
        with self._lock:
            self._advance(version)
            if version != self.version:
                return None  # a snapshot older than what was already seen: no answer kept
            body = self._entries.get(key)
            if body is None:
                self.misses += 1
                return None
            self._entries.move_to_end(key)
            self.hits += 1
            return body

    def put(self, key: str, body: bytes, *, version: int) -> None:
        """Keep body for key at this version (nothing when it is older, or too large alone)."""
        if len(body) > self.max_bytes:
            return
        with self._lock:
            self._advance(version)
            if version != self.version:
                return
            previous = self._entries.pop(key, None)
            if previous is not None:
                self.size -= len(previous)
            self._entries[key] = body
            self.size += len(body)
            while len(self._entries) > self.max_entries or self.size > self.max_bytes:
                _, dropped = self._entries.popitem(last=False)
                self.size -= len(dropped)

    def clear(self) -> None:
        """Forget every entry."""
        with self._lock:
            self._entries.clear()
            self.size = 0

    def _advance(self, version: int) -> None:
        # A newer head: every entry describes data that has changed since.
        if version > self.version:
            self._entries.clear()
            self.size = 0
            self.version = version

    async def answer(self, key: str, reads: ReadRunner, work: Callable[[Session], Any]) -> Any:
        """work's result, from the cache when the data has not changed since it last ran.

        A kept answer comes back decoded, which renders to the same bytes.
        """
        version = await reads(change_head)
        while True:
            body = self.get(key, version=version)
            if body is not None:
                return orjson.loads(body)
            pending = self._pending.get((key, version))
            if pending is None:
                break
            try:
                return await asyncio.shield(pending)
            except _Abandoned:
                continue  # the computing request failed or left: compute it here
        future: asyncio.Future[Any] = asyncio.get_running_loop().create_future()
        self._pending[key, version] = future
        try:
            result = await reads(work)
        except BaseException:
            # Each waiter computes for itself, and gets its own error if there is one.
            future.set_exception(_Abandoned())
            future.exception()  # retrieved: nothing logs it when no one waited
            raise
        finally:
            self._pending.pop((key, version), None)
        self.put(key, orjson.dumps(result), version=version)
        future.set_result(result)
        return result


class _Abandoned(Exception):
    """The request computing an answer did not finish it."""


def cache_key(request: Request) -> str:
    """The request's path and query string as sent.

    Not normalised: the order of repeated parameters can decide the order of a
    body's keys (`facet=`), and a client repeats its own URLs as they are.
    """
    return request.url.path + "?" + request.url.query


async def cached(
    request: Request, reads: ReadRunner, work: Callable[[Session], Any], *, when: bool = True
) -> Any:
    """work's result through the application's response cache, if it has one and `when` holds."""
    cache: ResponseCache | None = getattr(request.app.state, "response_cache", None)
    if cache is None or not when:
        return await reads(work)
    return await cache.answer(cache_key(request), reads, work)
