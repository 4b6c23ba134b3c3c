"""The committed openapi.json is the contract: it must equal what the app serves."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from app.cli import main
from app.main import create_app
from app.openapi import with_routes_table
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
    # Every error response of every operation is a typed Problem, under the
    # media type errors are sent with, so a generated client parses it.
    untyped = [
        f"{method.upper()} {path} {status}"
        for path, item in served["paths"].items()
        for method, operation in item.items()
        for status, response in operation["responses"].items()
        if status[0] in "45"
        and path not in ("/readyz",)
        and response.get("content")
        != {"application/problem+json": {"schema": {"$ref": "#/components/schemas/Problem"}}}
    ]
    assert untyped == []
    assert "HTTPValidationError" not in served["components"]["schemas"]


def test_writes_use_the_bearer_scheme_not_a_header_parameter(served: dict[str, Any]) -> None:
    assert served["components"]["securitySchemes"]["apiKey"] == {
        "type": "http",
        "scheme": "bearer",
        "description": served["components"]["securitySchemes"]["apiKey"]["description"],
    }
    for item in served["paths"].values():
        for method, operation in item.items():
            names = {p["name"].lower() for p in operation.get("parameters", [])}
            assert "authorization" not in names
            writes = method in ("post", "patch", "delete") and operation["operationId"] != (
                "split_article"
            )
            assert operation["security"] == ([{"apiKey": []}] if writes else [])


def test_responses_accept_future_fields_requests_do_not(served: dict[str, Any]) -> None:
    schemas = served["components"]["schemas"]
    strict = sorted(n for n, s in schemas.items() if s.get("additionalProperties") is False)
    assert strict == ["ActorIn", "ActorPatch", "ArticleIn"]


def test_enums_are_named_components(served: dict[str, Any]) -> None:
    text = json.dumps(served["paths"])
    assert '"enum"' not in text  # every enum is a $ref to a named schema
    for name in ("ActorType", "ArticleFormat", "Sort", "CountMode", "FacetName"):
        assert "enum" in served["components"]["schemas"][name]


def test_each_representation_has_its_own_operation(served: dict[str, Any]) -> None:
    def media(path: str) -> list[str]:
        return list(served["paths"][path]["get"]["responses"]["200"]["content"])

    assert media("/v1/claims") == ["application/json"]
    assert media("/v1/claims.ndjson") == ["application/x-ndjson"]
    assert media("/v1/claims.csv") == ["text/csv"]
    jsonld = served["paths"]["/v1/claims/{claim_id}.jsonld"]["get"]["responses"]["200"]
    assert jsonld["content"]["application/ld+json"]["schema"] == {
        "$ref": "#/components/schemas/ClaimJsonLd"
    }


def test_the_document_is_valid_openapi(served: dict[str, Any]) -> None:
    from openapi_spec_validator import validate

    validate(json.loads(json.dumps(served)))


def test_the_readme_route_table_is_the_documents() -> None:
    # The README documents every route and parameter, and cannot drift.
    committed = json.loads((ROOT / "openapi.json").read_text(encoding="utf-8"))
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert with_routes_table(readme, committed) == readme, (
        "README.md's route table drifted: run `claimsapi openapi --readme README.md`"
    )


def test_response_headers_are_declared(served: dict[str, Any]) -> None:
    paths = served["paths"]
    assert set(paths["/v1/claims"]["get"]["responses"]["200"]["headers"]) == {"ETag", "Link"}
    assert "Link" in paths["/v1/sources"]["get"]["responses"]["200"]["headers"]
    assert "Location" in paths["/v1/articles"]["post"]["responses"]["201"]["headers"]
    retry = [
        response["headers"]["Retry-After"]["schema"]
        for item in paths.values()
        for operation in item.values()
        for status, response in operation["responses"].items()
        if status in ("429", "503")
    ]
    assert retry
    assert all(schema == {"type": "integer", "minimum": 0} for schema in retry)
