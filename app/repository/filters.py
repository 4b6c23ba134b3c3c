"""Read filters as data: one table of query parameters, each with its where-fragment.

The table is a pydantic model: each field is a query parameter (validated and
documented in openapi.json from the field itself), and each field that narrows
a query carries a `Filter`: how its value resolves (names to ids) and the SQL
condition it adds. The claim query builder and the article list read the table;
adding a filter is one field here and one row in tests/repository/test_filters.py.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Annotated, Any, Literal

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, model_validator
from pydantic.fields import FieldInfo
from sqlalchemy.orm import Session
from typing_extensions import TypeAliasType

from app.errors import UnprocessableContent
from app.models import MAX_ARTICLE_ID, claim_key
from app.repository.kinds import CITATION_KINDS, DEFAULT_KINDS, KINDS, EntityKind
from app.repository.sql import rows
from app.schemas import IsoDateTime, as_utc

__all__ = [
    "MAX_FILTER_VALUES",
    "NO_ROW",
    "SEPARATOR",
    "ArticleFilter",
    "ClaimFilter",
    "Filter",
    "Order",
    "ResolvedFilter",
    "Scope",
    "Sort",
    "SqlParts",
    "active_filters",
    "entity_where",
    "fold",
    "like_escape",
    "search_text",
]

Order = Literal["reading", "published", "-published", "relevance"]
Sort = TypeAliasType("Sort", Literal["position", "published_at", "-published_at", "relevance"])
_ORDERS: dict[str, Order] = {
    "position": "reading",
    "published_at": "published",
    "-published_at": "-published",
    "relevance": "relevance",
}
# Values one repeatable filter may take: each is a lookup and a term of the SQL,
# and SQLite refuses expressions deeper than 1,000.
MAX_FILTER_VALUES = 100
_REPEATABLE = (
    "Repeat to OR values (at most 100); different filters AND. A slug or a name, any case; "
    "`-` excludes."
)
# Ids start at 1: a filter on this id alone matches nothing, through the same SQL.
NO_ROW = 0


# ---------------------------------------------------------------- the SQL a filter writes


@dataclass
class SqlParts:
    """A statement under construction: its bound values and its conditions."""

    dialect: str
    params: dict[str, Any] = field(default_factory=dict)
    where: list[str] = field(default_factory=list)
    _taken: set[str] = field(default_factory=set)

    def _name(self, hint: str) -> str:
        name, n = hint, 1
        while name in self._taken:
            n += 1
            name = f"{hint}_{n}"
        self._taken.add(name)
        return name

    def alias(self, hint: str) -> str:
        """A table alias no other part of the statement uses."""
        return self._name(hint)

    def bind(self, hint: str, value: Any) -> str:
        """A placeholder for one value (named after `hint`, made unique)."""
        name = self._name(hint)
        self.params[name] = value
        return f":{name}"

    def bind_list(self, hint: str, values: Sequence[Any]) -> str:
        """A placeholder for a list of values, expanded when the statement runs: `IN :x`."""
        name = self._name(hint)
        self.params[name] = list(values)
        return f":{name}"


@dataclass(frozen=True, slots=True)
class Scope:
    """What a filter's condition may name in the statement it narrows."""

    article_id: str  # the article's id
    claim_id: str | None = None  # the claim's id (claim lists)
    key: str | None = None  # the claim's sort key (claim lists)
    article: str | None = None  # alias of the article row, when the statement joins it
    kinds: tuple[str, ...] = DEFAULT_KINDS  # the citation kinds `kind=` selected


Where = Callable[[SqlParts, Scope, Any], str]
Resolve = Callable[[Session, Any], Any]


def _as_given(_session: Session, value: Any) -> Any:
    return value


@dataclass(frozen=True, slots=True)
class Filter:
    """How one query parameter narrows a query: its value resolved, then its condition."""

    where: Where
    resolve: Resolve = _as_given
    kind: EntityKind | None = None  # an entity filter: resolves to ids, may drive the scan
    needs_claim: bool = False  # the condition reads the claim row as `c`
    group: str | None = None  # filters of one group OR together (an article by id or URL)


@dataclass(frozen=True, slots=True)
class ResolvedFilter:
    """One entity filter with its values turned into ids, split by sign."""

    spec: EntityKind
    ids: tuple[int, ...]
    negated: tuple[int, ...] = ()


# ---------------------------------------------------------------- names and lookups


