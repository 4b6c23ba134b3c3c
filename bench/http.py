"""Read throughput of the service against its ceiling and Datasette, driven by wrk.

Run: .venv/bin/python -m bench.http [--db URL] [--duration 20] [--connections 32]

Starts, on free 127.0.0.1 ports, `claimsapi serve` (1 worker, no access log)
and, for SQLite, the two anchors on the same file: bench/ceiling.py (the
service's SQL through bare sqlite3 and orjson) and Datasette (canned queries of
the same SQL, installed by `pip install -e '.[bench]'`). Every scenario runs
through wrk on each server; then the service alone: first vs deep page,
counts, facets over everything, and an NDJSON export of every claim with the
server's peak RSS. Every process started here is stopped on the way out.
"""

from __future__ import annotations

import argparse
import http.client
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

import orjson
from sqlalchemy.engine import make_url

from app.db import create_db_engine, is_sqlite
from bench.procs import (
    HOST,
    RssSampler,
    Server,
    free_port,
    get,
    rss_kib,
    servers,
    wait_idle,
)
from bench.scenarios import Scenario, deep_cursor, pick_values, scenarios
from bench.seed import DEFAULT_DB

__all__ = ["main"]

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
_UNITS = {"us": 0.001, "ms": 1.0, "s": 1000.0, "m": 60_000.0}


@dataclass
class WrkResult:
    """What one wrk run measured."""

    rps: float
    p50_ms: float
    p99_ms: float
    requests: int
    errors: int


def _ms(value: str) -> float:
    match = re.fullmatch(r"([\d.]+)(us|ms|s|m)", value)
    if not match:
        raise ValueError(f"unreadable wrk latency {value!r}")
    return float(match.group(1)) * _UNITS[match.group(2)]


def run_wrk(port: int, path: str, *, duration: int, connections: int, threads: int) -> WrkResult:
    """wrk against 127.0.0.1:port/path for `duration` seconds."""
    argv = [
        "wrk",
        f"-t{threads}",
        f"-c{connections}",
        f"-d{duration}s",
        "--timeout",
        "30s",
        "--latency",
        f"http://{HOST}:{port}{path}",
    ]
    out = subprocess.run(
        argv, capture_output=True, text=True, timeout=duration + 60, check=True
    ).stdout
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))  # type: ignore[union-attr]
    p50 = _ms(re.search(r"\s50%\s+(\S+)", out).group(1))  # type: ignore[union-attr]
    p99 = _ms(re.search(r"\s99%\s+(\S+)", out).group(1))  # type: ignore[union-attr]
    requests = int(re.search(r"(\d+) requests in", out).group(1))  # type: ignore[union-attr]
    errors = 0
    if match := re.search(r"Non-2xx or 3xx responses: (\d+)", out):
        errors += int(match.group(1))
    sockets = r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)"
    if match := re.search(sockets, out):
        errors += sum(int(n) for n in match.groups())
    return WrkResult(rps, p50, p99, requests, errors)


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


