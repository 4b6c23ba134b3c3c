"""Read throughput of the service against two ceilings and Datasette, driven by wrk.

Run: .venv/bin/python -m bench.http [--db URL]... [--duration 12] [--connections 32]

For each database (--db may be given more than once: SQLite and PostgreSQL
figures end in one table) this starts, on free 127.0.0.1 ports:
- `service`: `claimsapi serve` (1 worker on SQLite, 2 on PostgreSQL, no access
  log) with the response cache off, and `cached`: the same with it on, driven
  through the mix twice: from an empty cache, then (`warm`) once every distinct
  request of the mix has been asked once;
- `stored`: bench/stored.py, the best a page can cost here: each claim's JSON
  kept ready in a side table of the bench database (built on first use), a
  page one index range scan and a concatenation (sqlite3 or psycopg);
- on SQLite, `ceiling`: bench/ceiling.py (the service's own SQL through bare
  sqlite3 and orjson) and Datasette (canned queries of the same SQL, from the
  `bench` extra).
Every workload is a list of distinct URLs cycled by wrk (bench/scenarios.py:
filtered pages over many values and cursors; bench/mix.py: a Zipf-like mix of
facets, counts and searches). Then, on the service alone: first vs deep page,
counts and facets one request at a time, an NDJSON export of every claim, and
peak RSS under load. Every process started here is stopped on the way out.
"""

from __future__ import annotations

import argparse
import os
import shutil
import sys
import tempfile
import time
from dataclasses import asdict
from pathlib import Path
from typing import Any

import orjson
from sqlalchemy.engine import make_url

from app.db import create_db_engine, is_sqlite
from bench import stored
from bench.mix import zipf_mix
from bench.procs import HOST, RssSampler, Server, free_port, get, servers, wait_idle
from bench.report import print_combined, print_report
from bench.scenarios import Workload, page_workloads, pick_values
from bench.seed import DEFAULT_DB
from bench.sequential import export, sequential
from bench.wrk import run_wrk

__all__ = ["main"]

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
SERVERS = ("service", "cached", "ceiling", "stored", "datasette")
# Which servers answer which workloads: pages are never cached; the mix has counts,
# which the service-SQL ceiling does not serve.
_PAGE_SERVERS = ("service", "ceiling", "stored", "datasette")
_MIX_SERVERS = ("service", "cached", "datasette")


def _uvicorn(name: str, module: str, env: dict[str, str], workers: int, tmp: Path) -> Server:
    port = free_port()
    argv = [sys.executable, "-m", "uvicorn", module, "--host", HOST, "--port", str(port)]
    argv += ["--no-access-log", "--log-level", "warning", "--workers", str(workers)]
    return Server(
        name,
        argv,
        port,
        env={**env, "PYTHONPATH": str(ROOT)},
        ready_path="/v1/claims?limit=1",
        log=tmp / f"{name}.log",
    )


def _service(name: str, url: str, workers: int, cache: bool, tmp: Path) -> Server:
    port = free_port()
    argv = [str(BIN / "claimsapi"), "serve", "--host", HOST, "--port", str(port)]
    env = {
        "CLAIMS_DATABASE_URL": url,
        "CLAIMS_LOG_LEVEL": "WARNING",
        "CLAIMS_RESPONSE_CACHE": "true" if cache else "false",
    }
    return Server(
        name,
        [*argv, "--workers", str(workers)],
        port,
        env=env,
        ready_path="/healthz",
        log=tmp / f"{name}.log",
    )


