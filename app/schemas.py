"""The HTTP contract: request and response models, exactly what openapi.json shows."""

from __future__ import annotations

import re
from datetime import UTC, datetime
from typing import Annotated, Any, Literal
from urllib.parse import urlsplit

from pydantic import (
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    StringConstraints,
    field_validator,
)
from typing_extensions import TypeAliasType

__all__ = [
    "NUL_REPLACEMENT",
    "Actor",
    "ActorIn",
    "ActorPage",
    "ActorPatch",
    "ActorRef",
    "ActorType",
    "Article",
    "ArticleIn",
    "ArticlePage",
    "ArticleRef",
    "ArticleSummary",
    "ArticleWithClaims",
    "BatchItem",
    "BatchResult",
    "ChangeEvent",
    "ChangePage",
    "CitationRef",
    "Claim",
    "ClaimJsonLd",
    "ClaimPage",
    "FacetValue",
    "Facets",
    "Health",
    "Integrity",
    "IsoDateTime",
    "Problem",
    "Reference",
    "Source",
    "SourcePage",
    "SourceWithCount",
    "Span",
    "SplitClaim",
    "SplitResponse",
    "SplitStatement",
    "Topic",
    "TopicPage",
    "TopicRef",
    "as_utc",
]

# Enums are named aliases: each is one component in openapi.json, so a generated
# client gets `ActorType`, not `ListActorsTypeType0`.
ActorType = TypeAliasType("ActorType", Literal["person", "country", "organization", "group"])
ArticleFormat = TypeAliasType("ArticleFormat", Literal["text", "markdown", "html"])
CitationKind = TypeAliasType("CitationKind", Literal["cited", "inline", "context"])

MAX_TITLE_CHARS = 1_000
# A BCP 47 language tag, loosely: primary subtag, then subtags (ru, de-AT, sr-Latn-RS).
LANGUAGE_TAG = r"^[A-Za-z]{2,3}(?:-[A-Za-z0-9]{1,8}){0,7}$"
MAX_URL_CHARS = 2_048

NUL_REPLACEMENT = "\ufffd"
EXAMPLE_TEXT = (
    "Talks resumed in Geneva on Monday.[1] Officials said a ceasefire was close[2].\n\n"
    "[1] Reuters\n[2] CNN"
)


def _field(description: str, example: Any, **kwargs: Any) -> Any:
    return Field(description=description, examples=[example], **kwargs)


class _Request(BaseModel):
    # Strict: a misspelt field is a 422 naming it, not a value silently dropped.
    model_config = ConfigDict(extra="forbid")


class _Model(BaseModel):
    # Responses: no `additionalProperties: false`, so a client generated today still
    # reads the answer the day a field is added.
    model_config = ConfigDict(extra="ignore")


def _iso_datetime(value: Any) -> Any:
    # pydantic takes a number (or a numeric string) as Unix time; the contract says an
    # RFC 3339 string, so anything else is refused rather than guessed.
    if isinstance(value, datetime) or value is None:
        return value
    if not isinstance(value, str) or not _ISO_DATE.match(value):
        raise ValueError("must be an ISO 8601 date-time string such as 2026-11-27T08:30:00Z")
    return value


_ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}([T ]|$)")
# A date-time as an ISO 8601 string only (never a number): for requests and query filters.
IsoDateTime = Annotated[datetime, BeforeValidator(_iso_datetime)]


# ---------------------------------------------------------------- requests


class ArticleIn(_Request):
    """An article to split or ingest."""

    text: str = _field(
        "The whole article as received. Spans in the response index this text.",
        EXAMPLE_TEXT,
        min_length=1,
    )
    format: ArticleFormat = _field("How `text` is marked up.", "text", default="text")
    title: str | None = _field(
        "The headline, when the client knows it; otherwise the splitter finds one.",
        "Ceasefire talks resume in Geneva",
        default=None,
        max_length=MAX_TITLE_CHARS,
    )
    url: str | None = _field(
        "Where the article was published (http or https).",
        "https://example.org/news/geneva-talks",
        default=None,
        max_length=MAX_URL_CHARS,
    )
    published_at: IsoDateTime | None = _field(
        "When the article was published; without a zone it is taken as UTC.",
        "2026-11-27T08:30:00Z",
        default=None,
    )
    language: str | None = _field(
        "The article's language as a BCP 47 tag (`ru`, `de-AT`); detected when omitted.",
        "en",
        default=None,
        max_length=64,
        pattern=LANGUAGE_TAG,
    )

    @field_validator("text", "title")
    @classmethod
    def _no_nul(cls, value: str | None) -> str | None:
        # PostgreSQL cannot store U+0000 in text; U+FFFD takes its place on both
        # backends, one code point for one, so every span still indexes the text sent.
        return value.replace("\x00", NUL_REPLACEMENT) if value else value

    @field_validator("url")
    @classmethod
    def _http_url(cls, value: str | None) -> str | None:
        if value is None:
            return None
        if any(ord(char) < 0x20 or ord(char) == 0x7F for char in value):
            raise ValueError("must not contain control characters")
        parts = urlsplit(value.strip())
        if parts.scheme.lower() not in ("http", "https") or not parts.netloc:
            raise ValueError("must be an absolute http or https URL")
        return value.strip()

    @field_validator("published_at")
    @classmethod
    def _utc(cls, value: datetime | None) -> datetime | None:
        return as_utc(value)


