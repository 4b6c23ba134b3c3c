"""Splits that a request waits for, stopped when nobody wants the answer any more.

A thread cannot be stopped from outside, and a split of a large hostile article
can take seconds of CPU. So an article over `INLINE_BYTES` is split in a worker
process of its own, which is killed when the split passes its time budget
(`CLAIMS_SPLIT_TIMEOUT`, answered 413 `split-too-costly`), when the client
disconnects, or when the request is cancelled (a server shutting down
cancels what is still running after its grace period). A killed worker is
replaced on the next large article. Smaller articles split on the request
thread: even the costliest step costs them little, and a round trip to a
process would cost more than the split.

Each worker splits one article at a time; while every worker is busy, further
large articles wait their turn (and a client that leaves stops waiting).
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import multiprocessing
import os
import threading
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from multiprocessing.connection import Connection
from typing import Any

from anyio import to_thread

from app.errors import AppError, ClientGone
from app.services.ingest.pool import exit_when_gone, process_context
from app.splitter.core import Splitter
from app.splitter.types import Format, SplitResult

__all__ = ["INLINE_BYTES", "ClientGone", "SplitGuard", "SplitTooCostly"]

log = logging.getLogger("claimsapi")

# Articles up to this many UTF-8 bytes split on the request thread.
INLINE_BYTES = 64 * 1024


class SplitTooCostly(AppError):
    """The split ran past its time budget and was stopped."""

    status, slug = 413, "split-too-costly"


@dataclass(frozen=True, slots=True)
class _Article:
    text: str
    format: Format
    title: str | None
    language: str | None


def _serve(connection: Connection, splitter: Splitter, owner: int) -> None:
    """A worker's life: split what arrives, send back the result (or the error)."""
    threading.Thread(target=exit_when_gone, args=(owner,), daemon=True).start()
    while True:
        try:
            article: _Article = connection.recv()
        except EOFError:
            return
        try:
            answer: Any = splitter.split(
                article.text, format=article.format, title=article.title, language=article.language
            )
        except Exception as exc:  # the request fails; the worker goes on
            answer = exc
        connection.send(answer)


class _Worker:
    def __init__(self, context: multiprocessing.context.BaseContext, splitter: Splitter) -> None:
        self.splitter = splitter
        self.connection, child = context.Pipe()
        self.process = context.Process(  # type: ignore[attr-defined]
            target=_serve, args=(child, splitter, os.getpid()), daemon=True
        )
        self.process.start()
        child.close()

    def kill(self) -> None:
        self.process.kill()
        self.process.join(5)
        self.connection.close()


class SplitGuard:
    """Splits articles for requests: inline when small, else in killable worker processes."""

    def __init__(self, workers: int, *, start_method: str = "forkserver") -> None:
        """Up to `workers` processes (0: every article splits inline, without a budget)."""
        self.workers = max(0, workers)
        self._context = process_context(start_method)
        self._idle: list[_Worker] = []
        self._busy: set[_Worker] = set()
        self._lock = threading.Lock()
        self._slots: asyncio.Semaphore | None = None

    @property
    def pids(self) -> list[int]:
        """The worker processes alive now (for tests and diagnostics)."""
        with self._lock:
            workers = [*self._idle, *self._busy]
        return [w.process.pid for w in workers if w.process.pid is not None]

    def close(self) -> None:
        """Kill every worker, busy or not."""
        with self._lock:
            workers, self._idle, self._busy = [*self._idle, *self._busy], [], set()
        for worker in workers:
            worker.kill()

    async def split(
        self,
        splitter: Splitter,
        *,
        text: str,
        format: Format,
        title: str | None,
        budget: float,
        gone: Callable[[], Awaitable[Any]] | None = None,
        language: str | None = None,
    ) -> SplitResult:
        """The split of one article; SplitTooCostly past `budget` seconds, ClientGone when
        `gone()` returns first (it should wait until the client disconnects)."""
        # Up to 4 bytes a code point: most texts are judged without encoding them.
        small = len(text) <= INLINE_BYTES // 4 or len(text.encode("utf-8", "surrogatepass")) <= (
            INLINE_BYTES
        )
        if small or self.workers == 0:
            return await to_thread.run_sync(
                lambda: splitter.split(text, format=format, title=title, language=language)
            )
        if self._slots is None:
            self._slots = asyncio.Semaphore(self.workers)
        watch = asyncio.ensure_future(gone()) if gone is not None else None
        try:
            async with self._slots:
                if watch is not None and watch.done():
                    raise ClientGone
                return await self._in_worker(
                    splitter, _Article(text, format, title, language), budget=budget, watch=watch
                )
        finally:
            if watch is not None:
                watch.cancel()

    async def _in_worker(
        self,
        splitter: Splitter,
        article: _Article,
        *,
        budget: float,
        watch: asyncio.Future[Any] | None,
    ) -> SplitResult:
        loop = asyncio.get_running_loop()
        worker = await loop.run_in_executor(None, self._checkout, splitter)
        ready: asyncio.Future[None] = loop.create_future()
        fd = worker.connection.fileno()

        def readable() -> None:
            if not ready.done():
                ready.set_result(None)

        loop.add_reader(fd, readable)
        finished = False
        try:
            await loop.run_in_executor(None, worker.connection.send, article)
            waiting: set[asyncio.Future[Any]] = {ready}
            if watch is not None:
                waiting.add(watch)
            done, _ = await asyncio.wait(
                waiting, timeout=budget, return_when=asyncio.FIRST_COMPLETED
            )
            if ready in done:
                answer = await loop.run_in_executor(None, worker.connection.recv)
                finished = True
                if isinstance(answer, BaseException):
                    raise answer
                result: SplitResult = answer
                return result
            if watch is not None and watch in done:
                log.info("client gone: stopped splitting a %d-character article", len(article.text))
                raise ClientGone
            raise SplitTooCostly(
                f"Splitting this article took longer than {budget:g} s "
                "(CLAIMS_SPLIT_TIMEOUT); it was stopped."
            )
        finally:
            loop.remove_reader(fd)
            self._checkin(worker, keep=finished)

    def _checkout(self, splitter: Splitter) -> _Worker:
        stale: list[_Worker] = []
        with self._lock:
            worker = None
            while self._idle:
                candidate = self._idle.pop()
                if candidate.splitter is splitter and candidate.process.is_alive():
                    worker = candidate
                    break
                stale.append(candidate)  # started for an older splitter (actor edits)
        for old in stale:
            old.kill()
        if worker is None:
            worker = _Worker(self._context, splitter)
        with self._lock:
            self._busy.add(worker)
        return worker

    def _checkin(self, worker: _Worker, *, keep: bool) -> None:
        with self._lock:
            self._busy.discard(worker)
            if keep:
                self._idle.append(worker)
                return
        # Stopped mid-split (budget, disconnect, cancellation): the only way to stop it.
        with contextlib.suppress(Exception):
            worker.kill()
