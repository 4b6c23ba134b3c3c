"""The pages over HTTP: status, escaping, filters that round-trip, errors as pages."""

from __future__ import annotations

import json
import re
from html import unescape
from typing import Any
from urllib.parse import parse_qsl, urlsplit

from fastapi.testclient import TestClient

from app.web.render import PAGE_CSP
from app.web.views import language_name
from tests.api.helpers import assert_problem, post_article

PAGE_BUDGET_BYTES = 50 * 1024
HOSTILE = {
    "title": '<script>alert("title")</script>',
    "text": 'Officials said "</script><script>alert(1)</script>" was posted online (Reuters). '
    "A second line read <img src=x onerror=alert(2)> in full.\n",
    "url": 'https://news.example.org/a?x=<b>&y="q"',
}


def _page(client: TestClient, path: str, status: int = 200, **kwargs: Any) -> str:
    response = client.get(path, **kwargs)
    assert response.status_code == status, response.text
    assert response.headers["content-type"] == "text/html; charset=utf-8"
    assert response.headers["content-security-policy"] == PAGE_CSP
    assert response.headers["x-frame-options"] == "DENY"
    assert '<html lang="en">' in response.text
    assert len(response.content) < PAGE_BUDGET_BYTES
    return response.text


def _hrefs(html: str) -> list[str]:
    return [unescape(href) for href in re.findall(r'href="([^"]*)"', html)]


def _claim_ids(html: str) -> list[int]:
    return [int(found) for found in re.findall(r'<li class="claim" id="claim-(\d+)"', html)]


def _seed(client: TestClient) -> list[dict[str, Any]]:
    return [
        post_article(client, name, published_at=when)
        for name, when in (
            ("harbour.txt", "2026-09-01T08:00:00Z"),
            ("wires.txt", "2026-10-01T08:00:00Z"),
            ("sanctions.md", "2026-11-01T08:00:00Z"),
            ("grain.txt", "2026-11-20T08:00:00Z"),
        )
    ]


def test_every_page_answers_html_under_its_policy_and_budget(client: TestClient) -> None:
    articles = _seed(client)
    claim = articles[0]["claims"][0]
    source = claim["sources"][0]["slug"]
    actor = next(c["actors"][0]["slug"] for a in articles for c in a["claims"] if c["actors"])
    topic = next(c["topics"][0]["slug"] for a in articles for c in a["claims"] if c["topics"])
    for path in (
        "/",
        "/?q=officials",
        f"/?source={source}",
        f"/articles/{articles[0]['id']}",
        f"/claims/{claim['id']}",
        f"/sources/{source}",
        f"/actors/{actor}",
        f"/topics/{topic}",
        "/split",
    ):
        html = _page(client, path)
        assert "<h1" in html, path
    card = client.get(f"/embed/claims/{claim['id']}")
    assert card.status_code == 200
    assert claim["text"] in unescape(card.text)
    assert client.get("/static/style.css").headers["content-type"].startswith("text/css")


def test_hostile_text_is_shown_escaped_everywhere(client: TestClient) -> None:
    article = post_article_body(client, HOSTILE)
    claim_id = article["claims"][0]["id"]
    for path in (
        "/",
        f"/articles/{article['id']}",
        f"/claims/{claim_id}",
        f"/embed/claims/{claim_id}",
        "/sources/reuters",
    ):
        html = client.get(path).text
        assert "<script>alert" not in html, path
        assert "<img src=x" not in html, path
        assert "&lt;img src=x onerror=alert(2)&gt;" in html or path != f"/articles/{article['id']}"
    permalink = client.get(f"/claims/{claim_id}").text
    # The JSON-LD data block cannot be closed by the claim's text, and still reads back whole.
    (block,) = re.findall(r'<script type="application/ld\+json">(.*?)</script>', permalink, re.S)
    assert json.loads(block)["text"] == article["claims"][0]["text"]
    assert (
        "&lt;script&gt;alert(&#34;title&#34;)&lt;/script&gt;"
        in client.get(f"/articles/{article['id']}").text
    )


