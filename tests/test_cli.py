"""The claimsapi command: db upgrade, ingest, split."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from sqlalchemy import text

from app.cli import main
from app.db import create_db_engine

ARTICLES = Path(__file__).parent / "fixtures" / "api"


@pytest.fixture
def sqlite_env(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> str:
    url = f"sqlite:///{tmp_path / 'cli.db'}"
    monkeypatch.setenv("CLAIMS_DATABASE_URL", url)
    return url


def _count(url: str, table: str) -> int:
    engine = create_db_engine(url, pool_size=1)
    try:
        with engine.connect() as conn:
            return int(conn.execute(text(f"SELECT count(*) FROM {table}")).scalar_one())
    finally:
        engine.dispose()


def test_split_prints_what_the_split_endpoint_returns(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["split", str(ARTICLES / "harbour.txt")]) == 0
    printed = json.loads(capsys.readouterr().out)
    assert printed["title"] == "Harbour talks resume in Geneva"
    assert [c["sources"][0]["slug"] for c in printed["claims"] if c["sources"]] == [
        "reuters",
        "associated-press",
        "associated-press",
    ]


def test_split_reads_markdown_by_suffix(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["split", str(ARTICLES / "sanctions.md")]) == 0
    printed = json.loads(capsys.readouterr().out)
    assert printed["title"] == "New sanctions target shipping firms"
    assert printed["claims"][1]["section"] == "Shipping"


def test_upgrade_then_ingest_many_files_once(
    sqlite_env: str, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["db", "upgrade"]) == 0
    files = [str(path) for path in sorted(ARTICLES.iterdir())]
    assert main(["ingest", *files]) == 0
    assert _count(sqlite_env, "article") == len(files)
    summary = capsys.readouterr().err.strip().splitlines()[-1]
    assert f"{len(files)} created" in summary
    assert main(["ingest", *files]) == 0
    assert _count(sqlite_env, "article") == len(files)
    assert f"{len(files)} existing" in capsys.readouterr().err


def test_ingest_reports_unreadable_files_and_fails(
    sqlite_env: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["db", "upgrade"]) == 0
    empty = tmp_path / "empty.txt"
    empty.write_text("")
    assert main(["ingest", str(empty), str(ARTICLES / "grain.txt")]) == 1
    assert _count(sqlite_env, "article") == 1
    assert "1 failed" in capsys.readouterr().err