def as_utc(value: datetime | None) -> datetime | None:
    """A datetime in UTC (UTC assumed without a zone); ValueError when UTC cannot hold it."""
    if value is None:
        return None
    if value.tzinfo is None:
        return value.replace(tzinfo=UTC)
    try:
        return value.astimezone(UTC)
    except OverflowError:  # 0001-01-01T00:00+14:00 is before year 1 in UTC
        raise ValueError("is outside the years 1-9999 once converted to UTC") from None


# ---------------------------------------------------------------- pieces


class Span(_Model):
    """A half-open range of code points in the article's `text`."""

    start: int = _field("First code point of the statement, markers included.", 0, ge=0)
    end: int = _field("One past the last code point.", 37, ge=0)


class CitationRef(_Model):
    """A source a claim is attributed to."""

    slug: str = _field("The source's stable id.", "reuters")
    name: str = _field("The publisher's canonical name.", "Reuters")
    label: str | None = _field(
        "The reference label the marker pointed at; null for an inline attribution.", "1"
    )
    kind: CitationKind = _field(
        "`cited`: a marker in the sentence; `inline`: the publisher is named in it, "
        'as in "(Reuters)"; `context`: inherited from the sentence\'s paragraph.',
        "cited",
    )


class ActorRef(_Model):
    """An actor a claim is about."""

    slug: str = _field("The actor's stable id.", "vladimir-putin")
    name: str = _field("Canonical name.", "Vladimir Putin")
    type: ActorType = _field("What kind of actor this is.", "person")


class TopicRef(_Model):
    """A topic a claim is about."""

    slug: str = _field("The topic's stable id.", "ceasefire")
    name: str = _field("Display name.", "Ceasefire")


class Source(_Model):
    """A publisher."""

    slug: str = _field("Stable id, used in `?source=`.", "reuters")
    name: str = _field("Canonical name.", "Reuters")
    aliases: list[str] = _field("Other names the publisher goes by.", ["Thomson Reuters"])
    domains: list[str] = _field("Web domains of the publisher.", ["reuters.com"])


class SourceWithCount(Source):
    """A publisher and how many claims cite it."""

    claim_count: int = _field("Claims that cite this source (cited or inline).", 42, ge=0)


class Reference(_Model):
    """One entry of an article's reference list."""

    label: str = _field("The bare label markers use (`1`, never `[1]`).", "1")
    text: str = _field("The entry as written.", "Reuters")
    url: str | None = _field("The entry's link, when it has one.", None)
    source: Source | None = _field("The publisher the entry names, when one was found.", None)


class Integrity(_Model):
    """Citation problems found in the article; `clean` when there are none."""

    clean: bool = _field("True when every list below is empty and one marker style is used.", True)
    dangling_markers: list[str] = _field("Labels cited with no reference entry.", ["6"])
    uncited_references: list[str] = _field("Reference labels no sentence cites.", ["4"])
    duplicate_labels: list[str] = _field("Labels that appear twice in the reference list.", [])
    marker_styles: list[str] = _field("Citation marker styles used.", ["bracket"])


