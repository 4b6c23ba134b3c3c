"""wrk runs: one URL, or a list of URLs cycled so that no two requests in a row are the same."""

from __future__ import annotations

import re
import subprocess
import tempfile
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from bench.procs import HOST

__all__ = ["WrkResult", "run_wrk", "url_list_script"]

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


def url_list_script(paths: Sequence[str]) -> str:
    """A wrk Lua script sending `paths` in turn; each thread starts at its own place.

    Each wrk thread has its own Lua state and its own connections; the offsets
    spread the threads over the list so they do not ask the same thing at once.
    """
    quoted = ",\n".join(f"  [==[{path}]==]" for path in paths)
    return (
        f"local paths = {{\n{quoted}\n}}\n"
        "local threads = 0\n"
        "function setup(thread)\n"
        "  thread:set('offset', threads)\n"
        "  threads = threads + 1\n"
        "end\n"
        "local n = 0\n"
        "function init(args)\n"
        "  n = ((offset or 0) * 7919) % #paths\n"
        "end\n"
        "function request()\n"
        "  n = n % #paths + 1\n"
        "  return wrk.format('GET', paths[n])\n"
        "end\n"
    )


def run_wrk(
    port: int, paths: Sequence[str], *, duration: int, connections: int, threads: int
) -> WrkResult:
    """wrk against 127.0.0.1:port for `duration` seconds, cycling through `paths`."""
    argv = [
        "wrk",
        f"-t{threads}",
        f"-c{connections}",
        f"-d{duration}s",
        "--timeout",
        "30s",
        "--latency",
    ]
    with tempfile.TemporaryDirectory(prefix="claims-wrk-") as folder:
        if len(paths) > 1:
            script = Path(folder) / "urls.lua"
            script.write_text(url_list_script(paths), encoding="utf-8")
            argv += ["-s", str(script)]
        argv.append(f"http://{HOST}:{port}{paths[0]}")
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
