"""Shared fixtures: one migrated database per test session, emptied between tests.

The database is SQLite in a temporary folder, or whatever
CLAIMS_TEST_DATABASE_URL names (CI runs the `db` tests again on PostgreSQL).
"""

from __future__ import annotations

import functools
import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from hypothesis import HealthCheck, settings
from sqlalchemy import text
from sqlalchemy.engine import Engine

from app.db import create_db_engine, session_scope
from app.main import create_app
from app.migrate import upgrade
from app.models import metadata
from app.services.registries import sync_registries
from app.services.splitters import SplitterSetup, splitter_for
from app.settings import Settings

TEST_DATABASE_ENV = "CLAIMS_TEST_DATABASE_URL"
FIXTURES = Path(__file__).parent / "fixtures"
DB_FIXTURES = frozenset({"database_url", "engine", "client", "app_settings", "make_client"})

settings.register_profile("ci", max_examples=60, deadline=None, print_blob=True)
settings.register_profile(
    "dev", max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow]
)
settings.register_profile("thorough", max_examples=2_000, deadline=None)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci" if os.environ.get("CI") else "dev"))


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Mark every test that touches the database, so CI can rerun them on PostgreSQL."""
    for item in items:
        if DB_FIXTURES.intersection(getattr(item, "fixturenames", ())):
            item.add_marker(pytest.mark.db)


def _drop_everything(url: str) -> None:
    engine = create_db_engine(url, pool_size=1)
    with engine.begin() as conn:
        conn.execute(text("DROP SCHEMA IF EXISTS public CASCADE"))
        conn.execute(text("CREATE SCHEMA public"))
    engine.dispose()


@pytest.fixture(scope="session")
def database_url(tmp_path_factory: pytest.TempPathFactory) -> str:
    """A database migrated to head, private to this test session."""
    url = os.environ.get(TEST_DATABASE_ENV)
    if url:
        _drop_everything(url)
    else:
        url = f"sqlite:///{tmp_path_factory.mktemp('db') / 'claims.db'}"
    upgrade(url)
    return url


@pytest.fixture(scope="session")
def engine(database_url: str) -> Iterator[Engine]:
    """The engine of the test database."""
    engine = create_db_engine(database_url)
    yield engine
    engine.dispose()


def empty_database(engine: Engine) -> None:
    """Delete every row, then put the registries back as the service's start-up does."""
    tables = [table.name for table in reversed(metadata.sorted_tables)]
    # DELETE, not TRUNCATE: on tables this small it is several times faster.
    with engine.begin() as conn:
        for name in tables:
            conn.execute(text(f"DELETE FROM {name}"))
    setup = _splitter_setup()
    with session_scope(engine, write=True) as session:
        sync_registries(session, actors=setup.actors, topics=setup.topics)


@functools.cache
def _splitter_setup() -> SplitterSetup:
    return splitter_for(Settings())


@pytest.fixture
def app_settings(database_url: str) -> Settings:
    """Settings of a service on the test database with writes open."""
    return Settings(database_url=database_url)


@pytest.fixture
def make_client(engine: Engine, database_url: str) -> Iterator[object]:
    """Build clients for services with other settings, on the emptied test database."""
    opened: list[TestClient] = []
    empty_database(engine)

    def make(**overrides: object) -> TestClient:
        settings = Settings(database_url=database_url, **overrides)  # type: ignore[arg-type]
        client = TestClient(create_app(settings), raise_server_exceptions=False)
        client.__enter__()
        opened.append(client)
        return client

    yield make
    for client in opened:
        client.__exit__(None, None, None)


@pytest.fixture
def client(make_client) -> TestClient:  # type: ignore[no-untyped-def]
    """A client of a service with writes open, on an empty database."""
    made: TestClient = make_client()
    return made
