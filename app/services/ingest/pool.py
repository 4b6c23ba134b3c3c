"""Preparing articles for storage (split and hash), in this process or in worker processes.

Splitting is CPU-bound and storing is one writer at a time, so bulk ingestion
scales by splitting on the other cores while one process stores. Results come
back in input order, with at most a window of articles in flight, so a long
stream is never read whole. An article that cannot be prepared becomes an
ArticleProblem, which travels on in its place so callers keep one result per
article.
"""

from __future__ import annotations

import logging
import multiprocessing
import os
import threading
import time
from collections import deque
from collections.abc import Iterable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from itertools import islice

from app.schemas import ArticleIn
from app.services.ingest.check import ArticleProblem, split_problem
from app.services.ingest.store import Prepared, prepare_article
from app.splitter.core import Splitter

__all__ = [
    "POOL_MINIMUM",
    "SplitPool",
    "default_workers",
    "exit_when_gone",
    "prepare_or_problem",
    "process_context",
]

log = logging.getLogger("claimsapi")

# Below this many articles, starting worker processes costs more than it saves:
# fewer split in the calling process (every lane decides by this one number).
POOL_MINIMUM = 16
# Articles per task: enough to amortise the round trip to a worker (~0.1 ms),
# few enough that every worker gets work in a batch of a few dozen.
_CHUNK = 8
# Articles handed out ahead of the one being consumed. The consumer stores in
# groups and does not ask for more while it stores one, so this must cover a
# group and the next, or the workers sit idle during every transaction.
_AHEAD = 128


_Chunk = list[ArticleIn | ArticleProblem]


def prepare_or_problem(item: ArticleIn | ArticleProblem, splitter: Splitter) -> Prepared:
    """Split and hash one article; a problem passes through, a failure becomes one."""
    if isinstance(item, ArticleProblem):
        return item
    try:
        return prepare_article(article=item, splitter=splitter)
    except Exception as exc:  # a splitter failure fails this article, not the others
        return split_problem(exc)


# The splitter of a worker process, installed once when the worker starts.
_WORKER_SPLITTER: list[Splitter] = []
# How often a worker checks that the process it splits for is still there.
_OWNER_CHECK_SECONDS = 1.0


def exit_when_gone(owner: int) -> None:
    """In a worker: exit once the process `owner` is gone (run on a daemon thread)."""
    while True:
        time.sleep(_OWNER_CHECK_SECONDS)
        try:
            os.kill(owner, 0)
        except (ProcessLookupError, PermissionError):  # gone, or its pid reused by another user
            os._exit(0)


def _install(splitter: Splitter, owner: int) -> None:
    _WORKER_SPLITTER[:] = [splitter]
    # A worker blocks reading its task queue, and it holds that queue's write end
    # itself, so it never sees the end of it when its owner is killed (SIGKILL,
    # out of memory): without this watch it would wait forever.
    threading.Thread(target=exit_when_gone, args=(owner,), daemon=True).start()


def _prepare_chunk(chunk: _Chunk) -> list[Prepared]:
    return [prepare_or_problem(item, _WORKER_SPLITTER[0]) for item in chunk]


def _chunks(items: Iterable[ArticleIn | ArticleProblem]) -> Iterator[_Chunk]:
    iterator = iter(items)
    while chunk := list(islice(iterator, _CHUNK)):
        yield chunk


def process_context(start_method: str) -> multiprocessing.context.BaseContext:
    """A multiprocessing context (spawn where the method is missing), preloading the splitter."""
    if start_method not in multiprocessing.get_all_start_methods():
        start_method = "spawn"
    context = multiprocessing.get_context(start_method)
    if start_method == "forkserver":
        context.set_forkserver_preload([__name__])  # workers start with the splitter imported
    return context


def default_workers(configured: int | None = None) -> int:
    """Splitting processes to use: as configured, else one per core but the writer's (>= 1)."""
    if configured is not None:
        return configured
    return max(1, (os.cpu_count() or 1) - 1)


class SplitPool:
    """Prepares articles on `workers` processes (0: in the calling thread).

    Workers start on first use and hold one splitter, handed over once; when
    the caller's splitter changes (a client edited an actor), the next call
    starts fresh workers with the new one. If the workers die or cannot start,
    the articles are prepared in this process instead, so a batch never fails
    for want of a pool.
    """

    def __init__(self, workers: int, *, start_method: str = "forkserver") -> None:
        """A pool of `workers` processes, started on first use.

        The default suits a server: forking a process that runs threads can copy
        a lock another thread holds, so workers fork from a clean fork server
        instead. A single-threaded command may pass "fork", which starts sooner.
        """
        self.workers = max(0, workers)
        self._start_method = start_method
        self._lock = threading.Lock()
        self._executor: ProcessPoolExecutor | None = None
        self._splitter: Splitter | None = None

    @property
    def running(self) -> bool:
        """True while worker processes are up (or starting)."""
        return self._executor is not None

    def __enter__(self) -> SplitPool:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    def close(self) -> None:
        """Stop the workers (those busy finish their task first)."""
        with self._lock:
            executor, self._executor, self._splitter = self._executor, None, None
        if executor is not None:
            executor.shutdown(wait=True, cancel_futures=True)

    def _executor_for(self, splitter: Splitter) -> ProcessPoolExecutor:
        with self._lock:
            if self._executor is None or self._splitter is not splitter:
                stale = self._executor
                self._executor = ProcessPoolExecutor(
                    self.workers,
                    mp_context=process_context(self._start_method),
                    initializer=_install,
                    initargs=(splitter, os.getpid()),
                )
                self._splitter = splitter
                if stale is not None:  # callers still using it finish on their own
                    stale.shutdown(wait=False)
            return self._executor

    def _failed(self, executor: ProcessPoolExecutor | None, exc: Exception) -> None:
        if executor is None:  # already reported
            return
        log.warning("splitting in this process: the worker pool failed (%r)", exc)
        with self._lock:
            if self._executor is executor:
                self._executor, self._splitter = None, None
        executor.shutdown(wait=False, cancel_futures=True)

    def prepare(
        self, splitter: Splitter, items: Iterable[ArticleIn | ArticleProblem]
    ) -> Iterator[Prepared]:
        """Each item prepared (or passed through, if a problem), lazily, in input order."""
        if self.workers == 0:
            yield from (prepare_or_problem(item, splitter) for item in items)
            return
        pending: deque[tuple[_Chunk, Future[list[Prepared]] | None]] = deque()
        executor: ProcessPoolExecutor | None = self._executor_for(splitter)

        def settle(chunk: _Chunk, future: Future[list[Prepared]] | None) -> list[Prepared]:
            nonlocal executor
            if future is not None:
                try:
                    return future.result()
                except Exception as exc:  # a worker died: this chunk is split here
                    self._failed(executor, exc)
                    executor = None
            return [prepare_or_problem(item, splitter) for item in chunk]

        window = max(_AHEAD // _CHUNK, 2 * self.workers)
        try:
            for chunk in _chunks(items):
                future = None
                if executor is not None:
                    try:
                        future = executor.submit(_prepare_chunk, chunk)
                    except Exception as exc:  # shut down under us, or cannot start workers
                        self._failed(executor, exc)
                        executor = None
                pending.append((chunk, future))
                if len(pending) >= window:
                    yield from settle(*pending.popleft())
            while pending:
                yield from settle(*pending.popleft())
        finally:
            for _, future in pending:  # the caller stopped early
                if future is not None:
                    future.cancel()
