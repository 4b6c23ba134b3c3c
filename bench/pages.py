"""Pages against their JSON twins: server time and weight.

Run: .venv/bin/python -m bench.pages [--articles 300] [--requests 40]

Seeds a temporary SQLite database with generated articles (bench/corpus.py)
through POST /v1/articles:batch, serves it with `claimsapi serve` on a loopback
port, and times each page and the JSON route(s) that hold the same data, one
request at a time over a kept-alive connection (uncompressed, no ETag reuse).
Prints medians, the page/JSON ratio (the target: at most 2x) and the page's
HTML size (the target: under 50 KB).
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import time
from pathlib import Path

import httpx

from app.migrate import upgrade
from bench.corpus import article
from bench.screenshots import serving


def _seed(client: httpx.Client, count: int) -> None:
    for start in range(0, count, 100):
        batch = []
        for seed in range(start + 1, min(count, start + 100) + 1):
            generated = article(seed)
            batch.append(
                {
                    "text": generated.text,
                    "format": generated.format,
                    "title": generated.title,
                    "url": generated.url,
                    "published_at": f"2026-{seed % 11 + 1:02d}-{seed % 27 + 1:02d}T08:00:00Z",
                }
            )
        client.post("/v1/articles:batch", json=batch, timeout=600).raise_for_status()


def _median_ms(client: httpx.Client, path: str, times: int) -> tuple[float, int]:
    headers = {"accept-encoding": "identity"}
    size = len(client.get(path, headers=headers).content)  # warm-up
    spent = []
    for _ in range(times):
        began = time.perf_counter()
        response = client.get(path, headers=headers)
        spent.append(time.perf_counter() - began)
        assert response.status_code == 200, (path, response.status_code)
    return statistics.median(spent) * 1000, size


def main(argv: list[str] | None = None) -> int:
    """Seed, serve, time each page and its JSON routes; print the table."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=300)
    parser.add_argument("--requests", type=int, default=40)
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as tmp:
        url = f"sqlite:///{Path(tmp) / 'claims.db'}"
        upgrade(url)
        with serving(url) as base, httpx.Client(base_url=base, timeout=60) as client:
            _seed(client, args.articles)
            claim = client.get("/v1/claims", params={"source": "reuters", "limit": 1}).json()
            claim_id, article_id = claim["items"][0]["id"], claim["items"][0]["article_id"]
            total = client.get("/v1/claims", params={"limit": 1, "count": "exact"}).json()
            print(f"{args.articles} articles, {total['count']} claims; medians of {args.requests}")
            pairs = [
                ("/", ["/v1/claims?limit=20", "/v1/facets"]),
                ("/?q=officials", ["/v1/claims?q=officials&limit=20", "/v1/facets?q=officials"]),
                (
                    "/?source=reuters",
                    ["/v1/claims?source=reuters&limit=20", "/v1/facets?source=reuters"],
                ),
                (
                    f"/articles/{article_id}",
                    [f"/v1/articles/{article_id}", f"/v1/articles/{article_id}/claims?limit=200"],
                ),
                (f"/claims/{claim_id}", [f"/v1/claims/{claim_id}"]),
                (
                    "/sources/reuters",
                    [
                        "/v1/sources/reuters",
                        "/v1/claims?source=reuters&sort=-published_at&limit=10",
                    ],
                ),
                (f"/embed/claims/{claim_id}", [f"/v1/claims/{claim_id}"]),
            ]
            print(f"{'page':28} {'page ms':>8} {'JSON ms':>8} {'ratio':>6} {'page KB':>8}")
            for path, twins in pairs:
                page_ms, size = _median_ms(client, path, args.requests)
                json_ms = sum(_median_ms(client, twin, args.requests)[0] for twin in twins)
                print(
                    f"{path:28} {page_ms:8.2f} {json_ms:8.2f} {page_ms / json_ms:6.2f} "
                    f"{size / 1024:8.1f}"
                )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
