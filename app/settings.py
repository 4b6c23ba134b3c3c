"""Runtime configuration: one Settings object read from CLAIMS_* environment variables."""

from __future__ import annotations

import functools
import ipaddress
import re
from pathlib import Path
from typing import Annotated, Literal
from urllib.parse import urlsplit

from pydantic import Field, ValidationError, field_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict

from app.ratelimit import parse_rate

__all__ = ["InvalidSettingsError", "Settings", "get_settings", "load_settings"]

_FRAME_SOURCE = re.compile(r"(https?:)|(https?://)?(\*\.)?[A-Za-z0-9.-]+(:(\d{1,5}|\*))?")
LogLevel = Literal["DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL"]


class InvalidSettingsError(Exception):
    """A CLAIMS_* variable has a value the service cannot start with."""


class Settings(BaseSettings):
    """Everything the service reads from its environment."""

    model_config = SettingsConfigDict(env_prefix="CLAIMS_", extra="ignore", frozen=True)

    database_url: str = "sqlite:///./data/claims.db"
    api_keys: Annotated[tuple[str, ...], NoDecode] = ()
    max_article_bytes: int = Field(default=2 * 1024 * 1024, ge=1024, le=1024 * 1024 * 1024)
    max_batch_bytes: int = Field(default=64 * 1024 * 1024, ge=1024, le=4 * 1024 * 1024 * 1024)
    cors_origins: Annotated[tuple[str, ...], NoDecode] = ()
    log_level: LogLevel = "INFO"
    topics_file: Path | None = None
    topics_mode: Literal["extend", "replace"] = "extend"
    ner_model: str | None = None  # an installed spaCy model (the `ner` extra)
    write_rate_limit: str = "600/minute"  # per client (valid API key, else address); 0 = none
    # Failed authentications per client address; past it every write from there is 429.
    auth_failure_rate_limit: str = "10/minute"
    # Addresses (or networks) of proxies whose X-Forwarded-For/-Proto are believed.
    trusted_proxies: Annotated[tuple[str, ...], NoDecode] = ()
    # Limiter state in Redis, shared by every serving process and host using it.
    redis_url: str | None = None
    # Slow clients: seconds to send the request headers, between two reads of the
    # body, and idle between two requests on one connection.
    header_timeout: float = Field(default=10.0, gt=0, le=3600)
    body_timeout: float = Field(default=30.0, gt=0, le=3600)
    keep_alive_timeout: float = Field(default=5.0, gt=0, le=3600)
    # Wall-clock seconds one split may take before it is stopped (413).
    split_timeout: float = Field(default=30.0, gt=0, le=3600)
    # Processes that split bulk-ingested articles; unset: one per core but the writer's.
    split_workers: int | None = Field(default=None, ge=0, le=256)
    # Where the service is reached from outside, e.g. https://claims.example.org: the base
    # of absolute links (og:url, oEmbed). Unset: relative links, and absolute ones only
    # for a request made on the machine itself (localhost).
    public_url: str | None = None
    # Answers of facets, counts and searches kept until the next write (app/response_cache.py),
    # at most this many and this many MiB of JSON; off for benchmarks of the uncached path.
    response_cache: bool = True
    response_cache_entries: int = Field(default=2048, ge=1, le=1_000_000)
    response_cache_mb: int = Field(default=32, ge=1, le=4096)
    # Origins whose pages may frame the embeddable claim cards (CSP frame-ancestors).
    embed_frame_ancestors: Annotated[tuple[str, ...], NoDecode] = ()

    @field_validator("public_url")
    @classmethod
    def _base_url(cls, value: str | None) -> str | None:
        if not value:
            return None
        parts = urlsplit(value)
        if parts.scheme not in ("http", "https") or not parts.hostname:
            raise ValueError("must be an http:// or https:// URL")
        if parts.query or parts.fragment:
            raise ValueError("must have no query or fragment")
        return value.rstrip("/")

    @field_validator("embed_frame_ancestors")
    @classmethod
    def _sources(cls, value: tuple[str, ...]) -> tuple[str, ...]:
        for source in value:
            # A CSP source expression: a quoted keyword, a scheme, or a host (wildcards allowed).
            if source not in ("'self'", "*") and not _FRAME_SOURCE.fullmatch(source):
                raise ValueError(f"'{source}' is not an origin such as https://cms.example.org")
        return value

    @field_validator("write_rate_limit", "auth_failure_rate_limit")
    @classmethod
    def _rate(cls, value: str) -> str:
        parse_rate(value)
        return value

    @field_validator("topics_file")
    @classmethod
    def _readable(cls, value: Path | None) -> Path | None:
        if value is not None and not value.is_file():
            raise ValueError(f"no such file: {value}")
        return value

    @field_validator("redis_url")
    @classmethod
    def _redis(cls, value: str | None) -> str | None:
        if value is not None and not value.startswith(("redis://", "rediss://", "unix://")):
            raise ValueError("must be a redis://, rediss:// or unix:// URL")
        return value or None

    @field_validator("trusted_proxies")
    @classmethod
    def _networks(cls, value: tuple[str, ...]) -> tuple[str, ...]:
        for item in value:
            ipaddress.ip_network(item, strict=False)  # ValueError names a bad one
        return value

    @field_validator(
        "api_keys", "cors_origins", "trusted_proxies", "embed_frame_ancestors", mode="before"
    )
    @classmethod
    def _comma_separated(cls, value: object) -> object:
        if isinstance(value, str):
            return tuple(item.strip() for item in value.split(",") if item.strip())
        return value

    @field_validator("log_level", mode="before")
    @classmethod
    def _upper(cls, value: object) -> object:
        return value.upper() if isinstance(value, str) else value

    @field_validator("database_url")
    @classmethod
    def _known_backend(cls, value: str) -> str:
        if not value.startswith(("sqlite://", "postgresql://", "postgresql+psycopg://")):
            raise ValueError("must be a sqlite:// or postgresql+psycopg:// URL")
        if value.startswith("postgresql://"):
            # psycopg 3 is the only PostgreSQL driver installed; say so once, here.
            value = "postgresql+psycopg://" + value.removeprefix("postgresql://")
        return value

    @property
    def writes_open(self) -> bool:
        """True when no API key is configured and anyone may write."""
        return not self.api_keys


def load_settings(**overrides: object) -> Settings:
    """Read the environment; raise InvalidSettingsError naming the bad variable."""
    try:
        return Settings(**overrides)  # type: ignore[arg-type]
    except ValidationError as exc:
        first = exc.errors()[0]
        field = str(first["loc"][0]) if first["loc"] else "?"
        raise InvalidSettingsError(
            f"invalid setting CLAIMS_{field.upper()}: {first['msg']}"
        ) from None


@functools.cache
def get_settings() -> Settings:
    """The process-wide settings, read once."""
    return load_settings()
