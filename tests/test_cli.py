"""The claimsapi command: db upgrade, ingest, split."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from sqlalchemy import text

from app.cli import main
from app.db import create_db_engine
from app.settings import get_settings

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


def _ndjson(path: Path, articles: list[dict[str, str]], *, extra: bytes = b"") -> Path:
    path.write_bytes(b"".join(json.dumps(a).encode() + b"\n" for a in articles) + extra)
    return path


def test_ingest_a_folder_recursively_by_suffix(
    sqlite_env: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["db", "upgrade"]) == 0
    folder = tmp_path / "articles"
    (folder / "nested").mkdir(parents=True)
    (folder / "b.txt").write_text("Talks resumed.[1]\n\n[1] Reuters")
    (folder / "nested" / "a.md").write_text("# Title\n\nMarkets fell on Monday.[^1]\n\n[^1]: CNN")
    (folder / "c.htm").write_text("<p>Prices rose.<sup><a href='#n1'>1</a></sup></p>")
    (folder / "d.json").write_text(json.dumps({"text": "Aid arrived on Friday.", "title": "Aid"}))
    (folder / "notes.csv").write_text("not,an,article")  # other suffixes are skipped
    (folder / "e.ndjson").write_text(json.dumps({"text": "Skipped in folders."}) + "\n")
    assert main(["ingest", str(folder)]) == 0
    summary = capsys.readouterr().err.strip().splitlines()[-1]
    assert "4 created, 0 existing, 0 failed" in summary
    assert "articles/s" in summary
    engine = create_db_engine(sqlite_env, pool_size=1)
    with engine.connect() as conn:
        formats = [row[0] for row in conn.execute(text("SELECT format FROM article ORDER BY id"))]
    engine.dispose()
    # Sorted by path: b.txt, c.htm, d.json, nested/a.md.
    assert formats == ["text", "html", "text", "markdown"]


def test_ingest_ndjson_one_article_per_line(
    sqlite_env: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["db", "upgrade"]) == 0
    articles = [{"text": f"Talks round {n} resumed.[1]\n\n[1] Reuters"} for n in range(3)]
    source = _ndjson(tmp_path / "a.ndjson", articles, extra=b"\n{broken\n" + b'{"text": ""}\n')
    assert main(["ingest", str(source)]) == 1
    err = capsys.readouterr().err
    assert f"{source}:5: The line is not valid JSON." in err
    assert f"{source}:6: The article is not valid. (text:" in err
    assert "3 created, 0 existing, 2 failed" in err.strip().splitlines()[-1]
    assert _count(sqlite_env, "article") == 3
    assert _count(sqlite_env, "claim") == 3


def test_ingest_splits_in_a_pool_of_processes(
    sqlite_env: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["db", "upgrade"]) == 0
    body = "resumed in Geneva.[1] A deal is near.[2]\n\n[1] Reuters\n[2] CNN"
    articles = [{"text": f"Talks round {n} {body}"} for n in range(80)]
    articles[40] = {"text": "x" * 3_000_000}  # over the size limit: fails alone
    source = _ndjson(tmp_path / "many.ndjson", articles)
    assert main(["ingest", str(source), "--jobs", "2"]) == 1
    summary = capsys.readouterr().err.strip().splitlines()[-1]
    assert "79 created, 0 existing, 1 failed" in summary
    engine = create_db_engine(sqlite_env, pool_size=1)
    with engine.connect() as conn:
        stored = [row[0] for row in conn.execute(text("SELECT text FROM article ORDER BY id"))]
    engine.dispose()
    # Stored in input order, whatever order the workers finished in.
    assert stored == [a["text"] for n, a in enumerate(articles) if n != 40]
    assert main(["ingest", str(source), "--jobs", "2"]) == 1
    assert "0 created, 79 existing, 1 failed" in capsys.readouterr().err


@pytest.mark.parametrize(
    ("workers", "configured", "expected"),
    [(1, None, None), (2, None, str(max(1, 8 // 2 - 1))), (2, "3", "3")],
)
def test_serving_processes_share_the_cores_for_splitting(
    sqlite_env: str,
    monkeypatch: pytest.MonkeyPatch,
    workers: int,
    configured: str | None,
    expected: str | None,
) -> None:
    import os

    import uvicorn

    monkeypatch.setattr(os, "cpu_count", lambda: 8)
    # Set first, so that whatever serve writes is undone after the test.
    monkeypatch.setenv("CLAIMS_SPLIT_WORKERS", configured or "")
    if configured is None:
        monkeypatch.delenv("CLAIMS_SPLIT_WORKERS")
    seen: dict[str, str | None] = {}

    def run(*_: object, **kwargs: object) -> None:
        seen["split_workers"] = os.environ.get("CLAIMS_SPLIT_WORKERS")
        assert kwargs["workers"] == workers

    monkeypatch.setattr(uvicorn, "run", run)
    assert main(["serve", "--workers", str(workers)]) == 0
    assert seen["split_workers"] == expected


def test_ingest_on_an_unmigrated_database_says_what_to_do(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    # A clear message, not a traceback.
    article = tmp_path / "a.txt"
    article.write_text("Talks resumed on Monday (Reuters).\n", encoding="utf-8")
    monkeypatch.setenv("CLAIMS_DATABASE_URL", f"sqlite:///{tmp_path / 'never.db'}")
    get_settings.cache_clear()
    try:
        assert main(["ingest", str(article)]) == 2
    finally:
        get_settings.cache_clear()
    err = capsys.readouterr().err
    assert "never been migrated" in err
    assert "claimsapi db upgrade" in err
    assert "Traceback" not in err
