"""Contract fuzzing: schemathesis drives a live server from the committed openapi.json.

Zero server errors, and every response valid against the schema: status codes,
content types, headers and bodies, plus the stateful links between operations;
and every schema-violating request (negative data) rejected.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from app.migrate import upgrade
from tests.reliability.server import running_service

ROOT = Path(__file__).parents[2]
CHECKS = (
    "not_a_server_error",
    "status_code_conformance",
    "content_type_conformance",
    "response_headers_conformance",
    "response_schema_conformance",
    "allow_header_conformance",
    "use_after_free",
    "ensure_resource_availability",
    # A request that violates the schema (a number for a date-time, an
    # unknown body field, a value outside an enum) must be rejected, not served.
    "negative_data_rejection",
)
SEED = 20261127
API_KEY = "contract-key"
EXAMPLES = 12


def test_the_live_service_honours_its_openapi_contract(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'contract.db'}"
    upgrade(url)
    # With a key configured, as in production: the fuzzer sends it, and checks that
    # a write without it is refused.
    with running_service(url, CLAIMS_WRITE_RATE_LIMIT="0", CLAIMS_API_KEYS=API_KEY) as (base, _):
        result = subprocess.run(
            [
                str(Path(sys.executable).with_name("st")),
                "run",
                str(ROOT / "openapi.json"),
                "--url",
                base,
                "--header",
                f"Authorization: Bearer {API_KEY}",
                "--checks",
                ",".join(CHECKS),
                "--mode",
                "all",
                "--max-examples",
                str(EXAMPLES),
                "--seed",
                str(SEED),
                "--generation-database",
                "none",
                "--request-timeout",
                "30",
                "--no-color",
            ],
            capture_output=True,
            text=True,
            timeout=600,
            check=False,
            cwd=ROOT,
            env={**os.environ, "SCHEMATHESIS_HOOKS": "tests.reliability.st_hooks"},
        )
    if result.returncode != 0:
        pytest.fail(result.stdout[-6000:] + result.stderr[-2000:])