class SplitClaim(_Model):
    """A statement of the article, with what it cites and concerns."""

    position: int = _field("0-based order of the statement in the article.", 0, ge=0)
    text: str = _field(
        "The sentence, citation markers removed, whitespace folded.",
        "Officials said a ceasefire was close.",
    )
    section: str | None = _field("The heading the statement stands under.", None)
    span: Span = _field(
        "Where the sentence is in the article's `text`, in code points.", {"start": 36, "end": 76}
    )
    span_utf16: Span = _field(
        "The same span in UTF-16 code units, for JavaScript string indexes.",
        {"start": 36, "end": 76},
    )
    sources: list[CitationRef] = _field(
        "Sources the sentence itself cites (`cited` or `inline`).",
        [{"slug": "cnn", "name": "CNN", "label": "2", "kind": "cited"}],
    )
    context_sources: list[CitationRef] = _field(
        "Sources the sentence inherits from its paragraph (`context`).", []
    )
    actors: list[ActorRef] = _field("Who the statement is about.", [])
    topics: list[TopicRef] = _field(
        "What the statement is about.", [{"slug": "ceasefire", "name": "Ceasefire"}]
    )
    splitter_version: str = _field("Version of the splitter that made this claim.", "1.0.0")


class ArticleRef(_Model):
    """The article a claim comes from, enough to show and link it."""

    id: int = _field("The article's id.", 17)
    title: str | None = _field("Headline.", "Ceasefire talks resume in Geneva")
    url: str | None = _field("Where it was published.", "https://example.org/news/geneva-talks")
    published_at: datetime | None = _field("When it was published (UTC).", "2026-11-27T08:30:00Z")
    language: str | None = _field("Language of the article (ISO 639 code).", "en", default=None)


class Claim(SplitClaim):
    """A stored claim."""

    id: int = _field("The claim's id.", 1201)
    url: str = _field(
        "This claim's JSON resource: absolute under CLAIMS_PUBLIC_URL, else a path.",
        "/v1/claims/1201",
    )
    article_id: int = _field("The article the claim comes from.", 17)
    article: ArticleRef = _field(
        "The article, so one request is enough to show the claim in context.",
        {
            "id": 17,
            "title": "Ceasefire talks resume in Geneva",
            "url": None,
            "published_at": None,
            "language": "en",
        },
    )
    snippet: str | None = _field(
        "With `q`: the matching part of the text, matches in `<mark>`, the rest HTML-escaped.",
        None,
        default=None,
    )


class SplitStatement(SplitClaim):
    """A statement of a split article, with the topics its paragraph adds."""

    topics_context: list[TopicRef] = _field(
        "Topics the sentence's paragraph names and the sentence does not (never in `topics`).",
        [],
    )


class SplitResponse(_Model):
    """What the splitter found in an article, not stored."""

    title: str | None = _field("The article's headline, or null.", "Ceasefire talks resume")
    references: list[Reference] = _field("The article's reference list.", [])
    claims: list[SplitStatement] = _field("Every statement, in order.", [])
    integrity: Integrity = _field("Citation problems found.", {"clean": True})
    splitter_version: str = _field("Version of the splitter.", "1.0.0")
    language: str | None = _field(
        "The language the article was split as (ISO 639 code, the primary subtag of the "
        "client's `language`, else detected); null when it could not be told.",
        "en",
    )


class ArticleSummary(_Model):
    """An article without its text."""

    id: int = _field("The article's id.", 17)
    api_url: str = _field(
        "This article's JSON resource: absolute under CLAIMS_PUBLIC_URL, else a path "
        "(`url` is where the article was published).",
        "/v1/articles/17",
    )
    title: str | None = _field("Headline.", "Ceasefire talks resume in Geneva")
    url: str | None = _field("Where it was published.", "https://example.org/news/geneva-talks")
    published_at: datetime | None = _field("When it was published (UTC).", "2026-11-27T08:30:00Z")
    format: ArticleFormat = _field("Markup of the text.", "text")
    splitter_version: str = _field("Version of the splitter that made its claims.", "1.0.0")
    language: str | None = _field(
        "Language of the article (ISO 639 code), given by the client or detected.", "en"
    )
    ingested_at: datetime = _field("When it was stored (UTC).", "2026-11-27T09:00:00Z")
    claim_count: int = _field("Number of claims.", 12, ge=0)
    publisher: Source | None = _field(
        "The article's own source: the publisher a whole HTML page names for itself "
        "(`og:site_name`, else the JSON-LD publisher), matched against the known sources by "
        "name or by the domain of the page's canonical URL. Null when the page names none "
        "(always for plain text, Markdown and HTML fragments). Claims keep their own "
        "citations: a claim that cites nothing is not attributed to its publisher.",
        None,
        default=None,
    )


class Article(ArticleSummary):
    """A stored article with its text and references."""

    text: str = _field("The article as received.", EXAMPLE_TEXT)
    references: list[Reference] = _field("The article's reference list.", [])
    integrity: Integrity = _field("Citation problems found.", {"clean": True})


class ArticleWithClaims(Article):
    """A stored article and all its claims."""

    claims: list[Claim] = _field("Every claim, in order.", [])


