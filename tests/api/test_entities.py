"""Sources, actors and topics: lists with claim counts, prefix search, lookups by slug."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from app.schemas import ActorPage, SourcePage, SourceWithCount, TopicPage
from tests.api.helpers import all_pages, assert_problem, post_article


@pytest.fixture
def stored(client: TestClient) -> None:
    """Two fixture articles."""
    post_article(client, "harbour.txt")
    post_article(client, "grain.txt")


@pytest.mark.usefixtures("stored")
def test_sources_have_claim_counts(client: TestClient) -> None:
    items = all_pages(client, "/v1/sources", limit=100)
    SourcePage.model_validate({"items": items, "next_cursor": None})
    counts = {item["slug"]: item["claim_count"] for item in items}
    assert counts["reuters"] == 3
    assert counts["associated-press"] == 2
    assert counts["al-jazeera"] == 1
    assert counts["cnn"] == 0  # known to the registry, cited by nothing yet
    slugs = [item["slug"] for item in items]
    assert slugs == sorted(slugs)


@pytest.mark.usefixtures("stored")
def test_get_source_by_slug(client: TestClient) -> None:
    source = SourceWithCount.model_validate(client.get("/v1/sources/reuters").json())
    assert source.name == "Reuters"
    assert "reuters.com" in source.domains
    assert source.claim_count == 3
    assert_problem(client.get("/v1/sources/no-such-source"), 404)


@pytest.mark.usefixtures("stored")
def test_actor_prefix_search_on_names_and_aliases(client: TestClient) -> None:
    page = ActorPage.model_validate(client.get("/v1/actors", params={"q": "ukr"}).json())
    assert "ukraine" in [actor.slug for actor in page.items]
    by_type = ActorPage.model_validate(
        client.get("/v1/actors", params={"q": "ukr", "type": "country"}).json()
    )
    assert {actor.type for actor in by_type.items} == {"country"}
    nothing = client.get("/v1/actors", params={"q": "zzzz-nobody"}).json()
    assert nothing["items"] == []
    assert_problem(client.get("/v1/actors", params={"type": "planet"}), 422)


@pytest.mark.usefixtures("stored")
def test_actor_counts_and_lookup(client: TestClient) -> None:
    ukraine = client.get("/v1/actors/ukraine").json()
    assert ukraine["type"] == "country"
    assert ukraine["claim_count"] >= 1
    assert_problem(client.get("/v1/actors/no-such-actor"), 404)


@pytest.mark.usefixtures("stored")
def test_actor_list_pages_through_the_registry(client: TestClient) -> None:
    items = all_pages(client, "/v1/actors", limit=200)
    assert len(items) > 150
    assert len({item["slug"] for item in items}) == len(items)


@pytest.mark.usefixtures("stored")
def test_topics_list_the_taxonomy(client: TestClient) -> None:
    page = TopicPage.model_validate(client.get("/v1/topics", params={"limit": 100}).json())
    slugs = {topic.slug for topic in page.items}
    assert {"ceasefire", "diplomacy", "sanctions", "humanitarian"} <= slugs
    ceasefire = client.get("/v1/topics/ceasefire").json()
    assert ceasefire["claim_count"] >= 1
    assert ceasefire["description"]
    assert_problem(client.get("/v1/topics/gardening"), 404)
