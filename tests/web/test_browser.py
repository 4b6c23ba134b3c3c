"""The pages in a real headless Chromium: search, facets, cursor, highlights, JSON-LD, embeds.

Every test ends with no console error, no request off the host and no CSP violation.
"""

from __future__ import annotations

import http.server
import json
import threading
from collections.abc import Iterator
from typing import Any, ClassVar
from urllib.parse import parse_qs, urlsplit

import httpx
import pytest

from app.migrate import upgrade
from tests.api.helpers import article_body
from tests.reliability.server import running_service
from tests.web.browser import require_chromium, watched_page

pytestmark = pytest.mark.slow

# Code points outside the BMP count once in a span, twice in JavaScript's string length.
ASTRAL_ARTICLE = {
    "text": "Ports reopen 🚢\n\nOfficials said the 🚢 port of Odesa reopened on Monday (Reuters). "
    "Grain ships 🌾 left the harbour on Tuesday, the ministry said (AP).\n",
    "published_at": "2026-10-05T08:00:00Z",
}


class _HostPage(http.server.BaseHTTPRequestHandler):
    """Another site: serves whatever page the test puts in `pages`, under its own CSP."""

    pages: ClassVar[dict[str, tuple[str, str]]] = {}

    def do_GET(self) -> None:
        body, policy = self.pages.get(self.path, ("not found", "default-src 'none'"))
        data = body.encode()
        self.send_response(200 if self.path in self.pages else 404)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Security-Policy", policy)
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def log_message(self, format: str, *args: Any) -> None:
        del format, args


@pytest.fixture(scope="module")
def host_site() -> Iterator[str]:
    """A CMS-like page on another origin (another port) that embeds claims."""
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _HostPage)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory, host_site: str) -> Iterator[str]:
    """The service on a loopback port with a few articles, framable by the host site."""
    url = f"sqlite:///{tmp_path_factory.mktemp('browser') / 'claims.db'}"
    upgrade(url)
    with running_service(url, CLAIMS_EMBED_FRAME_ANCESTORS=host_site) as (base, _):
        bodies = [
            article_body("harbour.txt", published_at="2026-09-01T08:00:00Z"),
            article_body("wires.txt", published_at="2026-10-01T08:00:00Z"),
            article_body("sanctions.md", published_at="2026-11-01T08:00:00Z"),
            article_body("grain.txt", published_at="2026-11-15T08:00:00Z"),
            ASTRAL_ARTICLE,
        ]
        for body in bodies:
            assert httpx.post(f"{base}/v1/articles", json=body).status_code == 201
        yield base


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    """One headless Chromium from the OS for the module."""
    executable = require_chromium()
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=executable, headless=True)
        yield launched
        launched.close()


def _hosts(*bases: str) -> set[str]:
    return {urlsplit(base).netloc for base in bases}


def _all_claim_ids(site: str, **params: Any) -> list[int]:
    ids: list[int] = []
    cursor = None
    while True:
        query = {**params, "limit": 200, **({"cursor": cursor} if cursor else {})}
        page = httpx.get(f"{site}/v1/claims", params=query).json()
        ids.extend(item["id"] for item in page["items"])
        cursor = page["next_cursor"]
        if cursor is None:
            return ids


def _listed_ids(page: Any) -> list[int]:
    return [
        int(element.get_attribute("id").removeprefix("claim-"))
        for element in page.locator("ol.claims > li.claim").all()
    ]


def test_search_then_add_and_remove_a_facet_filter(browser: Any, site: str) -> None:
    with watched_page(browser, allowed_hosts=_hosts(site)) as (page, watch):
        page.goto(f"{site}/")
        page.get_by_label("Search the claims").fill("officials")
        page.get_by_role("button", name="Search").click()
        page.wait_for_url("**/?q=officials")
        searched = _listed_ids(page)
        assert searched
        assert set(searched) == set(_all_claim_ids(site, q="officials"))

        facet = page.locator("#facet-source + ul a").first
        slug = urlsplit(facet.get_attribute("href") or "").query
        facet.click()
        page.wait_for_load_state()
        query = parse_qs(urlsplit(page.url).query)
        assert query["q"] == ["officials"]
        (source,) = query["source"]
        assert slug.endswith(f"source={source}")
        filtered = _listed_ids(page)
        assert filtered == _all_claim_ids(site, q="officials", source=source)
        assert set(filtered) < set(searched)
        chip = page.get_by_role("link", name=f"Remove filter source {source}")
        assert chip.is_visible()

        chip.click()
        page.wait_for_load_state()
        assert parse_qs(urlsplit(page.url).query) == {"q": ["officials"]}
        assert set(_listed_ids(page)) == set(searched)
        watch.assert_clean()


def test_following_the_cursor_lists_every_claim_once(browser: Any, site: str) -> None:
    with watched_page(browser, allowed_hosts=_hosts(site)) as (page, watch):
        page.goto(f"{site}/?limit=4")
        seen = _listed_ids(page)
        for _ in range(100):
            following = page.get_by_role("link", name="Next page")
            if following.count() == 0:
                break
            following.click()
            page.wait_for_load_state()
            assert "cursor=" in page.url
            seen.extend(_listed_ids(page))
        assert seen == _all_claim_ids(site)
        watch.assert_clean()


