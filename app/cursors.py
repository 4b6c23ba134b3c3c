"""Opaque keyset cursors: what a page ended on, bound to the query it came from."""

from __future__ import annotations

import base64
import binascii
import hashlib
from collections.abc import Mapping, Sequence

import orjson

from app.errors import BadRequest

__all__ = ["decode_cursor", "encode_cursor", "fingerprint"]

_VERSION = 1
# Every key the service issues fits a signed 64-bit column; a larger one would
# overflow the driver (SQLite) rather than match nothing.
_INT64 = range(-(2**63), 2**63)


def fingerprint(params: Mapping[str, Sequence[str]]) -> str:
    """A short digest of the query a cursor belongs to, so it cannot be replayed on another."""
    canonical = orjson.dumps({key: sorted(values) for key, values in sorted(params.items())})
    return hashlib.blake2s(canonical, digest_size=6).hexdigest()


def encode_cursor(key: Sequence[int | str], *, query: str) -> str:
    """The cursor of a page that ended on key."""
    raw = orjson.dumps([_VERSION, query, list(key)])
    return base64.urlsafe_b64encode(raw).rstrip(b"=").decode("ascii")


def decode_cursor(cursor: str, *, query: str, arity: int) -> tuple[int | str, ...]:
    """The key a cursor resumes after; 400 when it is forged, stale or from another query."""
    try:
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4))
        version, bound_to, key = orjson.loads(raw)
    except (binascii.Error, ValueError, TypeError, orjson.JSONDecodeError):
        raise BadRequest("The cursor is not one this service issued.") from None
    if version != _VERSION or not isinstance(key, list) or len(key) != arity:
        raise BadRequest("The cursor is not one this service issued.")
    if bound_to != query:
        raise BadRequest("The cursor belongs to a different query; start again without it.")
    if not all(_valid_part(part) for part in key):
        raise BadRequest("The cursor is not one this service issued.")
    return tuple(key)


def _valid_part(part: object) -> bool:
    if isinstance(part, bool):
        return False
    if isinstance(part, int):
        return part in _INT64
    return isinstance(part, str) and "\x00" not in part
