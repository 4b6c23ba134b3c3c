"""Each view pinned to its schema: generated rows in, a body its response model accepts out.

Routes send what the views build without a pydantic pass, so a drift between a
view and app/schemas.py would reach clients; here it fails first. The fields
must match both ways: none missing (the model would refuse the body or fill a
default) and none extra (the model would drop it silently).
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import pytest
from pydantic import BaseModel, TypeAdapter

from app import schemas
from app.repository.claims import ClaimRows
from app.splitter.core import Splitter
from app.views import (
    article_json,
    article_summary_json,
    batch_json,
    change_json,
    claim_jsonld,
    claims_json,
    split_json,
)

WHEN = "2026-11-02 10:00:00.000000"  # as SQLite hands a time back
PROBLEM = {"type": "about:blank", "title": "Bad", "status": 422, "detail": "Bad."}
INTEGRITY = {
    "clean": False,
    "dangling_markers": ["6"],
    "uncited_references": [],
    "duplicate_labels": [],
    "marker_styles": ["bracket"],
}


def _claim_rows(count: int, *, published: Any = WHEN) -> ClaimRows:
    claims = [
        (
            id_,
            7,
            id_ - 1,
            f"Claim {id_}.",
            "Aid" if id_ % 2 else None,
            0,
            9,
            0,
            9,
            "1.3.0",
            "Harbour talks",
            "https://news.example.org/h",
            published,
            "en",
        )
        for id_ in range(1, count + 1)
    ]
    citations = [
        (1, "reuters", "Reuters", "10", "cited"),
        (1, "bbc-news", "BBC News", "2", "cited"),
    ]
    citations += [(2, "ap", "Associated Press", None, "inline"), (2, "afp", "AFP", "1", "context")]
    actors = [(1, "ukraine", "Ukraine", "country")]
    topics = [(2, "ceasefire", "Ceasefire")]
    return ClaimRows(claims, citations, actors, topics)


def _article_row(**extra: Any) -> dict[str, Any]:
    return {
        "id": 7,
        "title": "Harbour talks",
        "url": None,
        "published_at": WHEN,
        "format": "text",
        "splitter_version": "1.3.0",
        "language": "en",
        "ingested_at": datetime(2026, 11, 2, 11),
        "claim_count": 3,
        "publisher_slug": None,
        "publisher_name": None,
        "publisher_aliases": None,
        "publisher_domains": None,
        **extra,
    }


def _reference_rows() -> list[dict[str, Any]]:
    return [
        {"label": "1", "text": "Reuters", "url": None, "slug": "reuters", "name": "Reuters"}
        | {"aliases": ["Thomson Reuters"], "domains": ["reuters.com"]},
        {"label": "2", "text": "A blog", "url": "https://blog.example"}
        | {"slug": None, "name": None, "aliases": None, "domains": None},
    ]


def _split() -> dict[str, Any]:
    text = "Talks resume\n\nTalks resumed in Geneva on Monday.[1]\n\n[1] Reuters"
    return split_json(Splitter().split(text), text=text)


def _assert_fields(body: Any, model: type[BaseModel]) -> None:
    """Every required field of the model present in the body, and no field it lacks."""
    fields = model.model_fields
    names = {field.alias or name for name, field in fields.items()}
    required = {field.alias or name for name, field in fields.items() if field.is_required()}
    assert required <= set(body) <= names, model.__name__


CASES: list[tuple[str, Any, type[BaseModel]]] = [
    ("claim", claims_json(_claim_rows(2), ids=[2, 1])[0], schemas.Claim),
    (
        "claim with snippet",
        claims_json(_claim_rows(1), ids=[1], snippets={1: "x"})[0],
        schemas.Claim,
    ),
    (
        "claim never published",
        claims_json(_claim_rows(1, published=None), ids=[1])[0],
        schemas.Claim,
    ),
    ("article summary", article_summary_json(_article_row()), schemas.ArticleSummary),
    (
        "article summary with its publisher",
        article_summary_json(
            _article_row(
                publisher_slug="reuters",
                publisher_name="Reuters",
                publisher_aliases=["Thomson Reuters"],
                publisher_domains=["reuters.com"],
            )
        ),
        schemas.ArticleSummary,
    ),
    (
        "article",
        article_json(_article_row(text="T", integrity=INTEGRITY), _reference_rows()),
        schemas.Article,
    ),
    (
        "article with claims",
        article_json(
            _article_row(text="T", integrity=INTEGRITY),
            [],
            claims_json(_claim_rows(3), ids=[1, 2, 3]),
        ),
        schemas.ArticleWithClaims,
    ),
    (
        "change",
        change_json(
            {"seq": 5, "kind": "created", "claim_id": 1, "article_id": 7, "changed_at": WHEN},
            claims_json(_claim_rows(1), ids=[1])[0],
        ),
        schemas.ChangeEvent,
    ),
    (
        "deleted change",
        change_json(
            {"seq": 6, "kind": "deleted", "claim_id": 1, "article_id": 7, "changed_at": WHEN}, None
        ),
        schemas.ChangeEvent,
    ),
    (
        "batch",
        batch_json(
            [
                ("created", 7, None),
                ("existing", 3, None),
                (
                    "error",
                    None,
                    {"type": "about:blank", "title": "Bad", "status": 422, "detail": "Bad."},
                ),
            ]
        ),
        schemas.BatchResult,
    ),
    ("split", _split(), schemas.SplitResponse),
    (
        "claim as JSON-LD",
        claim_jsonld(claims_json(_claim_rows(2), ids=[1])[0], base_url="https://c.example/"),
        schemas.ClaimJsonLd,
    ),
]


@pytest.mark.parametrize(("name", "body", "model"), CASES, ids=[case[0] for case in CASES])
def test_each_view_is_what_its_schema_says(name: str, body: Any, model: type[BaseModel]) -> None:
    TypeAdapter(model).validate_python(body)
    _assert_fields(body, model)


def test_claim_view_reads_stored_times_as_utc_and_orders_citations_as_numbered() -> None:
    first, second = claims_json(_claim_rows(2), ids=[1, 2])
    assert first["article"]["published_at"] == datetime(2026, 11, 2, 10, tzinfo=UTC)
    assert [s["label"] for s in first["sources"]] == ["2", "10"]
    assert [s["slug"] for s in second["context_sources"]] == ["afp"]
    assert "snippet" not in first


def test_claims_come_in_the_order_asked_and_unknown_ids_are_left_out() -> None:
    assert [c["id"] for c in claims_json(_claim_rows(3), ids=[3, 99, 1])] == [3, 1]


def test_a_snippet_is_escaped_html_with_its_matches_marked() -> None:
    (claim,) = claims_json(_claim_rows(1), ids=[1], snippets={1: "<b>\x02talks\x03</b>"})
    assert claim["snippet"] == "&lt;b&gt;<mark>talks</mark>&lt;/b&gt;"
