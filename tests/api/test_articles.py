"""Ingesting, reading, listing and deleting articles through HTTP."""

from __future__ import annotations

from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import text
from sqlalchemy.engine import Engine

from app.schemas import Article, ArticlePage, ArticleWithClaims, ClaimPage
from tests.api.helpers import (
    all_pages,
    article_body,
    assert_no_orphans,
    assert_problem,
    post_article,
    texts,
)


def _count(engine: Engine, table: str) -> int:
    with engine.connect() as conn:
        return int(conn.execute(text(f"SELECT count(*) FROM {table}")).scalar_one())


def test_create_returns_the_stored_article_with_claims_and_location(client: TestClient) -> None:
    response = client.post(
        "/v1/articles",
        json=article_body(
            "harbour.txt",
            url="https://news.example.org/harbour",
            published_at="2026-11-02T10:00:00+02:00",
        ),
    )
    assert response.status_code == 201
    article = ArticleWithClaims.model_validate(response.json())
    assert response.headers["location"] == f"/v1/articles/{article.id}"
    assert article.title == "Harbour talks resume in Geneva"
    assert article.url == "https://news.example.org/harbour"
    assert article.published_at is not None
    assert article.published_at.isoformat() == "2026-11-02T08:00:00+00:00"
    assert article.claim_count == len(article.claims) == 6
    assert [r.label for r in article.references] == ["1", "2", "3"]
    assert [c.position for c in article.claims] == list(range(6))
    first = article.claims[0]
    assert first.text.startswith("Negotiators from both governments met in Geneva")
    assert [(s.slug, s.label, s.kind) for s in first.sources] == [("reuters", "1", "cited")]
    # Spans index the text as sent.
    sent = article_body("harbour.txt")["text"]
    for claim in article.claims:
        assert claim.span.start < claim.span.end <= len(sent)
        assert sent[claim.span.start : claim.span.end].startswith(claim.text[:20])


def test_posting_the_same_article_again_stores_nothing_new(
    client: TestClient, engine: Engine
) -> None:
    first = post_article(client, "harbour.txt")
    claims_before = _count(engine, "claim")
    again = client.post("/v1/articles", json=article_body("harbour.txt"))
    assert again.status_code == 200
    assert again.json()["id"] == first["id"]
    assert again.headers["location"] == f"/v1/articles/{first['id']}"
    assert _count(engine, "article") == 1
    assert _count(engine, "claim") == claims_before


def test_whitespace_only_differences_are_the_same_article(client: TestClient) -> None:
    first = post_article(client, "grain.txt")
    body = article_body("grain.txt")
    body["text"] = body["text"].replace("\n", "\r\n") + "\n\n"
    again = client.post("/v1/articles", json=body)
    assert again.status_code == 200
    assert again.json()["id"] == first["id"]


def test_get_article_has_text_references_and_integrity(client: TestClient) -> None:
    created = post_article(client, "harbour.txt")
    response = client.get(f"/v1/articles/{created['id']}")
    assert response.status_code == 200
    article = Article.model_validate(response.json())
    assert article.text == article_body("harbour.txt")["text"]
    assert [(r.label, r.source.slug if r.source else None) for r in article.references] == [
        ("1", "reuters"),
        ("2", "associated-press"),
        ("3", "bbc-news"),
    ]
    assert article.integrity.clean


def test_unknown_article_is_a_problem_404(client: TestClient) -> None:
    body = assert_problem(client.get("/v1/articles/999999"), 404)
    assert "999999" in body["detail"]
    assert_problem(client.get("/v1/articles/999999/claims"), 404)
    assert_problem(client.delete("/v1/articles/999999"), 404)


def test_article_ids_must_be_positive_integers(client: TestClient) -> None:
    assert_problem(client.get("/v1/articles/abc"), 422)
    assert_problem(client.get("/v1/articles/0"), 422)


