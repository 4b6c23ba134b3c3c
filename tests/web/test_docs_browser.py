"""Issue 15: /docs and /redoc render in headless Chromium with every request kept on the host."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest

from app.migrate import upgrade
from tests.reliability.server import running_service
from tests.web.browser import require_chromium, watched_page

pytestmark = pytest.mark.slow
ROOT = Path(__file__).parents[2]


@pytest.fixture(scope="module")
def service(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The service on a loopback port."""
    url = f"sqlite:///{tmp_path_factory.mktemp('docs') / 'claims.db'}"
    upgrade(url)
    with running_service(url) as (base, _):
        yield base


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    """One headless Chromium from the OS, offline but for the service's own host."""
    executable = require_chromium()
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=executable, headless=True)
        yield launched
        launched.close()


def test_swagger_ui_renders_every_operation_offline(
    browser: Any, service: str, tmp_path: Path
) -> None:
    with watched_page(browser, allowed_hosts={urlsplit(service).netloc}) as (page, watch):
        page.goto(f"{service}/docs")
        page.locator(".opblock").first.wait_for(timeout=20_000)
        shot = tmp_path / "docs.png"
        page.screenshot(path=str(shot), full_page=False)
        operations = page.locator(".opblock-summary-path").all_inner_texts()
        assert "/v1/claims" in operations
        assert "/v1/claims.ndjson" in operations
        document = json.loads((ROOT / "openapi.json").read_text(encoding="utf-8"))
        assert len(operations) == sum(len(item) for item in document["paths"].values())
        assert page.get_by_role("button", name="Authorize").count() == 1
        assert shot.stat().st_size > 20_000  # a rendered page, not a blank one
        watch.assert_clean()


def test_redoc_renders_offline(browser: Any, service: str) -> None:
    with watched_page(browser, allowed_hosts={urlsplit(service).netloc}) as (page, watch):
        page.goto(f"{service}/redoc")
        page.locator("h2", has_text="Export claims as NDJSON").wait_for(timeout=20_000)
        assert page.locator("h1").first.inner_text().startswith("claimsapi")
        # ReDoc's "powered by" logo points at its CDN: the policy blocks it, nothing leaves.
        assert not watch.outside_requests
        others = [e for e in watch.console_errors if "cdn.redoc.ly/redoc/logo" not in e]
        assert others == []
