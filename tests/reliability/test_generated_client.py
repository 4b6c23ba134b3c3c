"""Clients generated from the committed openapi.json work against a live service.

A Python client (openapi-python-client) ingests, lists by source, follows cursors
to the end, downloads the NDJSON export and reads typed Problems; the document
passes openapi-spec-validator, Redocly's recommended rules with no error or
warning, and openapi-typescript's types check (node tools installed by .ci/run).
"""

from __future__ import annotations

import importlib
import json
import os
import re
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from app.migrate import upgrade
from tests.api.helpers import article_body
from tests.reliability.server import running_service

pytestmark = pytest.mark.slow

ROOT = Path(__file__).parents[2]
DOCUMENT = ROOT / "openapi.json"
NODE_BIN = ROOT / ".ci" / "openapi" / "node_modules" / ".bin"
API_KEY = "client-key"
# NDJSON is no media type openapi-python-client knows: its documented override
# hands the export over as bytes.
CLIENT_CONFIG = {"content_type_overrides": {"application/x-ndjson": "application/octet-stream"}}


def _node_tool(name: str) -> Path:
    tool = NODE_BIN / name
    if not tool.exists():
        reason = f"{tool} is not installed (npm ci --prefix .ci/openapi; .ci/run does it)"
        if os.environ.get("CI"):
            pytest.fail(reason)
        pytest.skip(reason)
    return tool


@pytest.fixture(scope="module")
def client_package(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Any]:
    """The Python client generated from the committed document, imported."""
    where = tmp_path_factory.mktemp("client")
    config = where / "config.json"
    config.write_text(json.dumps(CLIENT_CONFIG))
    generator = Path(sys.executable).with_name("openapi-python-client")
    result = subprocess.run(
        [
            str(generator),
            "generate",
            "--path",
            str(DOCUMENT),
            "--output-path",
            str(where / "claims_client"),
            "--meta",
            "none",
            "--config",
            str(config),
        ],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "WARNING" not in result.stdout, result.stdout
    sys.path.insert(0, str(where))
    try:
        yield importlib.import_module("claims_client")
    finally:
        sys.path.remove(str(where))
        for name in [n for n in sys.modules if n.startswith("claims_client")]:
            del sys.modules[name]


@pytest.fixture(scope="module")
def service(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A live service with an API key configured."""
    url = f"sqlite:///{tmp_path_factory.mktemp('client-db') / 'claims.db'}"
    upgrade(url)
    with running_service(url, CLAIMS_API_KEYS=API_KEY) as (base, _):
        yield base


def test_a_generated_python_client_does_the_whole_round(client_package: Any, service: str) -> None:
    from claims_client import AuthenticatedClient, Client  # type: ignore[import-not-found]
    from claims_client.api.articles import create_article, get_article  # type: ignore[import-not-found]
    from claims_client.api.claims import (  # type: ignore[import-not-found]
        export_claims_ndjson,
        list_claims,
    )

    with (
        AuthenticatedClient(base_url=service, token=API_KEY) as writer,
        Client(base_url=service) as reader,
    ):
        _round(writer, reader, create_article, get_article, export_claims_ndjson, list_claims)


def _round(writer: Any, reader: Any, *operations: Any) -> None:
    from claims_client.models import ArticleIn, Problem  # type: ignore[import-not-found]

    create_article, get_article, export_claims_ndjson, list_claims = operations
    for name in ("harbour.txt", "grain.txt", "wires.txt"):
        body = article_body(name, published_at="2026-11-01T09:00:00Z")
        created = create_article.sync_detailed(client=writer, body=ArticleIn.from_dict(body))
        assert created.status_code == 201, created.content
        assert created.parsed.claims

    refused = create_article.sync(client=reader, body=ArticleIn(text="Talks resumed."))
    assert isinstance(refused, Problem)
    assert refused.status == 401

    seen: list[int] = []
    cursor = None
    while True:
        page = list_claims.sync(client=reader, source=["reuters"], limit=2, cursor=cursor)
        assert not isinstance(page, Problem)
        assert all("reuters" in {s.slug for s in claim.sources} for claim in page.items)
        seen.extend(claim.id for claim in page.items)
        cursor = page.next_cursor
        if not cursor:
            break
    assert len(seen) == len(set(seen)) > 2

    export = export_claims_ndjson.sync_detailed(client=reader, source=["reuters"])
    assert export.status_code == 200
    *lines, last = export.content.decode().splitlines()
    assert [json.loads(line)["id"] for line in lines] == seen
    assert json.loads(last) == {"complete": True, "count": len(seen)}  # the terminator

    missing = get_article.sync(client=reader, article_id=987654)
    assert isinstance(missing, Problem)
    assert missing.status == 404
    assert missing.detail == "No article has id 987654."

    invalid = list_claims.sync(client=reader, limit=0)
    assert isinstance(invalid, Problem)
    assert invalid.status == 422
    assert invalid.errors[0].loc == ["query", "limit"]


def test_the_document_passes_openapi_spec_validator() -> None:
    from openapi_spec_validator import validate

    validate(json.loads(DOCUMENT.read_text(encoding="utf-8")))


def test_the_document_passes_redocly_recommended_rules_without_a_warning() -> None:
    redocly = _node_tool("redocly")
    result = subprocess.run(
        [str(redocly), "lint", str(DOCUMENT), "--format", "stylish"],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
        env={**os.environ, "REDOCLY_TELEMETRY": "off", "REDOCLY_SUPPRESS_UPDATE_NOTICE": "true"},
    )
    output = result.stdout + result.stderr
    assert result.returncode == 0, output
    assert "Your API description is valid" in output, output
    # Stylish lists each finding as `line:col  error|warning  rule  message`.
    assert not re.search(r"^\s*\d+:\d+\s+(error|warning)\s", output, re.MULTILINE), output


def test_typescript_types_from_the_document_check(tmp_path: Path) -> None:
    generate, tsc = _node_tool("openapi-typescript"), _node_tool("tsc")
    types = tmp_path / "claims.d.ts"
    subprocess.run(
        [str(generate), str(DOCUMENT), "-o", str(types)], check=True, capture_output=True
    )
    usage = tmp_path / "usage.ts"
    usage.write_text(
        'import type { components, paths } from "./claims";\n'
        'type Problem = components["schemas"]["Problem"];\n'
        'type NotFound = paths["/v1/articles/{article_id}"]["get"]["responses"][404]'
        '["content"]["application/problem+json"];\n'
        'type Page = paths["/v1/claims"]["get"]["responses"][200]["content"]["application/json"];\n'
        "const problem: NotFound = { type: 't', title: 'Not Found', status: 404, detail: 'd' };\n"
        "const status: Problem['status'] = problem.status;\n"
        "const page: Page = { items: [], next_cursor: null };\n"
        "const url: string | undefined = page.items[0]?.url;\n"
        "export { status, url };\n"
    )
    result = subprocess.run(
        [str(tsc), "--noEmit", "--strict", "--skipLibCheck", str(usage)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
