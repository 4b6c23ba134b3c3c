"""The library's entry point for code outside the project stays where users import it from."""

from __future__ import annotations

import app.splitter as splitter


def test_the_package_offers_split_and_the_result_types() -> None:
    result = splitter.split("Talks resumed (Reuters).")
    assert isinstance(result, splitter.SplitResult)
    assert [c.source.name for c in result.statements[0].citations] == ["Reuters"]
    assert isinstance(splitter.Splitter(), splitter.Splitter)
    assert splitter.SPLITTER_VERSION