def _p(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def _export(port: int, pid: int) -> dict[str, Any]:
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


def _compare(service: Server, ceiling: Server, found: list[Scenario]) -> list[str]:
    """Where the ceiling's body differs from the service's (there should be nowhere)."""
    problems: list[str] = []
    for scenario in found:
        _, ours = get(service.port, scenario.service)
        _, theirs = get(ceiling.port, scenario.ceiling)
        mine, bare = orjson.loads(ours), orjson.loads(theirs)
        key = "facets" if scenario.name == "facets" else "items"
        if mine.get(key) != bare.get(key):
            problems.append(f"{scenario.name}: the ceiling's {key} differ from the service's")
    return problems


def _datasette_metadata(found: list[Scenario], database: str, folder: Path) -> Path:
    queries = {scenario.name: {"sql": scenario.canned_sql} for scenario in found}
    path = folder / "metadata.json"
    path.write_bytes(orjson.dumps({"databases": {database: {"queries": queries}}}))
    return path


def _servers(args: argparse.Namespace, url: str, tmp: Path) -> dict[str, Server]:
    claimsapi = BIN / "claimsapi"
    made = {
        "service": Server(
            "service",
            [str(claimsapi), "serve", "--host", HOST, "--port", str(free_port()), "--workers", "1"],
            0,
            env={"CLAIMS_DATABASE_URL": url, "CLAIMS_LOG_LEVEL": "WARNING"},
            ready_path="/healthz",
            log=tmp / "service.log",
        )
    }
    made["service"].port = int(made["service"].argv[5])
    if not is_sqlite(url):
        return made
    path = str(Path(make_url(url).database or "").resolve())
    port = free_port()
    made["ceiling"] = Server(
        "ceiling",
        [
            sys.executable,
            "-m",
            "uvicorn",
            "bench.ceiling:app",
            "--host",
            HOST,
            "--port",
            str(port),
            "--no-access-log",
            "--log-level",
            "warning",
        ],
        port,
        env={"BENCH_SQLITE": path, "PYTHONPATH": str(ROOT)},
        ready_path="/v1/claims?limit=1",
        log=tmp / "ceiling.log",
    )
    datasette = shutil.which("datasette", path=str(BIN)) or shutil.which("datasette")
    if datasette is None or "datasette" not in args.servers:
        if "datasette" in args.servers:
            print("Datasette is not installed (pip install -e '.[bench]'): skipping it")
        return made
    port = free_port()
    made["datasette"] = Server(
        "datasette",
        [
            datasette,
            "serve",
            "--immutable",
            path,
            "--host",
            HOST,
            "--port",
            str(port),
            "--metadata",
            str(tmp / "metadata.json"),
            "--setting",
            "sql_time_limit_ms",
            "120000",
            "--setting",
            "max_returned_rows",
            "1000",
        ],
        port,
        ready_path="/-/versions.json",
        log=tmp / "datasette.log",
    )
    return made


def _datasette_path(database: str, scenario: Scenario) -> str:
    return f"/{database}/{scenario.name}.json?_shape=array"


def _row(cells: list[str], widths: list[int]) -> str:
    pairs = enumerate(zip(cells, widths, strict=True))
    return "  ".join(cell.rjust(width) if n else cell.ljust(width) for n, (cell, width) in pairs)


def main(argv: list[str] | None = None) -> int:
    """Run the benchmark and print its tables."""
    parser = argparse.ArgumentParser(
        prog="python -m bench.http", description=__doc__.split("\n")[0]
    )
    parser.add_argument("--db", default=DEFAULT_DB, help=f"database URL (default {DEFAULT_DB})")
    parser.add_argument("--duration", type=int, default=20, help="seconds of wrk per run")
    parser.add_argument("--connections", type=int, default=32)
    parser.add_argument("--threads", type=int, default=2, help="wrk threads")
    parser.add_argument(
        "--deep-pages", type=int, default=200, help="pages to follow for a deep cursor"
    )
    parser.add_argument(
        "--servers", default="service,ceiling,datasette", help="comma-separated subset to drive"
    )
    parser.add_argument("--only", default="", help="comma-separated scenario names")
    parser.add_argument("--no-export", action="store_true", help="skip the NDJSON export")
    args = parser.parse_args(argv)
    args.servers = set(args.servers.split(","))
    if shutil.which("wrk") is None:
        print("wrk is not installed (apt-get install wrk)", file=sys.stderr)
        return 2
    url = args.db
    engine = create_db_engine(url, pool_size=1)
    picks = pick_values(engine)
    engine.dispose()
    database = Path(make_url(url).database or "").stem if is_sqlite(url) else ""
    results: dict[str, Any] = {"db": url, "picks": asdict(picks), "load": {}, "extra": {}}
    print(
        f"bench.http: {url}, wrk {args.threads} threads x {args.connections} connections, "
        f"{args.duration} s per run, {os.cpu_count()} cores, "
        f"load average {os.getloadavg()[0]:.2f} at start"
    )

    with tempfile.TemporaryDirectory(prefix="claims-bench-") as tmp_name:
        tmp = Path(tmp_name)
        made = _servers(args, url, tmp)
        with servers(*made.values()):
            service = made["service"]
            service.start()
            service.wait_ready()
            top = picks.sources[0][0]
            deep = deep_cursor(service.port, f"/v1/claims?source={top}&limit=50", args.deep_pages)
            found = scenarios(picks, deep)
            if args.only:
                wanted = set(args.only.split(","))
                found = [s for s in found if s.name in wanted]
            if "datasette" in made:
                _datasette_metadata(found, database, tmp)
            for name, server in made.items():
                if name != "service":
                    server.start()
            for name, server in made.items():
                if name != "service":
                    server.wait_ready()
            if "ceiling" in made:
                for problem in _compare(service, made["ceiling"], found):
                    print("warning:", problem)

            order: list[str] = [n for n in ("service", "ceiling", "datasette") if n in made]
            order = [name for name in order if name in args.servers]
            service_rss = 0
            for name in order:
                server = made[name]
                for scenario in found:
                    path = {
                        "service": scenario.service,
                        "ceiling": scenario.ceiling,
                        "datasette": _datasette_path(database, scenario),
                    }[name]
                    status, body = get(server.port, path)
                    if status != 200:
                        print(f"warning: {name} {path} answered {status}: {body[:300]!r}")
                    with RssSampler(server.pid, 0.2) as sampler:
                        result = run_wrk(
                            server.port,
                            path,
                            duration=args.duration,
                            connections=args.connections,
                            threads=args.threads,
                        )
                        drained = wait_idle(server.pid)
                    if name == "service":
                        service_rss = max(service_rss, sampler.peak_kib)
                    results["load"].setdefault(scenario.name, {})[name] = asdict(result)
                    print(
                        f"  {name:<9} {scenario.name:<14} {result.rps:>8.0f} req/s  "
                        f"p50 {result.p50_ms:>8.1f} ms  p99 {result.p99_ms:>8.1f} ms"
                        + (f"  ({result.errors} errors)" if result.errors else "")
                        + (f"  (busy {drained:.0f} s after)" if drained > 2 else ""),
                        flush=True,
                    )
            extra = results["extra"]
            extra["service_peak_rss_under_load_mb"] = service_rss / 1024
            extra.update(_extras(service, picks.sources[0][0], deep[0] if deep else "", args))
            if not args.no_export:
                extra["export"] = _export(service.port, service.pid)
            extra["service_rss_at_end_mb"] = rss_kib(service.pid)[0] / 1024

    _report(results, found, order)
    out = ROOT / "bench" / "data" / f"http-{time.strftime('%Y%m%d-%H%M%S')}.json"
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_bytes(orjson.dumps(results, option=orjson.OPT_INDENT_2))
    print(f"\nresults written to {out.relative_to(ROOT)}")
    return 0


def _extras(service: Server, top: str, cursor: str, args: argparse.Namespace) -> dict[str, Any]:
    """Sequential latencies on the service: first vs deep page, counts, facets."""
    port = service.port
    first: list[float] = []
    deep: list[float] = []
    for _ in range(20):  # interleaved, so a change in machine load hits both alike
        first += _timed(port, f"/v1/claims?source={top}&limit=50", 3)
        if cursor:
            deep += _timed(port, f"/v1/claims?source={top}&limit=50&cursor={cursor}", 3)
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
    }
    for name, path in probes.items():
        took = _timed(port, path, 5)
        found[f"{name}_p50_ms"] = statistics.median(took)
        found[f"{name}_max_ms"] = max(took)
    return found


