"""Settings come from CLAIMS_* variables; a bad one stops start-up with one line naming it."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

from app.settings import InvalidSettingsError, load_settings


def test_defaults(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in list(os.environ):
        if name.startswith("CLAIMS_"):
            monkeypatch.delenv(name)
    settings = load_settings()
    assert settings.database_url == "sqlite:///./data/claims.db"
    assert settings.max_article_bytes == 2 * 1024 * 1024
    assert settings.api_keys == ()
    assert settings.writes_open


def test_lists_are_comma_separated(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CLAIMS_API_KEYS", " one, two ,,three ")
    monkeypatch.setenv("CLAIMS_CORS_ORIGINS", "https://a.example,https://b.example")
    monkeypatch.setenv("CLAIMS_LOG_LEVEL", "debug")
    settings = load_settings()
    assert settings.api_keys == ("one", "two", "three")
    assert settings.cors_origins == ("https://a.example", "https://b.example")
    assert settings.log_level == "DEBUG"
    assert not settings.writes_open


def test_plain_postgresql_urls_use_psycopg(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CLAIMS_DATABASE_URL", "postgresql://u@db/claims")
    assert load_settings().database_url == "postgresql+psycopg://u@db/claims"


@pytest.mark.parametrize(
    ("name", "value"),
    [
        ("CLAIMS_MAX_ARTICLE_BYTES", "lots"),
        ("CLAIMS_MAX_ARTICLE_BYTES", "10"),
        ("CLAIMS_LOG_LEVEL", "chatty"),
        ("CLAIMS_DATABASE_URL", "mysql://root@localhost/x"),
    ],
)
def test_invalid_values_name_the_variable(
    monkeypatch: pytest.MonkeyPatch, name: str, value: str
) -> None:
    monkeypatch.setenv(name, value)
    with pytest.raises(InvalidSettingsError, match=name):
        load_settings()


def test_the_command_line_stops_with_one_line() -> None:
    env = {**os.environ, "CLAIMS_MAX_ARTICLE_BYTES": "lots"}
    result = subprocess.run(
        [sys.executable, "-m", "app.cli", "db", "upgrade"],
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 2
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1
    assert "CLAIMS_MAX_ARTICLE_BYTES" in lines[0]


def test_an_ner_model_that_is_not_installed_stops_start_up() -> None:
    from app.services.splitters import splitter_for
    from app.settings import Settings

    with pytest.raises(InvalidSettingsError, match="CLAIMS_NER_MODEL"):
        splitter_for(Settings(ner_model="xx_no_such_model"))


def test_public_url_and_embed_origins(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CLAIMS_PUBLIC_URL", "https://claims.example.org/")
    monkeypatch.setenv(
        "CLAIMS_EMBED_FRAME_ANCESTORS", "https://cms.example.org, https://*.blog.example,'self'"
    )
    settings = load_settings()
    assert settings.public_url == "https://claims.example.org"
    assert settings.embed_frame_ancestors == (
        "https://cms.example.org",
        "https://*.blog.example",
        "'self'",
    )
    for name in ("CLAIMS_PUBLIC_URL", "CLAIMS_EMBED_FRAME_ANCESTORS"):
        monkeypatch.delenv(name)
    assert load_settings().public_url is None
    assert load_settings().embed_frame_ancestors == ()


@pytest.mark.parametrize(
    ("name", "value"),
    [
        ("CLAIMS_PUBLIC_URL", "claims.example.org"),
        ("CLAIMS_PUBLIC_URL", "javascript:alert(1)"),
        ("CLAIMS_PUBLIC_URL", "https://claims.example.org/?x=1"),
        ("CLAIMS_EMBED_FRAME_ANCESTORS", "https://a.example; script-src *"),
        ("CLAIMS_EMBED_FRAME_ANCESTORS", "'unsafe-inline'"),
    ],
)
def test_bad_public_url_or_embed_origin_is_named(
    monkeypatch: pytest.MonkeyPatch, name: str, value: str
) -> None:
    monkeypatch.setenv(name, value)
    with pytest.raises(InvalidSettingsError, match=name):
        load_settings()
