"""Streaming exports (NDJSON, CSV) and JSON-LD claims."""

from __future__ import annotations

import csv
import io
from typing import Any

import orjson
import pytest
from fastapi.testclient import TestClient

from app.services import claims as claim_service
from tests.api.helpers import all_pages, assert_problem, post_article

MANY = 10_050


@pytest.fixture
def big(client: TestClient) -> dict[str, Any]:
    """One article of more than ten thousand cited sentences."""
    sentences = " ".join(f"Report number {n} was filed.[{1 + n % 2}]" for n in range(MANY))
    response = client.post("/v1/articles", json={"text": f"{sentences}\n\n[1] Reuters\n[2] CNN"})
    assert response.status_code == 201, response.text[:500]
    article: dict[str, Any] = response.json()
    assert article["claim_count"] == MANY
    return article


def test_ndjson_streams_every_claim_in_bounded_batches(
    client: TestClient, big: dict[str, Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    fetched: list[int] = []
    real = claim_service.claims_by_ids

    def spy(session: Any, *, ids: Any, snippets: Any = None) -> Any:
        fetched.append(len(ids))
        return real(session, ids=ids, snippets=snippets)

    monkeypatch.setattr(claim_service, "claims_by_ids", spy)
    with client.stream("GET", "/v1/claims.ndjson") as response:
        assert response.status_code == 200
        assert response.headers["content-type"].startswith("application/x-ndjson")
        lines = [line for line in response.iter_lines() if line]
    assert len(lines) == MANY + 1
    assert orjson.loads(lines[-1]) == {"complete": True, "count": MANY}
    claims = [orjson.loads(line) for line in lines[:-1]]
    assert [c["position"] for c in claims] == list(range(MANY))
    assert max(fetched) <= claim_service.EXPORT_BATCH
    assert len(fetched) >= MANY // claim_service.EXPORT_BATCH


def test_format_and_accept_of_earlier_versions_redirect_to_the_export(
    client: TestClient,
) -> None:
    # One schema per operation; the old ways in answer 308 to the export's path.
    post_article(client, "grain.txt")
    moved = client.get(
        "/v1/claims",
        params={"source": "reuters", "format": "ndjson"},
        follow_redirects=False,
    )
    assert moved.status_code == 308
    assert moved.headers["location"] == "/v1/claims.ndjson?source=reuters"
    response = client.get(
        "/v1/claims", params={"source": "reuters"}, headers={"Accept": "application/x-ndjson"}
    )
    assert response.headers["content-type"].startswith("application/x-ndjson")
    lines = response.text.strip().splitlines()
    assert [orjson.loads(line)["sources"][0]["slug"] for line in lines[:-1]] == ["reuters"] * 2
    assert orjson.loads(lines[-1]) == {"complete": True, "count": 2}


def test_csv_has_one_row_per_claim(client: TestClient) -> None:
    post_article(client, "harbour.txt", url="https://news.example.org/h")
    response = client.get("/v1/claims.csv")
    assert response.headers["content-type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(response.text)))
    end = rows.pop()
    assert (end["id"], end["article_id"]) == ("#complete", "6")
    assert len(rows) == 6
    assert rows[2]["sources"] == "associated-press;bbc-news"
    assert rows[1]["context_sources"] == "reuters"
    assert rows[0]["article_url"] == "https://news.example.org/h"
    api = all_pages(client, "/v1/claims")
    assert [row["text"] for row in rows] == [item["text"] for item in api]


def test_exports_apply_filters_and_reject_unknown_values(client: TestClient) -> None:
    post_article(client, "harbour.txt")
    lines = client.get("/v1/claims.ndjson", params={"source": "bbc"}).text
    assert len(lines.strip().splitlines()) == 2  # the claim, then the terminator
    nothing = client.get("/v1/claims.csv", params={"source": "nope"})
    assert nothing.status_code == 200
    assert nothing.text.count("\r\n") == 2  # the header row and the terminator row
    assert_problem(client.get("/v1/claims.ndjson", params={"since": "0.5"}), 422)


def test_claim_as_json_ld(client: TestClient) -> None:
    article = post_article(
        client,
        "grain.txt",
        url="https://news.example.org/grain",
        published_at="2026-11-01T09:00:00Z",
    )
    claim = article["claims"][1]
    for response in (
        client.get(f"/v1/claims/{claim['id']}.jsonld"),
        client.get(f"/v1/claims/{claim['id']}", params={"format": "jsonld"}),
        client.get(f"/v1/claims/{claim['id']}", headers={"Accept": "application/ld+json"}),
    ):
        assert response.headers["content-type"] == "application/ld+json"
        document = response.json()
        assert document["@context"] == "https://schema.org"
        assert document["@type"] == "Claim"
        assert document["@id"].endswith(f"/v1/claims/{claim['id']}")
        assert document["text"] == claim["text"]
        assert document["appearance"]["url"] == "https://news.example.org/grain"
        assert document["appearance"]["datePublished"] == "2026-11-01T09:00:00+00:00"
        assert document["author"] == {
            "@type": "Organization",
            "name": "Al Jazeera",
            "identifier": "al-jazeera",
        }
        assert {"@type": "Country", "name": "Turkey", "identifier": "turkey"} in document["about"]
    plain = client.get(f"/v1/claims/{claim['id']}")
    assert plain.headers["content-type"] == "application/json"
