"""Where reads run: SQLite on the event loop within a budget, the rest on worker threads."""

from __future__ import annotations

import asyncio
import threading

import pytest
from sqlalchemy import text
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session

from app.db import is_sqlite
from app.errors import NotFound
from app.reads import ReadRunner

# A statement that keeps SQLite's virtual machine busy for seconds, then answers.
_SLOW = (
    "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 3000000) "
    "SELECT count(*) FROM n"
)


def _thread_of(session: Session) -> str:
    session.execute(text("SELECT 1"))
    return threading.current_thread().name


async def _on_loop_thread(runner: ReadRunner) -> tuple[str, str]:
    return threading.current_thread().name, await runner(_thread_of)


def test_a_quick_read_runs_where_its_backend_is_cheapest(engine: Engine) -> None:
    loop_thread, read_thread = asyncio.run(_on_loop_thread(ReadRunner(engine)))
    if is_sqlite(engine):
        assert read_thread == loop_thread
    else:
        assert read_thread != loop_thread


def test_a_read_past_its_budget_starts_again_on_a_thread_and_answers(engine: Engine) -> None:
    if not is_sqlite(engine):
        pytest.skip("the budget applies to reads on the event loop (SQLite)")
    runs: list[str] = []

    def slow(session: Session) -> int:
        runs.append(threading.current_thread().name)
        return int(session.execute(text(_SLOW)).scalar_one())

    async def main() -> tuple[str, int]:
        runner = ReadRunner(engine, budget_seconds=0.001)
        return threading.current_thread().name, await runner(slow)

    loop_thread, answer = asyncio.run(main())
    assert answer == 3_000_000
    assert len(runs) == 2
    assert runs[0] == loop_thread  # tried on the loop, interrupted,
    assert runs[1] != loop_thread  # then finished on a worker thread


def test_an_interrupted_read_leaves_its_connection_usable(engine: Engine) -> None:
    if not is_sqlite(engine):
        pytest.skip("the budget applies to reads on the event loop (SQLite)")

    async def main() -> list[int]:
        runner = ReadRunner(engine, budget_seconds=0.001)
        try:
            await runner(lambda session: session.execute(text(_SLOW)).scalar_one())
            # The loop's connection was left with no open transaction.
            runner.budget_seconds = 1.0
            return [await runner(lambda s: int(s.execute(text("SELECT 1")).scalar_one()))] * 3
        finally:
            runner.close()

    assert asyncio.run(main()) == [1, 1, 1]


def test_reads_on_the_loop_share_a_connection_and_each_sees_the_latest_commit(
    engine: Engine,
) -> None:
    if not is_sqlite(engine):
        pytest.skip("reads run on the event loop on SQLite")
    with engine.begin() as conn:
        conn.exec_driver_sql("CREATE TABLE IF NOT EXISTS read_probe (n INTEGER)")
        conn.exec_driver_sql("DELETE FROM read_probe")

    def seen(session: Session) -> tuple[int, int]:
        driver = session.connection().connection.driver_connection
        return id(driver), int(
            session.execute(text("SELECT count(*) FROM read_probe")).scalar_one()
        )

    async def main() -> list[tuple[int, int]]:
        runner = ReadRunner(engine)
        try:
            results = [await runner(seen)]
            with engine.begin() as conn:  # another writer commits between two reads
                conn.exec_driver_sql("INSERT INTO read_probe VALUES (1)")
            results.append(await runner(seen))
            return results
        finally:
            runner.close()

    try:
        (first_driver, before), (second_driver, after) = asyncio.run(main())
    finally:
        with engine.begin() as conn:
            conn.exec_driver_sql("DROP TABLE read_probe")
    assert first_driver == second_driver
    assert (before, after) == (0, 1)


def test_errors_of_the_work_reach_the_caller_unchanged(engine: Engine) -> None:
    def missing(session: Session) -> None:
        session.execute(text("SELECT 1"))
        raise NotFound("No claim has id 7.")

    with pytest.raises(NotFound, match="id 7"):
        asyncio.run(ReadRunner(engine)(missing))
