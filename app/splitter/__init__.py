"""The claim splitter: text in, source-attributed statements out. No web or DB imports.

This is the library's public entry point for code outside the project
(`from app.splitter import split`); inside the project, modules import each
name from the module that defines it (`core`, `types`, `sources`).
"""

from app.splitter.core import SPLITTER_VERSION, Splitter, default_splitter, split
from app.splitter.sources import known_sources
from app.splitter.types import (
    Actor,
    ActorType,
    Citation,
    CitationKind,
    Format,
    Integrity,
    PageMeta,
    Reference,
    Source,
    Span,
    SplitResult,
    Statement,
    Topic,
)

__all__ = [
    "SPLITTER_VERSION",
    "Actor",
    "ActorType",
    "Citation",
    "CitationKind",
    "Format",
    "Integrity",
    "PageMeta",
    "Reference",
    "Source",
    "Span",
    "SplitResult",
    "Splitter",
    "Statement",
    "Topic",
    "default_splitter",
    "known_sources",
    "split",
]
