"""Which URLs are this service's claim permalinks, and the oEmbed document."""

from __future__ import annotations

import pytest

from app.web.embeds import oembed_response, permalink_id

BASE = "https://example.org/claims-api"


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        (f"{BASE}/claims/12", 12),
        (f"{BASE}/claims/12/", 12),
        (f"{BASE}/claims/12?utm=x#top", 12),
        ("HTTPS://EXAMPLE.ORG/claims-api/claims/7", 7),
        (f"{BASE}/claims/0", None),
        (f"{BASE}/claims/012", None),
        (f"{BASE}/claims/9223372036854775808", None),
        (f"{BASE}/claims/12/edit", None),
        ("https://example.org/claims/12", None),
        ("http://example.org/claims-api/claims/12", None),
        ("https://example.org.evil/claims-api/claims/12", None),
        ("https://user@example.org/claims-api/claims/12", None),
        ("/claims-api/claims/12", None),
        ("", None),
    ],
)
def test_permalinks_are_recognised_only_under_the_public_base(
    url: str, expected: int | None
) -> None:
    assert permalink_id(url, base=BASE) == expected


def test_oembed_is_a_rich_iframe_within_the_consumer_s_limits() -> None:
    claim = {"id": 5, "text": 'He said "<b>no</b>".', "sources": [{"name": "Reuters"}]}
    document = oembed_response(claim, base=BASE, maxwidth=300, maxheight=None)
    assert (document["version"], document["type"]) == ("1.0", "rich")
    assert (document["width"], document["height"]) == (300, 220)
    assert document["html"] == (
        f'<iframe src="{BASE}/embed/claims/5" width="300" height="220" '
        'title="Claim: He said &quot;&lt;b&gt;no&lt;/b&gt;&quot;." loading="lazy"></iframe>'
    )
    assert document["author_name"] == "Reuters"
    assert "author_name" not in oembed_response(
        {**claim, "sources": []}, base=BASE, maxwidth=None, maxheight=None
    )
