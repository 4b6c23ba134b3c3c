"""Ingestion from disk for `claimsapi ingest`: files, folders and NDJSON, split in parallel.

Splitting is CPU-bound and storing is one writer at a time, so a pool of
processes splits while this process stores each article in its own transaction,
in input order. Every article is checked as POST /v1/articles would check it.
"""

from __future__ import annotations

import multiprocessing
import os
import threading
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import orjson
from sqlalchemy.engine import Engine

from app import services
from app.db import session_scope
from app.errors import AppError
from app.schemas import ArticleIn

__all__ = [
    "ARTICLE_SUFFIXES",
    "FileArticle",
    "Stored",
    "article_from_file",
    "count_articles",
    "default_jobs",
    "ingest_articles",
    "read_articles",
]

_FORMAT_BY_SUFFIX = {".md": "markdown", ".markdown": "markdown", ".html": "html", ".htm": "html"}
# What a folder contributes: article files by suffix (.ndjson only when named directly).
ARTICLE_SUFFIXES = frozenset({".txt", ".md", ".markdown", ".html", ".htm", ".json"})
# Below this many articles a pool costs more than it saves.
_POOL_MINIMUM = 64
_CHUNK = 8


@dataclass(frozen=True, slots=True)
class FileArticle:
    """One article read from disk (`label` is the path, or path:line), or why it could not be."""

    label: str
    article: ArticleIn | None
    error: str | None = None


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
    try:
        article = services.check_article(raw, max_article_bytes=max_article_bytes)
    except AppError as exc:
        issue = exc.errors[0] if exc.errors else None
        where = f" ({'.'.join(issue['loc'][1:])}: {issue['msg']})" if issue else ""
        return FileArticle(label, None, f"{exc.detail}{where}")
    return FileArticle(label, article)


def read_articles(
    names: Sequence[str], *, format_override: str | None, max_article_bytes: int
) -> Iterator[FileArticle]:
    """Every article the named files, folders (recursively, sorted) and NDJSON files hold."""
    for path in _expand(names):
        if not _is_ndjson(path):
            try:
                raw: Any = article_from_file(path, format_override)
            except (OSError, ValueError) as exc:
                yield FileArticle(str(path), None, str(exc).splitlines()[0])
                continue
            yield _checked(str(path), raw, max_article_bytes=max_article_bytes)
            continue
        try:
            with path.open("rb") as lines:
                for number, line in enumerate(lines, 1):
                    if not line.strip():
                        continue
                    raw = services.parse_ndjson_line(line)
                    if format_override and isinstance(raw, dict):
                        raw["format"] = format_override
                    label = f"{path}:{number}"
                    yield _checked(label, raw, max_article_bytes=max_article_bytes)
        except OSError as exc:
            yield FileArticle(str(path), None, str(exc).splitlines()[0])


# The splitter of this process; pool workers inherit it when they fork.
_SPLITTER: list[services.SplitterSetup] = []


def _prepare(item: FileArticle) -> tuple[FileArticle, services.PreparedArticle | None, str | None]:
    if item.article is None:
        return item, None, item.error
    try:
        prepared = services.prepare_article(article=item.article, splitter=_SPLITTER[0].splitter)
    except AppError as exc:
        return item, None, exc.detail
    except Exception as exc:  # a splitter failure fails this article, not the run
        return item, None, f"splitting failed: {type(exc).__name__}: {exc}"
    # The article travels back inside `prepared`; drop the copy in `item`.
    return FileArticle(item.label, None), prepared, None


Prepared = tuple[FileArticle, services.PreparedArticle | None, str | None]


@contextmanager
def _preparer(
    setup: services.SplitterSetup, *, jobs: int
) -> Iterator[Callable[[Iterable[FileArticle]], Iterable[Prepared]]]:
    _SPLITTER[:] = [setup]
    try:
        if jobs < 1 or "fork" not in multiprocessing.get_all_start_methods():
            yield lambda items: map(_prepare, items)
            return
        # fork: workers start with this process's splitter (actor edits included) in memory.
        with multiprocessing.get_context("fork").Pool(jobs) as pool:
            window = threading.Semaphore(jobs * _CHUNK * 4)
            stopped = False

            def throttled(items: Iterable[FileArticle]) -> Iterator[FileArticle]:
                # imap reads its input as fast as it can; hold it to a window of
                # articles in flight so a large NDJSON file is not read whole.
                for item in items:
                    window.acquire()
                    if stopped:
                        return
                    yield item

            def prepare(items: Iterable[FileArticle]) -> Iterator[Prepared]:
                for result in pool.imap(_prepare, throttled(items), chunksize=_CHUNK):
                    window.release()
                    yield result

            try:
                yield prepare
            finally:
                stopped = True
                for _ in range(jobs * _CHUNK * 4 + 1):
                    window.release()  # unblock the feeder so the pool can shut down
    finally:
        _SPLITTER.clear()


def default_jobs() -> int:
    """Splitting processes to use: one per core but the writer's, at least one."""
    return max(1, (os.cpu_count() or 1) - 1)


def ingest_articles(
    engine: Engine,
    *,
    articles: Iterable[FileArticle],
    setup: services.SplitterSetup,
    jobs: int,
    total: int,
) -> Iterator[Stored]:
    """Split (in `jobs` processes when there are enough articles; 0: in this one) and store
    each article in its own transaction, in input order; yield what happened to each."""
    jobs = jobs if total >= _POOL_MINIMUM else 0
    with _preparer(setup, jobs=jobs) as prepare:
        for item, prepared, error in prepare(articles):
            if prepared is None:
                yield Stored(item.label, None, created=False, error=error)
                continue
            try:
                with session_scope(engine, write=True) as session:
                    outcome = services.store_article(
                        session, prepared=prepared, actors=setup.actors
                    )
            except AppError as exc:
                yield Stored(item.label, None, created=False, error=exc.detail)
                continue
            yield Stored(item.label, outcome.article_id, created=outcome.created)
