"""Per-client token buckets: each client may act `rate` times per `period`, in bursts.

Buckets live in this process (`RateLimiter`) or, so that a limit holds across
serving processes and hosts, in Redis (`RedisRateLimiter`, one Lua script per
decision, on Redis's clock). Both answer the same two questions: may this
client act now (taking a token), and is it out of tokens (taking none).
"""

from __future__ import annotations

import logging
import math
import threading
import time
from collections import OrderedDict
from collections.abc import Callable
from typing import Protocol

__all__ = ["Limiter", "RateLimiter", "RedisRateLimiter", "parse_rate", "retry_after"]

log = logging.getLogger("claimsapi")

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


def retry_after(wait: float) -> str:
    """A Retry-After header value for a wait in seconds."""
    return str(max(1, math.ceil(wait)))


class Limiter(Protocol):
    """What the write gate asks of a limiter."""

    rate: int

    async def take(self, client: str) -> float:
        """Take one token: 0.0 if allowed, else seconds until the next one."""
        ...

    async def peek(self, client: str) -> float:
        """0.0 if the client has a token left, else seconds until it has; takes none."""
        ...


class RateLimiter:
    """Token buckets per client key in this process; thread-safe and bounded in memory."""

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

    def acquire(self, client: str, *, take: bool = True) -> float:
        """Take one token for `client` (unless not `take`): 0.0 if it has one, else the wait."""
        if not self.enabled:
            return 0.0
        refill = self.rate / self.period  # tokens per second
        now = self._clock()
        with self._lock:
            tokens, last = self._buckets.pop(client, (float(self.rate), now))
            tokens = min(float(self.rate), tokens + (now - last) * refill)
            if tokens >= 1.0:
                tokens -= 1.0 if take else 0.0
                wait = 0.0
            else:
                wait = (1.0 - tokens) / refill
            self._buckets[client] = (tokens, now)
            while len(self._buckets) > self._max_clients:
                self._buckets.popitem(last=False)  # forget the longest-idle client
        return wait

    async def take(self, client: str) -> float:
        """Take one token: 0.0 if allowed, else seconds until the next one."""
        return self.acquire(client)

    async def peek(self, client: str) -> float:
        """0.0 if the client has a token left, else seconds until it has; takes none."""
        return self.acquire(client, take=False)

    @staticmethod
    def retry_after(wait: float) -> str:
        """A Retry-After header value for a wait in seconds."""
        return retry_after(wait)


# KEYS[1] the bucket; ARGV rate, period (s), take (1/0). Returns the wait in seconds
# as a string (Lua numbers come back from Redis truncated to integers). Redis's
# clock, so every instance refills a bucket at the same pace.
_BUCKET_SCRIPT = """
local rate = tonumber(ARGV[1])
local period = tonumber(ARGV[2])
local take = tonumber(ARGV[3])
local clock = redis.call('TIME')
local now = tonumber(clock[1]) + tonumber(clock[2]) / 1000000
local bucket = redis.call('HMGET', KEYS[1], 'tokens', 'ts')
local tokens = tonumber(bucket[1])
local last = tonumber(bucket[2])
if tokens == nil or last == nil then
  tokens = rate
  last = now
end
local refill = rate / period
tokens = math.min(rate, tokens + math.max(0, now - last) * refill)
local wait = 0
if tokens >= 1 then
  tokens = tokens - take
else
  wait = (1 - tokens) / refill
end
redis.call('HSET', KEYS[1], 'tokens', string.format('%.6f', tokens), 'ts',
  string.format('%.6f', now))
redis.call('PEXPIRE', KEYS[1], math.ceil(period * 1000) + 1000)
return string.format('%.6f', wait)
"""


class RedisRateLimiter:
    """Token buckets in Redis, shared by every process that names the same `prefix`.

    When Redis cannot be reached the request is let through (and the failure
    logged): an outage of the limiter's store must not stop the service.
    """

    def __init__(self, *, url: str, rate: int, period: float, prefix: str) -> None:
        from redis import asyncio as redis_asyncio

        self.rate = rate
        self.period = period
        self.prefix = prefix
        self._client = redis_asyncio.Redis.from_url(
            url, socket_timeout=1.0, socket_connect_timeout=1.0
        )
        self._script = self._client.register_script(_BUCKET_SCRIPT)
        self._warned = 0.0

    async def _wait(self, client: str, take: int) -> float:
        if self.rate <= 0:
            return 0.0
        from redis.exceptions import RedisError

        try:
            answer = await self._script(
                keys=[f"{self.prefix}{client}"], args=[self.rate, self.period, take]
            )
        except (RedisError, OSError) as exc:
            now = time.monotonic()
            if now - self._warned > 60:  # once a minute, not once a request
                log.warning("rate limit not applied: Redis unreachable (%s)", exc)
                self._warned = now
            return 0.0
        return float(answer)

    async def take(self, client: str) -> float:
        """Take one token: 0.0 if allowed, else seconds until the next one."""
        return await self._wait(client, 1)

    async def peek(self, client: str) -> float:
        """0.0 if the client has a token left, else seconds until it has; takes none."""
        return await self._wait(client, 0)

    async def close(self) -> None:
        """Close the connections to Redis."""
        await self._client.aclose()
