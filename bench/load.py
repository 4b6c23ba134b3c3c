"""A bounded mixed read/write load on a live service: errors, latency, memory over time.

Run: .venv/bin/python -m bench.load [--duration 300] [--clients 16] [--db URL]

Starts `claimsapi serve` (1 worker) on a fresh SQLite database (or --db), stores a
few hundred articles, then for --duration seconds drives --clients concurrent
loopback clients: 85% reads (claims by source/actor/topic, full-text search,
facets, change feed, single claims and articles), 15% writes (new articles and
re-posted duplicates). Prints per-operation counts, errors and p50/p99 latency,
and the server's RSS at start, end and peak. Exits 1 on any 5xx or transport
error. Traffic never leaves 127.0.0.1 and every loop is bounded in time.
"""

from __future__ import annotations

import argparse
import random
import sys
import tempfile
import threading
import time
from collections import defaultdict
from pathlib import Path
from typing import Any

import httpx

from app.migrate import upgrade
from bench.procs import HOST, RssSampler, Server, free_port, rss_kib, servers

SOURCES = ["reuters", "associated-press", "cnn", "bbc-news", "al-jazeera"]
ACTORS = ["ukraine", "russia", "united-states", "nato", "european-union"]
TOPICS = ["diplomacy", "ceasefire", "sanctions", "energy", "humanitarian"]
WORDS = ["talks", "ceasefire", "sanctions", "grain", "pipeline", '"security guarantees"']


def _article(n: int) -> dict[str, str]:
    """A distinct short wire story citing two of the sources."""
    rng = random.Random(n)
    first, second = rng.sample(["Reuters", "Associated Press", "CNN", "BBC News"], 2)
    actor = rng.choice(["Ukraine", "Russia", "NATO", "The European Union", "The United States"])
    topic = rng.choice(["ceasefire talks", "new sanctions", "gas pipeline repairs", "aid convoys"])
    return {
        "text": (
            f"Report {n}: {actor} discussed {topic} on Monday.[1] "
            f"Officials said a decision on the {topic} could come within {n % 9 + 2} days.[2] "
            f"Markets reacted calmly to the news of the {topic}.\n\n[1] {first}\n[2] {second}"
        )
    }


class Recorder:
    """Latencies and failures per operation, shared by the client threads."""

    def __init__(self) -> None:
        self.latencies: dict[str, list[float]] = defaultdict(list)
        self.failures: dict[str, list[str]] = defaultdict(list)
        self._lock = threading.Lock()

    def add(self, operation: str, seconds: float, failure: str | None) -> None:
        with self._lock:
            self.latencies[operation].append(seconds)
            if failure:
                self.failures[operation].append(failure)


Request = tuple[str, str, str, dict[str, Any] | None, dict[str, Any] | None]


def _next_request(rng: random.Random, new_article: int) -> Request:
    """(operation, method, path, query, body) of the next request, by the workload's mix."""
    roll = rng.random()
    if roll < 0.10:
        return "POST new article", "POST", "/v1/articles", None, _article(new_article)
    if roll < 0.15:
        return "POST duplicate", "POST", "/v1/articles", None, _article(rng.randrange(200))
    if roll < 0.40:
        return "GET claims?source", "GET", "/v1/claims", {"source": rng.choice(SOURCES)}, None
    if roll < 0.55:
        query = {"actor": rng.choice(ACTORS), "topic": rng.choice(TOPICS)}
        return "GET claims?actor&topic", "GET", "/v1/claims", query, None
    if roll < 0.65:
        return "GET claims?q", "GET", "/v1/claims", {"q": rng.choice(WORDS)}, None
    if roll < 0.72:
        return "GET facets", "GET", "/v1/facets", {"source": rng.choice(SOURCES)}, None
    if roll < 0.80:
        return "GET changes", "GET", "/v1/changes", {"limit": 100}, None
    if roll < 0.90:
        return "GET claim", "GET", f"/v1/claims/{rng.randrange(1, 600)}", None, None
    return "GET article", "GET", f"/v1/articles/{rng.randrange(1, 200)}", None, None