def post_article_body(client: TestClient, body: dict[str, Any]) -> dict[str, Any]:
    """Ingest an article given as a body."""
    response = client.post("/v1/articles", json=body)
    assert response.status_code == 201, response.text
    created: dict[str, Any] = response.json()
    return created


def test_article_html_is_shown_as_text_never_rendered(client: TestClient) -> None:
    body = {
        "text": "<html><body><h1>Port news</h1><p>The port reopened on Monday (Reuters).</p>"
        '<p><a href="javascript:alert(1)">click</a><iframe src="https://evil.example"></iframe>'
        "</p></body></html>",
        "format": "html",
    }
    article = post_article_body(client, body)
    html = _page(client, f"/articles/{article['id']}")
    assert "<iframe" not in html
    assert "javascript:" not in html.replace("javascript:alert(1)&#34;", "")
    assert "&lt;iframe src=&#34;https://evil.example&#34;&gt;" in html


def test_filters_round_trip_and_mirror_the_api(client: TestClient) -> None:
    _seed(client)
    api = client.get("/v1/claims", params={"q": "officials"}).json()["items"]
    html = _page(client, "/?q=officials")
    assert _claim_ids(html) == [c["id"] for c in api]
    # A facet link adds its filter and keeps the search; the page mirrors /v1/claims.
    add = next(h for h in _hrefs(html) if h.startswith("/?") and "source=" in h)
    query = parse_qsl(urlsplit(add).query)
    assert ("q", "officials") in query
    filtered = _page(client, add)
    params = dict(query)
    expected = client.get("/v1/claims", params=params).json()["items"]
    assert _claim_ids(filtered) == [c["id"] for c in expected]
    assert f'href="/v1/claims?{urlsplit(add).query}"'.replace("&", "&amp;") in filtered
    # The search form carries the filter along; the chip removes it and keeps the search.
    assert f'<input type="hidden" name="source" value="{params["source"]}">' in filtered
    chip = next(h for h in _hrefs(filtered) if h == "/?q=officials")
    assert _claim_ids(_page(client, chip)) == _claim_ids(html)


def test_pages_follow_the_api_cursor(client: TestClient) -> None:
    _seed(client)
    first = client.get("/v1/claims", params={"limit": 3}).json()
    html = _page(client, "/?limit=3")
    (following,) = [h for h in _hrefs(html) if "cursor=" in h]
    assert dict(parse_qsl(urlsplit(following).query))["cursor"] == first["next_cursor"]
    second = client.get("/v1/claims", params={"limit": 3, "cursor": first["next_cursor"]})
    later = _page(client, following)
    assert _claim_ids(later) == [c["id"] for c in second.json()["items"]]
    assert 'href="/?limit=3">First page' in later


def test_article_page_highlights_each_claim_at_its_code_point_span(client: TestClient) -> None:
    text = "Ships 🚢 sail.\n\nThe 🚢 port of Odesa reopened on Monday (Reuters). Grain left (AP).\n"
    article = post_article_body(client, {"text": text})
    html = _page(client, f"/articles/{article['id']}")
    marks = re.findall(
        r'<mark class="claim [^"]+" id="claim-(\d+)" tabindex="0" data-start="(\d+)" '
        r'data-end="(\d+)"[^>]*><span class="claim-text">([^<]*)</span>',
        html,
    )
    assert [int(m[0]) for m in marks] == [c["id"] for c in article["claims"]]
    for (_, start, end, shown), claim in zip(marks, article["claims"], strict=True):
        assert (int(start), int(end)) == (claim["span"]["start"], claim["span"]["end"])
        assert unescape(shown) == text[int(start) : int(end)]
    assert "Citation integrity" in html


