"""Screenshots of every page, for a reviewer's eyes: seed, serve, photograph.

Run: .venv/bin/python -m bench.screenshots [--out screenshots] [--chromium /usr/bin/chromium]

Seeds a temporary SQLite database with generated articles (bench/corpus.py) and
one hand-written article with broken citations, serves it with `claimsapi serve`
on a loopback port, and writes one PNG per page with the headless Chromium of
the OS (nothing is downloaded). Prints each page's HTML size, the figure the
50 KB page budget is about.
"""

from __future__ import annotations

import argparse
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import httpx

from app.migrate import upgrade
from bench.corpus import article

ARTICLES = 12
WINDOW: Any = {"width": 1280, "height": 900}
EDITORS_ARTICLE = {
    "title": "Port of Odesa reopens 🚢",
    "text": "Port of Odesa reopens 🚢\n\nThe port reopened on Monday after a two-week closure, "
    "officials said (Reuters). Three grain ships 🌾 left the harbour on Tuesday.[1] The "
    "ministry expects exports to recover by March.[3]\n\nUkraine's president called the "
    "reopening a relief for farmers.[2]\n\n[1] Associated Press\n[2] BBC News\n[4] Al Jazeera\n",
    "published_at": "2026-11-30T09:00:00Z",
    "url": "https://news.example.org/odesa",
}


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


@contextmanager
def serving(database_url: str) -> Iterator[str]:
    """`claimsapi serve` on the database at a free loopback port; yield its base URL."""
    port = _free_port()
    env = {**os.environ, "CLAIMS_DATABASE_URL": database_url, "CLAIMS_LOG_LEVEL": "WARNING"}
    process = subprocess.Popen(
        [sys.executable, "-m", "app.cli", "serve", "--host", "127.0.0.1", "--port", str(port)],
        env=env,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(300):
            try:
                if httpx.get(f"{base}/healthz", timeout=1).status_code == 200:
                    break
            except httpx.TransportError:
                time.sleep(0.1)
        else:
            raise RuntimeError("the service did not start")
        yield base
    finally:
        process.terminate()
        process.wait(timeout=10)


def _seed(base: str) -> dict[str, Any]:
    for seed in range(1, ARTICLES + 1):
        generated = article(seed)
        body = {
            "text": generated.text,
            "format": generated.format,
            "title": generated.title,
            "url": generated.url,
            # Spread over a year, so the entity pages' charts have months to show.
            "published_at": f"2026-{seed % 11 + 1:02d}-{seed + 2:02d}T08:00:00Z",
        }
        httpx.post(f"{base}/v1/articles", json=body, timeout=30).raise_for_status()
    response = httpx.post(f"{base}/v1/articles", json=EDITORS_ARTICLE, timeout=30)
    response.raise_for_status()
    created: dict[str, Any] = response.json()
    return created


def _pages(base: str, edited: dict[str, Any]) -> list[tuple[str, str]]:
    facets = httpx.get(f"{base}/v1/facets").json()["facets"]
    claim = edited["claims"][0]
    source, actor, topic = (facets[name][0]["slug"] for name in ("source", "actor", "topic"))
    return [
        ("01-explorer", "/"),
        ("02-explorer-search-and-filter", f"/?q=officials&source={source}"),
        ("03-explorer-next-page", "/?limit=5"),
        ("04-article", f"/articles/{edited['id']}"),
        ("05-claim-permalink", f"/claims/{claim['id']}"),
        ("06-source", f"/sources/{source}"),
        ("07-actor", f"/actors/{actor}"),
        ("08-topic", f"/topics/{topic}"),
        ("09-split", "/split"),
        ("10-embed-card", f"/embed/claims/{claim['id']}"),
        ("11-not-found", "/articles/999999"),
    ]


def _photograph(base: str, out: Path, chromium: str, edited: dict[str, Any]) -> None:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=chromium, headless=True)
        page = browser.new_page(viewport=WINDOW)
        for name, path in _pages(base, edited):
            card = name == "10-embed-card"
            page.set_viewport_size({"width": 500, "height": 220} if card else WINDOW)
            response = page.goto(base + path)
            assert response is not None
            body = response.body()
            if name == "03-explorer-next-page":
                page.get_by_role("link", name="Next page").click()
                page.wait_for_load_state()
            page.screenshot(path=out / f"{name}.png", full_page=not card)
            print(f"{name:32} {response.status} {len(body) / 1024:6.1f} KB  {path}")
        page.set_viewport_size(WINDOW)
        page.goto(f"{base}/articles/{edited['id']}")
        page.locator("mark.claim").nth(1).focus()
        page.screenshot(path=out / "12-article-claim-focused.png")
        print(f"{'12-article-claim-focused':32} (keyboard focus on the second claim)")
        page.goto(f"{base}/split")
        page.get_by_label("Article text").fill(EDITORS_ARTICLE["text"])
        page.get_by_role("button", name="Split").click()
        page.wait_for_load_state()
        page.screenshot(path=out / "13-split-result.png", full_page=True)
        print(f"{'13-split-result':32} (the article above, pasted and split)")
        browser.close()


def main(argv: list[str] | None = None) -> int:
    """Seed, serve, photograph; print where the PNGs are."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=Path("screenshots"))
    parser.add_argument("--chromium", default=shutil.which("chromium") or "")
    args = parser.parse_args(argv)
    if not args.chromium:
        parser.error("no Chromium found: apt-get install chromium, or give --chromium PATH")
    args.out.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        url = f"sqlite:///{Path(tmp) / 'claims.db'}"
        upgrade(url)
        with serving(url) as base:
            edited = _seed(base)
            _photograph(base, args.out, args.chromium, edited)
    print(f"screenshots in {args.out.resolve()}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