class Actor(_Model):
    """A person, country, organization or group."""

    slug: str = _field("Stable id, used in `?actor=`.", "nato")
    name: str = _field("Canonical name.", "NATO")
    type: ActorType = _field("What kind of actor.", "organization")
    aliases: list[str] = _field("Other names.", ["North Atlantic Treaty Organization"])
    iso_code: str | None = _field("ISO 3166 code, for countries.", None)
    wikidata_id: str | None = _field("Wikidata id, where known.", "Q7184")
    claim_count: int = _field("Claims about this actor.", 310, ge=0)


_ALIAS = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=200)]


class ActorIn(_Request):
    """An actor to add, or aliases to add to an existing one (matched by slug)."""

    name: str = _field(
        "Canonical name.", "Kaja Kallas", min_length=1, max_length=200, pattern=r"\S"
    )
    type: ActorType = _field("What kind of actor.", "person")
    slug: str | None = _field(
        "Stable id; derived from the name when omitted.",
        "kaja-kallas",
        default=None,
        pattern=r"^[a-z0-9]+(?:-[a-z0-9]+)*$",
        max_length=128,
    )
    aliases: list[_ALIAS] = _field(
        "Other names that mean this actor.", ["Kallas"], default_factory=list, max_length=100
    )
    iso_code: str | None = _field(
        "ISO 3166 code, for countries.", None, default=None, pattern=r"^[A-Z]{2,3}$"
    )
    wikidata_id: str | None = _field("Wikidata id.", "Q3785077", default=None, pattern=r"^Q[0-9]+$")


class ActorPatch(_Request):
    """A change to an actor's aliases."""

    aliases: list[_ALIAS] = _field(
        "The actor's complete list of aliases, replacing the current one.",
        ["Kallas", "EU foreign policy chief"],
        max_length=100,
    )


class Topic(_Model):
    """A topic of the taxonomy."""

    slug: str = _field("Stable id, used in `?topic=`.", "ceasefire")
    name: str = _field("Display name.", "Ceasefire")
    description: str = _field("What the topic covers.", "Ceasefires, truces, pauses in fighting.")
    iptc_code: str | None = _field("IPTC Media Topic code, where one fits.", None)
    claim_count: int = _field("Claims about this topic.", 88, ge=0)


def _page(item: type[BaseModel], example: list[Any]) -> Any:
    return _field(f"One page of {item.__name__} items.", example)


_NEXT = "Opaque cursor for the next page; null on the last page."


class ClaimPage(_Model):
    """A page of claims."""

    items: list[Claim] = _page(Claim, [])
    next_cursor: str | None = _field(_NEXT, "djE6MTIwMQ")
    count: int | None = _field(
        "With `count=exact` or `count=estimated`: how many claims match in all.",
        1234,
        default=None,
    )


ChangeKind = TypeAliasType("ChangeKind", Literal["created", "updated", "deleted"])


class ChangeEvent(_Model):
    """One claim-level event of the change feed."""

    seq: int = _field("The event's place in commit order; increases, may skip.", 5012, ge=1)
    kind: ChangeKind = _field(
        "`created`: a new claim; `updated`: re-split, same id; `deleted`: gone.", "created"
    )
    claim_id: int = _field("The claim the event is about.", 1201)
    article_id: int = _field("The article the claim belongs (or belonged) to.", 17)
    changed_at: datetime = _field("When the change was committed (UTC).", "2026-11-27T09:00:00Z")
    claim: Claim | None = _field(
        "The claim as it is now, for `created` and `updated`; null for `deleted`, and when "
        "the claim has been deleted since (its `deleted` event follows).",
        None,
    )


class ChangePage(_Model):
    """A page of the change feed."""

    items: list[ChangeEvent] = _field("Events in commit order, oldest first.", [])
    next_token: str = _field(
        "Opaque token to pass as `since` for the events after these; always present, "
        "unchanged when there were none, so a client polls with it.",
        "WzEsImNoYW5nZXMiLFs1MDEyXV0",
    )
    has_more: bool = _field(
        "True when more events are already waiting: ask again at once rather than wait.", False
    )


class FacetValue(_Model):
    """One value of a facet and how many matching claims have it."""

    slug: str = _field("The value's stable id.", "reuters")
    name: str = _field("Its display name.", "Reuters")
    claim_count: int = _field("Matching claims with this value.", 321, ge=0)


