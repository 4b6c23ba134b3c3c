"""SIGKILL in the middle of a batch ingest: every article whole or absent, nothing orphaned."""

from __future__ import annotations

import contextlib
import os
import signal
import threading
import time

import httpx
import pytest
from sqlalchemy import text
from sqlalchemy.engine import Engine

from app.db import is_sqlite
from app.migrate import current_revision, head_revision
from tests.api.helpers import assert_no_orphans
from tests.conftest import empty_database
from tests.reliability.server import alive, descendants, running_service

pytestmark = pytest.mark.db

ARTICLES = 300
STATEMENTS = 3  # every generated article splits into exactly this many claims


def _article(n: int) -> dict[str, str]:
    return {
        "text": (
            f"Inspectors visited plant number {n} on Monday.[1] "
            f"They counted {n + 3} damaged turbines.[2] "
            "Repairs will take weeks.\n\n[1] Reuters\n[2] CNN"
        )
    }


def _count(engine: Engine, sql: str) -> int:
    with engine.connect() as conn:
        return int(conn.execute(text(sql)).scalar_one())


def _assert_whole(engine: Engine) -> int:
    with engine.connect() as conn:
        partial = conn.execute(
            text(
                "SELECT a.id, count(c.id) FROM article a LEFT JOIN claim c ON c.article_id = a.id "
                "GROUP BY a.id HAVING count(c.id) <> :n"
            ),
            {"n": STATEMENTS},
        ).all()
        assert partial == []
        assert_no_orphans(conn)
        total = conn.execute(text("SELECT value FROM counter WHERE name = 'claims'")).scalar()
        claims = conn.execute(text("SELECT count(*) FROM claim")).scalar_one()
        assert total in (None, claims) if claims == 0 else total == claims
        if is_sqlite(engine):
            assert conn.exec_driver_sql("PRAGMA integrity_check").scalar_one() == "ok"
    assert current_revision(engine) == head_revision()
    return _count(engine, "SELECT count(*) FROM article")


def test_sigkill_mid_batch_leaves_whole_articles_only(engine: Engine, database_url: str) -> None:
    empty_database(engine)
    batch = [_article(n) for n in range(ARTICLES)]
    env = {"CLAIMS_WRITE_RATE_LIMIT": "0"}
    with running_service(database_url, **env) as (base, process):

        def send() -> None:
            # The server dies under this request: that is the point.
            with contextlib.suppress(httpx.TransportError):
                httpx.post(f"{base}/v1/articles:batch", json=batch, timeout=120)

        sender = threading.Thread(target=send)
        sender.start()
        deadline = time.monotonic() + 60
        while _count(engine, "SELECT count(*) FROM article") < 5:
            assert time.monotonic() < deadline, "the batch never started storing"
            time.sleep(0.02)
        helpers = descendants(process.pid)  # the processes splitting the batch
        assert helpers or not os.path.isdir("/proc")
        process.send_signal(signal.SIGKILL)
        process.wait(timeout=10)
        sender.join(timeout=30)
        deadline = time.monotonic() + 15
        while any(alive(pid) for pid in helpers):
            assert time.monotonic() < deadline, "the service's helper processes outlived it"
            time.sleep(0.1)

    stored = _assert_whole(engine)
    assert 5 <= stored < ARTICLES

    with running_service(database_url, **env) as (base, _):
        assert httpx.get(f"{base}/readyz", timeout=10).status_code == 200
        again = httpx.post(f"{base}/v1/articles:batch", json=batch, timeout=300).json()
        assert again["failed"] == 0
        assert again["existing"] == stored
        assert again["created"] == ARTICLES - stored
    assert _assert_whole(engine) == ARTICLES