def test_integrity_report_names_dangling_markers_and_uncited_references(
    client: TestClient,
) -> None:
    text = "Talks resumed on Monday.[1] Aid arrived.[4]\n\n[1] Reuters\n[2] BBC News\n"
    article = post_article_body(client, {"text": text})
    html = _page(client, f"/articles/{article['id']}")
    assert "Markers with no reference: <code>[4]</code>" in html
    assert "References never cited: <code>[2]</code>" in html


def test_permalink_has_json_ld_and_open_graph_with_the_public_url(make_client: Any) -> None:
    client = make_client(public_url="https://claims.example.org/")
    claim = _seed(client)[0]["claims"][0]
    html = _page(client, f"/claims/{claim['id']}")
    permalink = f"https://claims.example.org/claims/{claim['id']}"
    assert f'<meta property="og:url" content="{permalink}">' in html
    assert f'<link rel="canonical" href="{permalink}">' in html
    (block,) = re.findall(r'<script type="application/ld\+json">(.*?)</script>', html, re.S)
    document = json.loads(block)
    assert (document["@type"], document["url"]) == ("Claim", permalink)
    assert document["@id"] == f"https://claims.example.org/v1/claims/{claim['id']}"
    assert f'href="/articles/{claim["article_id"]}#claim-{claim["id"]}"' in html
    oembed = re.search(r'type="application/json\+oembed" href="([^"]+)"', html)
    assert oembed is not None
    assert client.get(unescape(oembed.group(1))).status_code == 200


def test_without_a_public_url_links_stay_relative(client: TestClient) -> None:
    claim = _seed(client)[0]["claims"][0]
    # The test client's Host (testserver) is not this machine: never put it in a link.
    html = _page(client, f"/claims/{claim['id']}", headers={"host": "evil.example"})
    assert "og:url" not in html
    assert "evil.example" not in html
    (block,) = re.findall(r'<script type="application/ld\+json">(.*?)</script>', html, re.S)
    assert json.loads(block)["url"] == f"/claims/{claim['id']}"
    assert (
        client.get(
            "/oembed", params={"url": f"http://evil.example/claims/{claim['id']}"}
        ).status_code
        == 404
    )


def test_entity_page_charts_claims_per_month(client: TestClient) -> None:
    _seed(client)
    source = client.get("/v1/sources/reuters").json()
    html = _page(client, "/sources/reuters")
    bars = re.findall(r"<title>(\d{4}-\d{2}): (\d+)</title>", html)
    assert bars
    assert sum(int(n) for _, n in bars) == source["claim_count"]
    months = [month for month, _ in bars]
    assert months == sorted(months)
    assert len(set(months)) == len(months)
    assert 'href="/?source=reuters"' in html


def test_errors_on_pages_are_pages_and_the_api_keeps_problem_json(client: TestClient) -> None:
    for path in ("/articles/999", "/claims/999", "/sources/nope"):
        html = _page(client, path, status=404)
        assert "Not Found" in html
    assert "Unprocessable" in _page(client, "/?limit=0", status=422)
    hostile = _page(client, "/?source=%3Cscript%3Ealert(1)%3C/script%3E", status=200)
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in hostile
    assert "<script>" not in hostile
    assert "Not Found" in _page(client, "/no-such-page", 404, headers={"accept": "text/html"})
    assert_problem(client.get("/no-such-page"), 404)
    assert_problem(client.get("/v1/claims/999", headers={"accept": "text/html"}), 404)
    assert_problem(client.get("/v1/claims?limit=0"), 422)


def test_split_page_shows_the_split_and_stores_nothing(client: TestClient) -> None:
    form = {"text": "Talks resumed on Monday.[1]\n\n[1] Reuters", "format": "text", "title": ""}
    response = client.post("/split", data=form)
    assert response.status_code == 200
    assert response.headers["content-security-policy"] == PAGE_CSP
    assert response.headers["cache-control"] == "no-store"
    assert re.search(r'<mark class="claim src-0"[^>]*data-start="0" data-end="27"', response.text)
    assert "<b>Sources:</b> Reuters [1]" in response.text
    assert client.get("/v1/articles").json()["items"] == []


