"""Child servers for the benchmark: free loopback ports, start, wait ready, memory, stop."""

from __future__ import annotations

import contextlib
import http.client
import os
import signal
import socket
import subprocess
import threading
import time
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path

__all__ = [
    "HOST",
    "RssSampler",
    "Server",
    "free_port",
    "get",
    "rss_kib",
    "servers",
    "tree_rss_kib",
    "wait_idle",
]

HOST = "127.0.0.1"


def free_port() -> int:
    """A TCP port free on the loopback interface right now."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind((HOST, 0))
        return int(sock.getsockname()[1])


def get(port: int, path: str, *, timeout: float = 120.0) -> tuple[int, bytes]:
    """GET http://127.0.0.1:port/path: (status, body)."""
    conn = http.client.HTTPConnection(HOST, port, timeout=timeout)
    try:
        conn.request("GET", path)
        response = conn.getresponse()
        return response.status, response.read()
    finally:
        conn.close()


def rss_kib(pid: int) -> tuple[int, int]:
    """(VmRSS, VmHWM) of a process in KiB, from /proc."""
    values = {"VmRSS": 0, "VmHWM": 0}
    with contextlib.suppress(OSError):
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            name, _, rest = line.partition(":")
            if name in values:
                values[name] = int(rest.split()[0])
    return values["VmRSS"], values["VmHWM"]


def _children(pid: int) -> list[int]:
    found: list[int] = []
    with contextlib.suppress(OSError):
        for task in Path(f"/proc/{pid}/task").iterdir():
            with contextlib.suppress(OSError):
                found += [int(child) for child in (task / "children").read_text().split()]
    return found


def tree_rss_kib(pid: int) -> tuple[int, int]:
    """(VmRSS of a process and all its descendants summed, the largest one's VmRSS) in KiB.

    `serve --workers N` runs a supervisor and N serving processes: their sum is
    what the service holds, the largest what one serving process holds.
    """
    total = largest = 0
    pending = [pid]
    while pending:
        current = pending.pop()
        rss = rss_kib(current)[0]
        total += rss
        largest = max(largest, rss)
        pending += _children(current)
    return total, largest


def _cpu_ticks(pid: int) -> int:
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return 0
    own = int(fields[11]) + int(fields[12])  # utime + stime
    return own + sum(_cpu_ticks(child) for child in _children(pid))


def wait_idle(pid: int, *, timeout: float = 120.0) -> float:
    """Wait until a server has finished the requests still queued in it; seconds waited.

    wrk stops sending, but a saturated server is still working through the
    requests its connections had in flight; the next run must not share the CPU.
    """
    started = time.monotonic()
    last = _cpu_ticks(pid)
    while time.monotonic() - started < timeout:
        time.sleep(0.5)
        now = _cpu_ticks(pid)
        if now - last <= 2:  # under 4% of a core
            break
        last = now
    return time.monotonic() - started


@dataclass
class Server:
    """One child server process listening on 127.0.0.1:port."""

    name: str
    argv: Sequence[str]
    port: int
    env: dict[str, str] = field(default_factory=dict)
    ready_path: str = "/"
    log: Path | None = None
    process: subprocess.Popen[bytes] | None = None

    def start(self) -> None:
        """Start the process in its own session, its output to a log file."""
        out = open(self.log, "wb") if self.log else subprocess.DEVNULL  # noqa: SIM115
        self.process = subprocess.Popen(
            list(self.argv),
            env={**os.environ, **self.env},
            stdout=out,
            stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL,
            start_new_session=True,
        )

    def wait_ready(self, timeout: float = 90.0) -> None:
        """Poll ready_path until it answers, the process dies, or timeout passes."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process is None or self.process.poll() is not None:
                raise RuntimeError(f"{self.name} exited at start; see {self.log}")
            with contextlib.suppress(OSError, http.client.HTTPException):
                status, _ = get(self.port, self.ready_path, timeout=5)
                if status < 500:
                    return
            time.sleep(0.2)
        raise RuntimeError(f"{self.name} did not answer within {timeout:.0f} s; see {self.log}")

    @property
    def pid(self) -> int:
        """The server's process id."""
        assert self.process is not None
        return self.process.pid

    def stop(self) -> None:
        """SIGTERM the server's process group, then SIGKILL it after 10 s."""
        if self.process is None or self.process.poll() is not None:
            return
        with contextlib.suppress(ProcessLookupError):
            os.killpg(self.process.pid, signal.SIGTERM)
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait(timeout=10)


@contextlib.contextmanager
def servers(*started: Server) -> Iterator[None]:
    """Stop every server on the way out, also on Ctrl-C, SIGTERM and errors."""

    def terminate(_signum: int, _frame: object) -> None:
        raise KeyboardInterrupt

    previous = signal.signal(signal.SIGTERM, terminate)
    try:
        yield
    finally:
        for server in started:
            server.stop()
        signal.signal(signal.SIGTERM, previous)


class RssSampler:
    """The largest VmRSS of a process (and its descendants), sampled every `interval` s.

    `peak_kib`: the process tree's summed peak; `peak_one_kib`: one process's peak.
    """

    def __init__(self, pid: int, interval: float = 0.1) -> None:
        self.pid = pid
        self.interval = interval
        self.peak_kib = 0
        self.peak_one_kib = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def _run(self) -> None:
        while not self._stop.is_set():
            self._sample()
            self._stop.wait(self.interval)

    def _sample(self) -> None:
        total, largest = tree_rss_kib(self.pid)
        self.peak_kib = max(self.peak_kib, total)
        self.peak_one_kib = max(self.peak_one_kib, largest)

    def __enter__(self) -> RssSampler:
        self._sample()
        self._thread.start()
        return self

    def __exit__(self, *_exc: object) -> None:
        self._stop.set()
        self._thread.join()
