"""A headless Chromium from the OS, watched: console errors, CSP violations, requests out."""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlsplit

import pytest

CHROMIUM_NAMES = ("chromium", "chromium-browser", "google-chrome")
# Every page of the document records the CSP violations it sees, frames included.
CSP_LISTENER = """
window.__cspViolations = [];
document.addEventListener("securitypolicyviolation", (event) => {
  window.__cspViolations.push(`${event.violatedDirective} ${event.blockedURI}`);
});
"""


def chromium_path() -> str | None:
    """The OS's Chromium: $CLAIMS_CHROMIUM, else the first on PATH."""
    configured = os.environ.get("CLAIMS_CHROMIUM")
    if configured:
        return configured
    return next((path for name in CHROMIUM_NAMES if (path := shutil.which(name))), None)


def require_chromium() -> str:
    """The Chromium to drive; skip (fail on CI, where .ci/run installs it) when absent."""
    path = chromium_path()
    if path is None:
        reason = "no Chromium on this machine (apt-get install chromium; .ci/run installs it)"
        if os.environ.get("CI"):
            pytest.fail(reason)
        pytest.skip(reason)
    return path


@dataclass
class Watch:
    """What a browser context did that a page must not: errors, outside requests, CSP hits."""

    allowed_hosts: frozenset[str]
    console_errors: list[str] = field(default_factory=list)
    outside_requests: list[str] = field(default_factory=list)
    pages: list[Any] = field(default_factory=list)

    def csp_violations(self) -> list[str]:
        """Violations every frame of every page recorded."""
        found: list[str] = []
        for page in self.pages:
            for frame in page.frames:
                found.extend(frame.evaluate("window.__cspViolations || []"))
        return found

    def assert_clean(self) -> None:
        """No console error, no request off the host, no CSP violation."""
        assert not self.console_errors, f"console errors: {self.console_errors}"
        assert not self.outside_requests, f"requests off the host: {self.outside_requests}"
        violations = self.csp_violations()
        assert not violations, f"CSP violations: {violations}"


@contextmanager
def watched_page(browser: Any, *, allowed_hosts: set[str]) -> Iterator[tuple[Any, Watch]]:
    """A fresh page whose requests may go only to `allowed_hosts` (host:port)."""
    watch = Watch(frozenset(allowed_hosts))
    context = browser.new_context()
    context.add_init_script(CSP_LISTENER)

    def route(route: Any) -> None:
        url = route.request.url
        parts = urlsplit(url)
        if parts.scheme in ("data", "blob", "about") or parts.netloc in watch.allowed_hosts:
            route.continue_()
        else:
            watch.outside_requests.append(url)
            route.abort()

    context.route("**/*", route)
    page = context.new_page()
    watch.pages.append(page)
    page.on(
        "console",
        lambda message: (
            watch.console_errors.append(message.text) if message.type == "error" else None
        ),
    )
    page.on("pageerror", lambda error: watch.console_errors.append(str(error)))
    try:
        yield page, watch
    finally:
        context.close()
