"""Migrations build exactly the schema the models describe, and come back down cleanly."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import inspect, text
from sqlalchemy.engine import Engine, make_url

from app.db import create_db_engine, in_models
from app.migrate import current_revision, downgrade, head_revision, upgrade
from app.models import metadata
from tests.conftest import TEST_DATABASE_ENV

pytestmark = pytest.mark.db

SCHEMA = "migration_check"


@pytest.fixture
def empty_url(tmp_path: Path) -> Iterator[str]:
    """An empty database: a new SQLite file, or a fresh schema on the PostgreSQL server."""
    url = os.environ.get(TEST_DATABASE_ENV)
    if not url:
        yield f"sqlite:///{tmp_path / 'empty.db'}"
        return
    admin = create_db_engine(url, pool_size=1)
    with admin.begin() as conn:
        conn.execute(text(f"DROP SCHEMA IF EXISTS {SCHEMA} CASCADE"))
        conn.execute(text(f"CREATE SCHEMA {SCHEMA}"))
    scoped = make_url(url).update_query_dict({"options": f"-csearch_path={SCHEMA}"})
    yield scoped.render_as_string(hide_password=False)
    with admin.begin() as conn:
        conn.execute(text(f"DROP SCHEMA IF EXISTS {SCHEMA} CASCADE"))
    admin.dispose()


def _diff(engine: Engine) -> list[object]:
    with engine.connect() as conn:
        context = MigrationContext.configure(
            conn, opts={"compare_type": True, "include_object": in_models}
        )
        return list(compare_metadata(context, metadata))


def _tables(engine: Engine) -> set[str]:
    names = set(inspect(engine).get_table_names()) - {"alembic_version"}
    return {name for name in names if in_models(None, name, "table", True, None)}


def test_upgrade_of_an_empty_database_matches_the_models(empty_url: str) -> None:
    upgrade(empty_url)
    engine = create_db_engine(empty_url, pool_size=1)
    try:
        assert current_revision(engine) == head_revision()
        assert _tables(engine) == set(metadata.tables)
        assert _diff(engine) == []
    finally:
        engine.dispose()


def test_downgrade_to_base_and_back(empty_url: str) -> None:
    upgrade(empty_url)
    downgrade(empty_url, "base")
    engine = create_db_engine(empty_url, pool_size=1)
    try:
        assert _tables(engine) == set()
        upgrade(empty_url)
        assert _diff(engine) == []
    finally:
        engine.dispose()


def test_revision_files_are_date_prefixed() -> None:
    versions = Path(__file__).parents[2] / "migrations" / "versions"
    names = sorted(p.name for p in versions.glob("*.py") if p.name != "__init__.py")
    assert names
    assert all(name[:8].isdigit() and name[8] == "_" for name in names)


def test_sqlite_runs_with_wal_foreign_keys_and_busy_timeout(tmp_path: Path) -> None:
    engine = create_db_engine(f"sqlite:///{tmp_path / 'pragmas.db'}", pool_size=1)
    try:
        with engine.connect() as conn:
            assert conn.execute(text("PRAGMA journal_mode")).scalar_one() == "wal"
            assert conn.execute(text("PRAGMA foreign_keys")).scalar_one() == 1
            assert conn.execute(text("PRAGMA busy_timeout")).scalar_one() >= 1000
    finally:
        engine.dispose()
