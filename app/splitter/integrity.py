"""How well an article's markers and reference list fit together."""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence

from app.splitter.text import Marker
from app.splitter.types import Integrity, Reference


def integrity_of(references: Sequence[Reference], markers: Sequence[Sequence[Marker]]) -> Integrity:
    """Dangling markers, uncited references, duplicate labels, and the marker styles used.

    A reference naming two publishers is two references with one label and one span:
    counted once.
    """
    entries = {(r.label, r.span) for r in references if r.label}
    labels = [label for label, _span in entries]
    known = set(labels)
    cited: set[str] = set()
    styles: list[str] = []
    for block_markers in markers:
        for marker in block_markers:
            if marker.style != "note" and marker.style not in styles:
                styles.append(marker.style)
            cited.update(marker.labels)
    counts = Counter(labels)
    duplicates = sorted((label for label, n in counts.items() if n > 1), key=_label_key)
    return Integrity(
        dangling_markers=tuple(sorted(cited - known, key=_label_key)),
        uncited_references=tuple(sorted(known - cited, key=_label_key)),
        duplicate_labels=tuple(duplicates),
        marker_styles=tuple(styles),
    )


def _label_key(label: str) -> tuple[int, str]:
    """Numbers in numeric order, then other labels."""
    return (int(label), "") if label.isdigit() else (1 << 30, label)
