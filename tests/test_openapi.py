"""The committed openapi.json is the contract: it must equal what the app serves."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from app.cli import main
from app.main import create_app
from app.settings import Settings

ROOT = Path(__file__).parent.parent


@pytest.fixture(scope="module")
def served() -> dict[str, Any]:
    document: dict[str, Any] = create_app(Settings()).openapi()
    return document


def test_committed_openapi_matches_the_app(served: dict[str, Any]) -> None:
    committed = json.loads((ROOT / "openapi.json").read_text(encoding="utf-8"))
    assert committed == served, "openapi.json drifted: run `claimsapi openapi` and commit it"


def test_check_command_agrees(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["openapi", "--check", "--output", str(ROOT / "openapi.json")]) == 0


def test_check_command_fails_on_drift(tmp_path: Path) -> None:
    stale = tmp_path / "openapi.json"
    stale.write_text("{}\n")
    assert main(["openapi", "--check", "--output", str(stale)]) == 1
    assert main(["openapi", "--output", str(stale)]) == 0
    assert main(["openapi", "--check", "--output", str(stale)]) == 0


def test_operation_ids_are_readable(served: dict[str, Any]) -> None:
    ids = {
        operation["operationId"] for path in served["paths"].values() for operation in path.values()
    }
    assert {
        "split_article",
        "create_article",
        "list_articles",
        "get_article",
        "list_article_claims",
        "delete_article",
        "list_claims",
        "get_claim",
        "list_sources",
        "get_source",
        "list_actors",
        "get_actor",
        "list_topics",
        "get_topic",
        "healthz",
        "readyz",
    } <= ids
    assert all("_v1_" not in operation_id for operation_id in ids)


def _fields(served: dict[str, Any]) -> list[tuple[str, str, dict[str, Any]]]:
    skip = {"HTTPValidationError", "ValidationError"}  # FastAPI's own, never sent by this API
    return [
        (name, field, spec)
        for name, schema in served["components"]["schemas"].items()
        if name not in skip
        for field, spec in schema.get("properties", {}).items()
    ]


def test_every_field_has_a_description_and_an_example(served: dict[str, Any]) -> None:
    missing = [
        f"{name}.{field}"
        for name, field, spec in _fields(served)
        if not spec.get("description") or "examples" not in spec
    ]
    assert missing == []


def test_errors_are_documented_as_problems(served: dict[str, Any]) -> None:
    claims = served["paths"]["/v1/claims"]["get"]["responses"]
    assert "application/problem+json" in claims["404"]["content"]
    assert "422" in claims
