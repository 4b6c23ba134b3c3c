"""Peak RSS of the service with its response cache filled past its bound.

Run: .venv/bin/python -m bench.cache_rss [--db URL] [--mb 32] [--entries 2048]

Starts `claimsapi serve` with the cache on and walks the cursor chain of the
most cited source with `count=exact` (each page a distinct cached answer of
about 35 KB) until the bytes kept pass the bound by half, then prints the
service's RSS before, its peak, and the bodies' total.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

import orjson

from app.db import create_db_engine
from bench.procs import HOST, RssSampler, Server, free_port, get, rss_kib, servers
from bench.scenarios import pick_values
from bench.seed import DEFAULT_DB

__all__ = ["main"]


def main(argv: list[str] | None = None) -> int:
    """Fill the cache past its bound and print the service's memory."""
    parser = argparse.ArgumentParser(prog="python -m bench.cache_rss")
    parser.add_argument("--db", default=DEFAULT_DB)
    parser.add_argument("--mb", type=int, default=32, help="CLAIMS_RESPONSE_CACHE_MB")
    parser.add_argument("--entries", type=int, default=2048, help="CLAIMS_RESPONSE_CACHE_ENTRIES")
    args = parser.parse_args(argv)
    engine = create_db_engine(args.db, pool_size=1)
    top = pick_values(engine).sources[0][0]
    engine.dispose()
    port = free_port()
    with tempfile.TemporaryDirectory(prefix="claims-cache-rss-") as tmp:
        service = Server(
            "service",
            [
                str(Path(sys.executable).parent / "claimsapi"),
                "serve",
                "--host",
                HOST,
                "--port",
                str(port),
                "--workers",
                "1",
            ],
            port,
            env={
                "CLAIMS_DATABASE_URL": args.db,
                "CLAIMS_LOG_LEVEL": "WARNING",
                "CLAIMS_RESPONSE_CACHE_MB": str(args.mb),
                "CLAIMS_RESPONSE_CACHE_ENTRIES": str(args.entries),
            },
            ready_path="/healthz",
            log=Path(tmp) / "service.log",
        )
        with servers(service):
            service.start()
            service.wait_ready()
            get(port, f"/v1/claims?source={top}&limit=50")
            before = rss_kib(service.pid)[0] / 1024
            sent = pages = 0
            cursor = ""
            started = time.perf_counter()
            with RssSampler(service.pid) as sampler:
                while sent < args.mb * 1.5 * 1024 * 1024:
                    path = f"/v1/claims?source={top}&limit=50&count=exact"
                    status, body = get(port, path + (f"&cursor={cursor}" if cursor else ""))
                    if status != 200:
                        raise RuntimeError(f"GET {path}: {status}")
                    sent += len(body)
                    pages += 1
                    cursor = orjson.loads(body)["next_cursor"] or ""
                    if not cursor:
                        break
            print(
                f"bench.cache_rss: {args.db}, cache bound {args.entries} answers / {args.mb} MiB\n"
                f"  {pages} distinct answers, {sent / 1048576:.1f} MiB of JSON, "
                f"in {time.perf_counter() - started:.0f} s\n"
                f"  service RSS before {before:.0f} MB, peak {sampler.peak_kib / 1024:.0f} MB, "
                f"after {rss_kib(service.pid)[0] / 1024:.0f} MB"
            )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