class Facets(_Model):
    """Top values of each requested facet over the claims matching the filters."""

    facets: dict[str, list[FacetValue]] = _field(
        "Per facet (`source`, `actor`, `topic`, `language`), its top values, most frequent first.",
        {"source": [{"slug": "reuters", "name": "Reuters", "claim_count": 321}]},
    )
    truncated: bool = _field(
        "True when the matching set was too large to count whole and the counts cover "
        "its first 50,000 claims.",
        False,
    )


class ArticlePage(_Model):
    """A page of articles, newest first."""

    items: list[ArticleSummary] = _page(ArticleSummary, [])
    next_cursor: str | None = _field(_NEXT, None)


class SourcePage(_Model):
    """A page of sources."""

    items: list[SourceWithCount] = _page(SourceWithCount, [])
    next_cursor: str | None = _field(_NEXT, None)


class ActorPage(_Model):
    """A page of actors."""

    items: list[Actor] = _page(Actor, [])
    next_cursor: str | None = _field(_NEXT, None)


class TopicPage(_Model):
    """A page of topics."""

    items: list[Topic] = _page(Topic, [])
    next_cursor: str | None = _field(_NEXT, None)


HealthStatus = TypeAliasType("HealthStatus", Literal["ok", "unavailable"])


class Health(_Model):
    """Liveness or readiness."""

    status: HealthStatus = _field("ok when the check passed.", "ok")
    detail: str | None = _field("Why the check failed.", None)


class ClaimJsonLd(_Model):
    """A claim as a schema.org Claim (JSON-LD), for fact-checking tools."""

    context: str = _field("The JSON-LD context.", "https://schema.org", alias="@context")
    type: str = _field("The schema.org type.", "Claim", alias="@type")
    id: str = _field(
        "The claim's JSON resource, as its identifier.", "/v1/claims/1201", alias="@id"
    )
    text: str = _field("The claim's text.", "Officials said a ceasefire was close.")
    appearance: dict[str, Any] = _field(
        "The NewsArticle the claim appears in.",
        {"@type": "NewsArticle", "@id": "/v1/articles/17", "headline": "Talks resume"},
    )
    citation: list[dict[str, Any]] = _field(
        "The publishers the claim cites, as schema.org Organizations.",
        [{"@type": "Organization", "name": "CNN", "identifier": "cnn"}],
    )
    about: list[dict[str, Any]] = _field(
        "The actors the claim is about (Person, Country, Organization).", []
    )
    keywords: list[str] = _field("The claim's topics, by name.", ["Ceasefire"])
    author: dict[str, Any] | list[dict[str, Any]] | None = _field(
        "The cited publisher (or publishers); absent when the claim cites none.",
        {"@type": "Organization", "name": "CNN", "identifier": "cnn"},
        default=None,
    )


class ValidationIssue(_Model):
    """One invalid part of a request."""

    loc: list[str] = _field("Where the problem is.", ["body", "text"])
    type: str = _field("Machine-readable kind of problem.", "missing")
    msg: str = _field("What is wrong.", "Field required")


class Problem(_Model):
    """An RFC 9457 problem document: every error has this shape."""

    type: str = _field(
        "URI naming the kind of problem.", "https://claimsapi.dev/problems/not-found"
    )
    title: str = _field("Short summary of the status.", "Not Found")
    status: int = _field("The HTTP status code.", 404)
    detail: str = _field("What went wrong, for a human.", "No source matches 'reuterz'.")
    instance: str | None = _field("The request path.", "/v1/claims", default=None)
    errors: list[ValidationIssue] | None = _field(
        "The invalid parts, for validation errors.", None, default=None
    )


BatchStatus = TypeAliasType("BatchStatus", Literal["created", "existing", "error"])


class BatchItem(_Model):
    """What happened to one article of a batch."""

    index: int = _field("0-based position of the article in the request.", 0, ge=0)
    status: BatchStatus = _field(
        "`created`: stored now; `existing`: the identical article was stored already; "
        "`error`: not stored, see `problem`.",
        "created",
    )
    id: int | None = _field("The stored article's id; null on error.", 17)
    problem: Problem | None = _field(
        "Why the article was not stored (the problem a single POST would have answered).",
        None,
        default=None,
    )


class BatchResult(_Model):
    """Per-article results of a batch ingestion, in input order, with totals."""

    items: list[BatchItem] = _field(
        "One result per article, in input order.",
        [{"index": 0, "status": "created", "id": 17, "problem": None}],
    )
    created: int = _field("Articles stored by this request.", 1, ge=0)
    existing: int = _field("Articles that were already stored.", 0, ge=0)
    failed: int = _field("Articles not stored because of an error.", 0, ge=0)
