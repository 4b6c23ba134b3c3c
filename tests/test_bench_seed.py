"""`bench.seed` leaves every running counter equal to a real count."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import text

from app.db import create_db_engine
from bench import seed


def test_seeded_counters_equal_real_counts(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'seed.db'}"
    # A few distinct articles, the rest SQL copies: the copies used to skip the counters.
    assert seed.main(["--claims", "400", "--distinct", "6", "--workers", "1", "--db", url]) == 0
    engine = create_db_engine(url, pool_size=1)
    try:
        with engine.connect() as conn:
            claims = conn.execute(text("SELECT count(*) FROM claim")).scalar_one()
            total = conn.execute(text("SELECT value FROM counter WHERE name = 'claims'")).scalar()
            copies = conn.execute(text("SELECT count(*) FROM article WHERE id > 6")).scalar_one()
        assert copies > 0
        assert total == claims >= 400
        assert seed.check_counters(engine) == []
    finally:
        engine.dispose()