def _servers(wanted: set[str], url: str, tmp: Path) -> dict[str, Server]:
    sqlite = is_sqlite(url)
    workers = 1 if sqlite else 2
    made: dict[str, Server] = {"service": _service("service", url, workers, False, tmp)}
    if "cached" in wanted:
        made["cached"] = _service("cached", url, workers, True, tmp)
    if "stored" in wanted:
        made["stored"] = _uvicorn("stored", "bench.stored:app", {"BENCH_DB": url}, workers, tmp)
    if not sqlite:
        return made
    path = str(Path(make_url(url).database or "").resolve())
    if "ceiling" in wanted:
        made["ceiling"] = _uvicorn("ceiling", "bench.ceiling:app", {"BENCH_SQLITE": path}, 1, tmp)
    datasette = shutil.which("datasette", path=str(BIN)) or shutil.which("datasette")
    if "datasette" in wanted and datasette is None:
        print("Datasette is not installed (pip install -e '.[bench]'): skipping it")
    elif "datasette" in wanted and datasette is not None:
        port = free_port()
        argv = [datasette, "serve", "--immutable", path, "--host", HOST, "--port", str(port)]
        argv += ["--metadata", str(tmp / "metadata.json")]
        argv += ["--setting", "sql_time_limit_ms", "120000"]
        argv += ["--setting", "max_returned_rows", "1000"]
        made["datasette"] = Server(
            "datasette", argv, port, ready_path="/-/versions.json", log=tmp / "datasette.log"
        )
    return made


def _datasette_metadata(workloads: list[Workload], database: str, folder: Path) -> None:
    queries: dict[str, dict[str, str]] = {}
    for workload in workloads:
        queries.update({name: {"sql": sql} for name, sql in workload.canned.items()})
    path = folder / "metadata.json"
    path.write_bytes(orjson.dumps({"databases": {database: {"queries": queries}}}))


def _compare(made: dict[str, Server], workloads: list[Workload]) -> list[str]:
    """Where a ceiling's items differ from the service's (there should be nowhere)."""
    problems: list[str] = []
    for workload in workloads:
        for name in ("ceiling", "stored"):
            if name not in made or workload.name == "mix":
                continue
            ours, theirs = workload.urls("service")[:3], workload.urls(name)[:3]
            for mine, bare in zip(ours, theirs, strict=False):
                a = orjson.loads(get(made["service"].port, mine)[1])
                b = orjson.loads(get(made[name].port, bare)[1])
                if a.get("items") != b.get("items"):
                    problems.append(f"{workload.name}: {name}'s items differ from the service's")
                    break
    return problems


def _drive(
    made: dict[str, Server],
    workloads: list[Workload],
    database: str,
    args: argparse.Namespace,
) -> tuple[dict[str, Any], dict[str, float]]:
    """Every workload on every server that answers it: wrk figures and peak RSS (MB)."""
    load: dict[str, Any] = {}
    peaks: dict[str, float] = {}
    for name in [n for n in SERVERS if n in made]:
        server = made[name]
        for workload in workloads:
            allowed = _MIX_SERVERS if workload.name == "mix" else _PAGE_SERVERS
            urls = workload.urls(name, database) if name in allowed else []
            if not urls:
                continue
            status, body = get(server.port, urls[0])
            if status != 200:
                print(f"warning: {name} {urls[0]} answered {status}: {body[:300]!r}")
            runs = [name]
            if name == "cached":
                # Once from an empty cache, once more after every answer was asked once.
                runs.append("warm")
            for label in runs:
                if label == "warm":
                    started = time.perf_counter()
                    for url in dict.fromkeys(urls):
                        get(server.port, url)
                    print(f"  (cache warmed in {time.perf_counter() - started:.0f} s)")
                with RssSampler(server.pid, 0.2) as sampler:
                    result = run_wrk(
                        server.port,
                        urls,
                        duration=args.duration,
                        connections=args.connections,
                        threads=args.threads,
                    )
                    drained = wait_idle(server.pid)
                peaks[name] = max(peaks.get(name, 0.0), sampler.peak_kib / 1024)
                load.setdefault(workload.name, {})[label] = {
                    **asdict(result),
                    "urls": len(urls),
                    "distinct": len(set(urls)),
                    "peak_rss_mb": sampler.peak_kib / 1024,
                    "peak_rss_one_process_mb": sampler.peak_one_kib / 1024,
                }
                print(
                    f"  {label:<9} {workload.name:<14} {result.rps:>8.0f} req/s  "
                    f"p50 {result.p50_ms:>8.1f} ms  p99 {result.p99_ms:>8.1f} ms  "
                    f"RSS {sampler.peak_kib / 1024:>5.0f} MB  {len(set(urls))} URLs"
                    + (f"  ({result.errors} errors)" if result.errors else "")
                    + (f"  (busy {drained:.0f} s after)" if drained > 2 else ""),
                    flush=True,
                )
    return load, peaks