def _client(base: str, stop_at: float, seed: int, recorder: Recorder) -> None:
    rng = random.Random(seed)
    fresh = 1_000_000 * (seed + 1)  # this client's own range of new articles
    with httpx.Client(base_url=base, timeout=30) as http:
        while time.monotonic() < stop_at:
            fresh += 1
            operation, method, path, query, body = _next_request(rng, fresh)
            started = time.perf_counter()
            failure = None
            try:
                response = http.request(method, path, params=query, json=body)
                if response.status_code >= 500:
                    failure = f"{response.status_code} {response.text[:200]}"
            except httpx.TransportError as exc:
                failure = f"transport: {exc!r}"
            recorder.add(operation, time.perf_counter() - started, failure)


def _percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))] * 1000


def main(argv: list[str] | None = None) -> int:
    """Run the load and print its figures."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--duration", type=float, default=300.0, help="seconds of load (max 3600)")
    parser.add_argument("--clients", type=int, default=16)
    parser.add_argument("--db", help="database URL (default: a fresh SQLite file)")
    args = parser.parse_args(argv)
    duration = min(args.duration, 3600.0)
    tmp = Path(tempfile.mkdtemp(prefix="claims-load-"))
    url = args.db or f"sqlite:///{tmp / 'load.db'}"
    upgrade(url)
    port = free_port()
    claimsapi = Path(sys.executable).with_name("claimsapi")
    service = Server(
        "service",
        [str(claimsapi), "serve", "--host", HOST, "--port", str(port)],
        port,
        env={
            "CLAIMS_DATABASE_URL": url,
            "CLAIMS_LOG_LEVEL": "WARNING",
            "CLAIMS_WRITE_RATE_LIMIT": "0",
        },
        ready_path="/healthz",
        log=tmp / "service.log",
    )
    base = f"http://{HOST}:{port}"
    with servers(service):
        service.start()
        service.wait_ready()
        with httpx.Client(base_url=base, timeout=120) as http:
            http.post(
                "/v1/articles:batch", json=[_article(n) for n in range(200)]
            ).raise_for_status()
        rss_start = rss_kib(service.pid)[0]
        recorder = Recorder()
        stop_at = time.monotonic() + duration
        threads = [
            threading.Thread(target=_client, args=(base, stop_at, seed, recorder))
            for seed in range(args.clients)
        ]
        with RssSampler(service.pid, interval=1.0) as sampler:
            started = time.monotonic()
            for thread in threads:
                thread.start()
            for thread in threads:
                thread.join(timeout=duration + 120)
            elapsed = time.monotonic() - started
        rss_end = rss_kib(service.pid)[0]

    total = sum(len(v) for v in recorder.latencies.values())
    errors = sum(len(v) for v in recorder.failures.values())
    rate = total / elapsed
    print(f"load: {args.clients} clients, {elapsed:.0f} s, {total} requests ({rate:.0f}/s)")
    print(f"{'operation':28} {'count':>7} {'errors':>6} {'p50 ms':>8} {'p99 ms':>8}")
    for operation in sorted(recorder.latencies):
        values = recorder.latencies[operation]
        print(
            f"{operation:28} {len(values):7d} {len(recorder.failures[operation]):6d} "
            f"{_percentile(values, 0.5):8.1f} {_percentile(values, 0.99):8.1f}"
        )
    every = [v for values in recorder.latencies.values() for v in values]
    p50, p99 = _percentile(every, 0.5), _percentile(every, 0.99)
    print(f"{'all':28} {total:7d} {errors:6d} {p50:8.1f} {p99:8.1f}")
    print(
        f"server RSS: start {rss_start / 1024:.0f} MiB, end {rss_end / 1024:.0f} MiB, "
        f"peak {sampler.peak_kib / 1024:.0f} MiB"
    )
    for operation, failures in recorder.failures.items():
        if failures:
            print(f"  {operation}: {failures[0]}")
    return 1 if errors else 0


if __name__ == "__main__":
    raise SystemExit(main())
