"""The tables `bench.http` prints from its results."""

from __future__ import annotations

from typing import Any

__all__ = ["print_combined", "print_report"]

_ORDER = ("service", "cached", "warm", "ceiling", "stored", "datasette")
# (numerator, denominator) of each ratio column.
_RATIOS = (
    ("service", "ceiling"),
    ("service", "stored"),
    ("service", "datasette"),
    ("warm", "datasette"),
    ("warm", "service"),
)


def _row(cells: list[str], widths: list[int]) -> str:
    pairs = enumerate(zip(cells, widths, strict=True))
    return "  ".join(cell.rjust(width) if n else cell.ljust(width) for n, (cell, width) in pairs)


def _table(rows: list[list[str]]) -> None:
    widths = [max(len(row[n]) for row in rows) for n in range(len(rows[0]))]
    for row in rows:
        print(_row(row, widths))


def _cell(measured: dict[str, Any] | None) -> str:
    if not measured:
        return "-"
    return f"{measured['rps']:,.0f} ({measured['p50_ms']:.1f}/{measured['p99_ms']:.0f})"


def print_report(results: dict[str, Any]) -> None:
    """One database's throughput table, ratios, peak RSS and sequential figures."""
    load: dict[str, dict[str, Any]] = results.get("load", {})
    present = [name for name in _ORDER if any(name in m for m in load.values())]
    ratios = [(a, b) for a, b in _RATIOS if a in present and b in present]
    print(f"\n{results['backend']}: throughput (req/s), latency p50 / p99 (ms)")
    rows = [["workload", *present, *(f"{a}/{b}" for a, b in ratios)]]
    for workload, measured in load.items():
        cells = [workload, *(_cell(measured.get(name)) for name in present)]
        for a, b in ratios:
            if a in measured and b in measured and measured[b]["rps"]:
                cells.append(f"{measured[a]['rps'] / measured[b]['rps']:.2f}")
            else:
                cells.append("-")
        rows.append(cells)
    _table(rows)
    print("\nWorkloads (distinct URLs cycled by wrk):")
    for name, label in results.get("workloads", {}).items():
        distinct = max((m.get("distinct", 0) for m in load.get(name, {}).values()), default=0)
        print(f"  {name:<14} {label} ({distinct} distinct)")
    print("\nPeak RSS under load (MB, all of a server's processes):")
    for name, peak in results.get("peak_rss_mb", {}).items():
        print(f"  {name:<10} {peak:>6.0f}")
    extra = results.get("extra", {})
    print("\nService, sequential requests (ms):")
    for key, value in extra.items():
        if key != "export":
            print(f"  {key:<36} {value:>10.2f}")
    if "export" in extra:
        e = extra["export"]
        print(
            f"  NDJSON export: {e['claims']:,} claims, {e['megabytes']:.0f} MB in "
            f"{e['seconds']:.1f} s ({e['claims_per_s']:,.0f} claims/s), "
            f"server peak RSS {e['peak_rss_mb']:.0f} MB (status {e['status']})"
        )


def print_combined(every: list[dict[str, Any]]) -> None:
    """The service, cached service and stored ceiling of every database side by side."""
    columns = [
        (results["backend"], name)
        for results in every
        for name in ("service", "warm", "stored")
        if any(name in m for m in results.get("load", {}).values())
    ]
    workloads = list(dict.fromkeys(w for results in every for w in results.get("load", {})))
    print("\nAll databases: req/s (p50/p99 ms)")
    rows = [["workload", *(f"{backend} {name}" for backend, name in columns)]]
    by_backend = {results["backend"]: results.get("load", {}) for results in every}
    for workload in workloads:
        rows.append(
            [
                workload,
                *(_cell(by_backend[b].get(workload, {}).get(name)) for b, name in columns),
            ]
        )
    _table(rows)
