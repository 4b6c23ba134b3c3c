"""Every common citation layout gives the same statements with the same sources."""

from __future__ import annotations

import pytest

from app.splitter.core import split
from app.splitter.types import SplitResult
from tests.splitter.citation_layouts import ARTICLES, Rendering, all_layouts, renderings

QUICK = renderings(cells=1)


def _sources(result: SplitResult) -> list[tuple[str, frozenset[str]]]:
    return [(s.text, frozenset(c.source.name for c in s.sources)) for s in result.statements]


def _check(rendering: Rendering) -> None:
    result = split(rendering.text, format=rendering.layout.format)  # type: ignore[arg-type]
    assert _sources(result) == rendering.article.expected(), str(rendering.layout)
    assert result.title == rendering.expected_title, str(rendering.layout)
    assert not result.integrity.dangling_markers, str(rendering.layout)


@pytest.mark.parametrize("rendering", QUICK, ids=[str(r.layout) for r in QUICK])
def test_every_layout_cell_gives_the_same_claims(rendering: Rendering) -> None:
    _check(rendering)


def test_the_matrix_covers_every_value_of_every_dimension() -> None:
    layouts = all_layouts()
    for dimension in ("format", "markers", "placement", "layout", "heading", "headline"):
        covered = {getattr(r.layout, dimension) for r in QUICK}
        assert covered == {getattr(layout, dimension) for layout in layouts}, dimension
    assert {r.article.key for r in QUICK} == {a.key for a in ARTICLES}


def test_every_combination_gives_the_same_claims() -> None:
    failures = []
    for rendering in renderings():
        try:
            _check(rendering)
        except AssertionError as failure:
            failures.append(str(failure).splitlines()[0])
    assert not failures, f"{len(failures)} renderings differ, e.g. {failures[:5]}"
