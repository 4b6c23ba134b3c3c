"""Measure the splitter against a folder of annotated cases (see the eval README format).

Pure: reads the case files, runs the splitter, counts. Sources and actors are
compared by canonical name (case-insensitive) through `sources.json` / `actors.json`
alias files found in the folder or an ancestor, then through the registries' own
names: "ТАСС" and "TASS" are one publisher on both sides of a comparison.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, fields
from pathlib import Path
from typing import Any

from app.splitter.actors.registry import ActorRegistry
from app.splitter.core import Splitter, default_splitter
from app.splitter.sources import default_registry
from app.splitter.text import fold
from app.splitter.types import SplitResult

__all__ = ["EvalReport", "evaluate_folder", "format_cases", "format_report"]


@dataclass(slots=True)
class EvalReport:
    """Micro-averaged counts over every case of a folder, and the misses."""

    cases: int = 0
    expected: int = 0
    returned: int = 0
    matched: int = 0
    attribution_right: int = 0
    citation_tp: int = 0
    citation_fp: int = 0
    citation_fn: int = 0
    titles: int = 0
    titles_right: int = 0
    actors_required: int = 0
    actors_found: int = 0
    actors_returned: int = 0
    actors_acceptable: int = 0
    topics_required: int = 0
    topics_found: int = 0
    topics_returned: int = 0
    topics_acceptable: int = 0
    sections_right: int = 0
    references_expected: int = 0
    references_returned: int = 0
    references_matched: int = 0
    leaks: int = 0
    golden_total: int = 0
    golden_passed: int = 0
    cases_right: int = 0  # cases whose statements and sources all came back exactly
    misses: list[str] = field(default_factory=list)
    # (case id, kind, that case's own counts), so a weak case or kind shows
    by_case: list[tuple[str, str, EvalReport]] = field(default_factory=list)

    def add(self, other: EvalReport) -> None:
        """Add another report's counts and misses to this one."""
        for counted in fields(self):
            value = getattr(self, counted.name)
            if isinstance(value, int):
                setattr(self, counted.name, value + getattr(other, counted.name))
        self.misses.extend(other.misses)

    @property
    def fully_right(self) -> bool:
        """Every statement found, none extra, each with exactly its sources, no leak."""
        return (
            self.matched == self.expected == self.returned
            and self.attribution_right == self.matched
            and not self.leaks
        )

    @property
    def statement_precision(self) -> float:
        """Matched statements over returned statements."""
        return _ratio(self.matched, self.returned)

    @property
    def statement_recall(self) -> float:
        """Matched statements over expected statements."""
        return _ratio(self.matched, self.expected)

    @property
    def statement_f1(self) -> float:
        """Harmonic mean of statement precision and recall."""
        return _f1(self.statement_precision, self.statement_recall)

    @property
    def attribution_accuracy(self) -> float:
        """Share of matched statements whose source set is exactly right."""
        return _ratio(self.attribution_right, self.matched)

    @property
    def citation_f1(self) -> float:
        """Micro F1 over (statement, source) pairs of matched statements."""
        precision = _ratio(self.citation_tp, self.citation_tp + self.citation_fp)
        recall = _ratio(self.citation_tp, self.citation_tp + self.citation_fn)
        return _f1(precision, recall)

    @property
    def title_accuracy(self) -> float:
        """Share of cases whose title is right (None counts when none is expected)."""
        return _ratio(self.titles_right, self.titles)

    @property
    def section_accuracy(self) -> float:
        """Share of matched statements filed under the expected section."""
        return _ratio(self.sections_right, self.matched)

    @property
    def reference_f1(self) -> float:
        """Micro F1 over (label, source) pairs of the reference lists."""
        precision = _ratio(self.references_matched, self.references_returned)
        recall = _ratio(self.references_matched, self.references_expected)
        return _f1(precision, recall)

    @property
    def actor_recall(self) -> float:
        """Required actors found over required actors."""
        return _ratio(self.actors_found, self.actors_required)

    @property
    def actor_precision(self) -> float:
        """Returned actors that are required or optional, over returned actors."""
        return _ratio(self.actors_acceptable, self.actors_returned)

    @property
    def topic_recall(self) -> float:
        """Required topics found over required topics."""
        return _ratio(self.topics_found, self.topics_required)

    @property
    def topic_precision(self) -> float:
        """Returned topics that are required or optional, over returned topics."""
        return _ratio(self.topics_acceptable, self.topics_returned)