def test_list_articles_newest_first_across_pages(client: TestClient) -> None:
    ids = [
        post_article(client, name)["id"] for name in ("harbour.txt", "grain.txt", "sanctions.md")
    ]
    first = client.get("/v1/articles", params={"limit": 2})
    page = ArticlePage.model_validate(first.json())
    assert [a.id for a in page.items] == ids[::-1][:2]
    assert page.next_cursor is not None
    assert 'rel="next"' in first.headers["link"]
    everything = all_pages(client, "/v1/articles", limit=2)
    assert [a["id"] for a in everything] == ids[::-1]
    assert all("text" not in a for a in everything)


def test_list_articles_by_publication_date(client: TestClient) -> None:
    dated = {
        name: post_article(client, name, published_at=when)["id"]
        for name, when in (
            ("harbour.txt", "2026-01-10T08:00:00Z"),
            ("grain.txt", "2026-02-10T08:00:00+02:00"),
            ("sanctions.md", "2026-03-10T08:00:00Z"),
        )
    }

    def listed(**params: str) -> list[int]:
        response = client.get("/v1/articles", params=params)
        assert response.status_code == 200, response.text
        return [a.id for a in ArticlePage.model_validate(response.json()).items]

    assert listed(since="2026-02-01T00:00:00Z") == [dated["sanctions.md"], dated["grain.txt"]]
    assert listed(until="2026-02-10T06:00:00Z") == [dated["harbour.txt"]]  # until excludes
    assert listed(since="2026-02-10T06:00:00Z", until="2026-03-01") == [dated["grain.txt"]]
    # Without a zone, UTC; the other filters and pages work as on the claim lists.
    assert listed(since="2026-03-10T08:00:00") == [dated["sanctions.md"]]
    paged = all_pages(client, "/v1/articles", limit=1, since="2026-02-01T00:00:00Z")
    assert [a["id"] for a in paged] == [dated["sanctions.md"], dated["grain.txt"]]


def test_list_articles_rejects_a_date_that_is_not_one(client: TestClient) -> None:
    for value in ("yesterday", "1767225600"):
        response = client.get("/v1/articles", params={"since": value})
        assert_problem(response, 422)
        assert response.json()["errors"][0]["loc"] == ["query", "since"]


def test_article_claims_are_paged_in_order(client: TestClient) -> None:
    created = post_article(client, "harbour.txt")
    pages = all_pages(client, f"/v1/articles/{created['id']}/claims", limit=4)
    assert texts(pages) == [c["text"] for c in created["claims"]]
    ClaimPage.model_validate({"items": pages, "next_cursor": None})


def test_delete_removes_the_article_and_everything_split_from_it(
    client: TestClient, engine: Engine
) -> None:
    kept = post_article(client, "grain.txt")
    gone = post_article(client, "harbour.txt")
    response = client.delete(f"/v1/articles/{gone['id']}")
    assert response.status_code == 204
    assert response.content == b""
    assert_problem(client.get(f"/v1/articles/{gone['id']}"), 404)
    assert_problem(client.get(f"/v1/claims/{gone['claims'][0]['id']}"), 404)
    assert _count(engine, "article") == 1
    assert _count(engine, "claim") == kept["claim_count"]
    with engine.connect() as conn:
        assert_no_orphans(conn)


def test_deleted_ids_are_never_reused(client: TestClient) -> None:
    first = post_article(client, "harbour.txt")
    client.delete(f"/v1/articles/{first['id']}")
    second = post_article(client, "harbour.txt")
    assert second["id"] > first["id"]
    assert second["claims"][0]["id"] > first["claims"][-1]["id"]


def test_split_stores_nothing(client: TestClient, engine: Engine) -> None:
    response = client.post("/v1/split", json=article_body("harbour.txt"))
    assert response.status_code == 200
    body = response.json()
    assert body["title"] == "Harbour talks resume in Geneva"
    assert len(body["claims"]) == 6
    assert all("id" not in claim for claim in body["claims"])
    assert _count(engine, "article") == 0