def test_split_page_rejects_bad_input_with_a_page(make_client: Any) -> None:
    client = make_client(max_article_bytes=1024)
    empty = client.post("/split", data={"text": "", "format": "text"})
    assert empty.status_code == 422
    assert "could not be split" in empty.text
    unknown = client.post("/split", data={"text": "x", "format": "pdf"})
    assert unknown.status_code == 422
    assert client.post("/split", data={"text": "x" * 2000}).status_code == 413
    assert client.post("/split", json={"text": "x"}).status_code == 415
    crowded = client.post("/split", data={f"f{n}": "x" for n in range(40)})
    assert crowded.status_code == 422
    assert "too many fields" in crowded.text


def test_embed_card_is_framed_only_where_the_setting_allows(make_client: Any) -> None:
    closed = make_client()
    claim = _seed(closed)[0]["claims"][0]
    card = closed.get(f"/embed/claims/{claim['id']}")
    assert "frame-ancestors 'none'" in card.headers["content-security-policy"]
    assert card.headers["x-frame-options"] == "DENY"
    open_ = make_client(embed_frame_ancestors="https://cms.example.org, https://*.blog.example")
    card = open_.get(f"/embed/claims/{claim['id']}")
    policy = card.headers["content-security-policy"]
    assert "frame-ancestors https://cms.example.org https://*.blog.example" in policy
    assert "x-frame-options" not in card.headers
    # Pages other than the card stay unframable.
    assert open_.get(f"/claims/{claim['id']}").headers["x-frame-options"] == "DENY"


def test_oembed_answers_rich_json_for_permalinks_only(make_client: Any) -> None:
    client = make_client(public_url="https://claims.example.org")
    claim = _seed(client)[0]["claims"][0]
    permalink = f"https://claims.example.org/claims/{claim['id']}"
    response = client.get("/oembed", params={"url": permalink, "maxwidth": 320})
    assert response.status_code == 200
    embed = response.json()
    assert (embed["version"], embed["type"], embed["width"]) == ("1.0", "rich", 320)
    assert f'src="https://claims.example.org/embed/claims/{claim["id"]}"' in embed["html"]
    assert 'width="320"' in embed["html"]
    assert client.get("/oembed", params={"url": permalink + "/?ref=x"}).status_code == 200
    assert_problem(client.get("/oembed", params={"url": permalink, "format": "xml"}), 501)
    for url in (
        f"https://elsewhere.example/claims/{claim['id']}",
        f"http://claims.example.org/claims/{claim['id']}",
        f"https://claims.example.org/articles/{claim['article_id']}",
        "https://claims.example.org/claims/99999",
        "https://claims.example.org/claims/1x",
        "javascript:alert(1)",
    ):
        assert_problem(client.get("/oembed", params={"url": url}), 404)


def test_pages_stay_out_of_the_openapi_document(client: TestClient) -> None:
    paths = client.get("/openapi.json").json()["paths"]
    assert all(path.startswith("/v1/") or path in ("/healthz", "/readyz") for path in paths)


def test_the_language_facet_names_languages_and_filters_as_the_api_does(
    client: TestClient,
) -> None:
    _seed(client)
    html = _page(client, "/")
    assert 'id="facet-language"' in html
    add = next(h for h in _hrefs(html) if h.startswith("/?") and "language=" in h)
    code = dict(parse_qsl(urlsplit(add).query))["language"]
    assert f">{language_name(code)}</a>" in html  # "English", not "en"
    expected = client.get("/v1/claims", params={"language": code}).json()["items"]
    assert _claim_ids(_page(client, add)) == [c["id"] for c in expected]
