"""Rows to JSON: every response body the API builds by hand is shaped here, once.

Each view returns plain dicts and lists, already in the shape of its response
model in app/schemas.py (tests/test_views.py validates each against its model),
so routes serialise them with orjson and skip a pydantic pass. The claim view
is the hot path of every list: it builds each dict in one literal.
"""

from __future__ import annotations

import html
import re
from bisect import bisect_left
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from datetime import datetime
from typing import Any

from app.links import article_url, claim_url
from app.repository.claim_query import SNIPPET_END, SNIPPET_START
from app.repository.claims import ClaimRows
from app.repository.sql import utc
from app.splitter.types import Citation, Integrity, Source, SplitResult

__all__ = [
    "Utf16Offsets",
    "article_json",
    "article_summary_json",
    "batch_json",
    "change_json",
    "claim_jsonld",
    "claims_json",
    "integrity_json",
    "reference_json",
    "snippet_html",
    "source_json",
    "split_json",
]


# ---------------------------------------------------------------- claims


def _label_order(citation: dict[str, Any]) -> tuple[int, int, str]:
    # Labels read as the article numbers them: 2 before 10; inline citations last.
    label = citation["label"]
    if label is None:
        return (2, 0, citation["slug"])
    return (0, int(label), "") if label.isdigit() else (1, 0, label)


def snippet_html(snippet: str | None) -> str | None:
    """A search snippet as HTML: the claim's text escaped, its matches in <mark>."""
    if snippet is None:
        return None
    escaped = html.escape(snippet, quote=False)
    return escaped.replace(SNIPPET_START, "<mark>").replace(SNIPPET_END, "</mark>")


def claims_json(
    rows: ClaimRows, *, ids: Sequence[int], snippets: Mapping[int, str | None] | None = None
) -> list[dict[str, Any]]:
    """The `Claim` objects of these rows, in the order of `ids` (ids without rows left out)."""
    sources: dict[int, list[dict[str, Any]]] = defaultdict(list)
    context: dict[int, list[dict[str, Any]]] = defaultdict(list)
    for claim_id, slug, name, label, kind in rows.citations:
        target = context if kind == "context" else sources
        target[claim_id].append({"slug": slug, "name": name, "label": label, "kind": kind})
    for cited in (*sources.values(), *context.values()):
        cited.sort(key=_label_order)
    actors: dict[int, list[dict[str, Any]]] = defaultdict(list)
    for claim_id, slug, name, actor_type in rows.actors:
        actors[claim_id].append({"slug": slug, "name": name, "type": actor_type})
    topics: dict[int, list[dict[str, Any]]] = defaultdict(list)
    for claim_id, slug, name in rows.topics:
        topics[claim_id].append({"slug": slug, "name": name})
    by_id: dict[int, dict[str, Any]] = {}
    published_by_article: dict[int, datetime | None] = {}
    for row in rows.claims:
        claim_id, article_id, position, claim_text, section, start, end = row[:7]
        start16, end16, version, title, url, published, language = row[7:]
        if article_id not in published_by_article:
            published_by_article[article_id] = utc(published)
        claim = {
            "id": claim_id,
            "url": claim_url(claim_id),
            "article_id": article_id,
            "article": {
                "id": article_id,
                "title": title,
                "url": url,
                "published_at": published_by_article[article_id],
                "language": language,
            },
            "position": position,
            "text": claim_text,
            "section": section,
            "span": {"start": start, "end": end},
            "span_utf16": {"start": start16, "end": end16},
            "sources": sources.get(claim_id, []),
            "context_sources": context.get(claim_id, []),
            "actors": actors.get(claim_id, []),
            "topics": topics.get(claim_id, []),
            "splitter_version": version,
        }
        if snippets is not None:
            claim["snippet"] = snippet_html(snippets.get(claim_id))
        by_id[claim_id] = claim
    return [by_id[claim_id] for claim_id in ids if claim_id in by_id]


_SCHEMA_TYPES = {
    "person": "Person",
    "country": "Country",
    "organization": "Organization",
    "group": "Organization",
}


def claim_jsonld(claim: dict[str, Any], *, base_url: str) -> dict[str, Any]:
    """A claim as a schema.org Claim, for fact-checking tools."""
    article = claim["article"]
    appearance: dict[str, Any] = {
        "@type": "NewsArticle",
        "@id": f"{base_url}v1/articles/{article['id']}",
        "headline": article["title"],
    }
    if article["url"]:
        appearance["url"] = article["url"]
    if article["published_at"]:
        appearance["datePublished"] = article["published_at"].isoformat()
    publishers = [
        {"@type": "Organization", "name": source["name"], "identifier": source["slug"]}
        for source in claim["sources"]
    ]
    document: dict[str, Any] = {
        "@context": "https://schema.org",
        "@type": "Claim",
        "@id": f"{base_url}v1/claims/{claim['id']}",
        "text": claim["text"],
        "appearance": appearance,
        "citation": publishers,
        "about": [
            {
                "@type": _SCHEMA_TYPES[actor["type"]],
                "name": actor["name"],
                "identifier": actor["slug"],
            }
            for actor in claim["actors"]
        ],
        "keywords": [topic["name"] for topic in claim["topics"]],
    }
    if len(publishers) == 1:
        document["author"] = publishers[0]
    elif publishers:
        document["author"] = publishers
    return document


# ---------------------------------------------------------------- articles


