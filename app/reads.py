"""Where a read runs: on the event loop within a budget (SQLite), or on the thread pool.

SQLite answers inside this process, on the CPU, and its driver lets go of the
GIL at every row. Handing a read to a worker thread therefore makes the thread
and the event loop trade the GIL hundreds of times per page: measured on 2
cores with 1M claims and 32 connections, the same SQL and JSON served 608
requests/s on the loop and 131 through 4 worker threads (308 through one). So
a SQLite read runs on the loop. So that one heavy query (a wide facet, a
search ranking every match) cannot stall every other request, SQLite's
progress handler interrupts a read once it has used its budget, and the read
starts again from the top on the thread pool, where it may take as long as it
needs. Reads have no side effects, so starting again is safe.

PostgreSQL reads mostly wait on the network, where threads overlap the waits:
they always run on the thread pool.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any, TypeVar

from sqlalchemy.engine import Connection, Engine
from sqlalchemy.orm import Session
from starlette.concurrency import run_in_threadpool

from app.db import is_sqlite, session_scope

__all__ = ["INLINE_BUDGET_SECONDS", "ReadRunner"]

T = TypeVar("T")

# Database time a read may spend on the event loop before it moves to a thread.
# A keyset page takes about a millisecond; this is room for twenty.
INLINE_BUDGET_SECONDS = 0.02
# SQLite virtual-machine steps between two looks at the clock.
_STEPS_PER_CHECK = 2_000


class _OverBudget(Exception):
    """The read used its inline budget and was interrupted."""


class ReadRunner:
    """Runs read-only units of work against one engine, each in its own transaction."""

    def __init__(self, engine: Engine, *, budget_seconds: float = INLINE_BUDGET_SECONDS) -> None:
        self.engine = engine
        self.inline = is_sqlite(engine)
        self.budget_seconds = budget_seconds
        # Reads on the loop run one at a time, so they share one connection kept
        # out of the pool: checking one out and back in per read cost a tenth of a
        # page's time (measured with py-spy on 1M claims).
        self._loop_connection: Connection | None = None
        self._deadline = 0.0
        self._tripped = False

    async def __call__(self, work: Callable[[Session], T]) -> T:
        """The result of work(session); a read that outgrows the loop finishes on a thread."""
        if self.inline:
            try:
                return self._run_inline(work)
            except _OverBudget:
                pass
        return await run_in_threadpool(self._run, work)

    def close(self) -> None:
        """Give back the loop's connection."""
        connection, self._loop_connection = self._loop_connection, None
        if connection is not None:
            connection.close()

    def _run(self, work: Callable[[Session], T]) -> T:
        with session_scope(self.engine) as session:
            return work(session)

    def _over_budget(self) -> bool:
        self._tripped = time.monotonic() > self._deadline
        return self._tripped  # true: SQLite interrupts the running statement

    def _connection(self) -> Connection:
        connection = self._loop_connection
        if connection is None or connection.closed or connection.invalidated:
            connection = self._loop_connection = self.engine.connect()
            driver: Any = connection.connection.driver_connection
            driver.set_progress_handler(self._over_budget, _STEPS_PER_CHECK)
        return connection

    def _run_inline(self, work: Callable[[Session], T]) -> T:
        connection = self._connection()
        self._deadline = time.monotonic() + self.budget_seconds
        self._tripped = False
        session = Session(bind=connection)
        try:
            with connection.begin():
                return work(session)
        except Exception as exc:
            # The interruption surfaces as the driver's OperationalError, wrapped
            # by SQLAlchemy or not; whatever it became, the budget is the cause.
            if self._tripped:
                raise _OverBudget from exc
            raise
        finally:
            session.close()
