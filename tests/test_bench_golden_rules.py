"""bench.golden_rules reads pySBD-style test modules as data and scores them per language."""

from __future__ import annotations

from pathlib import Path

from bench.golden_rules import main, pairs_in, score

# A module in the layout of pySBD's per-language tests, with sentences of our own.
MODULE = """
import pytest

CASES = [
    ("Die Sitzung begann am 3. Mai. Sie endete spät.",
     ["Die Sitzung begann am 3. Mai.", "Sie endete spät."]),
    ("Die Sitzung begann am 3. Mai. Sie endete spät.",
     ["Die Sitzung begann am 3. Mai.", "Sie endete spät."]),
    pytest.param("Er kam bzw. sie kam.", ["Er kam bzw. sie kam."], marks=pytest.mark.xfail),
    ("Erste Zeile\\nzweite Zeile.", ["Erste Zeile", "zweite Zeile."]),
    ("Ein Satz. Noch einer.", ["Ein Satz. Noch einer."]),
]
SOMETHING_ELSE = 3
"""


def test_pairs_are_read_without_running_the_module() -> None:
    pairs = pairs_in(MODULE)
    assert len(pairs) == 5
    assert pairs[2] == ("Er kam bzw. sie kam.", ["Er kam bzw. sie kam."])


def test_scores_distinct_one_line_pairs(tmp_path: Path) -> None:
    (tmp_path / "tests" / "lang").mkdir(parents=True)
    (tmp_path / "tests" / "lang" / "test_deutsch.py").write_text(MODULE, "utf-8")
    result = score(tmp_path, ["de"])["de"]
    # the duplicate counts once, the two-line text is a cleaning case and is left out
    assert (result.passed, result.total, result.skipped) == (2, 3, 1)
    assert main([str(tmp_path), "--language", "de"]) == 0


def test_nothing_found_is_an_error(tmp_path: Path) -> None:
    assert main([str(tmp_path)]) == 1