def article_summary_json(row: Mapping[str, Any]) -> dict[str, Any]:
    """An `ArticleSummary` from an article row with its claim count."""
    return {
        "id": row["id"],
        "api_url": article_url(row["id"]),
        "title": row["title"],
        "url": row["url"],
        "published_at": utc(row["published_at"]),
        "format": row["format"],
        "splitter_version": row["splitter_version"],
        "language": row["language"],
        "ingested_at": utc(row["ingested_at"]),
        "claim_count": row["claim_count"],
        "publisher": None
        if row["publisher_slug"] is None
        else {
            "slug": row["publisher_slug"],
            "name": row["publisher_name"],
            "aliases": row["publisher_aliases"],
            "domains": row["publisher_domains"],
        },
    }


def reference_json(row: Mapping[str, Any]) -> dict[str, Any]:
    """A `Reference` from a reference row joined to its source (slug None: no source)."""
    return {
        "label": row["label"],
        "text": row["text"],
        "url": row["url"],
        "source": None
        if row["slug"] is None
        else {
            "slug": row["slug"],
            "name": row["name"],
            "aliases": row["aliases"],
            "domains": row["domains"],
        },
    }


def article_json(
    row: Mapping[str, Any],
    references: Iterable[Mapping[str, Any]],
    claims: list[dict[str, Any]] | None = None,
) -> dict[str, Any]:
    """An `Article` (with `claims`: an `ArticleWithClaims`) from its row and references."""
    article = article_summary_json(row)
    article["text"] = row["text"]
    article["integrity"] = row["integrity"]
    article["references"] = [reference_json(reference) for reference in references]
    if claims is not None:
        article["claims"] = claims
    return article


# ---------------------------------------------------------------- the change feed


def change_json(row: Mapping[str, Any], claim: dict[str, Any] | None) -> dict[str, Any]:
    """A `ChangeEvent` from a claim_change row and the claim as it is now."""
    return {
        "seq": row["seq"],
        "kind": row["kind"],
        "claim_id": row["claim_id"],
        "article_id": row["article_id"],
        "changed_at": utc(row["changed_at"]),
        "claim": claim,
    }


# ---------------------------------------------------------------- batches


def batch_json(results: Sequence[tuple[str, int | None, dict[str, Any] | None]]) -> dict[str, Any]:
    """A `BatchResult` from (status, article id, problem) per article, in input order."""
    items = [
        {"index": index, "status": status, "id": article_id, "problem": problem}
        for index, (status, article_id, problem) in enumerate(results)
    ]
    return {
        "items": items,
        "created": sum(item["status"] == "created" for item in items),
        "existing": sum(item["status"] == "existing" for item in items),
        "failed": sum(item["status"] == "error" for item in items),
    }


# ---------------------------------------------------------------- split results

_ASTRAL = re.compile("[\U00010000-\U0010ffff]")


class Utf16Offsets:
    """Code point offsets of one text turned into UTF-16 code unit offsets."""

    __slots__ = ("_astral",)

    def __init__(self, text: str) -> None:
        # Only characters outside the Basic Multilingual Plane take two units;
        # remember where they are and count those before an offset.
        self._astral = [match.start() for match in _ASTRAL.finditer(text)]

    def __call__(self, offset: int) -> int:
        """The UTF-16 offset of a code point offset."""
        return offset + bisect_left(self._astral, offset)


def source_json(source: Source) -> dict[str, Any]:
    """A `Source` (and the source table's row of it)."""
    return {
        "slug": source.slug,
        "name": source.name,
        "aliases": list(source.aliases),
        "domains": list(source.domains),
    }


def _citation_json(citation: Citation) -> dict[str, Any]:
    return {
        "slug": citation.source.slug,
        "name": citation.source.name,
        "label": citation.label,
        "kind": citation.kind,
    }


def integrity_json(integrity: Integrity) -> dict[str, Any]:
    """An `Integrity` report (and the article table's column of it)."""
    return {
        "clean": integrity.clean,
        "dangling_markers": list(integrity.dangling_markers),
        "uncited_references": list(integrity.uncited_references),
        "duplicate_labels": list(integrity.duplicate_labels),
        "marker_styles": list(integrity.marker_styles),
    }


def split_json(result: SplitResult, *, text: str) -> dict[str, Any]:
    """The `SplitResponse` of POST /v1/split for the split result of `text`."""
    utf16 = Utf16Offsets(text)
    return {
        "title": result.title,
        "references": [
            {
                "label": ref.label,
                "text": ref.text,
                "url": ref.url,
                "source": None if ref.source is None else source_json(ref.source),
            }
            for ref in result.references
        ],
        "claims": [
            {
                "position": statement.position,
                "text": statement.text,
                "section": statement.section,
                "span": {"start": statement.span.start, "end": statement.span.end},
                "span_utf16": {
                    "start": utf16(statement.span.start),
                    "end": utf16(statement.span.end),
                },
                "sources": [_citation_json(c) for c in statement.sources],
                "context_sources": [_citation_json(c) for c in statement.context_sources],
                "actors": [
                    {"slug": a.slug, "name": a.name, "type": a.type} for a in statement.actors
                ],
                "topics": [{"slug": t.slug, "name": t.name} for t in statement.topics],
                "topics_context": [
                    {"slug": t.slug, "name": t.name} for t in statement.topics_context
                ],
                "splitter_version": result.splitter_version,
            }
            for statement in result.statements
        ],
        "integrity": integrity_json(result.integrity),
        "splitter_version": result.splitter_version,
        "language": result.language,
    }
