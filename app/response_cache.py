"""Answers of the expensive reads (facets, counts, searches), kept until the data changes.

A facet over 78k claims or a search ranking every match costs a thousand times
what a keyset page does, and most requests repeat a few popular filters. Each
answer is kept, as its JSON bytes, under the request's path and query and the
data version it was computed at: the change feed's head, which every write
that adds, changes or deletes a claim moves forward.

Every request reads the head (one index lookup) in its own read transaction,
before the data, so:
- an entry is never older than the version it is filed under (on SQLite the
  head and the data come from one snapshot; on PostgreSQL under READ COMMITTED
  the data's statements start after the head's);
- several processes or hosts on one database stay correct without talking to
  each other: a process that has not yet seen a write keeps serving what was
  true before it, exactly as an uncached read would, and drops every entry the
  first time it reads a newer head.

Bounded in entries and in bytes, least recently used first out. The bytes are
the JSON bodies; the bookkeeping adds about 200 bytes an entry.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable
from typing import Any

import orjson
from sqlalchemy.orm import Session
from starlette.requests import Request

from app import repository
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

    def read(self, key: str, work: Callable[[Session], Any]) -> Callable[[Session], Any]:
        """work, answered from the cache when the data has not changed since it last ran.

        The unit of work reads the head first, in the caller's read transaction. A
        kept answer comes back decoded, which renders to the same bytes.
        """

        def run(session: Session) -> Any:
            version = repository.change_head(session)
            body = self.get(key, version=version)
            if body is not None:
                return orjson.loads(body)
            result = work(session)
            self.put(key, orjson.dumps(result), version=version)
            return result

        return run


def cache_key(request: Request) -> str:
    """The request's path and query string as sent.

    Not normalised: the order of repeated parameters can decide the order of a
    body's keys (`facet=`), and a client repeats its own URLs as they are.
    """
    return request.url.path + "?" + request.url.query


def cached(
    request: Request, work: Callable[[Session], Any], *, when: bool = True
) -> Callable[[Session], Any]:
    """work through the application's response cache, when there is one and `when` holds."""
    cache: ResponseCache | None = getattr(request.app.state, "response_cache", None)
    if cache is None or not when:
        return work
    return cache.read(cache_key(request), work)
