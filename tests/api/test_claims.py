"""Reading claims through HTTP: every filter, their combinations, and keyset pages."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from app.schemas import Claim, ClaimPage
from tests.api.helpers import all_pages, assert_problem, post_article, texts

HARBOUR_REUTERS = [
    "Negotiators from both governments met in Geneva on Monday to restart talks "
    "on the disputed harbour."
]
HARBOUR_AP = [
    "Officials said a draft ceasefire text was circulated among delegations.",
    "The United Nations said aid convoys had reached the port city for the first time in a month.",
]
HARBOUR_BBC = ["Officials said a draft ceasefire text was circulated among delegations."]


@pytest.fixture
def stored(client: TestClient) -> dict[str, dict[str, object]]:
    """Three fixture articles, ingested in this order."""
    return {
        name: post_article(client, name, published_at=date)
        for name, date in (
            ("harbour.txt", "2026-11-01T09:00:00Z"),
            ("grain.txt", "2026-11-10T09:00:00Z"),
            ("sanctions.md", "2026-11-20T09:00:00Z"),
        )
    }


def _claims(client: TestClient, **params: object) -> list[str]:
    return texts(all_pages(client, "/v1/claims", **params))


@pytest.mark.usefixtures("stored")
@pytest.mark.parametrize("value", ["reuters", "Reuters", "REUTERS", "Thomson Reuters"])
def test_source_filter_accepts_slug_name_or_alias_in_any_case(
    client: TestClient, value: str
) -> None:
    got = _claims(client, source=value)
    assert got[: len(HARBOUR_REUTERS)] == HARBOUR_REUTERS
    assert all(text in got for text in HARBOUR_REUTERS)
    # Reuters is cited by one harbour sentence, two grain sentences and both sanctions sentences.
    assert len(got) == 5


@pytest.mark.usefixtures("stored")
def test_source_filter_returns_exactly_the_citing_sentences(client: TestClient) -> None:
    assert _claims(client, source="associated-press") == HARBOUR_AP
    assert _claims(client, source="bbc-news") == HARBOUR_BBC
    assert _claims(client, source="al-jazeera") == [
        "Turkey, which brokered the arrangement, confirmed the departure."
    ]


@pytest.mark.usefixtures("stored")
def test_repeated_values_or_and_different_filters_and(client: TestClient) -> None:
    either = _claims(client, source=["bbc-news", "al-jazeera"])
    assert either == [
        *HARBOUR_BBC,
        "Turkey, which brokered the arrangement, confirmed the departure.",
    ]
    both = _claims(client, source=["associated-press"], topic=["ceasefire"])
    assert both == HARBOUR_BBC


@pytest.mark.usefixtures("stored")
def test_claims_come_in_article_order_then_position(client: TestClient) -> None:
    items = all_pages(client, "/v1/claims", limit=3)
    keys = [(item["article_id"], item["position"]) for item in items]
    assert keys == sorted(keys)
    assert len(items) == len({item["id"] for item in items})


def test_article_filter(client: TestClient, stored: dict[str, dict[str, object]]) -> None:
    grain = stored["grain.txt"]
    got = all_pages(client, "/v1/claims", article=grain["id"])
    assert {item["article_id"] for item in got} == {grain["id"]}
    assert len(got) == grain["claim_count"]
    assert_problem(client.get("/v1/claims", params={"article": "x"}), 422)


def test_since_and_until_filter_on_publication_date(
    client: TestClient, stored: dict[str, dict[str, object]]
) -> None:
    later = all_pages(client, "/v1/claims", since="2026-11-05T00:00:00Z")
    assert {item["article_id"] for item in later} == {
        stored["grain.txt"]["id"],
        stored["sanctions.md"]["id"],
    }
    window = all_pages(
        client, "/v1/claims", since="2026-11-05T00:00:00Z", until="2026-11-15T00:00:00Z"
    )
    assert {item["article_id"] for item in window} == {stored["grain.txt"]["id"]}
    naive = all_pages(client, "/v1/claims", until="2026-11-05T00:00:00")
    assert {item["article_id"] for item in naive} == {stored["harbour.txt"]["id"]}
    assert_problem(client.get("/v1/claims", params={"since": "yesterday"}), 422)


@pytest.mark.usefixtures("stored")
def test_pages_visit_every_claim_exactly_once(client: TestClient) -> None:
    everything = all_pages(client, "/v1/claims", limit=200)
    for limit in (1, 2, 5):
        paged = all_pages(client, "/v1/claims", limit=limit)
        assert [c["id"] for c in paged] == [c["id"] for c in everything]
    filtered = all_pages(client, "/v1/claims", source="reuters", limit=2)
    assert len(filtered) == 5


def test_pages_stay_exact_while_articles_arrive(client: TestClient) -> None:
    post_article(client, "harbour.txt")
    first = client.get("/v1/claims", params={"limit": 2}).json()
    seen = [c["id"] for c in first["items"]]
    post_article(client, "grain.txt")  # arrives between two page reads
    cursor = first["next_cursor"]
    while cursor:
        page = client.get("/v1/claims", params={"limit": 2, "cursor": cursor}).json()
        seen.extend(c["id"] for c in page["items"])
        cursor = page["next_cursor"]
    everything = [c["id"] for c in all_pages(client, "/v1/claims", limit=200)]
    assert seen == everything
    assert len(seen) == len(set(seen))


@pytest.mark.usefixtures("stored")
def test_page_has_link_header_and_validates_against_the_contract(client: TestClient) -> None:
    response = client.get("/v1/claims", params={"source": "reuters", "limit": 2})
    page = ClaimPage.model_validate(response.json())
    assert len(page.items) == 2
    assert page.next_cursor
    link = response.headers["link"]
    assert link.endswith('>; rel="next"')
    assert "source=reuters" in link
    assert f"cursor={page.next_cursor}" in link
    last = client.get("/v1/claims", params={"source": "reuters", "limit": 200})
    assert last.json()["next_cursor"] is None
    assert "link" not in last.headers


@pytest.mark.usefixtures("stored")
def test_claim_sources_are_split_from_context_sources(client: TestClient) -> None:
    items = all_pages(client, "/v1/claims", limit=200)
    by_text = {item["text"]: item for item in items}
    unmarked = by_text["The meeting lasted four hours."]
    assert unmarked["sources"] == []
    assert [s["slug"] for s in unmarked["context_sources"]] == ["reuters"]
    assert all(s["kind"] == "context" for s in unmarked["context_sources"])
    marked = by_text[HARBOUR_BBC[0]]
    assert [(s["slug"], s["label"]) for s in marked["sources"]] == [
        ("associated-press", "2"),
        ("bbc-news", "3"),
    ]


def test_get_claim(client: TestClient, stored: dict[str, dict[str, object]]) -> None:
    claim_id = stored["harbour.txt"]["claims"][0]["id"]  # type: ignore[index]
    response = client.get(f"/v1/claims/{claim_id}")
    assert response.status_code == 200
    claim = Claim.model_validate(response.json())
    assert claim.text == HARBOUR_REUTERS[0]
    assert_problem(client.get("/v1/claims/987654321"), 404)


@pytest.mark.usefixtures("stored")
@pytest.mark.parametrize(
    ("params", "named"),
    [
        ({"source": "reuterz"}, "reuterz"),
        ({"actor": "nobody-at-all"}, "nobody-at-all"),
        ({"topic": "gardening"}, "gardening"),
        ({"source": "x'; DROP TABLE claim; --"}, "DROP TABLE"),
        ({"source": "%"}, "%"),
    ],
)
def test_unknown_filter_values_match_nothing(
    client: TestClient, params: dict[str, object], named: str
) -> None:
    # As GitHub's and Datasette's filters, an unknown value is no error.
    response = client.get("/v1/claims", params=params)
    assert response.status_code == 200
    assert response.json()["items"] == []
    assert named not in response.text
    assert client.get("/v1/claims").json()["items"]  # the table is still there


@pytest.mark.usefixtures("stored")
def test_an_unknown_value_among_known_ones_never_fails_the_page(client: TestClient) -> None:
    known = client.get("/v1/claims", params={"source": "reuters", "limit": 200}).json()
    mixed = client.get(
        "/v1/claims", params={"source": ["reuters", "typo"], "limit": 200, "topic": []}
    )
    assert mixed.status_code == 200
    assert mixed.json()["items"] == known["items"]
    excluded = client.get("/v1/claims", params={"source": "-typo", "limit": 200}).json()
    assert excluded["items"] == client.get("/v1/claims", params={"limit": 200}).json()["items"]


@pytest.mark.usefixtures("stored")
@pytest.mark.parametrize("limit", [0, -1, 201, 10**9, "ten"])
def test_limit_out_of_range_is_422(client: TestClient, limit: object) -> None:
    body = assert_problem(client.get("/v1/claims", params={"limit": limit}), 422)
    assert body["errors"][0]["loc"] == ["query", "limit"]


@pytest.mark.usefixtures("stored")
@pytest.mark.parametrize(
    "path", ["/v1/claims", "/v1/facets", "/v1/articles", "/v1/changes", "/v1/sources"]
)
def test_unknown_parameters_are_ignored(client: TestClient, path: str) -> None:
    # What analytics and cache-busters add must not fail a page (GitHub, Datasette).
    plain = client.get(path)
    tagged = client.get(path, params={"utm_source": "newsletter", "_": "1733130000"})
    assert tagged.status_code == 200
    assert tagged.json() == plain.json()


@pytest.mark.usefixtures("stored")
@pytest.mark.parametrize("cursor", ["garbage", "eyJ4IjoxfQ", "A" * 400, "djE6MTIwMQ"])
def test_forged_cursor_is_400(client: TestClient, cursor: str) -> None:
    assert_problem(client.get("/v1/claims", params={"cursor": cursor}), 400)


@pytest.mark.usefixtures("stored")
def test_cursor_of_another_query_is_400(client: TestClient) -> None:
    cursor = client.get("/v1/claims", params={"source": "reuters", "limit": 1}).json()[
        "next_cursor"
    ]
    body = assert_problem(client.get("/v1/claims", params={"cursor": cursor}), 400)
    assert "different query" in body["detail"]
    articles_cursor = client.get("/v1/articles", params={"limit": 1}).json()["next_cursor"]
    assert_problem(client.get("/v1/claims", params={"cursor": articles_cursor}), 400)


@pytest.mark.usefixtures("stored")
def test_or_ed_values_page_as_their_merged_lists(client: TestClient) -> None:
    # PostgreSQL reads one index-ordered branch per value and merges them.
    sources = ["reuters", "bbc-news", "associated-press"]
    merged: dict[int, dict[str, object]] = {}
    for source in sources:
        merged.update({c["id"]: c for c in all_pages(client, "/v1/claims", source=source)})
    expected = sorted(merged.values(), key=lambda c: (c["article_id"], c["position"]))
    for limit in (1, 2, 3, 50):
        paged = all_pages(client, "/v1/claims", source=sources, limit=limit)
        assert [c["id"] for c in paged] == [c["id"] for c in expected]
    facets = client.get("/v1/facets", params={"source": sources}).json()["facets"]
    assert sum(f["claim_count"] for f in facets["source"]) >= len(expected)
