"""Full-text search, citation kinds, negation, sections, URLs, sorting, counts and facets."""

from __future__ import annotations

import itertools

import pytest
from fastapi.testclient import TestClient

from tests.api.helpers import all_pages, assert_problem, post_article, texts

GENEVA = (
    "Negotiators from both governments met in Geneva on Monday to restart talks "
    "on the disputed harbour."
)
CEASEFIRE = "Officials said a draft ceasefire text was circulated among delegations."
ENGINEERS = (
    "Engineers restored electricity to most of the northern districts on Sunday, "
    "the energy ministry said (Reuters)."
)


@pytest.fixture
def stored(client: TestClient) -> dict[str, dict[str, object]]:
    """Four fixture articles with publication dates out of ingestion order."""
    return {
        name: post_article(client, name, url=f"https://news.example.org/{name}", published_at=date)
        for name, date in (
            ("harbour.txt", "2026-11-10T09:00:00Z"),
            ("grain.txt", "2026-11-01T09:00:00Z"),
            ("sanctions.md", None),
            ("wires.txt", "2026-11-20T09:00:00Z"),
        )
    }


def _texts(client: TestClient, **params: object) -> list[str]:
    return texts(all_pages(client, "/v1/claims", **params))


@pytest.mark.usefixtures("stored")
class TestSearch:
    def test_words_match_in_any_form(self, client: TestClient) -> None:
        got = _texts(client, q="delegation")  # stemmed: matches "delegations"
        assert got == [CEASEFIRE]

    def test_all_words_must_match(self, client: TestClient) -> None:
        assert _texts(client, q="ceasefire draft") == [CEASEFIRE]
        assert _texts(client, q="ceasefire harbour") == []

    def test_quoted_phrases_match_as_phrases(self, client: TestClient) -> None:
        assert _texts(client, q='"restart talks"') == [GENEVA]
        assert _texts(client, q='"talks restart"') == []

    def test_relevance_order_and_sort_override(self, client: TestClient) -> None:
        ranked = _texts(client, q="districts")
        assert len(ranked) == 2
        by_position = _texts(client, q="districts", sort="position")
        assert sorted(by_position) == sorted(ranked)
        assert by_position[0].startswith("Local authorities")  # harbour came first

    def test_snippets_mark_matches_and_escape_the_rest(self, client: TestClient) -> None:
        client.post(
            "/v1/articles",
            json={
                "text": "Protesters carried <b>banners</b> & flags to the harbour.[1]\n\n[1] CNN"
            },
        )
        items = all_pages(client, "/v1/claims", q="banners")
        assert len(items) == 1
        snippet = items[0]["snippet"]
        assert "<mark>banners</mark>" in snippet
        # The claim's own markup never reaches a frontend as markup (PostgreSQL's
        # headline drops tags, SQLite's snippet keeps them, escaped).
        assert "<b>" not in snippet
        assert "&amp;" in snippet
        plain = all_pages(client, "/v1/claims", source="cnn")
        assert all(item.get("snippet") is None for item in plain)

    def test_search_combines_with_filters(self, client: TestClient) -> None:
        assert _texts(client, q="harbour", source="reuters") == [GENEVA]
        assert _texts(client, q="harbour", source="-reuters") == []

    def test_search_pages_visit_every_match_once(self, client: TestClient) -> None:
        every = [c["id"] for c in all_pages(client, "/v1/claims", q="said", limit=200)]
        paged = [c["id"] for c in all_pages(client, "/v1/claims", q="said", limit=2)]
        assert paged == every
        assert len(every) == len(set(every)) > 3

    @pytest.mark.parametrize("q", ['"', "AND", "NEAR(", "*", "col:x", "a OR", "'; --"])
    def test_operators_in_input_are_just_text(self, client: TestClient, q: str) -> None:
        response = client.get("/v1/claims", params={"q": q})
        assert response.status_code == 200

    def test_relevance_without_q_is_422(self, client: TestClient) -> None:
        assert_problem(client.get("/v1/claims", params={"sort": "relevance"}), 422)