def _ratio(part: int, whole: int) -> float:
    return part / whole if whole else 1.0


def _f1(precision: float, recall: float) -> float:
    return 2 * precision * recall / (precision + recall) if precision + recall else 0.0


class _Canon:
    """Canonical names through an alias file: {canonical: [alias, ...]}."""

    def __init__(self, aliases: Mapping[str, Iterable[str]]) -> None:
        self._map: dict[str, str] = {}
        for canonical, names in aliases.items():
            for name in (canonical, *names):
                self._map.setdefault(_key(name), _key(canonical))

    def __call__(self, name: str) -> str:
        key = _key(name)
        return self._map.get(key, key)


def _key(name: str) -> str:
    return " ".join(name.casefold().split())


def _find(folder: Path, pattern: str) -> list[Path]:
    """Files matching `pattern` in the folder, else in the nearest ancestor that has one."""
    for place in (folder, *folder.parents):
        found = sorted(place.glob(pattern))
        if found:
            return found
    return []


def _load_canon(folder: Path, name: str, registry: Mapping[str, Iterable[str]]) -> _Canon:
    """The alias file's names first, then every name a registry entry goes by."""
    files = _find(folder, name)
    data = json.loads(files[0].read_text("utf-8")) if files else {}
    aliases: dict[str, list[str]] = dict(data) if isinstance(data, dict) else {}
    for canonical, names in registry.items():
        aliases.setdefault(canonical, []).extend(names)
    return _Canon(aliases)


def _registry_names() -> tuple[dict[str, list[str]], dict[str, list[str]]]:
    """{canonical name: other names} of the source registry (domains too: a bare URL entry
    is annotated by its domain) and of the actor registry."""
    sources = {s.name: [*s.aliases, *s.domains] for s in default_registry().sources}
    actors = {a.name: list(a.aliases) for a in ActorRegistry.default().entries()}
    return sources, actors


def evaluate_folder(path: Path, *, splitter: Splitter | None = None) -> EvalReport:
    """Run the splitter on every case file of `path` and count the README metrics."""
    splitter = splitter or default_splitter()
    report = EvalReport()
    source_names, actor_names = _registry_names()
    source_canon = _load_canon(path, "sources.json", source_names)
    actor_canon = _load_canon(path, "actors.json", actor_names)
    for case_file in sorted(path.glob("*.json")):
        case = json.loads(case_file.read_text("utf-8"))
        if not isinstance(case, dict) or "input" not in case or "expect" not in case:
            continue
        given = case["input"]
        result = splitter.split(
            given["text"],
            format=given.get("format", "text"),
            title=given.get("title"),
            language=given.get("language"),
        )
        case_id = str(case.get("id", case_file.stem))
        scored = EvalReport(cases=1)
        _score_case(scored, case_id, case["expect"], result, source_canon, actor_canon)
        scored.cases_right = int(scored.fully_right)
        report.add(scored)
        report.by_case.append((case_id, str(case.get("kind", "")), scored))
    for rules_file in _find(path, "golden-rules-*.json"):
        _score_golden(report, json.loads(rules_file.read_text("utf-8")), splitter)
    return report


