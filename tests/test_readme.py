"""The README's walkthrough runs as written against a live service."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest

from app.migrate import upgrade
from tests.reliability.server import running_service

pytestmark = pytest.mark.slow

ROOT = Path(__file__).parent.parent
README = (ROOT / "README.md").read_text(encoding="utf-8")
# Each curl fails the script on an HTTP error and ends its output with a newline,
# so every answer is one line of JSON (or NDJSON) to check.
PRELUDE = 'curl() { command curl --fail-with-body "$@"; echo; }\n'


def _walkthrough() -> str:
    after = README.split("The same from the command line", 1)[1]
    block = re.search(r"```sh\n(.*?)```", after, re.DOTALL)
    assert block
    return block.group(1)


def test_the_walkthrough_runs_as_written(tmp_path: Path) -> None:
    if shutil.which("curl") is None:
        pytest.skip("no curl on this machine")
    url = f"sqlite:///{tmp_path / 'claims.db'}"
    upgrade(url)
    with running_service(url) as (base, _):
        script = PRELUDE + _walkthrough().replace("localhost:8000", base.removeprefix("http://"))
        result = subprocess.run(
            ["bash", "-euo", "pipefail", "-c", script],
            capture_output=True,
            text=True,
            timeout=120,
            check=False,
        )
    assert result.returncode == 0, result.stdout + result.stderr
    answers = [json.loads(line) for line in result.stdout.splitlines() if line.strip()]
    stored = answers[0]
    assert stored["claims"]
    pages = [a for a in answers if isinstance(a, dict) and "items" in a]
    assert len(pages) == 6
    assert all(page["items"] for page in pages), "a walkthrough query found nothing"
    assert any(a.get("slug") == "ukraine" for p in pages for c in p["items"] for a in c["actors"])
    _the_example_claim_has_the_shape_of(stored["claims"][1])


def _the_example_claim_has_the_shape_of(claim: dict[str, Any]) -> None:
    after = README.split("A claim:", 1)[1]
    block = re.search(r"```json\n(.*?)```", after, re.DOTALL)
    assert block
    example = json.loads(block.group(1))
    assert set(example) == set(claim) - {"snippet"}
    assert set(example["article"]) == set(claim["article"])
    assert example["splitter_version"] == claim["splitter_version"]
