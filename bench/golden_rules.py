"""Per-language sentence-boundary pass rates on pySBD's published golden rules.

Run: .venv/bin/python -m bench.golden_rules PATH [--misses] [--language de]

PATH is where you keep pySBD: a checkout (the folder holding `tests/lang/`) or a
bare git directory (read at HEAD). Its per-language test files hold pairs of a text
and the sentences it should split into; they are read as data (never imported,
never run) and each text is split as plain text in that language, with a title
given by the client, exactly as `claimsapi eval` splits the English golden rules.

Counted: every distinct pair whose text is one line. Texts with line breaks are
pySBD's cleaning cases (PDF and bullet-list clean-up run before its segmenter),
which test a different job; they are left out and their number is printed.
"""

from __future__ import annotations

import argparse
import ast
import subprocess
import sys
from dataclasses import dataclass, field
from pathlib import Path

from app.splitter.core import split
from app.splitter.text import fold

# pySBD's test file per language, by the ISO 639-1 code the splitter takes.
TEST_FILES = {
    "de": "tests/lang/test_deutsch.py",
    "ru": "tests/lang/test_russian.py",
    "fr": "tests/lang/test_french.py",
    "es": "tests/lang/test_spanish.py",
    "it": "tests/lang/test_italian.py",
    "nl": "tests/lang/test_dutch.py",
    "pl": "tests/lang/test_polish.py",
    "ar": "tests/lang/test_arabic.py",
}


@dataclass
class LanguageScore:
    """Pairs passed and counted for one language, and what went wrong."""

    passed: int = 0
    total: int = 0
    skipped: int = 0
    misses: list[tuple[str, list[str], list[str]]] = field(default_factory=list)


def read_source(root: Path, relative: str) -> str | None:
    """One file of the pySBD tree, from a checkout or a bare git directory."""
    if (root / relative).is_file():
        return (root / relative).read_text("utf-8")
    done = subprocess.run(
        ["git", f"--git-dir={root}", "show", f"HEAD:{relative}"],
        capture_output=True,
        text=True,
        check=False,
    )
    return done.stdout if done.returncode == 0 else None


def pairs_in(source: str) -> list[tuple[str, list[str]]]:
    """Every (text, sentences) pair in the module's top-level list literals, in order."""
    found: list[tuple[str, list[str]]] = []
    for node in ast.parse(source).body:
        if not isinstance(node, ast.Assign) or not isinstance(node.value, ast.List):
            continue
        for element in node.value.elts:
            try:
                if isinstance(element, ast.Call):
                    # `pytest.param(text, sentences, marks=...)`: the pair is its first arguments
                    text = ast.literal_eval(element.args[0])
                    sentences = ast.literal_eval(element.args[1])
                else:
                    text, sentences = ast.literal_eval(element)
            except (ValueError, TypeError, IndexError):
                continue
            if isinstance(text, str) and isinstance(sentences, list):
                found.append((text, [str(s) for s in sentences]))
    return found


def score(root: Path, languages: list[str]) -> dict[str, LanguageScore]:
    """Split every counted pair of each language and compare with its sentences."""
    scores: dict[str, LanguageScore] = {}
    for code in languages:
        source = read_source(root, TEST_FILES[code])
        if source is None:
            continue
        result = scores.setdefault(code, LanguageScore())
        seen: set[tuple[str, tuple[str, ...]]] = set()
        for text, sentences in pairs_in(source):
            key = (text, tuple(sentences))
            if key in seen:
                continue
            seen.add(key)
            if "\n" in text:
                result.skipped += 1
                continue
            result.total += 1
            got = [s.text for s in split(text, language=code, title="Golden rule").statements]
            want = [fold(s) for s in sentences]
            if got == want:
                result.passed += 1
            else:
                result.misses.append((text, want, got))
    return scores


def main(argv: list[str] | None = None) -> int:
    """Print the pass rate per language and overall."""
    parser = argparse.ArgumentParser(prog="python -m bench.golden_rules")
    parser.add_argument("path", type=Path, help="a pySBD checkout or bare git directory")
    parser.add_argument("--misses", action="store_true", help="print every failed pair")
    parser.add_argument("--language", action="append", choices=sorted(TEST_FILES))
    args = parser.parse_args(argv)
    scores = score(args.path, args.language or list(TEST_FILES))
    if not scores:
        print(f"no pySBD test files found under {args.path}", file=sys.stderr)
        return 1
    passed = sum(s.passed for s in scores.values())
    total = sum(s.total for s in scores.values())
    print(f"{'language':<10}{'passed':>8}{'pairs':>7}{'rate':>8}{'multi-line, not counted':>26}")
    for code, result in scores.items():
        rate = result.passed / result.total if result.total else 0.0
        print(f"{code:<10}{result.passed:>8}{result.total:>7}{rate:>8.3f}{result.skipped:>26}")
    print(f"{'overall':<10}{passed:>8}{total:>7}{passed / max(total, 1):>8.3f}")
    if args.misses:
        for code, result in scores.items():
            for text, want, got in result.misses:
                print(f"\n[{code}] {text}\n  want: {want}\n  got:  {got}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
