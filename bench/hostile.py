"""Is the splitter linear on hostile inputs? Time per MB from 10 KB to 2 MiB, per input.

Run: .venv/bin/python -m bench.hostile [--budget SECONDS] [--only NAME,...] [--sizes KB,...]

Five inputs an attacker would send: one paragraph of many short
sentences, one huge sentence, many markers, many references, deep HTML. Each
is built at every size and split once by the public entry point
(`Splitter().split`, as `bench/splitter.py` uses it) in a child forked for
that run, which is killed when it passes the budget: a step that is still
quadratic prints "over budget" instead of hanging the benchmark, and the
larger sizes of that input are not tried. Times are the child's CPU time. A
linear splitter shows a flat column of ms/MB down each input; the last
column is the largest time per MB over the smallest.
"""

from __future__ import annotations

import argparse
import multiprocessing
import sys
import time
from collections.abc import Callable
from multiprocessing.connection import Connection

from app.splitter.core import Splitter
from app.splitter.types import Format

KB = 1024
SIZES_KB = (10, 32, 100, 320, 1024, 2048)


def _repeat(unit: str, size: int) -> str:
    return (unit * (size // len(unit) + 1))[:size]


def _short_sentences(size: int) -> str:
    return _repeat("It rained. ", size)


def _one_sentence(size: int) -> str:
    return _repeat("officials said the talks would go on ", size)


def _markers(size: int) -> str:
    refs = "\n\n" + "\n".join(f"[{n}] Reuters" for n in range(1, 10))
    body = _repeat("Talks resumed.[1][2][3] It rained[4][5]. ", size - len(refs))
    return body + refs


def _references(size: int) -> str:
    head = "Talks resumed in Geneva.[1] Officials met again.[2]\n\n"
    lines: list[str] = []
    total = len(head)
    n = 0
    while total < size:
        n += 1
        line = f"[{n}] Reuters, https://example.org/news/{n}\n"
        lines.append(line)
        total += len(line)
    return head + "".join(lines)


def _deep_html(size: int) -> str:
    depth = max(1, (size - 20) // 11)
    return "<div>" * depth + "<p>It rained.</p>" + "</div>" * depth


INPUTS: dict[str, tuple[Format, Callable[[int], str]]] = {
    "short sentences, one paragraph": ("text", _short_sentences),
    "one huge sentence": ("text", _one_sentence),
    "many markers": ("text", _markers),
    "many references": ("text", _references),
    "deep HTML": ("html", _deep_html),
}

_SPLITTER: list[Splitter] = []


def _child(connection: Connection, text: str, fmt: Format) -> None:
    started = time.process_time()
    _SPLITTER[0].split(text, format=fmt)
    connection.send(time.process_time() - started)
    connection.close()


def _timed(text: str, fmt: Format, budget: float) -> float | None:
    """CPU seconds of one split, or None when it passed the budget (the child is killed)."""
    context = multiprocessing.get_context("fork")  # the child inherits the built splitter
    parent, child = context.Pipe(duplex=False)
    process = context.Process(target=_child, args=(child, text, fmt))
    process.start()
    child.close()
    try:
        if parent.poll(budget):
            seconds: float = parent.recv()
            return seconds
        return None
    except EOFError:  # the child died (out of memory, a crash)
        return None
    finally:
        if process.is_alive():
            process.kill()
        process.join()
        parent.close()


def main(argv: list[str] | None = None) -> int:
    """Print ms per MB for every hostile input at every size."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--budget", type=float, default=30.0, help="seconds per split (30)")
    parser.add_argument("--only", default="", help="comma-separated input names (substrings)")
    parser.add_argument(
        "--sizes", default=",".join(map(str, SIZES_KB)), help="sizes in KB (10,...,2048)"
    )
    args = parser.parse_args(argv)
    sizes = [int(part) * KB for part in args.sizes.split(",") if part.strip()]
    wanted = [part.strip() for part in args.only.split(",") if part.strip()]
    _SPLITTER[:] = [Splitter()]
    _SPLITTER[0].split("Warm up.[1]\n\n[1] Reuters")
    header = ["input"] + [f"{size // KB} KB" for size in sizes] + ["max/min"]
    print(" | ".join(header))
    print(" | ".join("---" for _ in header))
    for name, (fmt, build) in INPUTS.items():
        if wanted and not any(part in name for part in wanted):
            continue
        cells: list[str] = []
        per_mb: list[float] = []
        over = False
        for size in sizes:
            if over:
                cells.append("over budget")
                continue
            text = build(size)
            seconds = _timed(text, fmt, args.budget)
            if seconds is None:
                over = True
                cells.append("over budget")
                continue
            mb = len(text.encode("utf-8")) / 1e6
            per_mb.append(seconds / mb)
            cells.append(f"{seconds / mb * 1000:,.0f} ms/MB")
        spread = f"{max(per_mb) / min(per_mb):.1f}x" if len(per_mb) > 1 and min(per_mb) else "-"
        print(" | ".join([name, *cells, spread if not over else "not linear"]), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
