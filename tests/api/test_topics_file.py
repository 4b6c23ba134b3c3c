"""CLAIMS_TOPICS_FILE extends or replaces the shipped topic taxonomy."""

from __future__ import annotations

from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from app.settings import InvalidSettingsError, load_settings
from tests.api.helpers import assert_problem

SHIPPING = """\
threshold: 1.0
topics:
  - slug: shipping
    name: Shipping
    description: Ports, cargo ships, freight routes.
    patterns:
      cargo ship*: 1
      freight: 1
      port: 0.5
"""
ARTICLE = {
    "text": "The first cargo ship left the port on Tuesday under a new truce.[1]\n\n[1] Reuters"
}


@pytest.fixture
def taxonomy(tmp_path: Path) -> Path:
    path = tmp_path / "topics.yaml"
    path.write_text(SHIPPING, encoding="utf-8")
    return path


def _topics(client: TestClient) -> list[str]:
    claim = client.post("/v1/articles", json=ARTICLE).json()["claims"][0]
    return [topic["slug"] for topic in claim["topics"]]


def test_a_topics_file_extends_the_default(make_client: object, taxonomy: Path) -> None:
    client: TestClient = make_client(topics_file=str(taxonomy))  # type: ignore[operator]
    assert _topics(client) == ["ceasefire", "shipping"]
    shipping = client.get("/v1/topics/shipping").json()
    assert shipping["description"] == "Ports, cargo ships, freight routes."
    assert shipping["claim_count"] == 1
    assert client.get("/v1/claims", params={"topic": "shipping"}).json()["items"]


def test_a_topics_file_can_replace_the_default(make_client: object, taxonomy: Path) -> None:
    client: TestClient = make_client(  # type: ignore[operator]
        topics_file=str(taxonomy), topics_mode="replace"
    )
    assert _topics(client) == ["shipping"]


def test_a_missing_topics_file_stops_start_up(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setenv("CLAIMS_TOPICS_FILE", str(tmp_path / "nope.yaml"))
    with pytest.raises(InvalidSettingsError, match="CLAIMS_TOPICS_FILE"):
        load_settings()


def test_unknown_topic_mode(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CLAIMS_TOPICS_MODE", "merge")
    with pytest.raises(InvalidSettingsError, match="CLAIMS_TOPICS_MODE"):
        load_settings()


def test_unknown_topic_is_404(client: TestClient) -> None:
    assert_problem(client.get("/v1/topics/shipping"), 404)
