"""The evaluation metrics on a tiny case folder written for these tests."""

from __future__ import annotations

import json
from pathlib import Path

from app.evaluation import evaluate_folder, format_cases, format_report

CASES = Path(__file__).parent / "fixtures" / "eval" / "cases"


def test_evaluate_folder_counts() -> None:
    report = evaluate_folder(CASES)
    assert report.cases == 1
    assert (report.matched, report.returned, report.expected) == (2, 2, 3)
    assert report.statement_precision == 1.0
    assert abs(report.statement_recall - 2 / 3) < 1e-9
    assert report.attribution_accuracy == 1.0  # aliases from the parent's sources.json
    assert report.citation_f1 == 1.0
    assert report.title_accuracy == 1.0
    assert report.leaks == 0
    assert (report.golden_passed, report.golden_total) == (2, 2)
    assert any("missing" in miss and "will not find" in miss for miss in report.misses)


def test_format_report_lists_figures_then_misses() -> None:
    text = format_report(evaluate_folder(CASES))
    assert "statement F1" in text
    assert "golden rules" in text
    assert text.index("statement F1") < text.index("misses")


UNSEEN = Path(__file__).parent / "fixtures" / "eval" / "unseen"


def test_unseen_cases_stay_above_the_issue_targets() -> None:
    """Annotated articles of every kind the issue lists (not the shared dev cases)."""
    report = evaluate_folder(UNSEEN)
    assert report.cases >= 12
    misses = "\n".join(m for m in report.misses if " actors " not in m and " topics " not in m)
    assert report.statement_f1 >= 0.97, misses
    assert report.attribution_accuracy >= 0.97, misses
    assert report.citation_f1 >= 0.97, misses
    assert report.title_accuracy >= 0.9, misses
    assert report.reference_f1 >= 0.97, misses
    assert report.leaks == 0, misses


def test_per_case_and_per_kind_lines_show_a_weak_case() -> None:
    report = evaluate_folder(CASES)
    assert report.cases_right == 0  # its one case misses a statement
    lines = format_cases(report).splitlines()
    assert lines[0] == "per case"
    assert "per kind" in lines
    case_line = next(line for line in lines if line.startswith(report.by_case[0][0]))
    assert case_line.split()[-1] == "0/1"


def test_summary_leaves_the_misses_out() -> None:
    text = format_report(evaluate_folder(CASES), misses=False)
    assert "misses" not in text
    assert "cases fully right" in text


def test_a_publisher_is_one_whatever_script_the_annotation_names_it_in(tmp_path: Path) -> None:
    """The registry's own names count as aliases, on both sides, without an alias file."""
    folder = tmp_path / "deep" / "set"
    folder.mkdir(parents=True)
    case = {
        "id": "script-1",
        "input": {"text": "Переговоры продолжатся в пятницу (ТАСС).", "format": "text"},
        "expect": {
            "title": None,
            "statements": [
                {
                    "text": "Переговоры продолжатся в пятницу (ТАСС).",
                    "section": None,
                    "sources": ["ТАСС"],  # the registry calls it TASS
                }
            ],
        },
    }
    (folder / "case.json").write_text(json.dumps(case, ensure_ascii=False), "utf-8")
    report = evaluate_folder(folder)
    assert report.matched == 1
    assert report.attribution_accuracy == 1.0, report.misses