def like_escape(value: str) -> str:
    """Escape LIKE wildcards (with ESCAPE '\\') so the value matches literally."""
    return value.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


# Separates the names in `search_text`: no name or alias holds one.
SEPARATOR = "\x1f"


def fold(value: str) -> str:
    """A name as matching sees it: NFC, Unicode case folding, outer spaces gone."""
    return unicodedata.normalize("NFC", value).strip().casefold()


def search_text(name: str, aliases: Iterable[str]) -> str:
    """The `search_text` column of a source or actor: every name folded, each fenced."""
    names = dict.fromkeys(fold(n) for n in (name, *aliases) if n.strip())
    return SEPARATOR + SEPARATOR.join(names) + SEPARATOR


def _resolve_one(session: Session, spec: EntityKind, value: str) -> list[int]:
    key = value.strip().lower()
    table = spec.entity_table
    # The slug first: its unique index answers the usual case without a scan.
    found = rows(session, f"SELECT id FROM {table} WHERE slug = :key", {"key": key})
    if not found and spec.has_aliases:
        # The name or an alias, exactly, in any case (Unicode folding on both backends:
        # folded in Python when the row is written, and here).
        folded = fold(value)
        if folded:
            pattern = f"%{SEPARATOR}{like_escape(folded)}{SEPARATOR}%"
            found = rows(
                session,
                f"SELECT id FROM {table} WHERE search_text LIKE :pattern ESCAPE '\\'",
                {"pattern": pattern},
            )
    elif not found:
        found = rows(session, f"SELECT id FROM {table} WHERE lower(name) = :key", {"key": key})
    return [row[0] for row in found]


def resolve_entities(
    session: Session, *, spec: EntityKind, values: Sequence[str]
) -> ResolvedFilter:
    """Turn slugs, names or aliases (any case, `-` to exclude) into ids.

    An unknown value matches nothing, as GitHub's and Datasette's filters do: among
    known values of an OR list it adds nothing, alone it leaves the page empty, and
    excluded it excludes nothing. A typo in a search box is not an error.
    """
    wanted: list[int] = []
    excluded: list[int] = []
    asked = False
    for value in values:
        if value.startswith("-") and len(value) > 1:
            excluded.extend(_resolve_one(session, spec, value[1:]))
        else:
            asked = True
            wanted.extend(_resolve_one(session, spec, value))
    if asked and not wanted:
        wanted = [NO_ROW]
    return ResolvedFilter(spec, tuple(dict.fromkeys(wanted)), tuple(dict.fromkeys(excluded)))


# ---------------------------------------------------------------- each filter's condition


def link_exists(sql: SqlParts, scope: Scope, spec: EntityKind, ids: Sequence[int]) -> str:
    """EXISTS-able: a link row from the claim to one of these entities (of the chosen kinds)."""
    alias = sql.alias(f"x_{spec.name}")
    condition = (
        f"SELECT 1 FROM {spec.link_table} {alias} WHERE {alias}.claim_id = {scope.claim_id} "
        f"AND {alias}.{spec.link_column} IN {sql.bind_list(spec.name, ids)}"
    )
    if spec.by_kind:
        condition += f" AND {alias}.kind IN {sql.bind_list(f'{spec.name}_kinds', scope.kinds)}"
    return condition


def entity_where(sql: SqlParts, scope: Scope, resolved: ResolvedFilter) -> str:
    """EXISTS for the wanted ids, NOT EXISTS for the excluded; '' for neither."""
    conditions = []
    if resolved.ids:
        conditions.append(f"EXISTS ({link_exists(sql, scope, resolved.spec, resolved.ids)})")
    if resolved.negated:
        link = link_exists(sql, scope, resolved.spec, resolved.negated)
        conditions.append(f"NOT EXISTS ({link})")
    return " AND ".join(conditions)


def _entity(name: str) -> Filter:
    spec = KINDS[name]
    return Filter(
        where=entity_where,
        resolve=lambda session, values: resolve_entities(session, spec=spec, values=values),
        kind=spec,
    )


def _has_source(sql: SqlParts, scope: Scope, wanted: bool) -> str:
    kinds = sql.bind_list("has_kinds", scope.kinds)
    exists = (
        f"EXISTS (SELECT 1 FROM claim_citation hs "
        f"WHERE hs.claim_id = {scope.claim_id} AND hs.kind IN {kinds})"
    )
    return exists if wanted else f"NOT {exists}"