def _report(results: dict[str, Any], found: list[Scenario], order: list[str]) -> None:
    load = results["load"]
    print("\nThroughput (req/s), latency p50 / p99 (ms)")
    header = ["scenario"] + [f"{name}" for name in order]
    ratios = [r for r in ("ceiling", "datasette") if r in order]
    header += [f"svc/{r}" for r in ratios]
    rows = [header]
    for scenario in found:
        measured = load.get(scenario.name, {})
        cells = [scenario.name]
        for name in order:
            r = measured.get(name)
            cells.append(f"{r['rps']:.0f} ({r['p50_ms']:.1f}/{r['p99_ms']:.0f})" if r else "-")
        for ratio in ratios:
            if "service" in measured and ratio in measured and measured[ratio]["rps"]:
                cells.append(f"{measured['service']['rps'] / measured[ratio]['rps']:.2f}")
            else:
                cells.append("-")
        rows.append(cells)
    widths = [max(len(row[n]) for row in rows) for n in range(len(header))]
    for row in rows:
        print(_row(row, widths))
    print("\nScenarios:")
    for scenario in found:
        print(f"  {scenario.name:<14} {scenario.label}")
    extra = results["extra"]
    print("\nService, sequential requests (p50 ms):")
    for key, value in extra.items():
        if key == "export":
            continue
        print(f"  {key:<36} {value:>10.2f}")
    if "export" in extra:
        e = extra["export"]
        print(
            f"  NDJSON export: {e['claims']:,} claims, {e['megabytes']:.0f} MB in "
            f"{e['seconds']:.1f} s ({e['claims_per_s']:,.0f} claims/s), "
            f"server peak RSS {e['peak_rss_mb']:.0f} MB (status {e['status']})"
        )


if __name__ == "__main__":
    raise SystemExit(main())
