"""A per-client token bucket: each client may write `rate` times per `period`, in bursts."""

from __future__ import annotations

import math
import threading
import time
from collections import OrderedDict
from collections.abc import Callable

__all__ = ["RateLimiter", "parse_rate"]

_PERIODS = {"second": 1.0, "minute": 60.0, "hour": 3600.0}


def parse_rate(value: str) -> tuple[int, float]:
    """'120/minute' -> (120, 60.0); '0' or '' -> (0, 0.0), no limit."""
    value = value.strip().lower()
    if value in ("", "0", "off", "none"):
        return 0, 0.0
    count, _, period = value.partition("/")
    if not count.isdigit() or period not in _PERIODS or int(count) < 1:
        raise ValueError("use N/second, N/minute or N/hour (or 0 for no limit)")
    return int(count), _PERIODS[period]


class RateLimiter:
    """Token buckets per client key, refilled continuously; thread-safe and bounded in memory."""

    def __init__(
        self,
        *,
        rate: int,
        period: float,
        max_clients: int = 100_000,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.rate = rate
        self.period = period
        self._clock = clock
        self._max_clients = max_clients
        self._buckets: OrderedDict[str, tuple[float, float]] = OrderedDict()
        self._lock = threading.Lock()

    @property
    def enabled(self) -> bool:
        """False when configured without a limit."""
        return self.rate > 0

    def acquire(self, client: str) -> float:
        """Take one token for `client`: 0.0 if allowed, else seconds until the next one."""
        if not self.enabled:
            return 0.0
        refill = self.rate / self.period  # tokens per second
        now = self._clock()
        with self._lock:
            tokens, last = self._buckets.pop(client, (float(self.rate), now))
            tokens = min(float(self.rate), tokens + (now - last) * refill)
            if tokens >= 1.0:
                tokens -= 1.0
                wait = 0.0
            else:
                wait = (1.0 - tokens) / refill
            self._buckets[client] = (tokens, now)
            while len(self._buckets) > self._max_clients:
                self._buckets.popitem(last=False)  # forget the longest-idle client
        return wait

    @staticmethod
    def retry_after(wait: float) -> str:
        """A Retry-After header value for a wait in seconds."""
        return str(max(1, math.ceil(wait)))
