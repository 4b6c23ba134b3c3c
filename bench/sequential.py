"""The service one request at a time: first vs deep page, counts, facets, the NDJSON export."""

from __future__ import annotations

import http.client
import statistics
import time
from typing import Any

from bench.procs import HOST, RssSampler
from bench.scenarios import Workload

__all__ = ["export", "sequential"]


def _timed(port: int, path: str, times: int) -> list[float]:
    """Milliseconds of `times` sequential GETs on one keep-alive connection."""
    conn = http.client.HTTPConnection(HOST, port, timeout=600)
    took: list[float] = []
    try:
        for _ in range(times):
            started = time.perf_counter()
            conn.request("GET", path)
            response = conn.getresponse()
            body = response.read()
            took.append((time.perf_counter() - started) * 1000)
            if response.status != 200:
                raise RuntimeError(f"GET {path}: {response.status} {body[:200]!r}")
    finally:
        conn.close()
    return took


def export(port: int, pid: int) -> dict[str, Any]:
    """Stream every claim as NDJSON from the service: time, lines, bytes, peak RSS."""
    conn = http.client.HTTPConnection(HOST, port, timeout=600)
    lines = size = 0
    with RssSampler(pid) as sampler:
        started = time.perf_counter()
        conn.request("GET", "/v1/claims.ndjson")
        response = conn.getresponse()
        while chunk := response.read(1 << 16):
            lines += chunk.count(b"\n")
            size += len(chunk)
        elapsed = time.perf_counter() - started
    conn.close()
    return {
        "status": response.status,
        "claims": lines,
        "megabytes": size / 1e6,
        "seconds": elapsed,
        "claims_per_s": lines / elapsed if elapsed else 0.0,
        "peak_rss_mb": sampler.peak_kib / 1024,
    }


def sequential(port: int, workloads: list[Workload], top: str) -> dict[str, Any]:
    """Sequential latencies on the service: first vs deep page, counts, facets."""
    deep_urls = next((w.urls("service") for w in workloads if w.name == "deep_page"), [])
    first: list[float] = []
    deep: list[float] = []
    for _ in range(20):  # interleaved, so a change in machine load hits both alike
        first += _timed(port, f"/v1/claims?source={top}&limit=50", 3)
        if deep_urls:
            deep += _timed(port, deep_urls[0], 3)
    found: dict[str, Any] = {"first_page_p50_ms": statistics.median(first)}
    if deep:
        found["deep_page_p50_ms"] = statistics.median(deep)
        found["deep_over_first"] = statistics.median(deep) / statistics.median(first)
    probes = {
        "count_exact_all": "/v1/claims?limit=1&count=exact",
        "count_estimated_all": "/v1/claims?limit=1&count=estimated",
        "count_exact_source": f"/v1/claims?limit=1&count=exact&source={top}",
        "count_estimated_source": f"/v1/claims?limit=1&count=estimated&source={top}",
        "facets_all": "/v1/facets",
        "facets_source": f"/v1/facets?source={top}",
    }
    for name, path in probes.items():
        took = _timed(port, path, 5)
        found[f"{name}_p50_ms"] = statistics.median(took)
        found[f"{name}_max_ms"] = max(took)
    return found