def run(url: str, args: argparse.Namespace) -> dict[str, Any]:
    """The whole benchmark on one database: its results."""
    sqlite = is_sqlite(url)
    wanted = set(args.servers.split(","))
    if "stored" in wanted:
        took = stored.build(url)
        if took:
            print(f"stored JSON side table built in {took:.0f} s")
    engine = create_db_engine(url, pool_size=1)
    picks = pick_values(engine)
    engine.dispose()
    database = Path(make_url(url).database or "").stem if sqlite else ""
    results: dict[str, Any] = {
        "db": make_url(url).render_as_string(hide_password=True),
        "backend": "sqlite" if sqlite else "postgresql",
        "started": time.strftime("%Y-%m-%d %H:%M:%S"),
        "load_average_at_start": os.getloadavg()[0],
        "settings": {k: v for k, v in vars(args).items() if k != "db"},
    }
    print(
        f"bench.http: {results['db']}, wrk {args.threads} threads x {args.connections} "
        f"connections, {args.duration} s per run, {os.cpu_count()} cores, "
        f"load average {os.getloadavg()[0]:.2f} at start",
        flush=True,
    )
    with tempfile.TemporaryDirectory(prefix="claims-bench-") as tmp_name:
        tmp = Path(tmp_name)
        made = _servers(wanted, url, tmp)
        with servers(*made.values()):
            service = made["service"]
            service.start()
            service.wait_ready()
            workloads = page_workloads(service.port, picks, cap=args.urls, deep=args.deep_pages)
            workloads.append(zipf_mix(picks, size=args.mix_size))
            if args.only:
                only = set(args.only.split(","))
                workloads = [w for w in workloads if w.name in only]
            if "datasette" in made:
                _datasette_metadata(workloads, database, tmp)
            others = [server for name, server in made.items() if name != "service"]
            for server in others:
                server.start()
            for server in others:
                try:
                    server.wait_ready()
                except RuntimeError as exc:  # an anchor that cannot serve is left out
                    print(f"warning: {exc}; leaving {server.name} out")
                    server.stop()
                    del made[server.name]
            for problem in _compare(made, workloads):
                print("warning:", problem)
            results["workloads"] = {w.name: w.label for w in workloads}
            results["load"], results["peak_rss_mb"] = _drive(made, workloads, database, args)
            results["extra"] = sequential(service.port, workloads, picks.sources[0][0])
            if not args.no_export:
                results["extra"]["export"] = export(service.port, service.pid)
    print_report(results)
    out = (
        ROOT / "bench" / "data" / f"http-{results['backend']}-{time.strftime('%Y%m%d-%H%M%S')}.json"
    )
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_bytes(orjson.dumps(results, option=orjson.OPT_INDENT_2))
    print(f"\nresults written to {out.relative_to(ROOT)}")
    return results


def main(argv: list[str] | None = None) -> int:
    """Run the benchmark on each database and print its tables."""
    parser = argparse.ArgumentParser(
        prog="python -m bench.http", description=__doc__.split("\n")[0]
    )
    parser.add_argument(
        "--db", action="append", help=f"database URL, repeatable (default {DEFAULT_DB})"
    )
    parser.add_argument("--duration", type=int, default=12, help="seconds of wrk per run")
    parser.add_argument("--connections", type=int, default=32)
    parser.add_argument("--threads", type=int, default=2, help="wrk threads")
    parser.add_argument("--urls", type=int, default=200, help="distinct URLs per page workload")
    parser.add_argument("--mix-size", type=int, default=3000, help="requests drawn for the mix")
    parser.add_argument(
        "--deep-pages", type=int, default=200, help="cursor depth of the deep-page workload"
    )
    parser.add_argument(
        "--servers", default=",".join(SERVERS), help="comma-separated subset to start and drive"
    )
    parser.add_argument("--only", default="", help="comma-separated workload names")
    parser.add_argument("--no-export", action="store_true", help="skip the NDJSON export")
    args = parser.parse_args(argv)
    if shutil.which("wrk") is None:
        print("wrk is not installed (apt-get install wrk)", file=sys.stderr)
        return 2
    every = [run(url, args) for url in args.db or [DEFAULT_DB]]
    if len(every) > 1:
        print_combined(every)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