@pytest.mark.usefixtures("stored")
class TestFilters:
    def test_kind_selects_which_attributions_source_matches(self, client: TestClient) -> None:
        assert _texts(client, source="reuters", kind="inline") == [ENGINEERS]
        cited = _texts(client, source="reuters", kind="cited")
        assert GENEVA in cited
        assert ENGINEERS not in cited
        context = _texts(client, source="reuters", kind="context")
        assert "The meeting lasted four hours." in context
        everything = _texts(client, source="reuters", kind="any")
        assert set(everything) == set(cited) | set(context) | {ENGINEERS}
        assert _texts(client, source="reuters", kind="cited,inline") == _texts(
            client, source="reuters"
        )
        assert_problem(client.get("/v1/claims", params={"kind": "rumour"}), 422)

    def test_has_source(self, client: TestClient) -> None:
        sourced = all_pages(client, "/v1/claims", has_source="true", limit=200)
        unsourced = all_pages(client, "/v1/claims", has_source="false", limit=200)
        assert all(item["sources"] for item in sourced)
        assert not any(item["sources"] for item in unsourced)
        assert len(sourced) + len(unsourced) == len(all_pages(client, "/v1/claims", limit=200))

    def test_negation_excludes(self, client: TestClient) -> None:
        every = set(_texts(client))
        reuters = set(_texts(client, source="reuters"))
        assert set(_texts(client, source="-reuters")) == every - reuters
        both = set(_texts(client, source=["associated-press", "-bbc-news"]))
        assert both == set(_texts(client, source="associated-press")) - set(
            _texts(client, source="bbc-news")
        )
        assert set(_texts(client, source="-nobody-paper")) == every

    def test_section(self, client: TestClient) -> None:
        aid = all_pages(client, "/v1/claims", section="aid and reconstruction")
        assert {item["section"] for item in aid} == {"Aid and reconstruction"}
        assert len(aid) == 2
        others = all_pages(client, "/v1/claims", section="-Aid and reconstruction", limit=200)
        assert all(item["section"] != "Aid and reconstruction" for item in others)

    def test_article_url(self, client: TestClient, stored: dict[str, dict[str, object]]) -> None:
        got = all_pages(client, "/v1/claims", article_url="https://news.example.org/grain.txt")
        assert {item["article_id"] for item in got} == {stored["grain.txt"]["id"]}
        nowhere = client.get("/v1/claims", params={"article_url": "https://nowhere.example/x"})
        assert nowhere.json()["items"] == []

    def test_claims_embed_their_article(
        self, client: TestClient, stored: dict[str, dict[str, object]]
    ) -> None:
        item = all_pages(client, "/v1/claims", source="al-jazeera")[0]
        assert item["article"] == {
            "id": stored["grain.txt"]["id"],
            "title": "Grain corridor reopens after weeks of delay",
            "url": "https://news.example.org/grain.txt",
            "published_at": "2026-11-01T09:00:00+00:00",
            "language": "en",
        }


@pytest.mark.usefixtures("stored")
class TestSort:
    def _articles(self, items: list[dict[str, object]]) -> list[object]:
        seen: list[object] = []
        for item in items:
            if item["article_id"] not in seen:
                seen.append(item["article_id"])
        return seen

    @pytest.mark.parametrize("limit", [1, 3, 200])
    def test_published_ascending_then_undated_last(
        self, client: TestClient, stored: dict[str, dict[str, object]], limit: int
    ) -> None:
        items = all_pages(client, "/v1/claims", sort="published_at", limit=limit)
        order = ["grain.txt", "harbour.txt", "wires.txt", "sanctions.md"]
        assert self._articles(items) == [stored[name]["id"] for name in order]
        assert len({item["id"] for item in items}) == len(items)

    @pytest.mark.parametrize("limit", [1, 4, 200])
    def test_published_descending(
        self, client: TestClient, stored: dict[str, dict[str, object]], limit: int
    ) -> None:
        items = all_pages(client, "/v1/claims", sort="-published_at", limit=limit)
        order = ["wires.txt", "harbour.txt", "grain.txt", "sanctions.md"]
        assert self._articles(items) == [stored[name]["id"] for name in order]
        positions = [(item["article_id"], item["position"]) for item in items]
        for earlier, later in itertools.pairwise(positions):
            if earlier[0] == later[0]:
                assert earlier[1] < later[1]


@pytest.mark.usefixtures("stored")
class TestCounts:
    @pytest.mark.parametrize("mode", ["exact", "estimated"])
    def test_count_modes(self, client: TestClient, mode: str) -> None:
        page = client.get("/v1/claims", params={"source": "reuters", "count": mode}).json()
        exact = len(all_pages(client, "/v1/claims", source="reuters"))
        if mode == "exact":
            assert page["count"] == exact
        else:
            assert page["count"] >= 0
        whole = client.get("/v1/claims", params={"count": mode, "limit": 1}).json()
        assert whole["count"] >= page["count"] if mode == "exact" else whole["count"] >= 0

    def test_no_count_by_default(self, client: TestClient) -> None:
        assert "count" not in client.get("/v1/claims").json()


@pytest.mark.usefixtures("stored")
class TestFacets:
    def test_facets_over_everything(self, client: TestClient) -> None:
        body = client.get("/v1/facets").json()
        assert body["truncated"] is False
        sources = {v["slug"]: v["claim_count"] for v in body["facets"]["source"]}
        assert sources["reuters"] == len(_texts(client, source="reuters"))
        counts = [v["claim_count"] for v in body["facets"]["source"]]
        assert counts == sorted(counts, reverse=True)
        assert set(body["facets"]) == {"source", "actor", "topic"}

    def test_facets_of_a_filtered_set(self, client: TestClient) -> None:
        body = client.get(
            "/v1/facets", params={"facet": ["topic", "source"], "source": "associated-press"}
        ).json()
        assert set(body["facets"]) == {"topic", "source"}
        sources = {v["slug"]: v["claim_count"] for v in body["facets"]["source"]}
        assert sources == {"associated-press": 2, "bbc-news": 1}
        topics = {v["slug"] for v in body["facets"]["topic"]}
        assert "ceasefire" in topics

    def test_facet_limit_and_errors(self, client: TestClient) -> None:
        body = client.get("/v1/facets", params={"facet": "source", "limit": 1}).json()
        assert len(body["facets"]["source"]) == 1
        assert_problem(client.get("/v1/facets", params={"facet": "colour"}), 422)
        nobody = client.get("/v1/facets", params={"source": "nobody-paper"}).json()
        assert nobody["facets"] == {"source": [], "actor": [], "topic": []}
