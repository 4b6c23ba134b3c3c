"""SplitPool: worker processes prepare exactly what this process would, in order, and
an article is never lost when a worker dies or the splitter fails."""

from __future__ import annotations

import logging
import os
from typing import Any

import pytest

from app.schemas import ArticleIn
from app.services.ingest.check import ArticleProblem
from app.services.ingest.pool import SplitPool, prepare_or_problem
from app.splitter.actors.registry import ActorEntry, ActorRegistry
from app.splitter.core import Splitter


def _articles(count: int) -> list[ArticleIn | ArticleProblem]:
    items: list[ArticleIn | ArticleProblem] = []
    for n in range(count):
        if n % 7 == 3:
            items.append(ArticleProblem(422, f"article {n} was invalid"))
            continue
        text = (
            f"Harbour workers in port {n} stopped loading grain on Monday, the union said.[1] "
            f"Ukraine's ministry expects exports to resume within {n + 2} days.[2]\n\n"
            "[1] Reuters\n[2] Kyiv Independent"
        )
        items.append(ArticleIn(text=text))
    return items


class _CrashingSplitter:
    """Splits normally, but takes its worker process down on an article marked "crash"."""

    def __init__(self) -> None:
        self.inner = Splitter()
        self.parent = os.getpid()  # travels to the workers with the splitter

    def split(self, text: str, **kwargs: Any) -> Any:
        if "crash" in text and os.getpid() != self.parent:
            os._exit(1)
        return self.inner.split(text, **kwargs)


class _FailingSplitter:
    """Raises on an article marked "fail", as a splitter bug would."""

    def __init__(self) -> None:
        self.inner = Splitter()

    def split(self, text: str, **kwargs: Any) -> Any:
        if "fail" in text:
            raise ValueError("the splitter tripped")
        return self.inner.split(text, **kwargs)


@pytest.fixture(scope="module")
def splitter() -> Splitter:
    return Splitter()


def test_workers_prepare_what_this_process_would_in_input_order(splitter: Splitter) -> None:
    items = _articles(60)
    expected = [prepare_or_problem(item, splitter) for item in items]
    with SplitPool(2) as pool:
        assert list(pool.prepare(splitter, items)) == expected
        # A second call reuses the running workers and still answers in order.
        assert list(pool.prepare(splitter, reversed(items))) == expected[::-1]


def test_no_workers_prepares_in_this_process(splitter: Splitter) -> None:
    items = _articles(10)
    pool = SplitPool(0)
    assert list(pool.prepare(splitter, items)) == [prepare_or_problem(i, splitter) for i in items]
    pool.close()


def test_a_new_splitter_gets_workers_that_use_it() -> None:
    article = ArticleIn(text="The Harbour Guild said talks would resume.[1]\n\n[1] Reuters")
    plain = Splitter()
    guild = ActorEntry(slug="harbour-guild", name="Harbour Guild", type="organization")
    edited = Splitter(actors=ActorRegistry.default().replaced([guild]))
    with SplitPool(1) as pool:

        def actors(splitter: Splitter) -> set[str]:
            (prepared,) = pool.prepare(splitter, [article])
            assert not isinstance(prepared, ArticleProblem)
            return {a.slug for s in prepared.result.statements for a in s.actors}

        assert "harbour-guild" not in actors(plain)
        assert "harbour-guild" in actors(edited)


def test_a_worker_that_dies_loses_no_article(caplog: pytest.LogCaptureFixture) -> None:
    items = _articles(40)
    items[21] = ArticleIn(text="A worker will crash on this sentence.")
    inline = Splitter()
    expected = [prepare_or_problem(item, inline) for item in items]
    caplog.set_level(logging.WARNING, logger="claimsapi")
    with SplitPool(2) as pool:
        got = list(pool.prepare(_CrashingSplitter(), items))  # type: ignore[arg-type]
    assert [type(g) for g in got] == [type(e) for e in expected]
    assert [getattr(g, "digest", g) for g in got] == [getattr(e, "digest", e) for e in expected]
    assert "worker pool failed" in caplog.text


@pytest.mark.parametrize("workers", [0, 1])
def test_a_splitter_error_fails_only_that_article(workers: int) -> None:
    items = _articles(20)
    items[5] = ArticleIn(text="This one will fail in the splitter.")
    with SplitPool(workers) as pool:
        got = list(pool.prepare(_FailingSplitter(), items))  # type: ignore[arg-type]
    assert len(got) == 20
    assert got[5] == ArticleProblem(500, "Splitting this article failed.")
    assert got[3] == items[3]  # a problem passes through as it came
    assert all(
        not isinstance(g, ArticleProblem) for n, g in enumerate(got) if n % 7 != 3 and n != 5
    )


def test_a_problem_reads_as_one_line() -> None:
    problem = ArticleProblem(
        422, "The article is not valid.", errors=[{"loc": ["body", "url"], "msg": "bad URL"}]
    )
    assert problem.message() == "The article is not valid. (url: bad URL)"
    assert problem.body()["status"] == 422
    assert problem.body()["errors"] == [{"loc": ["body", "url"], "msg": "bad URL"}]
