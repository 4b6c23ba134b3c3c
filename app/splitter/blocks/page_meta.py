"""What a whole page says about its article: headline, date, canonical URL, publisher.

`blocks_html` hands over the attributes of the page's `<meta>` and `<link>`
tags and the text of its JSON-LD scripts as it reads them (so this costs no
second pass over the HTML); this module picks the values. JSON-LD (schema.org
`NewsArticle` and kin) wins over Open Graph, which wins over nothing: the
`<title>` element stays the structure step's last resort for the title.
The publisher it names is resolved against the sources registry here too: it
is the article's own source.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING, Any

from app.splitter.types import PageMeta, Source

if TYPE_CHECKING:
    from app.splitter.sources import SourceRegistry

__all__ = ["LD_JSON_MAX", "page_meta", "page_publisher"]

LD_JSON_MAX = 8  # JSON-LD scripts read per page; pages carry one to three
_ARTICLE_TYPES = ("article", "posting", "report", "blog")  # NewsArticle, BlogPosting, ...
_PUBLISHER_CHARS = 80  # a site's name; longer is a slogan or a title, not a publisher


def _text(value: Any) -> str | None:
    """A non-empty string, whitespace folded, or None."""
    if isinstance(value, str) and value.strip():
        return " ".join(value.split())
    return None


def _items(data: Any) -> Iterable[Mapping[str, Any]]:
    """Every JSON-LD object of a script, through lists and @graph."""
    if isinstance(data, list):
        for item in data:
            yield from _items(item)
    elif isinstance(data, dict):
        yield data
        yield from _items(data.get("@graph"))


def _is_article(item: Mapping[str, Any]) -> bool:
    kinds = item.get("@type")
    names = kinds if isinstance(kinds, list) else [kinds]
    return any(isinstance(n, str) and n.casefold().endswith(_ARTICLE_TYPES) for n in names)


def _publisher(item: Mapping[str, Any]) -> str | None:
    publisher = item.get("publisher")
    if isinstance(publisher, list) and publisher:
        publisher = publisher[0]
    return _text(publisher.get("name")) if isinstance(publisher, dict) else _text(publisher)


def page_meta(tags: Iterable[Mapping[str, str]], scripts: Iterable[str]) -> PageMeta | None:
    """The page's metadata from its meta/link tag attributes and JSON-LD texts (None: none)."""
    meta: dict[str, str] = {}
    canonical = None
    for attrs in tags:
        key = (attrs.get("property") or attrs.get("name") or "").casefold()
        content = _text(attrs.get("content"))
        if key and content and key not in meta:
            meta[key] = content
        rel = attrs.get("rel", "").casefold().split()
        if "canonical" in rel and canonical is None:
            canonical = _text(attrs.get("href"))
    found: dict[str, str | None] = {"title": None, "published": None, "publisher": None}
    for script in scripts:
        try:
            data = json.loads(script)
        except ValueError:
            continue  # broken JSON-LD is common; the meta tags still count
        for item in _items(data):
            if not _is_article(item):
                continue
            found["title"] = found["title"] or _text(item.get("headline"))
            found["published"] = found["published"] or _text(item.get("datePublished"))
            found["publisher"] = found["publisher"] or _publisher(item)
    result = PageMeta(
        title=found["title"] or meta.get("og:title") or meta.get("twitter:title"),
        published=found["published"]
        or meta.get("article:published_time")
        or meta.get("og:article:published_time"),
        url=canonical or meta.get("og:url"),
        site_name=meta.get("og:site_name") or found["publisher"],
    )
    return result if any((result.title, result.published, result.url, result.site_name)) else None


def page_publisher(page: PageMeta | None, registry: SourceRegistry) -> Source | None:
    """The publisher a whole page names for itself (og:site_name, the JSON-LD publisher), as
    a known source when its name or its canonical URL's domain is registered, else named anew
    (with that domain). None for a page that names none: its domain alone may be a host."""
    name = page.site_name if page else None
    if page is None or name is None or len(name) > _PUBLISHER_CHARS:
        return None
    known = registry.named(name)
    if known is not None:
        return known
    if page.url and page.url.lower().startswith(("http://", "https://")):
        by_url = registry.for_url(page.url)
        if registry.by_slug.get(by_url.slug) is by_url:
            return by_url  # a registered publisher's own domain: BBC for 'BBC News'
        return registry.new_source(name, domains=by_url.domains)
    return registry.new_source(name)
