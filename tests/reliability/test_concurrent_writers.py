"""Eight clients ingesting at once, duplicates among them: each article stored exactly once."""

from __future__ import annotations

import os
import random
from concurrent.futures import ThreadPoolExecutor

import httpx
import pytest
from sqlalchemy import text
from sqlalchemy.engine import Engine

from tests.conftest import empty_database
from tests.reliability.server import running_service

CLIENTS = 8
# CI runs 8 x 40; CLAIMS_CONCURRENT_ARTICLES=500 runs the full 8 x 500 of the README's figures.
PER_CLIENT = int(os.environ.get("CLAIMS_CONCURRENT_ARTICLES", "40"))
DISTINCT = 3 * PER_CLIENT

pytestmark = pytest.mark.db


def _article(n: int) -> dict[str, str]:
    return {
        "text": (
            f"Report {n}: the council met for the {n}th time on Monday.[1] "
            f"Delegates from {n % 7 + 2} countries attended the session.[2] "
            "No agreement was announced.\n\n[1] Reuters\n[2] CNN"
        )
    }


def test_concurrent_ingestion_stores_every_distinct_article_once(
    engine: Engine, database_url: str
) -> None:
    empty_database(engine)
    plans = [
        [random.Random(client).randrange(DISTINCT) for _ in range(PER_CLIENT)]
        for client in range(CLIENTS)
    ]
    with running_service(database_url, CLAIMS_WRITE_RATE_LIMIT="0") as (base, _):

        def ingest(plan: list[int]) -> list[tuple[int, int, int | None]]:
            results = []
            with httpx.Client(base_url=base, timeout=60) as http:
                for n in plan:
                    response = http.post("/v1/articles", json=_article(n))
                    article_id = response.json().get("id") if response.status_code < 300 else None
                    results.append((n, response.status_code, article_id))
            return results

        with ThreadPoolExecutor(CLIENTS) as pool:
            outcomes = [r for results in pool.map(ingest, plans) for r in results]

    assert {status for _, status, _ in outcomes} <= {200, 201}, [
        o for o in outcomes if o[1] not in (200, 201)
    ][:5]
    ids_by_text: dict[int, set[int | None]] = {}
    for n, _, article_id in outcomes:
        ids_by_text.setdefault(n, set()).add(article_id)
    assert all(len(ids) == 1 for ids in ids_by_text.values())
    created = sum(1 for _, status, _ in outcomes if status == 201)
    with engine.connect() as conn:
        articles = conn.execute(text("SELECT count(*) FROM article")).scalar_one()
        claims = conn.execute(text("SELECT count(*) FROM claim")).scalar_one()
        total = conn.execute(text("SELECT value FROM counter WHERE name = 'claims'")).scalar_one()
        orphans = conn.execute(
            text("SELECT count(*) FROM claim WHERE article_id NOT IN (SELECT id FROM article)")
        ).scalar_one()
    assert articles == created == len(ids_by_text)
    assert claims == 3 * articles == total
    assert orphans == 0