def test_a_whole_page_gives_its_own_date_and_url_when_the_client_does_not(
    client: TestClient,
) -> None:
    page = (Path(__file__).parent.parent / "fixtures" / "pages" / "news_page.html").read_text()
    response = client.post("/v1/articles", json={"text": page, "format": "html"})
    assert response.status_code == 201
    article = ArticleWithClaims.model_validate(response.json())
    assert article.published_at is not None
    assert article.published_at.isoformat() == "2026-03-04T07:30:00+00:00"
    assert article.url == "https://ledger.example/news/ferry-terminal"
    assert article.title == "Harbour authority approves new ferry terminal"
    assert article.claim_count == 7


def test_the_client_date_and_url_win_over_the_page(client: TestClient) -> None:
    page = (Path(__file__).parent.parent / "fixtures" / "pages" / "news_page.html").read_text()
    body = {
        "text": page,
        "format": "html",
        "url": "https://mirror.example/ferry",
        "published_at": "2026-03-05T09:00:00Z",
    }
    article = ArticleWithClaims.model_validate(client.post("/v1/articles", json=body).json())
    assert article.url == "https://mirror.example/ferry"
    assert article.published_at is not None
    assert article.published_at.isoformat() == "2026-03-05T09:00:00+00:00"


def _page(site_name: str, canonical: str) -> str:
    page = (Path(__file__).parent.parent / "fixtures" / "pages" / "news_page.html").read_text()
    page = page.replace('content="The Coastal Ledger"', f'content="{site_name}"')
    return page.replace("https://ledger.example/news/ferry-terminal", canonical)


def test_a_whole_page_names_its_publisher_as_the_article_source(client: TestClient) -> None:
    page = _page("The Coastal Ledger", "https://www.coastal-ledger.co.uk/news/ferry-terminal")
    created = client.post("/v1/articles", json={"text": page, "format": "html"}).json()
    article = Article.model_validate(client.get(f"/v1/articles/{created['id']}").json())
    assert article.publisher is not None
    assert (article.publisher.slug, article.publisher.name) == (
        "the-coastal-ledger",
        "The Coastal Ledger",
    )
    assert article.publisher.domains == ["coastal-ledger.co.uk"]  # the canonical URL's domain
    listed = client.get("/v1/articles").json()["items"]
    assert listed[0]["publisher"]["slug"] == "the-coastal-ledger"
    # the publisher is addressable like any source, and no claim cites it
    assert client.get("/v1/sources/the-coastal-ledger").status_code == 200
    assert client.get("/v1/claims", params={"source": "the-coastal-ledger"}).json()["items"] == []


@pytest.mark.parametrize(
    ("site_name", "canonical"),
    [
        ("Reuters", "https://example.org/story"),  # a registered name
        ("Reuters.com", "https://www.reuters.com/world/story"),  # a registered domain
    ],
)
def test_a_known_publisher_is_the_registered_source(
    client: TestClient, site_name: str, canonical: str
) -> None:
    body = {"text": _page(site_name, canonical), "format": "html"}
    article = client.post("/v1/articles", json=body).json()
    assert article["publisher"]["slug"] == "reuters"
    assert article["publisher"]["name"] == "Reuters"


def test_text_and_fragments_have_no_publisher(client: TestClient) -> None:
    text = post_article(client, "harbour.txt")
    fragment = client.post(
        "/v1/articles",
        json={"text": "<p>The council met on Monday and approved the plan.</p>", "format": "html"},
    ).json()
    assert text["publisher"] is None
    assert fragment["publisher"] is None


def test_reprocessing_keeps_the_publisher(client: TestClient) -> None:
    page = (Path(__file__).parent.parent / "fixtures" / "pages" / "news_page.html").read_text()
    created = client.post("/v1/articles", json={"text": page, "format": "html"}).json()
    assert client.post(f"/v1/articles/{created['id']}/reprocess").status_code == 200
    again = client.get(f"/v1/articles/{created['id']}").json()
    assert again["publisher"]["slug"] == "the-coastal-ledger"
