"""The file lane, `claimsapi ingest`: files, folders and NDJSON, split in parallel.

A pool of processes splits while this process stores, in input order and in
groups that share a transaction (each article whole or not at all), as the batch
endpoint does. Every article is checked as POST /v1/articles would check it.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import orjson
from sqlalchemy.engine import Engine

from app.schemas import ArticleIn
from app.services.ingest.batch import parse_ndjson_line
from app.services.ingest.check import ArticleProblem, checked_article
from app.services.ingest.pool import POOL_MINIMUM, SplitPool
from app.services.ingest.store import store_prepared
from app.services.splitters import SplitterSetup

__all__ = [
    "ARTICLE_SUFFIXES",
    "FileArticle",
    "Stored",
    "article_from_file",
    "count_articles",
    "ingest_articles",
    "read_articles",
]

_FORMAT_BY_SUFFIX = {".md": "markdown", ".markdown": "markdown", ".html": "html", ".htm": "html"}
# What a folder contributes: article files by suffix (.ndjson only when named directly).
ARTICLE_SUFFIXES = frozenset({".txt", ".md", ".markdown", ".html", ".htm", ".json"})


@dataclass(frozen=True, slots=True)
class FileArticle:
    """One article read from disk (`label` is the path, or path:line), or why it could not be."""

    label: str
    article: ArticleIn | ArticleProblem


@dataclass(frozen=True, slots=True)
class Stored:
    """What happened to one article: its id and whether it is new, or the error."""

    label: str
    article_id: int | None
    created: bool
    error: str | None = None


def article_from_file(path: Path, format_override: str | None) -> dict[str, Any]:
    """An ArticleIn-shaped dict from a file: raw text by suffix, or JSON article/eval case."""
    if path.suffix == ".json":
        data = orjson.loads(path.read_bytes())
        if isinstance(data, dict) and isinstance(data.get("input"), dict):
            data = data["input"]  # an evaluation case
        if not isinstance(data, dict):
            raise ValueError("a .json file must hold one article object")
        article = {
            key: data[key]
            for key in ("text", "format", "title", "url", "published_at")
            if key in data
        }
        if format_override:
            article["format"] = format_override
        return article
    text = path.read_text(encoding="utf-8")
    return {
        "text": text,
        "format": format_override or _FORMAT_BY_SUFFIX.get(path.suffix.lower(), "text"),
    }


def _expand(names: Sequence[str]) -> list[Path]:
    paths: list[Path] = []
    for name in names:
        path = Path(name)
        if path.is_dir():
            paths.extend(
                sorted(
                    p
                    for p in path.rglob("*")
                    if p.is_file() and p.suffix.lower() in ARTICLE_SUFFIXES
                )
            )
        else:
            paths.append(path)
    return paths


def _is_ndjson(path: Path) -> bool:
    return path.suffix.lower() == ".ndjson"


def count_articles(names: Sequence[str]) -> int:
    """How many articles the named files, folders and NDJSON files hold (for the progress bar)."""
    total = 0
    for path in _expand(names):
        if _is_ndjson(path):
            try:
                with path.open("rb") as lines:
                    total += sum(1 for line in lines if line.strip())
            except OSError:
                total += 1  # reported as one failure when read
        else:
            total += 1
    return total


def _checked(label: str, raw: Any, *, max_article_bytes: int) -> FileArticle:
    return FileArticle(label, checked_article(raw, max_article_bytes=max_article_bytes))


def _unreadable(label: str, exc: Exception) -> FileArticle:
    return FileArticle(label, ArticleProblem(400, str(exc).splitlines()[0]))


def read_articles(
    names: Sequence[str], *, format_override: str | None, max_article_bytes: int
) -> Iterator[FileArticle]:
    """Every article the named files, folders (recursively, sorted) and NDJSON files hold."""
    for path in _expand(names):
        if not _is_ndjson(path):
            try:
                raw: Any = article_from_file(path, format_override)
            except (OSError, ValueError) as exc:
                yield _unreadable(str(path), exc)
                continue
            yield _checked(str(path), raw, max_article_bytes=max_article_bytes)
            continue
        try:
            with path.open("rb") as lines:
                for number, line in enumerate(lines, 1):
                    if not line.strip():
                        continue
                    raw = parse_ndjson_line(line)
                    if format_override and isinstance(raw, dict):
                        raw["format"] = format_override
                    label = f"{path}:{number}"
                    yield _checked(label, raw, max_article_bytes=max_article_bytes)
        except OSError as exc:
            yield _unreadable(str(path), exc)


def ingest_articles(
    engine: Engine,
    *,
    articles: Iterable[FileArticle],
    setup: SplitterSetup,
    jobs: int,
    total: int,
) -> Iterator[Stored]:
    """Split (in `jobs` processes when there are enough articles; 0: in this one) and store
    the articles, each whole or not at all, in input order; yield what happened to each."""
    labels: deque[str] = deque()

    def entries() -> Iterator[ArticleIn | ArticleProblem]:
        for item in articles:
            labels.append(item.label)  # results come back in this order
            yield item.article

    workers = jobs if total >= POOL_MINIMUM else 0
    # fork: this command runs no threads that do work, and forked workers start at once.
    with SplitPool(workers, start_method="fork") as pool:
        prepared = pool.prepare(setup.splitter, entries())
        for outcome in store_prepared(engine, prepared, actors=setup.actors):
            label = labels.popleft()
            if isinstance(outcome, ArticleProblem):
                yield Stored(label, None, created=False, error=outcome.message())
            else:
                yield Stored(label, outcome.article_id, created=outcome.created)