def _section(sql: SqlParts, _scope: Scope, values: Sequence[str]) -> str:
    wanted = [s.lower() for s in values if not s.startswith("-")]
    excluded = [s[1:].lower() for s in values if s.startswith("-")]
    conditions = []
    if wanted:
        conditions.append(f"lower(c.section) IN {sql.bind_list('sections', wanted)}")
    if excluded:
        names = sql.bind_list("not_sections", excluded)
        conditions.append(f"(c.section IS NULL OR lower(c.section) NOT IN {names})")
    return " AND ".join(conditions)


def _articles(sql: SqlParts, scope: Scope, ids: Sequence[int]) -> str:
    # An article's claims are one contiguous range of keys.
    key = scope.key
    ranges = [
        f"({key} >= {sql.bind('article_lo', claim_key(a, 0))} "
        f"AND {key} < {sql.bind('article_hi', claim_key(a + 1, 0))})"
        for a in dict.fromkeys(ids)
    ]
    return "(" + " OR ".join(ranges) + ")"


def _article_urls(session: Session, urls: Sequence[str]) -> list[int]:
    """The ids of the articles published at these URLs (an unknown URL matches nothing)."""
    ids: list[int] = []
    for url in urls:
        found = rows(session, "SELECT id FROM article WHERE url = :url", {"url": url})
        ids.extend(row[0] for row in found)
    return ids or [NO_ROW]


def _on_article(sql: SqlParts, scope: Scope, column: str, condition: str) -> str:
    """A condition on the article's row: in place when it is joined, else through its id."""
    if scope.article:
        return f"{scope.article}.{column} {condition}"
    return (
        f"EXISTS (SELECT 1 FROM article d WHERE d.id = {scope.article_id} "
        f"AND d.{column} {condition})"
    )


def _since(sql: SqlParts, scope: Scope, value: datetime) -> str:
    return _on_article(sql, scope, "published_at", f">= {sql.bind('since', value)}")


def _until(sql: SqlParts, scope: Scope, value: datetime) -> str:
    return _on_article(sql, scope, "published_at", f"< {sql.bind('until', value)}")


def _language(sql: SqlParts, scope: Scope, codes: Sequence[str]) -> str:
    unique = list(dict.fromkeys(codes))
    return _on_article(sql, scope, "language", f"IN {sql.bind_list('languages', unique)}")


def _lower(values: list[str]) -> list[str]:
    return [value.lower() for value in values]


# ---------------------------------------------------------------- the tables

# Shared by the lists that filter on publication dates.
Since = Annotated[
    IsoDateTime | None,
    AfterValidator(as_utc),
    Field(description="Articles published at or after (UTC if no zone)."),
    Filter(where=_since),
]
Until = Annotated[
    IsoDateTime | None,
    AfterValidator(as_utc),
    Field(description="Articles published before (UTC if no zone)."),
    Filter(where=_until),
]


