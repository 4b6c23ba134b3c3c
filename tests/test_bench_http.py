"""The HTTP benchmark's parts: the stored-JSON ceiling, canned queries, the mix, wrk's URL list."""

from __future__ import annotations

import importlib
import os
import sqlite3
from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient
from sqlalchemy.engine import make_url

from app.db import create_db_engine
from app.main import create_app
from app.settings import Settings
from bench import seed, stored
from bench.mix import zipf_mix
from bench.procs import tree_rss_kib
from bench.scenarios import Picks, canned_count, canned_page, pick_values, query_of
from bench.wrk import url_list_script


@pytest.fixture(scope="module")
def bench_db(tmp_path_factory: pytest.TempPathFactory) -> str:
    url = f"sqlite:///{tmp_path_factory.mktemp('bench') / 'bench.db'}"
    assert seed.main(["--claims", "300", "--distinct", "6", "--workers", "1", "--db", url]) == 0
    return url


@pytest.fixture(scope="module")
def picks(bench_db: str) -> Picks:
    engine = create_db_engine(bench_db, pool_size=1)
    try:
        return pick_values(engine)
    finally:
        engine.dispose()


@pytest.fixture
def stored_client(bench_db: str) -> Iterator[TestClient]:
    stored.build(bench_db)
    os.environ["BENCH_DB"] = bench_db
    module = importlib.reload(stored)  # a fresh connection for this database
    try:
        with TestClient(module.app) as client:
            yield client
    finally:
        del os.environ["BENCH_DB"]


def test_the_stored_ceiling_serves_the_service_s_items(
    bench_db: str, picks: Picks, stored_client: TestClient
) -> None:
    with TestClient(create_app(Settings(database_url=bench_db))) as service:
        source = picks.sources[0][0]
        ours = service.get(f"/v1/claims?source={source}&limit=5").json()
        theirs = stored_client.get(f"/v1/claims?source={source}&limit=5").json()
        assert ours["items"]
        assert ours["items"] == theirs["items"]
        after = theirs["next_cursor"]
        following = stored_client.get(f"/v1/claims?source={source}&limit=5&after={after}")
        cursor = ours["next_cursor"]
        expected = service.get(f"/v1/claims?source={source}&limit=5&cursor={cursor}").json()
        assert following.json()["items"] == expected["items"]


def test_building_again_keeps_a_table_that_matches(bench_db: str) -> None:
    stored.build(bench_db)
    assert stored.build(bench_db) == 0.0


def test_canned_queries_run_with_text_parameters(bench_db: str, picks: Picks) -> None:
    # Datasette passes every parameter as text.
    conn = sqlite3.connect(make_url(bench_db).database or "")
    try:
        query = query_of({"source": [picks.sources[0]]})
        sql, params = canned_page(query, 0)
        rows = conn.execute(sql, {name: str(value) for name, value in params}).fetchall()
        assert 0 < len(rows) <= 50
        sql, params = canned_count(query)
        (count,) = conn.execute(sql, {name: str(value) for name, value in params}).fetchone()
        assert count >= len(rows)
    finally:
        conn.close()


def test_the_mix_is_drawn_the_same_every_time(picks: Picks) -> None:
    first = zipf_mix(picks, size=200)
    again = zipf_mix(picks, size=200)
    assert [r.service for r in first.requests] == [r.service for r in again.requests]
    paths = [r.service for r in first.requests]
    assert any(p.startswith("/v1/facets?") for p in paths)
    assert any("count=exact" in p for p in paths)
    assert any("q=" in p for p in paths)
    assert len(set(paths)) < len(paths)  # popular requests repeat


def test_the_wrk_script_names_every_path() -> None:
    script = url_list_script(["/a?x=1", "/b?y=2"])
    assert "[==[/a?x=1]==]" in script
    assert "[==[/b?y=2]==]" in script
    assert "function request()" in script


def test_tree_rss_counts_this_process() -> None:
    total, largest = tree_rss_kib(os.getpid())
    assert total >= largest > 0


def test_rss_of_a_missing_process_is_zero() -> None:
    assert tree_rss_kib(2**22 + 7) == (0, 0)