def _score_case(
    report: EvalReport,
    case_id: str,
    expect: Mapping[str, Any],
    result: SplitResult,
    source_canon: _Canon,
    actor_canon: _Canon,
) -> None:
    expected = list(expect.get("statements", []))
    returned = list(result.statements)
    # A case that annotates no actor (or no topic) at all says nothing about them.
    tagged = (
        any(item.get("actors") or item.get("actors_optional") for item in expected),
        any(item.get("topics") or item.get("topics_optional") for item in expected),
    )
    report.expected += len(expected)
    report.returned += len(returned)
    report.titles += 1
    want_title = expect.get("title")
    if (fold(want_title) if want_title else None) == (fold(result.title) if result.title else None):
        report.titles_right += 1
    else:
        report.misses.append(f"{case_id} title: expected {want_title!r}, got {result.title!r}")
    unused: dict[str, list[int]] = {}
    for index, statement in enumerate(returned):
        unused.setdefault(statement.text, []).append(index)
    matched_returned: set[int] = set()
    for item in expected:
        text = fold(item["text"])
        slots = unused.get(text)
        if not slots:
            report.misses.append(f"{case_id} missing: {text!r}")
            continue
        index = slots.pop(0)
        matched_returned.add(index)
        report.matched += 1
        statement = returned[index]
        want = {source_canon(s) for s in item.get("sources", [])}
        got = {source_canon(c.source.name) for c in statement.sources}
        report.citation_tp += len(want & got)
        report.citation_fp += len(got - want)
        report.citation_fn += len(want - got)
        if want == got:
            report.attribution_right += 1
        else:
            report.misses.append(
                f"{case_id} sources of {text[:60]!r}: expected {sorted(want)}, got {sorted(got)}"
            )
        if "section" in item:
            want_section = fold(item["section"]) if item["section"] else None
            if want_section == statement.section:
                report.sections_right += 1
            else:
                report.misses.append(
                    f"{case_id} section of {text[:60]!r}: expected {want_section!r}, "
                    f"got {statement.section!r}"
                )
        _score_tags(
            report,
            case_id,
            text,
            item,
            statement.actors if tagged[0] else None,
            statement.topics if tagged[1] else None,
            actor_canon,
        )
    for index, statement in enumerate(returned):
        if index not in matched_returned:
            report.misses.append(f"{case_id} extra: {statement.text!r}")
    _score_references(report, case_id, expect, result, source_canon)
    returned_texts = {s.text for s in returned}
    for line in expect.get("not_statements", []):
        if fold(line) in returned_texts:
            report.leaks += 1
            report.misses.append(f"{case_id} leak: {fold(line)!r}")


def _score_references(
    report: EvalReport,
    case_id: str,
    expect: Mapping[str, Any],
    result: SplitResult,
    source_canon: _Canon,
) -> None:
    """(label, source) pairs of the reference list, when the case lists them."""
    if "references" not in expect:
        return
    want = [(str(r["label"]), source_canon(r["source"])) for r in expect["references"]]
    got = [(r.label, source_canon(r.source.name) if r.source else "") for r in result.references]
    report.references_expected += len(want)
    report.references_returned += len(got)
    unused = list(got)
    for pair in want:
        if pair in unused:
            unused.remove(pair)
            report.references_matched += 1
        else:
            report.misses.append(f"{case_id} reference missing: {pair}")
    for pair in unused:
        report.misses.append(f"{case_id} reference extra: {pair}")


def _score_tags(
    report: EvalReport,
    case_id: str,
    text: str,
    item: Mapping[str, Any],
    actors: Iterable[Any] | None,
    topics: Iterable[Any] | None,
    actor_canon: _Canon,
) -> None:
    if actors is not None:
        _score_actors(report, case_id, text, item, actors, actor_canon)
    if topics is not None:
        _score_topics(report, case_id, text, item, topics)


def _score_actors(
    report: EvalReport,
    case_id: str,
    text: str,
    item: Mapping[str, Any],
    actors: Iterable[Any],
    actor_canon: _Canon,
) -> None:
    required = {actor_canon(a) for a in item.get("actors", [])}
    optional = {actor_canon(a) for a in item.get("actors_optional", [])}
    got = {actor_canon(a.name) for a in actors}
    report.actors_required += len(required)
    report.actors_found += len(required & got)
    report.actors_returned += len(got)
    report.actors_acceptable += len(got & (required | optional))
    if required - got:
        report.misses.append(f"{case_id} actors missing {sorted(required - got)} in {text[:50]!r}")
    if got - required - optional:
        report.misses.append(
            f"{case_id} actors extra {sorted(got - required - optional)} in {text[:50]!r}"
        )


def _score_topics(
    report: EvalReport, case_id: str, text: str, item: Mapping[str, Any], topics: Iterable[Any]
) -> None:
    want_topics = set(item.get("topics", []))
    optional_topics = set(item.get("topics_optional", []))
    got_topics = {t.slug for t in topics}
    report.topics_required += len(want_topics)
    report.topics_found += len(want_topics & got_topics)
    report.topics_returned += len(got_topics)
    report.topics_acceptable += len(got_topics & (want_topics | optional_topics))
    if want_topics - got_topics:
        report.misses.append(
            f"{case_id} topics missing {sorted(want_topics - got_topics)} in {text[:50]!r}"
        )
    if got_topics - want_topics - optional_topics:
        extra = sorted(got_topics - want_topics - optional_topics)
        report.misses.append(f"{case_id} topics extra {extra} in {text[:50]!r}")