class ClaimFilter(BaseModel):
    """The filters every claim query takes: the query parameters of the claim lists,
    exports and facets, validated once."""

    # Parameters the model does not name never reach it (see parse_params).
    model_config = ConfigDict(extra="ignore", frozen=True)

    source: Annotated[list[str], _entity("source")] = Field(
        default=[], max_length=MAX_FILTER_VALUES, description=f"Cited source. {_REPEATABLE}"
    )
    actor: Annotated[list[str], _entity("actor")] = Field(
        default=[], max_length=MAX_FILTER_VALUES, description=f"Actor. {_REPEATABLE}"
    )
    topic: Annotated[list[str], _entity("topic")] = Field(
        default=[], max_length=MAX_FILTER_VALUES, description=f"Topic. {_REPEATABLE}"
    )
    # Not a condition of its own: which citation rows `source` and `has_source` look at.
    kind: list[str] = Field(
        default=[],
        max_length=MAX_FILTER_VALUES,
        description="Which attributions `source` and `has_source` match: cited, inline, "
        "context or any (repeat or comma-separate). Default: cited,inline.",
    )
    has_source: Annotated[bool | None, Filter(where=_has_source)] = Field(
        default=None, description="Only claims with (true) or without (false) a source."
    )
    section: Annotated[list[str], Filter(where=_section, needs_claim=True)] = Field(
        default=[],
        max_length=MAX_FILTER_VALUES,
        description="Section heading, exact, any case; `-` excludes (at most 100 values).",
    )
    article: Annotated[
        list[Annotated[int, Field(ge=1, le=MAX_ARTICLE_ID)]],
        Filter(where=_articles, group="article"),
    ] = Field(
        default=[], max_length=MAX_FILTER_VALUES, description="Article id; repeat to OR (<= 100)."
    )
    article_url: Annotated[
        list[str], Filter(where=_articles, resolve=_article_urls, group="article")
    ] = Field(
        default=[],
        max_length=MAX_FILTER_VALUES,
        description="Article URL as ingested; repeat to OR (at most 100).",
    )
    since: Since = None
    until: Until = None
    language: Annotated[
        list[Annotated[str, Field(pattern=r"^[A-Za-z]{2,3}$")]],
        AfterValidator(_lower),
        Filter(where=_language),
    ] = Field(
        default=[],
        description="Article language, an ISO 639 code (`ru`, `de`); repeat to OR.",
    )
    # Not conditions: full-text search and order shape the statement itself.
    q: str | None = Field(
        default=None,
        max_length=500,
        description='Full-text search; "quoted phrases" match as phrases.',
    )
    sort: Sort | None = Field(
        default=None,
        description="Order: position (article order, then position; the default), "
        "published_at, -published_at, or relevance (the default with q).",
    )

    @model_validator(mode="after")
    def _shape(self) -> ClaimFilter:
        if self.sort == "relevance" and not self.search:
            raise UnprocessableContent(
                "sort=relevance needs a search: give q.",
                errors=[{"loc": ["query", "sort"], "type": "value_error", "msg": "needs q"}],
            )
        self.kinds  # noqa: B018 - an unknown kind is the client's error, found here
        return self

    @property
    def search(self) -> str | None:
        """The full-text search, if any."""
        return (self.q or "").strip() or None

    @property
    def order(self) -> Order:
        """The order of the results."""
        if self.sort:
            return _ORDERS[self.sort]
        return "relevance" if self.search else "reading"

    @property
    def kinds(self) -> tuple[str, ...]:
        """The citation kinds `source` and `has_source` match."""
        kinds: list[str] = []
        for value in self.kind:
            for part in value.split(","):
                kind = part.strip().lower()
                if kind == "any":
                    kinds.extend(CITATION_KINDS)
                elif kind in CITATION_KINDS:
                    kinds.append(kind)
                else:
                    raise UnprocessableContent(
                        f"Unknown kind '{part}': use cited, inline, context or any.",
                        errors=[{"loc": ["query", "kind"], "type": "enum", "msg": f"'{part}'"}],
                    )
        return tuple(dict.fromkeys(kinds)) or DEFAULT_KINDS

    def query_params(self) -> dict[str, list[str]]:
        """The filter as query parameters, for cursors: same params, same cursor."""
        params: dict[str, list[str]] = {}
        for name in ClaimFilter.model_fields:
            if name in ("kind", "q", "sort"):
                continue
            params[name] = _as_params(getattr(self, name))
            if name == "topic":
                params["kind"] = list(self.kinds)
        params["q"] = [self.search] if self.search else []
        params["order"] = [self.order]
        return {key: values for key, values in params.items() if values}


class ArticleFilter(BaseModel):
    """The filters of the article list."""

    model_config = ConfigDict(extra="ignore", frozen=True)

    since: Since = None
    until: Until = None


def _as_params(value: Any) -> list[str]:
    if value is None:
        return []
    if isinstance(value, datetime):
        return [value.isoformat()]
    if isinstance(value, list):
        return [str(item) for item in value]
    return [str(value)]


def _filters(model: type[BaseModel]) -> tuple[tuple[str, Filter], ...]:
    return tuple(
        (name, found)
        for name, info in model.model_fields.items()
        if (found := _filter_of(info)) is not None
    )


def _filter_of(info: FieldInfo) -> Filter | None:
    return next((item for item in info.metadata if isinstance(item, Filter)), None)


_TABLES = {ClaimFilter: _filters(ClaimFilter), ArticleFilter: _filters(ArticleFilter)}


def active_filters(values: ClaimFilter | ArticleFilter) -> list[tuple[Filter, Any]]:
    """The filters the client gave a value, in table order, with those values."""
    base = ClaimFilter if isinstance(values, ClaimFilter) else ArticleFilter
    found: list[tuple[Filter, Any]] = []
    for name, spec in _TABLES[base]:
        value = getattr(values, name)
        if value is not None and value != []:
            found.append((spec, value))
    return found