def test_each_claim_is_highlighted_at_its_span(browser: Any, site: str) -> None:
    articles = httpx.get(f"{site}/v1/articles", params={"limit": 50}).json()["items"]
    with watched_page(browser, allowed_hosts=_hosts(site)) as (page, watch):
        for summary in articles:
            article = httpx.get(f"{site}/v1/articles/{summary['id']}").json()
            claims = httpx.get(
                f"{site}/v1/articles/{summary['id']}/claims", params={"limit": 200}
            ).json()["items"]
            page.goto(f"{site}/articles/{summary['id']}")
            shown = page.evaluate(
                """(text) => Array.from(document.querySelectorAll("mark.claim")).map((mark) => {
                     const start = Number(mark.dataset.start), end = Number(mark.dataset.end);
                     return {
                       id: mark.id, start, end,
                       shown: mark.querySelector(".claim-text").textContent,
                       expected: Array.from(text).slice(start, end).join(""),
                     };
                   })""",
                article["text"],
            )
            assert [mark["id"] for mark in shown] == [f"claim-{c['id']}" for c in claims]
            for mark, claim in zip(shown, claims, strict=True):
                assert (mark["start"], mark["end"]) == (
                    claim["span"]["start"],
                    claim["span"]["end"],
                )
                assert mark["shown"] == mark["expected"]
            # The article's text reads as it was received, highlights and all.
            visible = page.evaluate(
                """() => Array.from(document.querySelector("#article-text").childNodes)
                     .map((n) => n.nodeType === 3 ? n.textContent
                          : n.querySelector(".claim-text").textContent).join("")"""
            )
            assert visible == article["text"]

        # Keyboard: tabbing onto a claim shows its sources.
        page.goto(f"{site}/articles/{articles[-1]['id']}")
        first = page.locator("mark.claim").first
        info = first.locator(".claim-info")
        assert not info.is_visible()
        first.focus()
        assert info.is_visible()
        assert "Sources:" in info.inner_text()
        watch.assert_clean()


def test_permalink_carries_schema_org_json_ld(browser: Any, site: str) -> None:
    claim = httpx.get(f"{site}/v1/claims", params={"source": "reuters", "limit": 1}).json()
    (item,) = claim["items"]
    with watched_page(browser, allowed_hosts=_hosts(site)) as (page, watch):
        page.goto(f"{site}/claims/{item['id']}")
        document = json.loads(
            page.locator('script[type="application/ld+json"]').text_content() or ""
        )
        assert document["@type"] == "Claim"
        assert document["text"] == item["text"]
        assert document["url"] == f"{site}/claims/{item['id']}"
        assert {c["identifier"] for c in document["citation"]} >= {"reuters"}
        og_url = page.locator('meta[property="og:url"]').get_attribute("content")
        assert og_url == f"{site}/claims/{item['id']}"
        page.get_by_role("link", name=item["article"]["title"]).click()
        page.wait_for_load_state()
        assert urlsplit(page.url).path == f"/articles/{item['article_id']}"
        watch.assert_clean()


def test_a_card_embeds_in_another_site_through_oembed(
    browser: Any, site: str, host_site: str
) -> None:
    item = httpx.get(f"{site}/v1/claims", params={"limit": 1}).json()["items"][0]
    permalink = f"{site}/claims/{item['id']}"
    with watched_page(browser, allowed_hosts=_hosts(site, host_site)) as (page, watch):
        # Discovery, as a CMS does it: the permalink names its oEmbed endpoint.
        page.goto(permalink)
        endpoint = page.locator('link[type="application/json+oembed"]').get_attribute("href")
        assert endpoint
        embed = httpx.get(endpoint).json()
        assert (embed["version"], embed["type"]) == ("1.0", "rich")
        _HostPage.pages["/post"] = (
            f"<!doctype html><html lang=en><title>A blog post</title><h1>Post</h1>{embed['html']}",
            f"default-src 'none'; frame-src {site}",
        )
        page.goto(f"{host_site}/post")
        frame = page.frame_locator("iframe")
        assert frame.locator("blockquote").inner_text() == item["text"]
        assert frame.locator(".badge").count() == len(item["sources"]) or not item["sources"]
        watch.assert_clean()


def test_a_site_not_allowed_cannot_frame_the_card(browser: Any, site: str) -> None:
    item = httpx.get(f"{site}/v1/claims", params={"limit": 1}).json()["items"][0]
    stranger = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _HostPage)
    thread = threading.Thread(target=stranger.serve_forever, daemon=True)
    thread.start()
    other = f"http://127.0.0.1:{stranger.server_address[1]}"
    try:
        _HostPage.pages["/other"] = (
            f'<!doctype html><html lang=en><title>x</title><iframe src="{site}/embed/claims/'
            f'{item["id"]}" title="card"></iframe>',
            f"default-src 'none'; frame-src {site}",
        )
        with watched_page(browser, allowed_hosts=_hosts(site, other)) as (page, watch):
            page.goto(f"{other}/other")
            page.wait_for_load_state("load")
            (card,) = page.frames[1:]
            assert card.url == "chrome-error://chromewebdata/"
            assert any("frame-ancestors" in error for error in watch.console_errors)
    finally:
        stranger.shutdown()
        stranger.server_close()