def _score_golden(report: EvalReport, data: Any, splitter: Splitter) -> None:
    cases = data.get("cases", []) if isinstance(data, dict) else data
    for case in cases:
        report.golden_total += 1
        number = case.get("n", report.golden_total)
        result = splitter.split(
            case["text"],
            format="text",
            title=f"Golden rule {number}",
            language=case.get("language"),
        )
        got = [s.text for s in result.statements]
        want = [fold(s) for s in case["sentences"]]
        if got == want:
            report.golden_passed += 1
        else:
            report.misses.append(f"golden {number}: expected {want}, got {got}")


def _figure(part: int, whole: int) -> str:
    # Nothing annotated is no evidence either way: say so rather than print 1.000.
    return f"{_ratio(part, whole):.3f}  ({part}/{whole})" if whole else "n/a  (not annotated)"


def _kind_of(kind: str) -> str:
    """A case's kind up to its first comma: 'news-aggregator plain text, markers ...'."""
    return kind.split(",")[0].strip() or "(no kind)"


def format_cases(report: EvalReport) -> str:
    """One line per case, then one per kind: statement F1, attribution, citation F1."""
    header = f"{'':<40} {'n':>3} {'stmt F1':>8} {'attrib':>7} {'cite F1':>8} {'right':>6}"
    lines = ["per case", header]
    kinds: dict[str, EvalReport] = {}
    for case_id, kind, scored in report.by_case:
        lines.append(_case_line(case_id, scored))
        kinds.setdefault(_kind_of(kind), EvalReport()).add(scored)
    lines += ["", "per kind", header]
    lines += [_case_line(kind, scored) for kind, scored in sorted(kinds.items())]
    return "\n".join(lines)


def _case_line(name: str, scored: EvalReport) -> str:
    return (
        f"{name[:40]:<40} {scored.cases:>3} {scored.statement_f1:>8.3f} "
        f"{scored.attribution_accuracy:>7.3f} {scored.citation_f1:>8.3f} "
        f"{scored.cases_right:>3}/{scored.cases:<2}"
    )


def format_report(report: EvalReport, *, misses: bool = True) -> str:
    """A readable table of the figures, then the misses one per line."""
    rows = [
        ("cases", f"{report.cases}"),
        (
            "statement precision",
            f"{report.statement_precision:.3f}  ({report.matched}/{report.returned})",
        ),
        (
            "statement recall",
            f"{report.statement_recall:.3f}  ({report.matched}/{report.expected})",
        ),
        ("statement F1", f"{report.statement_f1:.3f}"),
        (
            "attribution accuracy",
            f"{report.attribution_accuracy:.3f}  ({report.attribution_right}/{report.matched})",
        ),
        ("citation F1", f"{report.citation_f1:.3f}"),
        ("title accuracy", f"{report.title_accuracy:.3f}  ({report.titles_right}/{report.titles})"),
        (
            "section accuracy",
            f"{report.section_accuracy:.3f}  ({report.sections_right}/{report.matched})",
        ),
        (
            "reference F1",
            f"{report.reference_f1:.3f}  "
            f"({report.references_matched}/{report.references_returned}"
            f"/{report.references_expected})",
        ),
        ("actor recall", _figure(report.actors_found, report.actors_required)),
        ("actor precision", _figure(report.actors_acceptable, report.actors_returned)),
        ("topic recall", _figure(report.topics_found, report.topics_required)),
        ("topic precision", _figure(report.topics_acceptable, report.topics_returned)),
        ("not-statement leaks", f"{report.leaks}"),
        ("cases fully right", f"{report.cases_right}/{report.cases}"),
    ]
    if report.golden_total:
        rows.append(("golden rules", f"{report.golden_passed}/{report.golden_total}"))
    width = max(len(name) for name, _ in rows)
    lines = [f"{name.ljust(width)}  {value}" for name, value in rows]
    if report.misses and misses:
        lines.append("")
        lines.append(f"misses ({len(report.misses)}):")
        lines.extend(f"  {miss}" for miss in report.misses)
    return "\n".join(lines)
